"""``atomation report``, run in process against a stored assessment."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import typer
from typer.testing import CliRunner

from atomation.report.cli import report_command
from atomation.runtime import Runtime
from tests.report.conftest import Assessed


def _cli(assessed: Assessed) -> tuple[typer.Typer, Runtime]:
    cli = typer.Typer()
    cli.command("report")(report_command)
    cli.command("noop")(lambda: None)  # keeps "report" a named subcommand
    tenancy = assessed.tenancy
    runtime = Runtime(
        data_dir=tenancy.settings.data_dir,
        _settings=tenancy.settings,
        _store=tenancy.store,
    )
    return cli, runtime


def test_json_goes_to_standard_output(assessed: Assessed) -> None:
    cli, runtime = _cli(assessed)

    result = CliRunner().invoke(
        cli, ["report", "acme", "--format", "json"], obj=runtime
    )

    assert result.exit_code == 0, result.output
    document = json.loads(result.stdout)
    assert document["snapshot_id"] == assessed.snapshot_id


def test_each_format_is_written_to_the_file_named(
    assessed: Assessed, tmp_path: Path
) -> None:
    cli, runtime = _cli(assessed)
    runner = CliRunner()

    for name in ("html", "csv", "ocsf"):
        out = tmp_path / f"report.{name}"
        result = runner.invoke(
            cli,
            [
                "report",
                "acme",
                "--snapshot",
                assessed.snapshot_id,
                "--format",
                name,
                "--out",
                str(out),
            ],
            obj=runtime,
        )
        assert result.exit_code == 0, result.output
        assert f"wrote {name} report to {out}" in result.stderr

    assert (tmp_path / "report.html").read_text().startswith("<!DOCTYPE html>")
    rows = list(csv.DictReader(io.StringIO((tmp_path / "report.csv").read_text())))
    assert {row["snapshot_id"] for row in rows} == {assessed.snapshot_id}
    first = json.loads((tmp_path / "report.ocsf").read_text().splitlines()[0])
    assert first["class_uid"] == 2003


def test_a_snapshot_without_a_stored_run_is_one_clear_error(
    assessed: Assessed,
) -> None:
    cli, runtime = _cli(assessed)

    result = CliRunner().invoke(
        cli, ["report", "acme", "--snapshot", "f" * 32], obj=runtime
    )

    assert result.exit_code != 0
    assert "has no stored assessment run" in str(result.exception)
    assert "atomation assess acme" in str(result.exception.hint)  # type: ignore[union-attr]


def test_a_comparison_is_html_or_json_only(assessed: Assessed) -> None:
    cli, runtime = _cli(assessed)

    result = CliRunner().invoke(
        cli,
        ["report", "acme", "--compare", "a", "b", "--format", "csv"],
        obj=runtime,
    )

    assert result.exit_code != 0
    assert "written as html or json, not csv" in str(result.exception)
