"""The whole path: capture a simulated org over HTTP, normalise, assess by the CLI.

Each org is captured once per module (90 days of security log events, every
user's factors) into a tenant's store; the tests then run ``atomation assess``
in process on that stored snapshot, offline, and read the stored run back.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Literal

import pytest
import typer
from typer.testing import CliRunner

from atomation.assessment.cli import app as checks_app
from atomation.assessment.cli import assess_command
from atomation.assessment.storage import load_result
from atomation.runtime import Runtime
from atomation.simulator.harness import SimulatorServer
from atomation.snapshot.capture import CaptureOptions
from atomation.snapshot.normalise import open_snapshot_data
from tests.assessment.test_profiles import found_by_its_check
from tests.okta.admin import OktaAdmin
from tests.snapshot.capture.conftest import Tenancy, make_tenancy

USERS = 150
TIME_SCALE = 60.0


def _captured(
    profile: Literal["typical", "hardened"], tmp: Path
) -> Iterator[tuple[Tenancy, str]]:
    with SimulatorServer(
        users=USERS,
        profile=profile,
        latency=0,
        time_scale=TIME_SCALE,
        rate_limits="off",
    ) as okta:
        admin = OktaAdmin(okta)
        try:
            for tenancy in make_tenancy(okta, admin, tmp):
                tenancy.connect()
                snapshot_id = tenancy.capture(CaptureOptions(window_days=90))
                yield tenancy, snapshot_id
        finally:
            admin.close()


@pytest.fixture(scope="module")
def typical(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Tenancy, str]]:
    yield from _captured("typical", tmp_path_factory.mktemp("typical"))


@pytest.fixture(scope="module")
def hardened(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Tenancy, str]]:
    yield from _captured("hardened", tmp_path_factory.mktemp("hardened"))


def _cli(tenancy: Tenancy) -> tuple[typer.Typer, Runtime]:
    cli = typer.Typer()
    cli.command("assess")(assess_command)
    cli.add_typer(checks_app, name="checks")
    runtime = Runtime(
        data_dir=tenancy.settings.data_dir,
        _settings=tenancy.settings,
        _store=tenancy.store,
    )
    return cli, runtime


def test_a_captured_typical_org_shows_every_planted_misconfiguration(
    typical: tuple[Tenancy, str],
) -> None:
    tenancy, snapshot_id = typical
    cli, runtime = _cli(tenancy)

    output = CliRunner().invoke(cli, ["assess", "acme", "--json"], obj=runtime)

    assert output.exit_code == 0, output.output
    printed = json.loads(output.output)
    assert printed["snapshot_id"] == snapshot_id
    result = load_result(tenancy.store, printed["run_id"])
    data = open_snapshot_data(tenancy.store, snapshot_id)
    assert result.summary()["not_assessed"] == 0
    assert result.summary()["error"] == 0
    missed = [
        m["id"]
        for m in tenancy.okta.org.misconfigurations
        if not found_by_its_check(data, result, m)
    ]
    assert not missed
    failed = [f for r in result.results for f in r.findings if f.status == "fail"]
    assert all(f.evidence for f in failed)
    page = failed[0].evidence[0]
    assert page.request.startswith("/api/v1/") or page.request.startswith("/oauth2/")
    assert len(page.sha256) == 64


def test_a_captured_hardened_org_yields_no_failure(
    hardened: tuple[Tenancy, str],
) -> None:
    tenancy, _snapshot_id = hardened
    cli, runtime = _cli(tenancy)

    output = CliRunner().invoke(cli, ["assess", "acme", "--json"], obj=runtime)

    assert output.exit_code == 0, output.output
    result = load_result(tenancy.store, json.loads(output.output)["run_id"])
    not_passing = [
        f.message for r in result.results for f in r.findings if f.status != "pass"
    ]
    assert not not_passing


def test_standing_overrides_and_the_profile_are_recorded_with_the_run(
    typical: tuple[Tenancy, str],
) -> None:
    tenancy, _snapshot_id = typical
    cli, runtime = _cli(tenancy)
    runner = CliRunner()

    tuned = runner.invoke(
        cli,
        ["checks", "tune", "acme", "session.idle_timeout.max_idle_minutes=120"],
        obj=runtime,
    )
    run = runner.invoke(
        cli, ["assess", "acme", "--profile", "baseline", "--json"], obj=runtime
    )
    cleared = runner.invoke(
        cli,
        ["checks", "tune", "acme", "--clear", "session.idle_timeout.max_idle_minutes"],
        obj=runtime,
    )

    assert tuned.exit_code == 0, tuned.output
    assert "session.idle_timeout.max_idle_minutes=120" in tuned.output
    assert run.exit_code == 0, run.output
    printed = json.loads(run.output)
    assert printed["profile"] == "baseline"
    assert printed["overrides"] == {"session.idle_timeout.max_idle_minutes": 120}
    result = load_result(tenancy.store, printed["run_id"])
    assert result.result("session.idle_timeout").thresholds == {"max_idle_minutes": 120}
    assert result.result("pwd.min_length").thresholds == {"min_length": 12}
    assert "no threshold overrides" in cleared.output


def test_bad_input_is_one_clear_error(typical: tuple[Tenancy, str]) -> None:
    tenancy, _snapshot_id = typical
    cli, runtime = _cli(tenancy)
    runner = CliRunner()

    unknown = runner.invoke(cli, ["assess", "nobody"], obj=runtime)
    missing = runner.invoke(cli, ["assess", "acme", "--snapshot", "nope"], obj=runtime)
    typo = runner.invoke(
        cli, ["assess", "acme", "--threshold", "session.idle=3"], obj=runtime
    )
    wrong_type = runner.invoke(
        cli, ["checks", "tune", "acme", "pwd.min_length.min_length=long"], obj=runtime
    )

    assert "no tenant has the subdomain 'nobody'" in str(unknown.exception)
    assert "has no snapshot nope" in str(missing.exception)
    assert "no check parameter is called 'session.idle'" in str(typo.exception)
    assert "must be a int" in str(wrong_type.exception)


def test_assess_prints_the_checks_that_did_not_pass_and_framework_coverage(
    typical: tuple[Tenancy, str],
) -> None:
    tenancy, snapshot_id = typical
    cli, runtime = _cli(tenancy)

    output = CliRunner().invoke(
        cli, ["assess", "acme", "--snapshot", snapshot_id], obj=runtime
    )

    assert output.exit_code == 0, output.output
    assert "authn.admin_console_phishing_resistant" in output.output
    assert "DISA Okta IDaaS STIG V1R2: " in output.output
    assert "7 not evaluable" in output.output
    assert "profile stig:" in output.output
