from __future__ import annotations

from pathlib import Path

import pytest

from atomation import __version__
from atomation.cli import run


def test_help_lists_the_commands(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--help"]) == 0

    assert "demo" in capsys.readouterr().out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    assert run(["--version"]) == 0

    assert capsys.readouterr().out.strip() == f"atomation {__version__}"


def test_unknown_command_is_one_error_line_and_exit_2(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert run(["no-such-command"]) == 2

    err = capsys.readouterr().err
    assert err.startswith("Error: No such command 'no-such-command'")
    assert "Traceback" not in err


def test_bad_setting_is_one_error_line_naming_it(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ATOMATION_DATABASE_URL", "nonsense")

    code = run(["--data-dir", str(tmp_path / "d"), "tenant", "list"])

    err = capsys.readouterr().err
    assert code == 1
    assert err.splitlines()[0].startswith("Error: ATOMATION_DATABASE_URL")
    assert err.splitlines()[1].startswith("Hint: ")
    assert "Traceback" not in err
