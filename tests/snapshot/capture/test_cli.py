"""``atomation snapshot ...`` in process: capture, list, refusals, progress display.

The CLI runs on the machine's clock and signs with the tenant's own key, so the
org runs in real time here and trusts the tenant's published JWKS.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from rich.console import Console

from atomation.cli import run
from atomation.keys.service import tenant_jwks
from atomation.simulator.harness import SimulatorServer
from atomation.snapshot.capture import CaptureOptions, RichProgress
from atomation.store.types import utcnow
from atomation.tenants.service import get_tenant
from tests.okta.admin import OktaAdmin
from tests.snapshot.capture.conftest import Tenancy, make_tenancy


@pytest.fixture
def realtime(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tenancy]:
    with SimulatorServer(users=60, latency=0, rate_limits="off") as server:
        admin = OktaAdmin(server)
        monkeypatch.setenv("ATOMATION_DATA_DIR", str(data_dir))
        monkeypatch.setenv("ATOMATION_ALLOWED_ORG_URLS", server.base_url)
        for tenancy in make_tenancy(server, admin, data_dir):
            with tenancy.store.session() as session:
                jwks = tenant_jwks(session, get_tenant(session, "acme"), now=utcnow())
            tenancy.connect(jwks=jwks)
            yield tenancy
        admin.close()


def test_snapshot_captures_then_list_shows_it_with_its_verdicts(
    realtime: Tenancy, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["snapshot", "acme", "--window", "7d", "--factors", "privileged"]) == 0
    captured = capsys.readouterr()
    sealed = captured.out.strip().splitlines()[-1]
    assert sealed.startswith("snapshot ")
    assert " of acme sealed: " in sealed
    assert sealed.endswith(" complete")
    # Not a terminal: plain log lines, one per finished family.
    assert "user_factors done" in captured.err

    assert run(["snapshot", "list", "acme", "--json"]) == 0
    listed = json.loads(capsys.readouterr().out)
    (snapshot,) = listed["snapshots"]
    assert snapshot["state"] == "complete"
    assert snapshot["finished_at"] is not None
    assert set(snapshot["completeness"]) == {"complete"}
    assert snapshot["completeness"]["complete"] > 50
    assert snapshot["id"] in sealed

    assert run(["snapshot", "list", "acme"]) == 0
    line = capsys.readouterr().out.strip()
    assert line.startswith(snapshot["id"])
    assert "complete" in line


def test_bad_options_and_nothing_to_resume_are_one_clear_error(
    realtime: Tenancy, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["snapshot", "acme", "--window", "91d"]) == 1
    err = capsys.readouterr().err
    assert "Error: a System Log window of 91 days is out of range" in err
    assert "Hint: give 1 to 90 days" in err

    assert run(["snapshot", "acme", "--window", "2w"]) == 1
    assert "'2w' is not a System Log window" in capsys.readouterr().err

    assert run(["snapshot", "acme", "--factors", "some"]) != 0
    assert "'some' is not one of: all, privileged" in capsys.readouterr().err

    assert run(["snapshot", "acme", "--resume"]) == 1
    assert "no unfinished snapshot" in capsys.readouterr().err

    assert run(["snapshot", "list", "acme"]) == 0
    assert "no snapshots of acme yet" in capsys.readouterr().out


def test_a_terminal_shows_a_bar_per_family(realtime: Tenancy) -> None:
    screen = io.StringIO()
    console = Console(file=screen, force_terminal=True, width=140)
    realtime.capture(CaptureOptions(window_days=7), progress=RichProgress(console))

    shown = screen.getvalue()
    for family in ("users", "user_factors", "group_members", "policy_rules", "logs"):
        assert family in shown
    assert "rate-limit waits" in shown
    assert "objects" in shown
