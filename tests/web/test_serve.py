"""``atomation serve`` as a real process: serves the JWKS, Ctrl-C exits 130."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from atomation.cli import run

START_TIMEOUT_SECONDS = 20.0


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def _wait_for(url: str, process: subprocess.Popen[str]) -> httpx.Response:
    deadline = time.monotonic() + START_TIMEOUT_SECONDS
    while time.monotonic() < deadline and process.poll() is None:
        try:
            return httpx.get(url)
        except httpx.TransportError:
            time.sleep(0.1)
    raise AssertionError("atomation serve did not answer")


def test_serve_publishes_the_jwks_and_ctrl_c_exits_130(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    create = ["tenant", "create", "--subdomain", "acme", "--client", "Acme"]
    create += ["--environment", "Prod", "--okta-org", "https://acme.okta.com"]
    assert run(["--data-dir", str(data_dir), *create]) == 0
    capsys.readouterr()
    port = _free_port()
    command = [sys.executable, "-m", "atomation", "--data-dir", str(data_dir)]
    command += ["serve", "--port", str(port)]

    process = subprocess.Popen(
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        response = _wait_for(
            f"http://127.0.0.1:{port}/t/acme/.well-known/okta-jwks.json", process
        )
    finally:
        process.send_signal(signal.SIGINT)
        process.communicate(timeout=20)

    assert response.status_code == 200
    assert len(response.json()["keys"]) == 1
    assert process.returncode == 130


def test_serve_on_a_busy_port_is_one_clear_error(
    data_dir: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with socket.socket() as busy:
        busy.bind(("127.0.0.1", 0))
        busy.listen()
        port = busy.getsockname()[1]

        code = run(["--data-dir", str(data_dir), "serve", "--port", str(port)])

    assert code == 1
    assert f"Error: the web server could not start on 127.0.0.1:{port}" in (
        capsys.readouterr().err
    )
