"""Which collections each kind needed, and which of them fell short.

A kind is covered when every collection of its family has the verdict
``complete`` and none that should exist is absent. What should exist:

- a plain list: its one collection (``users`` also needs ``users:deprovisioned``,
  since Okta's user list leaves deprovisioned users out unless asked for them,
  okta-api.md §3.5; ``policies`` needs one collection per type of
  :data:`~atomation.snapshot.data.POLICY_TYPES`; ``logs`` at least one slice);
- a fan-out family: one collection per *expected parent* (:data:`EXPECTED`), and
  its parents' own kind covered, since the children of an unread parent are
  unknown. A parent with no collection record is ``missing``.

The capture reads what these rules expect; a rule here and a capture that reads
less show up as ``missing`` shortfalls, never as silently complete data.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, Select, select

from atomation.snapshot.data import FAMILIES, POLICY_TYPES, Family, Kind, Shortfall
from atomation.snapshot.evidence import CollectionRecord, Completeness
from atomation.snapshot.normalise.errors import UnexpectedCollection
from atomation.snapshot.normalise.options import CaptureOptions
from atomation.snapshot.normalise.tables import SnapshotResource
from atomation.store import EvidenceCollection

__all__ = ["EXPECTED", "Expected", "Verdicts", "find_shortfalls", "read_verdicts"]

_resources = SnapshotResource.__table__
_collections = EvidenceCollection.__table__
# Verdict rows fetched per round trip: a 100,000-user snapshot has as many
# collections, which are streamed rather than loaded as ORM objects.
VERDICTS_PER_FETCH = 5_000


def _streamed(connection: Connection, query: Select[Any]) -> Iterator[Any]:
    """Rows fetched a batch at a time (a server-side cursor on PostgreSQL).

    The option goes on the statement, not the connection, which the build goes
    on writing through.
    """
    return iter(
        connection.execute(
            query.execution_options(stream_results=True, yield_per=VERDICTS_PER_FETCH)
        )
    )


@dataclass(frozen=True)
class Verdicts:
    """A snapshot's collections: every name by family, and those not complete.

    Only the names of complete collections are kept (they are most of them),
    so that 100,000 per-user collections cost a set of strings, not records.
    """

    names: Mapping[str, set[str]]
    short: Mapping[str, list[CollectionRecord]]

    def skipped(self) -> set[str]:
        """Collections whose pages hold nothing to normalise (failed, not read)."""
        return {
            record.name
            for records in self.short.values()
            for record in records
            if record.completeness in (Completeness.FAILED, Completeness.NOT_COLLECTED)
        }


def read_verdicts(connection: Connection, snapshot_id: str) -> Verdicts:
    """Stream the snapshot's collection records into :class:`Verdicts`.

    A collection of no known family is an :class:`UnexpectedCollection`.
    """
    names: dict[str, set[str]] = {name: set() for name in FAMILIES}
    short: dict[str, list[CollectionRecord]] = {name: [] for name in FAMILIES}
    c = _collections.c
    rows = _streamed(
        connection,
        select(
            c.name,
            c.completeness,
            c.error,
            c.retries,
            c.missing,
            c.page_count,
            c.object_count,
            c.started_at,
            c.finished_at,
        ).where(c.snapshot_id == snapshot_id),
    )
    for row in rows:
        family = row.name.partition(":")[0]
        if family not in FAMILIES:
            raise UnexpectedCollection(
                f"collection {row.name} of snapshot {snapshot_id} belongs to no "
                "known collection family",
                hint="This Atomation release cannot normalise it; upgrade "
                "Atomation, then rebuild the snapshot.",
            )
        names[family].add(row.name)
        if row.completeness != Completeness.COMPLETE.value:
            short[family].append(
                CollectionRecord(
                    name=row.name,
                    completeness=None
                    if row.completeness is None
                    else Completeness(row.completeness),
                    error=row.error,
                    retries=row.retries,
                    missing=row.missing,
                    pages=row.page_count,
                    objects=row.object_count,
                    started_at=row.started_at,
                    finished_at=row.finished_at,
                )
            )
    return Verdicts(names, short)


@dataclass(frozen=True)
class Expected:
    """The collection keys a fan-out family should have, and what they rest on."""

    depends_on: Callable[[CaptureOptions], tuple[Kind, ...]]
    """Kinds whose shortfalls make this family's expectations unknown."""
    keys: Callable[[Connection, str, CaptureOptions], Iterable[str]]
    rule: str
    """The rule in words, for the docs and for a missing shortfall's reason."""


