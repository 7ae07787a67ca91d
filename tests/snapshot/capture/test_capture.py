"""A whole capture of the typical org: everything read, only reads sent, verifiable."""

from __future__ import annotations

import asyncio
import json
from datetime import datetime
from typing import Any

from sqlalchemy import select

from atomation.connection.service import verify_tenant
from atomation.snapshot.capture import CaptureOptions
from atomation.snapshot.evidence import open_evidence_store, verify_snapshot
from atomation.snapshot.evidence.records import Completeness
from atomation.store import Snapshot
from tests.okta.admin import clock_of
from tests.snapshot.capture.conftest import Tenancy
from tests.snapshot.capture.expected import expected_objects, objects_by_family


def test_a_full_capture_holds_every_object_the_generator_made(
    stored: Tenancy,
) -> None:
    stored.connect()
    snapshot_id = stored.capture(CaptureOptions(window_days=30))

    collections = stored.collections(snapshot_id)
    with stored.store.session() as session:
        snapshot = session.get_one(Snapshot, snapshot_id)
        state, options = snapshot.state, dict(snapshot.options)
    since = datetime.fromisoformat(options["log_since"])
    until = datetime.fromisoformat(options["log_until"])
    expected = expected_objects(stored.okta, since, until)

    assert state == "complete"
    assert {c.completeness for c in collections.values()} == {Completeness.COMPLETE}
    assert objects_by_family(collections) == expected
    assert all(expected[family] > 0 for family in expected)  # no family is vacuous
    assert len([n for n in collections if n.startswith("user_factors:")]) == len(
        [u for u in stored.okta.org.users if u["status"] != "DEPROVISIONED"]
    )
    assert "users:deprovisioned" in collections
    assert len([n for n in collections if n.startswith("logs:")]) == 3  # 10-day slices


def test_each_page_holds_one_okta_object_per_list_item(tenancy: Tenancy) -> None:
    tenancy.connect()
    snapshot_id = tenancy.capture()
    reader = tenancy.reader

    for name in ("users", "iam_roles", "role_assignees", "groups"):
        record = reader.collection(snapshot_id, name)
        items: list[Any] = []
        for page, body in reader.bodies(snapshot_id, name):
            data = json.loads(body)
            items += (
                data
                if isinstance(data, list)
                else next(v for k, v in data.items() if k != "_links")
            )
            assert page.status == 200
        assert len(items) == record.objects
        assert all(isinstance(item, dict) and "id" in item for item in items)


def test_lists_are_read_with_the_largest_page_okta_allows(tenancy: Tenancy) -> None:
    tenancy.connect()
    snapshot_id = tenancy.capture()
    first = {
        name: tenancy.reader.pages(snapshot_id, name)[0].request
        for name in ("users", "groups", "apps", "group_rules", "trusted_origins")
    }

    assert first["users"] == "/api/v1/users?limit=200"
    assert first["groups"] == "/api/v1/groups?limit=10000"
    assert first["apps"] == "/api/v1/apps?limit=200"
    assert first["group_rules"] == "/api/v1/groups/rules?limit=200"
    assert first["trusted_origins"] == "/api/v1/trustedOrigins?limit=200"
    users = tenancy.reader.pages(snapshot_id, "users")
    assert len(users) == 2  # 283 listed users: 200, then 83
    assert users[0].next_request == users[1].request


def test_a_verify_and_a_snapshot_send_only_gets_and_token_posts(
    tenancy: Tenancy,
) -> None:
    tenancy.connect()
    before = len(tenancy.okta.requests)
    result = asyncio.run(
        verify_tenant(
            tenancy.store,
            tenancy.settings,
            tenancy.subdomain,
            clock=clock_of(tenancy.okta),
            signer=tenancy.signer,
        )
    )
    tenancy.capture()
    sent = tenancy.okta.requests[before:]

    assert result.passed
    assert {(r.method, r.path) for r in sent if r.method != "GET"} == {
        ("POST", "/oauth2/v1/token")
    }
    assert sum(r.method == "GET" for r in sent) > 400


def test_evidence_verify_passes_on_a_captured_snapshot(tenancy: Tenancy) -> None:
    tenancy.connect()
    snapshot_id = tenancy.capture()

    report = verify_snapshot(
        tenancy.store, open_evidence_store(tenancy.settings), snapshot_id
    )

    assert report.ok, report.problems


def test_log_slices_are_bounded_and_filtered_to_security_events(
    tenancy: Tenancy,
) -> None:
    tenancy.connect()
    snapshot_id = tenancy.capture(CaptureOptions(window_days=30))
    with tenancy.store.session() as session:
        options = dict(session.get_one(Snapshot, snapshot_id).options)
    log_names = sorted(
        n for n in tenancy.collections(snapshot_id) if n.startswith("logs:")
    )

    assert log_names[0] == f"logs:{options['log_since']}"
    for name in log_names:
        for page in tenancy.reader.pages(snapshot_id, name):
            assert "until=" in page.request
            assert "filter=eventType" in page.request
    assert options["log_event_types"]


def test_privileged_factors_read_only_role_holders_and_role_group_members(
    tenancy: Tenancy,
) -> None:
    tenancy.connect()
    snapshot_id = tenancy.capture(CaptureOptions(window_days=7, factors="privileged"))
    org = tenancy.okta.org
    holders = set(org.role_assignee_user_ids)
    for group in org.groups:
        if org.group_roles(group["id"]):
            holders.update(org.group_member_ids(group["id"]))

    read = {
        n.partition(":")[2]
        for n in tenancy.collections(snapshot_id)
        if n.startswith("user_factors:")
    }
    assert read == holders
    assert 0 < len(read) < len(org.users)
    with tenancy.store.session() as session:
        states = session.scalars(select(Snapshot.state)).all()
    assert states == ["complete"]


def test_factor_reads_start_while_the_user_list_still_pages(tenancy: Tenancy) -> None:
    # 300 users are two pages of 200; the first page's users are handed on as
    # soon as it is stored, so reading their factors starts before the list ends.
    tenancy.connect()
    snapshot_id = tenancy.capture(CaptureOptions(window_days=7))

    collections = tenancy.collections(snapshot_id)
    users = collections["users"]
    factors = [c for n, c in collections.items() if n.startswith("user_factors:")]
    assert users.pages == 2
    assert users.finished_at is not None
    assert len(factors) == users.objects
    assert min(c.started_at for c in factors) < users.finished_at
