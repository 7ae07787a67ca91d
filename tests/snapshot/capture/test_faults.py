"""Injected 500s, dropped connections and 429 storms: complete, or said to be short.

Every collection ends complete — and then holds exactly what the org has — or
partial / failed with its error and retries; nothing is ever silently missing.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from datetime import datetime

import httpx
import pytest

from atomation.simulator.harness import SimulatorServer
from atomation.snapshot.capture import CaptureOptions
from atomation.snapshot.evidence.records import CollectionRecord, Completeness
from atomation.store import Snapshot
from tests.okta.admin import OktaAdmin
from tests.snapshot.capture.conftest import Tenancy, make_tenancy
from tests.snapshot.capture.expected import expected_objects, objects_by_family

FAULT_USERS = 120


def tenancy_on(okta: SimulatorServer, data_dir: object) -> Iterator[Tenancy]:
    admin = OktaAdmin(okta)
    try:
        yield from make_tenancy(okta, admin, data_dir)  # type: ignore[arg-type]
    finally:
        admin.close()


def set_faults(okta: SimulatorServer, **faults: object) -> None:
    """Switch faults on through the simulator's admin hook (after the app setup)."""
    response = httpx.put(
        okta.base_url + "/__simulator/faults",
        json=faults,
        headers={"Authorization": f"SSWS {okta.admin_token}"},
    )
    response.raise_for_status()


def assert_no_silent_gap(
    tenancy: Tenancy, snapshot_id: str
) -> dict[str, CollectionRecord]:
    """Sealed; each family all complete holds what the org has; the rest say why."""
    with tenancy.store.session() as session:
        snapshot = session.get_one(Snapshot, snapshot_id)
        state, options = snapshot.state, dict(snapshot.options)
    collections = tenancy.collections(snapshot_id)
    expected = expected_objects(
        tenancy.okta,
        datetime.fromisoformat(options["log_since"]),
        datetime.fromisoformat(options["log_until"]),
    )
    read = objects_by_family(collections)
    assert state == "complete"
    short: set[str] = set()
    for name, record in collections.items():
        assert record.completeness is not None
        if record.completeness is not Completeness.COMPLETE:
            short.add(name.partition(":")[0])
            assert record.error, name
    for family, count in expected.items():
        if family not in short:
            assert read[family] == count, family
    return collections


@pytest.fixture
def flaky(data_dir: object) -> Iterator[Tenancy]:
    # The client's retry budget (okta/client.py RETRY_BUDGET) is counted on the
    # org's clock. At 60 times real time it lasted 3 real seconds, and on a busy
    # CI machine the event loop's lag alone used it up within one chain of
    # retries; at 10 times it lasts 18 real seconds, which load cannot eat.
    with SimulatorServer(
        users=FAULT_USERS, latency=0, time_scale=10, rate_limits="off"
    ) as okta:
        yield from tenancy_on(okta, data_dir)


def test_transient_500s_and_dropped_connections_are_retried_to_completion(
    flaky: Tenancy,
) -> None:
    flaky.connect()
    set_faults(flaky.okta, error_rate=0.15, drop_rate=0.1, seed=7)
    snapshot_id = flaky.capture(CaptureOptions(window_days=7))

    collections = assert_no_silent_gap(flaky, snapshot_id)
    reads = [r for r in flaky.okta.requests if r.path.startswith("/api/v1/")]
    pages = sum(c.pages for c in collections.values())
    assert sum(r.status == 500 for r in reads) > 10
    # A cut connection is logged with the status it began to send (200).
    assert sum(r.status == 200 for r in reads) - pages > 5
    assert sum(c.retries for c in collections.values()) == 0  # complete: none kept
    assert {c.completeness for c in collections.values()} == {Completeness.COMPLETE}


@pytest.fixture
def crowded(data_dir: object) -> Iterator[Tenancy]:
    # Workforce limits and an org-wide concurrency limit of 4 (2 for the app):
    # the client's 8 in flight meet a storm of concurrency 429s.
    with SimulatorServer(
        users=FAULT_USERS, latency=(0.2, 0.4), time_scale=60, concurrency_limit=4
    ) as okta:
        yield from tenancy_on(okta, data_dir)


def test_a_429_storm_slows_the_capture_but_loses_nothing(crowded: Tenancy) -> None:
    crowded.connect()
    snapshot_id = crowded.capture(CaptureOptions(window_days=7))

    collections = assert_no_silent_gap(crowded, snapshot_id)
    assert [r.status for r in crowded.okta.requests].count(429) > 5
    assert {c.completeness for c in collections.values()} == {Completeness.COMPLETE}


@pytest.fixture
def failing(data_dir: object) -> Iterator[Tenancy]:
    with SimulatorServer(
        users=FAULT_USERS, latency=0.05, time_scale=600, rate_limits="off"
    ) as okta:
        yield from tenancy_on(okta, data_dir)


def test_an_org_that_starts_failing_mid_capture_leaves_partial_and_failed_verdicts(
    failing: Tenancy,
) -> None:
    failing.connect()
    okta = failing.okta
    started = threading.Event()

    def break_the_org() -> None:
        started.wait(30)
        while sum(r.status == 200 for r in okta.requests) < 40:
            time.sleep(0.005)
        set_faults(okta, error_rate=1.0)

    breaker = threading.Thread(target=break_the_org)
    breaker.start()
    started.set()
    snapshot_id = failing.capture(CaptureOptions(window_days=7))
    breaker.join()

    collections = assert_no_silent_gap(failing, snapshot_id)
    verdicts = {c.completeness for c in collections.values()}
    assert Completeness.FAILED in verdicts
    failed = [
        c
        for c in collections.values()
        if c.completeness is Completeness.FAILED and ":" in c.name
    ]
    assert failed
    for record in failed:
        assert record.retries > 0, record.name
        assert "500" in (record.error or ""), record.error