def _ids(connection: Connection, snapshot_id: str, kind: str) -> Iterator[str]:
    rows = _streamed(
        connection,
        select(_resources.c.object_id).where(
            _resources.c.snapshot_id == snapshot_id, _resources.c.kind == kind
        ),
    )
    for (object_id,) in rows:
        yield str(object_id)


def _pairs(
    connection: Connection, snapshot_id: str, kind: str
) -> Iterator[tuple[str, str | None]]:
    rows = _streamed(
        connection,
        select(_resources.c.object_id, _resources.c.parent_id).where(
            _resources.c.snapshot_id == snapshot_id, _resources.c.kind == kind
        ),
    )
    for object_id, parent_id in rows:
        yield str(object_id), parent_id


def _data(
    connection: Connection, snapshot_id: str, kind: str
) -> Iterator[tuple[str, str | None, dict[str, Any]]]:
    rows = _streamed(
        connection,
        select(_resources.c.object_id, _resources.c.parent_id, _resources.c.data).where(
            _resources.c.snapshot_id == snapshot_id, _resources.c.kind == kind
        ),
    )
    for object_id, parent_id, data in rows:
        yield object_id, parent_id, data if isinstance(data, dict) else json.loads(data)


def _on(*kinds: Kind) -> Callable[[CaptureOptions], tuple[Kind, ...]]:
    return lambda _options: kinds


def _factor_dependencies(options: CaptureOptions) -> tuple[Kind, ...]:
    if options.factors_for == "all":
        return ("user",)
    return ("role_assignee", "group_role", "group_member")


def _every(kind: Kind) -> Callable[[Connection, str, CaptureOptions], Iterable[str]]:
    def keys(connection: Connection, snapshot_id: str, _o: CaptureOptions) -> Any:
        return _ids(connection, snapshot_id, kind)

    return keys


def _factor_users(
    connection: Connection, snapshot_id: str, options: CaptureOptions
) -> Iterable[str]:
    if options.factors_for == "all":
        return (
            user_id
            for user_id, _p, user in _data(connection, snapshot_id, "user")
            if user.get("status") != "DEPROVISIONED"
        )
    privileged = set(_ids(connection, snapshot_id, "role_assignee"))
    role_groups = {
        parent
        for _i, parent in _pairs(connection, snapshot_id, "group_role")
        if parent is not None
    }
    for member_id, group_id in _pairs(connection, snapshot_id, "group_member"):
        if group_id in role_groups:
            privileged.add(member_id)
    return privileged


def _service_clients(
    connection: Connection, snapshot_id: str, _o: CaptureOptions
) -> Iterable[str]:
    for _app_id, _p, app in _data(connection, snapshot_id, "app"):
        settings = (app.get("settings") or {}).get("oauthClient") or {}
        if settings.get("application_type") != "service":
            continue
        credentials = (app.get("credentials") or {}).get("oauthClient") or {}
        if credentials.get("client_id"):
            yield str(credentials["client_id"])


def _access_policies(
    connection: Connection, snapshot_id: str, _o: CaptureOptions
) -> Iterable[str]:
    for policy_id, _p, policy in _data(connection, snapshot_id, "policy"):
        if policy.get("type") == "ACCESS_POLICY":
            yield policy_id


def _server_policies(
    connection: Connection, snapshot_id: str, _o: CaptureOptions
) -> Iterable[str]:
    for policy_id, server_id in _pairs(connection, snapshot_id, "authz_policy"):
        yield f"{server_id}/{policy_id}"


