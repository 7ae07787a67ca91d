"""Normalising evidence read from a simulated org: rows, parents, evidence, coverage."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import replace
from typing import Any

import pytest
from sqlalchemy import select

from atomation.settings import Settings
from atomation.snapshot.data import Kind, SnapshotData
from atomation.snapshot.evidence import EvidenceReader, EvidenceStore, EvidenceWriter
from atomation.snapshot.normalise import (
    NotNormalised,
    PageCorrupted,
    SnapshotLogEvent,
    SnapshotResource,
    SnapshotShortfall,
    UnexpectedCollection,
    UnexpectedPage,
    normalise_snapshot,
    open_snapshot_data,
)
from atomation.store import Store
from tests.snapshot.normalise.conftest import Org
from tests.snapshot.normalise.reading import (
    RecordedCollection,
    left_out,
    not_collected,
    partial,
    write_snapshot,
)


def normalised(
    store: Store,
    settings: Settings,
    writer: EvidenceWriter,
    tenant_id: str,
    org: Org,
    **changes: Any,
) -> SnapshotData:
    snapshot_id = write_snapshot(
        writer, tenant_id, org.options, org.collections, changes or None
    )
    normalise_snapshot(store, settings, snapshot_id)
    return open_snapshot_data(store, snapshot_id)


def expected_counts(org: Org) -> dict[Kind, int]:
    """What the simulator's read model holds, kind by kind."""
    model = org.server.org
    users = list(model.users)
    apps = model.apps
    policies = [p for t in model._policies.by_type.values() for p in t]
    servers = model.authorization_servers
    as_policies = [(s["id"], p) for s in servers for p in model.as_policies(s["id"])]
    events = list(
        model.log.events(since=org.slices[0].since, until=org.slices[-1].until)
    )
    return {
        "user": len(users),
        "user_factor": sum(
            len(model.user_factors(u["id"]))
            for u in users
            if u["status"] != "DEPROVISIONED"
        ),
        "role_assignee": len(model.role_assignee_user_ids),
        "user_role": sum(
            len(model.user_roles(u)) for u in model.role_assignee_user_ids
        ),
        "group": len(model.groups),
        "group_member": sum(len(model.group_member_ids(g["id"])) for g in model.groups),
        "group_role": sum(len(model.group_roles(g["id"])) for g in model.groups),
        "group_rule": len(model.group_rules),
        "app": len(apps),
        "app_user": sum(len(model.app_users(a["id"])) for a in apps),
        "app_group": sum(len(model.app_groups(a["id"])) for a in apps),
        "client_role": sum(len(r) for r in model.client_roles.values()),
        "policy": len(policies),
        "policy_rule": sum(len(model.policy_rules(p["id"])) for p in policies),
        "policy_mapping": sum(len(model.policy_mappings(p["id"])) for p in policies),
        "zone": len(model.zones),
        "trusted_origin": len(model.trusted_origins),
        "iam_role": len(model.custom_roles),
        "iam_role_permission": sum(
            len(model.role_permissions(r["id"])) for r in model.custom_roles
        ),
        "resource_set": len(model.resource_sets),
        "authorization_server": len(servers),
        "authz_policy": len(as_policies),
        "authz_policy_rule": sum(
            len(model.as_policy_rules(s, p["id"])) for s, p in as_policies
        ),
        "authz_scope": sum(len(model.as_scopes(s["id"])) for s in servers),
        "authz_claim": sum(len(model.as_claims(s["id"])) for s in servers),
        "idp": len(model.idps),
        "log_event": len(events),
    }


def test_counts_per_kind_equal_the_simulated_org(
    store: Store,
    store_settings: Settings,
    writer: EvidenceWriter,
    tenant_id: str,
    org: Org,
) -> None:
    data = normalised(store, store_settings, writer, tenant_id, org)

    expected = expected_counts(org)
    assert {kind: data.count(kind) for kind in expected} == expected
    assert all(expected[k] > 0 for k in ("user", "user_factor", "log_event"))
    assert {k: c for k, c in expected.items() if c == 0} == {}
    statuses = Counter(r.data["status"] for r in data.resources("user"))
    assert statuses["DEPROVISIONED"] == org.server.org.counts()["users.DEPROVISIONED"]
    assert [k for k in expected if not data.coverage(k).complete] == []


def test_children_carry_their_parent_id_in_okta_order(
    store: Store,
    store_settings: Settings,
    writer: EvidenceWriter,
    tenant_id: str,
    org: Org,
) -> None:
    data = normalised(store, store_settings, writer, tenant_id, org)
    model = org.server.org

    for policy in data.resources("policy"):
        rules = [r.id for r in data.resources("policy_rule", parent_id=policy.id)]
        assert rules == [r["id"] for r in model.policy_rules(policy.id)]
    for group in model.groups:
        members = [m.id for m in data.resources("group_member", parent_id=group["id"])]
        assert members == list(model.group_member_ids(group["id"]))
        assert data.count("group_member", parent_id=group["id"]) == len(members)
    for rule in data.resources("authz_policy_rule"):
        server_policy = data.resource("authz_policy", rule.parent_id or "")
        assert server_policy is not None
        assert server_policy.parent_id is not None
        assert rule.data in model.as_policy_rules(
            server_policy.parent_id, server_policy.id
        )
    parents = [r.parent_id or "" for r in data.resources("user_factor")]
    assert parents == sorted(parents)
    assert data.resource("user", "no-such-user") is None


