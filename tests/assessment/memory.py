"""A small in-memory SnapshotData built from a simulator org, for assessment tests.

It holds what a capture of the simulator followed by the normaliser would hold:
one resource per object the read API returns, keyed by kind and parent id, each
with a made-up evidence reference naming its collection. Tests edit the objects
(:meth:`MemorySnapshot.edit`) to build passing and failing states, and mark a
kind as not collected (:meth:`MemorySnapshot.fall_short`) to exercise the
not-assessed path.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from typing import Any, Literal

from atomation.simulator.generator import generate_org
from atomation.simulator.org import Org
from atomation.snapshot.data import (
    FAMILIES,
    Coverage,
    EvidenceRef,
    Kind,
    Resource,
    Shortfall,
    SnapshotInfo,
)

Profile = Literal["typical", "hardened"]
NOW = datetime(2026, 12, 1, 12, 0, tzinfo=UTC)
BASE_URL = "http://127.0.0.1:9"
WINDOW = timedelta(days=90)

_FAMILY_OF_KIND = {family.kind: family for family in FAMILIES.values()}


def _ref(kind: Kind, key: str | None, sequence: int = 0) -> EvidenceRef:
    family = _FAMILY_OF_KIND[kind]
    collection = family.collection(key)
    request = family.request_path(key) if key or "{" not in family.path else family.path
    digest = hashlib.sha256(f"{collection}#{sequence}".encode()).hexdigest()
    return EvidenceRef(collection, sequence, request, digest)


class MemorySnapshot:
    """SnapshotData over plain lists; ``rows[kind]`` holds (parent id, id, data)."""

    def __init__(self, info: SnapshotInfo) -> None:
        self._info = info
        self.rows: dict[Kind, list[tuple[str | None, str, dict[str, Any]]]] = {}
        self.shortfalls: dict[Kind, list[Shortfall]] = {}

    # Building -----------------------------------------------------------------
    def add(
        self, kind: Kind, data: Mapping[str, Any], *, parent_id: str | None = None
    ) -> None:
        object_id = str(data.get("uuid") or data.get("id") or data.get("label"))
        self.rows.setdefault(kind, []).append((parent_id, object_id, dict(data)))

    def edit(self, kind: Kind, object_id: str) -> dict[str, Any]:
        """The stored object, to change in place."""
        for _parent, found, data in self.rows.get(kind, []):
            if found == object_id:
                return data
        raise KeyError(f"{kind} {object_id}")

    def remove(self, kind: Kind, object_id: str) -> None:
        self.rows[kind] = [r for r in self.rows.get(kind, []) if r[1] != object_id]

    def fall_short(
        self, kind: Kind, reason: str = "scope okta.policies.read was not granted"
    ) -> None:
        family = _FAMILY_OF_KIND[kind]
        self.shortfalls.setdefault(kind, []).append(
            Shortfall(family.name, "not_collected", reason)
        )

    def short_of(self, kind: Kind, reason: str) -> MemorySnapshot:
        """A view sharing these objects in which ``kind`` was not collected."""
        view = MemorySnapshot(self._info)
        view.rows = self.rows
        view.shortfalls = {k: list(v) for k, v in self.shortfalls.items()}
        view.fall_short(kind, reason)
        return view

    def set_info(self, **changes: Any) -> None:
        self._info = replace(self._info, **changes)

    # SnapshotData -------------------------------------------------------------
    @property
    def info(self) -> SnapshotInfo:
        return self._info

    def coverage(self, kind: Kind) -> Coverage:
        return Coverage(kind, tuple(self.shortfalls.get(kind, ())))

    def _resource(
        self, kind: Kind, row: tuple[str | None, str, dict[str, Any]]
    ) -> Resource:
        parent_id, object_id, data = row
        key = parent_id if _FAMILY_OF_KIND[kind].parent else None
        if kind == "policy":
            key = data["type"]
        return Resource(kind, object_id, parent_id, data, _ref(kind, key))

    def resources(
        self, kind: Kind, *, parent_id: str | None = None
    ) -> Iterator[Resource]:
        for row in self.rows.get(kind, []):
            if parent_id is None or row[0] == parent_id:
                yield self._resource(kind, row)

    def resource(self, kind: Kind, id: str) -> Resource | None:
        for row in self.rows.get(kind, []):
            if row[1] == id:
                return self._resource(kind, row)
        return None

    def count(self, kind: Kind, *, parent_id: str | None = None) -> int:
        return sum(1 for _ in self.resources(kind, parent_id=parent_id))

    def log_events(
        self,
        event_types: Sequence[str] | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Iterator[Resource]:
        wanted = None if event_types is None else set(event_types)
        rows = sorted(self.rows.get("log_event", []), key=lambda r: r[2]["published"])
        for row in rows:
            data = row[2]
            if wanted is not None and data["eventType"] not in wanted:
                continue
            stamp = datetime.fromisoformat(data["published"].replace("Z", "+00:00"))
            if since is not None and stamp < since:
                continue
            if until is not None and stamp >= until:
                continue
            yield self._resource("log_event", row)

    def log_event_counts(self, event_types: Sequence[str]) -> Mapping[str, int]:
        counts = dict.fromkeys(event_types, 0)
        for _parent, _id, data in self.rows.get("log_event", []):
            if data["eventType"] in counts:
                counts[data["eventType"]] += 1
        return counts


def snapshot_of(
    org: Org,
    *,
    factors_for: Literal["all", "privileged"] = "all",
    now: datetime = NOW,
) -> MemorySnapshot:
    """Everything the read API would return for ``org``, as a MemorySnapshot."""
    snapshot = MemorySnapshot(
        SnapshotInfo(
            snapshot_id="snap-memory",
            tenant_id="tenant-memory",
            org_url=BASE_URL,
            captured_at=now,
            log_since=now - WINDOW,
            log_until=now,
            log_event_types=None,
            factors_for=factors_for,
        )
    )
    add = snapshot.add
    assignees = set(org.role_assignee_user_ids)
    for user in org.users:
        add("user", user)
        if factors_for == "all" or user["id"] in assignees:
            for factor in org.user_factors(user["id"]):
                add("user_factor", factor, parent_id=user["id"])
    for user_id in org.role_assignee_user_ids:
        add("role_assignee", {"id": user_id})
        for role in org.user_roles(user_id):
            add("user_role", role, parent_id=user_id)
    for group in org.groups:
        add("group", group)
        for member_id in org.group_member_ids(group["id"]):
            add("group_member", {"id": member_id}, parent_id=group["id"])
        for role in org.group_roles(group["id"]):
            add("group_role", role, parent_id=group["id"])
    for rule in org.group_rules:
        add("group_rule", rule)
    for app in org.apps:
        add("app", app)
        for assignment in org.app_users(app["id"]):
            add("app_user", assignment, parent_id=app["id"])
        for assignment in org.app_groups(app["id"]):
            add("app_group", assignment, parent_id=app["id"])
        client_id = app.get("credentials", {}).get("oauthClient", {}).get("client_id")
        if client_id:
            for role in org.client_roles.get(client_id, []):
                add("client_role", role, parent_id=client_id)
    for policy_type in (
        "OKTA_SIGN_ON",
        "PASSWORD",
        "MFA_ENROLL",
        "ACCESS_POLICY",
        "PROFILE_ENROLLMENT",
        "IDP_DISCOVERY",
        "POST_AUTH_SESSION",
        "ENTITY_RISK",
    ):
        for policy in org.policies(policy_type):
            add("policy", policy)
            for rule in org.policy_rules(policy["id"]):
                add("policy_rule", rule, parent_id=policy["id"])
            for mapping in org.policy_mappings(policy["id"]):
                add("policy_mapping", mapping, parent_id=policy["id"])
    for zone in org.zones:
        add("zone", zone)
    for origin in org.trusted_origins:
        add("trusted_origin", origin)
    for role in org.custom_roles:
        add("iam_role", role)
        for permission in org.role_permissions(role["id"]):
            add("iam_role_permission", {"label": permission}, parent_id=role["id"])
    for resource_set in org.resource_sets:
        add("resource_set", resource_set)
    for server in org.authorization_servers:
        add("authorization_server", server)
        for policy in org.as_policies(server["id"]):
            add("authz_policy", policy, parent_id=server["id"])
            for rule in org.as_policy_rules(server["id"], policy["id"]):
                add("authz_policy_rule", rule, parent_id=policy["id"])
        for scope in org.as_scopes(server["id"]):
            add("authz_scope", scope, parent_id=server["id"])
        for claim in org.as_claims(server["id"]):
            add("authz_claim", claim, parent_id=server["id"])
    for idp in org.idps:
        add("idp", idp)
    for event in org.log.events(since=now - WINDOW, until=now):
        add("log_event", event)
    return snapshot


_CACHE: dict[tuple[Profile, int], MemorySnapshot] = {}


def org_snapshot(profile: Profile, users: int = 200) -> MemorySnapshot:
    """A fresh copy of the snapshot of a generated org (built once per profile)."""
    key = (profile, users)
    if key not in _CACHE:
        org = generate_org(
            seed=7, users=users, profile=profile, base_url=BASE_URL, now=NOW
        )
        _CACHE[key] = snapshot_of(org)
    return copy.deepcopy(_CACHE[key])


def org_of(profile: Profile, users: int = 200) -> Org:
    return generate_org(
        seed=7, users=users, profile=profile, base_url=BASE_URL, now=NOW
    )
