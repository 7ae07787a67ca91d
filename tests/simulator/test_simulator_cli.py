"""``atomation simulator serve`` in a real process: prints its URL, stops on Ctrl-C."""

from __future__ import annotations

import json
import signal
import subprocess
import sys
from pathlib import Path

import httpx
import pytest

from atomation.cli import run


def test_serve_prints_url_and_token_and_exits_130_on_ctrl_c(tmp_path: Path) -> None:
    findings = tmp_path / "misconfigurations.json"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "atomation",
            "simulator",
            "serve",
            "--users",
            "60",
            "--latency",
            "0",
            "--misconfigurations-out",
            str(findings),
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url_line = process.stdout.readline()
        token_line = process.stdout.readline()
        process.stdout.readline()  # "Press Ctrl-C to stop."
        base_url = url_line.split(": ", 1)[1].strip()
        token = token_line.rsplit(": ", 1)[1].strip()

        metadata = httpx.get(base_url + "/.well-known/okta-organization", timeout=10)
        users = httpx.get(
            base_url + "/api/v1/users?limit=1",
            headers={"Authorization": f"SSWS {token}"},
            timeout=10,
        )
    finally:
        process.send_signal(signal.SIGINT)
        try:
            exit_code = process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()  # never leave a server behind
            raise

    assert base_url.startswith("http://127.0.0.1:")
    assert metadata.json()["pipeline"] == "idx"
    assert users.status_code == 200
    assert exit_code == 130
    assert isinstance(json.loads(findings.read_text()), list)


def test_too_small_org_is_one_clear_error(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["simulator", "serve", "--users", "5"])

    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("Error: cannot generate an org of 5 users")
    assert "Traceback" not in err