def test_evidence_points_at_the_page_that_holds_the_object(
    store: Store,
    store_settings: Settings,
    writer: EvidenceWriter,
    tenant_id: str,
    org: Org,
    evidence: EvidenceStore,
) -> None:
    data = normalised(store, store_settings, writer, tenant_id, org)
    reader = EvidenceReader(store, evidence)

    for kind in ("user", "group_member", "policy_rule", "iam_role_permission"):
        for resource in data.resources(kind):
            ref = resource.evidence
            (page,) = [
                p
                for p in reader.pages(data.info.snapshot_id, ref.collection)
                if p.sequence == ref.sequence
            ]
            assert (page.request, page.sha256) == (ref.request, ref.sha256)
            body = json.loads(evidence.get(ref.sha256))
            items = body if isinstance(body, list) else body["permissions"]
            assert dict(resource.data) in items
    event = next(data.log_events())
    assert event.evidence.collection.startswith("logs:")
    assert dict(event.data) in json.loads(evidence.get(event.evidence.sha256))


def test_log_events_by_type_and_time_come_oldest_first(
    store: Store,
    store_settings: Settings,
    writer: EvidenceWriter,
    tenant_id: str,
    org: Org,
) -> None:
    data = normalised(store, store_settings, writer, tenant_id, org)
    everything = list(
        org.server.org.log.events(since=org.slices[0].since, until=org.slices[-1].until)
    )
    types = Counter(e["eventType"] for e in everything)
    wanted = [t for t, _n in types.most_common(3)]
    since, until = org.slices[1].since, org.slices[1].until

    found = list(data.log_events(wanted, since=since, until=until))

    assert [e.id for e in found] == [
        e["uuid"]
        for e in everything
        if e["eventType"] in wanted
        and since.isoformat() <= _utc(e["published"]) < until.isoformat()
    ]
    assert len(found) > 0
    counts = data.log_event_counts([*wanted, "no.such.event"])
    assert counts == {**{t: types[t] for t in wanted}, "no.such.event": 0}
    assert data.info.log_since == org.slices[0].since
    assert data.info.factors_for == "all"


def _utc(published: str) -> str:
    from datetime import datetime

    return datetime.fromisoformat(published).isoformat()


def test_shortfalls_name_the_collection_and_the_reason(
    store: Store,
    store_settings: Settings,
    writer: EvidenceWriter,
    tenant_id: str,
    org: Org,
) -> None:
    model = org.server.org
    group_id = model.groups[0]["id"]
    user_id = next(u["id"] for u in model.users if u["status"] == "ACTIVE")
    log_slice = f"logs:{org.slices[0].key}"
    data = normalised(
        store,
        store_settings,
        writer,
        tenant_id,
        org,
        **{
            log_slice: not_collected("okta.logs.read scope"),
            f"group_members:{group_id}": partial("HTTP 500 after retries"),
            f"user_factors:{user_id}": left_out,
            "zones": left_out,
        },
    )

    (logs,) = data.coverage("log_event").shortfalls
    assert (logs.collection, logs.completeness) == (log_slice, "not_collected")
    assert "okta.logs.read scope" in logs.reason
    (members,) = data.coverage("group_member").shortfalls
    assert members.completeness == "partial"
    assert "HTTP 500 after retries" in members.reason
    (factors,) = data.coverage("user_factor").shortfalls
    assert (factors.collection, factors.completeness) == (
        f"user_factors:{user_id}",
        "missing",
    )
    assert f"/api/v1/users/{user_id}/factors" in factors.reason
    (zones,) = data.coverage("zone").shortfalls
    assert (zones.collection, zones.completeness) == ("zones", "missing")
    assert data.coverage("user").complete
    assert data.count("zone") == 0


def test_privileged_factors_expect_only_admins_and_role_group_members(
    store: Store,
    store_settings: Settings,
    writer: EvidenceWriter,
    tenant_id: str,
    org: Org,
) -> None:
    model = org.server.org
    privileged = set(model.role_assignee_user_ids)
    for group in model.groups:
        if model.group_roles(group["id"]):
            privileged.update(model.group_member_ids(group["id"]))
    unread = {
        f"user_factors:{u['id']}": left_out
        for u in model.users
        if u["id"] not in privileged
    }
    options = {**org.options, "factors_for": "privileged"}

    def build(**more: Any) -> SnapshotData:
        snapshot_id = write_snapshot(
            writer, tenant_id, options, org.collections, {**unread, **more}
        )
        normalise_snapshot(store, store_settings, snapshot_id)
        return open_snapshot_data(store, snapshot_id)

    assert unread
    data = build()
    assert data.info.factors_for == "privileged"
    assert data.coverage("user_factor").complete
    assert {r.parent_id for r in data.resources("user_factor")} <= privileged

    admin = sorted(privileged)[0]
    (missing,) = (
        build(**{f"user_factors:{admin}": left_out}).coverage("user_factor").shortfalls
    )
    assert (missing.collection, missing.completeness) == (
        f"user_factors:{admin}",
        "missing",
    )


