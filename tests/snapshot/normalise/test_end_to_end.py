"""A real capture of a simulated org, normalised, read back and rebuilt by the CLI."""

from __future__ import annotations

import re
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner

from atomation.runtime import Runtime
from atomation.simulator.harness import SimulatorServer
from atomation.snapshot.capture import CaptureOptions
from atomation.snapshot.data import FAMILIES
from atomation.snapshot.normalise import open_snapshot_data
from atomation.snapshot.normalise.cli import rebuild_command
from tests.okta.admin import OktaAdmin
from tests.snapshot.capture.conftest import Tenancy, make_tenancy

TIME_SCALE = 60.0


@pytest.fixture(scope="module")
def okta() -> Iterator[SimulatorServer]:
    with SimulatorServer(
        users=120, latency=0, time_scale=TIME_SCALE, rate_limits="off"
    ) as server:
        yield server


@pytest.fixture
def stored(
    okta: SimulatorServer, data_dir: Path, database_url: str
) -> Iterator[Tenancy]:
    admin = OktaAdmin(okta)
    try:
        yield from make_tenancy(okta, admin, data_dir, database_url)
    finally:
        admin.close()


def test_a_captured_snapshot_reads_back_whole_and_rebuilds_alike(
    stored: Tenancy,
) -> None:
    stored.connect()
    snapshot_id = stored.capture(CaptureOptions(window_days=20, factors="privileged"))

    data = open_snapshot_data(stored.store, snapshot_id)
    model = stored.okta.org
    info = data.info
    assert info.factors_for == "privileged"
    assert info.log_since is not None
    assert info.log_until is not None
    assert info.log_event_types
    events = model.log.count(
        since=info.log_since,
        until=info.log_until,
        event_types=frozenset(info.log_event_types),
    )
    assert events > 0
    assert data.count("log_event") == events
    assert data.count("user") == len(model.users)
    assert data.count("group") == len(model.groups)
    assert data.count("app") == len(model.apps)
    assert sum(data.log_event_counts(info.log_event_types).values()) == events
    assert data.count("user_factor") > 0
    incomplete = {
        family.kind: data.coverage(family.kind).shortfalls
        for family in FAMILIES.values()
        if not data.coverage(family.kind).complete
    }
    assert incomplete == {}
    first = [(r.id, r.parent_id, r.evidence) for r in data.resources("user_factor")]

    cli = typer.Typer()
    cli.command()(rebuild_command)
    runtime = Runtime(
        data_dir=stored.settings.data_dir,
        _settings=stored.settings,
        _store=stored.store,
    )
    result = CliRunner().invoke(cli, [snapshot_id], obj=runtime)

    assert result.exit_code == 0, result.output
    assert f"snapshot {snapshot_id} rebuilt" in result.output
    assert re.search(rf"^log_event +{events:,}$", result.output, re.MULTILINE)
    again = open_snapshot_data(stored.store, snapshot_id)
    assert [
        (r.id, r.parent_id, r.evidence) for r in again.resources("user_factor")
    ] == first
    oldest = next(again.log_events())
    assert isinstance(oldest.data["published"], str)
    assert datetime.fromisoformat(oldest.data["published"]) >= info.log_since