EXPECTED: Mapping[str, Expected] = {
    "user_factors": Expected(
        _factor_dependencies,
        _factor_users,
        "every user not DEPROVISIONED (factors_for=all), or every role assignee "
        "and member of a group holding a role (factors_for=privileged)",
    ),
    "user_roles": Expected(
        _on("role_assignee"), _every("role_assignee"), "every role assignee"
    ),
    "group_members": Expected(_on("group"), _every("group"), "every group"),
    "group_roles": Expected(_on("group"), _every("group"), "every group"),
    "app_users": Expected(_on("app"), _every("app"), "every app"),
    "app_groups": Expected(_on("app"), _every("app"), "every app"),
    "client_roles": Expected(
        _on("app"),
        _service_clients,
        "every service app (settings.oauthClient.application_type service) "
        "by its credentials.oauthClient.client_id",
    ),
    "policy_rules": Expected(_on("policy"), _every("policy"), "every policy"),
    # Apps are mapped to their authentication policy (type ACCESS_POLICY), which
    # /policies/{id}/mappings looks up in reverse (okta-api.md §7); the capture
    # reads mappings for those policies only.
    "policy_mappings": Expected(
        _on("policy"), _access_policies, "every ACCESS_POLICY policy"
    ),
    "iam_role_permissions": Expected(
        _on("iam_role"), _every("iam_role"), "every custom admin role"
    ),
    "authz_policies": Expected(
        _on("authorization_server"),
        _every("authorization_server"),
        "every authorization server",
    ),
    "authz_policy_rules": Expected(
        _on("authz_policy"), _server_policies, "every authorization server policy"
    ),
    "authz_scopes": Expected(
        _on("authorization_server"),
        _every("authorization_server"),
        "every authorization server",
    ),
    "authz_claims": Expected(
        _on("authorization_server"),
        _every("authorization_server"),
        "every authorization server",
    ),
}

# Keys every snapshot needs for a keyed family that has no parent; ``logs`` needs
# at least one slice, whatever its key.
_REQUIRED_KEYS: Mapping[str, tuple[str | None, ...]] = {
    "users": (None, "deprovisioned"),
    "policies": POLICY_TYPES,
}


def find_shortfalls(
    connection: Connection,
    snapshot_id: str,
    verdicts: Verdicts,
    options: CaptureOptions,
) -> dict[Kind, list[Shortfall]]:
    """Every kind's shortfalls, from the verdicts and the rows already built."""
    found: dict[Kind, list[Shortfall]] = {}

    def shortfalls_of(family: Family) -> list[Shortfall]:
        if family.kind in found:
            return found[family.kind]
        recorded = verdicts.names[family.name]
        result = [_verdict_shortfall(r) for r in verdicts.short[family.name]]
        expected = EXPECTED.get(family.name)
        if expected is not None:
            for kind in expected.depends_on(options):
                for upstream in shortfalls_of(_family_of_kind(kind)):
                    result.append(
                        Shortfall(
                            upstream.collection,
                            upstream.completeness,
                            f"the {kind} objects this depends on were not all "
                            f"read: {upstream.reason}",
                        )
                    )
            keys = set(expected.keys(connection, snapshot_id, options))
            for key in sorted(keys):
                if family.collection(key) not in recorded:
                    result.append(_missing(family, key, expected.rule))
        elif family.name == "logs":
            if not recorded:
                result.append(_missing(family, None, "at least one log slice"))
        else:
            for required in _REQUIRED_KEYS.get(family.name, (None,)):
                if family.collection(required) not in recorded:
                    result.append(_missing(family, required, "always read"))
        found[family.kind] = sorted(result, key=lambda s: s.collection)
        return found[family.kind]

    for family in FAMILIES.values():
        shortfalls_of(family)
    return found


def _verdict_shortfall(record: CollectionRecord) -> Shortfall:
    if record.completeness is None:
        return Shortfall(
            record.name,
            Completeness.PARTIAL.value,
            "still open: the capture had not given it a verdict",
        )
    if record.completeness is Completeness.NOT_COLLECTED:
        return Shortfall(
            record.name,
            record.completeness.value,
            f"not collected: {record.missing or 'no scope or role was recorded'}",
        )
    parts = [record.error or "no error was recorded", f"{record.retries} retries"]
    if record.completeness is Completeness.PARTIAL:
        parts.append(f"{record.objects or 0} objects read")
    return Shortfall(record.name, record.completeness.value, "; ".join(parts))


def _missing(family: Family, key: str | None, rule: str) -> Shortfall:
    return Shortfall(
        family.collection(key),
        "missing",
        f"the capture made no record of GET {family.request_path(key)} "
        f"(expected for {rule})",
    )


def _family_of_kind(kind: str) -> Family:
    return next(f for f in FAMILIES.values() if f.kind == kind)