def test_an_incomplete_parent_makes_its_children_incomplete(
    store: Store,
    store_settings: Settings,
    writer: EvidenceWriter,
    tenant_id: str,
    org: Org,
) -> None:
    data = normalised(
        store,
        store_settings,
        writer,
        tenant_id,
        org,
        groups=partial("connection dropped", pages=0),
    )

    for kind in ("group", "group_member", "group_role"):
        shortfalls = data.coverage(kind).shortfalls
        assert [(s.collection, s.completeness) for s in shortfalls] == [
            ("groups", "partial")
        ], kind
    assert data.coverage("group_rule").complete


def test_rebuild_gives_identical_rows(
    store: Store,
    store_settings: Settings,
    writer: EvidenceWriter,
    tenant_id: str,
    org: Org,
) -> None:
    snapshot_id = write_snapshot(
        writer,
        tenant_id,
        org.options,
        org.collections,
        {"zones": not_collected("okta.networkZones.read scope")},
    )
    first = normalise_snapshot(store, store_settings, snapshot_id)
    before = _rows(store, snapshot_id)

    again = normalise_snapshot(store, store_settings, snapshot_id)

    assert _rows(store, snapshot_id) == before
    assert again.rows == first.rows
    assert sum(len(rows) for rows in before.values()) > 1000


def _rows(store: Store, snapshot_id: str) -> dict[str, list[tuple[Any, ...]]]:
    tables = (SnapshotResource, SnapshotLogEvent, SnapshotShortfall)
    with store.engine.connect() as connection:
        return {
            t.__tablename__: sorted(
                tuple(json.dumps(v, sort_keys=True, default=str) for v in row)
                for row in connection.execute(
                    select(t.__table__).where(t.__table__.c.snapshot_id == snapshot_id)
                )
            )
            for t in tables
        }


def test_a_tampered_page_fails_the_build_naming_it_and_keeps_the_tables(
    store: Store,
    store_settings: Settings,
    writer: EvidenceWriter,
    tenant_id: str,
    org: Org,
    evidence: EvidenceStore,
) -> None:
    data = normalised(store, store_settings, writer, tenant_id, org)
    users_before = data.count("user")
    victim = next(iter(data.resources("group_rule"))).evidence
    path = evidence.backend.path(victim.sha256)  # type: ignore[attr-defined]
    path.chmod(0o600)
    import gzip

    body = gzip.decompress(path.read_bytes()).replace(b'"id"', b'"iD"', 1)
    path.write_bytes(gzip.compress(body, mtime=0))

    with pytest.raises(PageCorrupted) as raised:
        normalise_snapshot(store, store_settings, data.info.snapshot_id)

    assert f"{victim.collection}#{victim.sequence}" in raised.value.message
    assert victim.sha256 in raised.value.message
    assert (
        open_snapshot_data(store, data.info.snapshot_id).count("user") == users_before
    )


def test_a_body_of_the_wrong_shape_fails_the_build_naming_the_page(
    store: Store,
    store_settings: Settings,
    writer: EvidenceWriter,
    tenant_id: str,
    org: Org,
) -> None:
    zones = next(c for c in org.collections if c.name == "zones")
    page = zones.pages[0]
    wrong = RecordedCollection(
        "zones",
        (type(page)(page.request, None, page.fetched_at, 200, {}, b'{"id":"nzo1"}'),),
        1,
    )
    snapshot_id = write_snapshot(writer, tenant_id, org.options, [wrong])

    with pytest.raises(UnexpectedPage) as raised:
        normalise_snapshot(store, store_settings, snapshot_id)

    assert f"zones#1 {page.request}" in raised.value.message
    with pytest.raises(NotNormalised):
        open_snapshot_data(store, snapshot_id)


def test_a_collection_of_no_known_family_fails_the_build_naming_it(
    store: Store,
    store_settings: Settings,
    writer: EvidenceWriter,
    tenant_id: str,
    org: Org,
) -> None:
    zones = next(c for c in org.collections if c.name == "zones")
    snapshot_id = write_snapshot(
        writer, tenant_id, org.options, [zones, replace(zones, name="org_settings")]
    )

    with pytest.raises(UnexpectedCollection) as raised:
        normalise_snapshot(store, store_settings, snapshot_id)

    assert "org_settings" in raised.value.message


def test_reading_a_snapshot_never_normalised_says_to_rebuild(
    store: Store, writer: EvidenceWriter, tenant_id: str, org: Org
) -> None:
    snapshot_id = write_snapshot(writer, tenant_id, org.options, [], seal=False)

    with pytest.raises(NotNormalised) as raised:
        open_snapshot_data(store, snapshot_id)

    assert raised.value.hint is not None
    assert f"atomation snapshot rebuild {snapshot_id}" in raised.value.hint
