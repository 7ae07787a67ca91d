"""``atomation demo`` end to end, as a newcomer runs it: a separate process."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest


def run_demo(
    out: Path, *args: str, debug: bool = False
) -> subprocess.CompletedProcess[str]:
    first = ["--debug"] if debug else []
    return subprocess.run(
        [sys.executable, "-m", "atomation", *first, "demo", "--out", str(out), *args],
        capture_output=True,
        text=True,
        timeout=600,
        env={k: v for k, v in os.environ.items() if not k.startswith("ATOMATION_")},
    )


REPORT_FILES = (
    "report.html",
    "report.pdf",
    "report.json",
    "findings.csv",
    "findings.ocsf.jsonl",
)


@pytest.fixture(scope="module")
def demo(
    tmp_path_factory: pytest.TempPathFactory,
) -> tuple[Path, subprocess.CompletedProcess[str]]:
    """One whole demo with the debug log on, shared by the tests below."""
    out = tmp_path_factory.mktemp("demo") / "out"
    return out, run_demo(out, "--users", "150", debug=True)


def test_demo_walks_the_path_and_writes_the_reports(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, done = demo

    assert done.returncode == 0, done.stderr
    flat = done.stderr.replace("\n", " ")
    for number in (1, 2, 3):
        assert f"{number}. " in flat
    assert "4. connect with the Client ID and verify the connection: passed" in flat
    assert "5. capture a snapshot into the evidence store: snapshot " in flat
    assert " sealed: " in flat
    assert "6. assess the snapshot against the check catalogue: run " in flat
    assert "7. write the reports: 5 files in " in flat
    assert "not built yet" not in flat
    assert (out / "workspace" / "atomation.db").is_file()
    planted = json.loads((out / "planted-misconfigurations.json").read_text())
    assert planted, "the typical org plants misconfigurations"
    # The report paths, one per line on standard output, for scripts.
    assert done.stdout.splitlines() == [str(out / name) for name in REPORT_FILES]
    assert (out / "report.pdf").read_bytes().startswith(b"%PDF-")
    assert "Okta security posture report" in (out / "report.html").read_text()
    report = json.loads((out / "report.json").read_text())
    assert report["tenant"] == "acme"
    failing = {c["id"] for c in report["checks"] if c["status"] == "fail"}
    assert failing, "the typical org fails checks"


def test_demo_runs_again_over_its_own_output(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, first = demo
    assert first.returncode == 0, first.stderr

    again = run_demo(out, "--users", "60")

    assert again.returncode == 0, again.stderr
    assert again.stdout.splitlines() == [str(out / name) for name in REPORT_FILES]


def test_demo_refuses_an_out_folder_it_did_not_make(tmp_path: Path) -> None:
    (tmp_path / "workspace").mkdir()
    (tmp_path / "workspace" / "keep.txt").write_text("precious")

    done = run_demo(tmp_path, "--users", "60")

    assert done.returncode == 1
    assert done.stderr.startswith("Error: ")
    assert "was not made by a demo" in done.stderr
    assert (tmp_path / "workspace" / "keep.txt").read_text() == "precious"


def test_no_secret_of_the_demo_reaches_its_output_or_logs(
    demo: tuple[Path, subprocess.CompletedProcess[str]],
) -> None:
    out, done = demo

    assert done.returncode == 0, done.stderr
    text = done.stdout + done.stderr + (out / "simulator.log").read_text()
    assert "DEBUG" in text, "the debug log is on, so there is something to search"
    # What would show a credential: the admin token's scheme and header, a token
    # response, a client assertion, a DPoP proof header, private key material.
    for marker in (
        "SSWS ",
        "b'authorization'",
        "Authorization:",
        "access_token",
        "client_assertion=",
        "b'dpop', b'ey",
        "PRIVATE KEY",
        '"d":',
        "Admin token",
    ):
        assert marker not in text


def test_an_org_the_simulator_cannot_make_is_one_clear_error(tmp_path: Path) -> None:
    done = run_demo(tmp_path / "out", "--users", "5")

    assert done.returncode == 1
    lines = done.stderr.splitlines()
    assert lines[-2].startswith("Error: the simulated Okta org did not start: ")
    assert "5 users" in lines[-2]
    assert lines[-1].startswith("Hint: Ask for ")
