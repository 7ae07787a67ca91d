"""A scope or admin role the app lacks: the collections it guards are not collected.

Each such collection names what is missing (the scope, or the admin role with
Okta's E0000006), the rest of the snapshot is read, and the snapshot is sealed:
a check that needs the missing data reports *not assessed*, never pass or fail.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from atomation.okta import OKTA_READ_SCOPES
from atomation.simulator.harness import SimulatorServer
from atomation.snapshot.capture import CaptureOptions
from atomation.snapshot.evidence.records import Completeness
from atomation.store import Snapshot
from tests.snapshot.capture.conftest import Tenancy

ROLE_READS = ("role_assignees", "user_roles", "group_roles", "client_roles")


def state_of(tenancy: Tenancy, snapshot_id: str) -> str:
    with tenancy.store.session() as session:
        return session.get_one(Snapshot, snapshot_id).state


def test_a_missing_scope_leaves_its_collections_not_collected_naming_it(
    tenancy: Tenancy,
) -> None:
    tenancy.connect(scopes=[s for s in OKTA_READ_SCOPES if s != "okta.logs.read"])
    snapshot_id = tenancy.capture(CaptureOptions(window_days=30))
    collections = tenancy.collections(snapshot_id)

    logs = {n: c for n, c in collections.items() if n.startswith("logs:")}
    assert len(logs) == 3
    for record in logs.values():
        assert record.completeness is Completeness.NOT_COLLECTED
        assert record.missing == "okta.logs.read scope"
        assert record.pages == 0
    others = {c.completeness for n, c in collections.items() if n not in logs}
    assert others == {Completeness.COMPLETE}
    assert state_of(tenancy, snapshot_id) == "complete"


@pytest.fixture
def role_reads_for_super_admins_only(okta: SimulatorServer) -> Iterator[None]:
    """Okta's help makes viewing administrators a Super Admin right (§6, §12.8)."""
    before = okta.config.role_assignment_readers
    okta.config.role_assignment_readers = frozenset({"SUPER_ADMIN"})
    yield
    okta.config.role_assignment_readers = before


@pytest.mark.usefixtures("role_reads_for_super_admins_only")
def test_a_role_too_narrow_for_role_assignments_names_the_role(
    tenancy: Tenancy,
) -> None:
    tenancy.connect()
    snapshot_id = tenancy.capture(CaptureOptions(window_days=7, factors="privileged"))
    collections = tenancy.collections(snapshot_id)

    role_reads = {
        n: c for n, c in collections.items() if n.partition(":")[0] in ROLE_READS
    }
    assert {n.partition(":")[0] for n in role_reads} == set(ROLE_READS)
    for name, record in role_reads.items():
        assert record.completeness is Completeness.NOT_COLLECTED, name
        assert record.missing is not None
        assert "admin role" in record.missing
        assert "E0000006" in record.missing
    # Without role assignments, the privileged users cannot be known.
    factors = collections["user_factors"]
    assert factors.completeness is Completeness.NOT_COLLECTED
    assert factors.missing == role_reads["role_assignees"].missing
    assert collections["users"].completeness is Completeness.COMPLETE
    assert state_of(tenancy, snapshot_id) == "complete"


def test_an_app_without_an_admin_role_collects_nothing_and_says_so(
    tenancy: Tenancy,
) -> None:
    tenancy.connect(role=None)
    snapshot_id = tenancy.capture(CaptureOptions(window_days=7))
    collections = tenancy.collections(snapshot_id)

    assert collections["users"].completeness is Completeness.NOT_COLLECTED
    assert collections["users"].missing == (
        "admin role allowed to read /api/v1/users (403 E0000006)"
    )
    assert {c.completeness for c in collections.values()} == {
        Completeness.NOT_COLLECTED
    }
    # Children of unlisted parents are accounted for by their family's name.
    assert {"user_factors", "group_members", "policy_rules", "app_users"} <= set(
        collections
    )
    assert state_of(tenancy, snapshot_id) == "complete"
