"""A capture killed with SIGKILL at any point resumes to the same pages.

The capture runs as ``atomation snapshot`` in a subprocess, against a simulator
whose clock runs in real time (the subprocess reads the system clock), signing
with the tenant's own key, published on the simulator as the app's JWKS.
"""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from datetime import datetime

import pytest
from sqlalchemy import func, select

from atomation.keys.service import tenant_jwks
from atomation.okta import SYSTEM_CLOCK
from atomation.simulator.harness import SimulatorServer
from atomation.snapshot.capture import CaptureOptions, NothingToResume, capture_snapshot
from atomation.snapshot.evidence.records import Completeness
from atomation.store import EvidencePage, Snapshot
from atomation.store.types import utcnow
from atomation.tenants.service import get_tenant
from tests.snapshot.capture.conftest import USERS, Tenancy

# Pages stored before the kill: enough that several families are part-way.
KILL_AFTER_PAGES = 120


@pytest.fixture(scope="module")
def okta() -> Iterator[SimulatorServer]:
    # Real time (scale 1), so the subprocess's system clock agrees with the org's;
    # a little latency, so that the capture is still running when it is killed.
    with SimulatorServer(
        users=USERS, latency=(0.01, 0.03), rate_limits="off"
    ) as server:
        yield server


@pytest.fixture
def keyed(tenancy: Tenancy) -> Tenancy:
    """The tenant's app trusts the tenant's own signing key, as in production."""
    with tenancy.store.session() as session:
        jwks = tenant_jwks(session, get_tenant(session, "acme"), now=utcnow())
    tenancy.connect(jwks=jwks)
    return tenancy


def cli(tenancy: Tenancy, *args: str) -> subprocess.Popen[bytes]:
    env = {
        **os.environ,
        "ATOMATION_DATA_DIR": str(tenancy.settings.data_dir),
        "ATOMATION_ALLOWED_ORG_URLS": tenancy.okta.base_url,
    }
    return subprocess.Popen(
        [sys.executable, "-m", "atomation", "snapshot", *args],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )


def stored_pages(tenancy: Tenancy) -> int:
    with tenancy.store.session() as session:
        return session.scalar(select(func.count()).select_from(EvidencePage)) or 0


def manifest_pages(
    tenancy: Tenancy, snapshot_id: str
) -> dict[tuple[str, int], tuple[str, str]]:
    """Every page of the snapshot: (collection, sequence) -> (request, sha256)."""
    pages = {}
    for record in tenancy.reader.collections(snapshot_id):
        for page in tenancy.reader.pages(snapshot_id, record.name):
            pages[(record.name, page.sequence)] = (page.request, page.sha256)
    return pages


def test_a_killed_capture_resumes_to_the_pages_of_an_uninterrupted_one(
    keyed: Tenancy,
) -> None:
    capture = cli(keyed, "acme", "--window", "30d")
    deadline = time.monotonic() + 60
    while stored_pages(keyed) < KILL_AFTER_PAGES:
        assert capture.poll() is None, capture.communicate()[1].decode()
        assert time.monotonic() < deadline
        time.sleep(0.02)
    os.kill(capture.pid, signal.SIGKILL)
    capture.wait()

    with keyed.store.session() as session:
        killed = session.scalars(select(Snapshot)).one()
        killed_id, state, options = killed.id, killed.state, dict(killed.options)
    unfinished = keyed.collections(killed_id)
    assert state == "capturing"
    assert len(unfinished) < 400  # killed part-way, not after the last collection

    resumed = cli(keyed, "acme", "--resume")
    out, err = resumed.communicate(timeout=120)
    assert resumed.returncode == 0, err.decode()
    assert killed_id in out.decode()

    uninterrupted = asyncio.run(
        capture_snapshot(
            keyed.store,
            keyed.settings,
            "acme",
            CaptureOptions(
                window_days=30, log_until=datetime.fromisoformat(options["log_until"])
            ),
            clock=SYSTEM_CLOCK,
        )
    )
    resumed_pages = manifest_pages(keyed, killed_id)
    assert resumed_pages == manifest_pages(keyed, uninterrupted)
    assert len(resumed_pages) > KILL_AFTER_PAGES
    verdicts = {c.completeness for c in keyed.reader.collections(killed_id)}
    assert verdicts == {Completeness.COMPLETE}


def test_resume_without_an_unfinished_snapshot_is_refused(keyed: Tenancy) -> None:
    with pytest.raises(NothingToResume) as refused:
        keyed.capture(resume=True)

    assert "no unfinished snapshot" in refused.value.message
    assert refused.value.hint is not None
