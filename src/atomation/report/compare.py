"""What changed between two snapshots of one tenant's org.

Two things are compared, both read offline from what is stored:

* **Findings**, from the two assessment runs, keyed by check, resource kind and
  resource id. A failing finding is *new* when the older run did not fail it,
  *unchanged* when both did, and *resolved* when the newer run assessed the check
  and no longer fails it. When the newer run could not assess the check (a scope
  or role missing, a failed call) the finding is *not comparable*, never resolved.
* **Configuration**, from the two normalised snapshots: every resource of the
  configuration kinds (:data:`CONFIG_KINDS`: policies and rules, apps, zones,
  origins, IdPs, roles and admin assignments, authorization servers...) by kind,
  parent and id, *added*, *removed* or *modified* (the fields that differ, Okta's
  own bookkeeping fields such as ``lastUpdated`` and ``_links`` aside). A kind
  that either snapshot did not collect completely is not compared, and the
  comparison says so.

Who changed it, and when, comes from the newer snapshot's System Log: the
configuration and privilege events (``policy.rule.update``,
``user.account.privilege.grant``, ... as grouped in
:data:`~atomation.snapshot.log_events.SECURITY_EVENT_TYPES`) published after the
older snapshot was taken whose targets include the changed resource, or for an
assignment (an admin role held by a user, a group or an app) its holder: a
privilege grant is an event about the user or group receiving the role, so the
holder's id is what its ``target`` list carries (okta-api.md §5).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from atomation.assessment.catalogue import Check, CheckMeta
from atomation.assessment.results import AssessmentResult, Finding
from atomation.report.errors import ReportInputError
from atomation.snapshot.data import FAMILIES, Kind, Resource, SnapshotData
from atomation.snapshot.log_events import SECURITY_EVENT_TYPES

__all__ = [
    "CHANGE_EVENT_TYPES",
    "CONFIG_KINDS",
    "ChangeEvent",
    "Comparison",
    "ConfigChange",
    "FindingDelta",
    "SnapshotSide",
    "compare_snapshots",
]

CONFIG_KINDS: tuple[Kind, ...] = (
    "policy",
    "policy_rule",
    "policy_mapping",
    "app",
    "zone",
    "trusted_origin",
    "idp",
    "iam_role",
    "iam_role_permission",
    "resource_set",
    "role_assignee",
    "user_role",
    "group_role",
    "client_role",
    "group_rule",
    "authorization_server",
    "authz_policy",
    "authz_policy_rule",
    "authz_scope",
    "authz_claim",
)
"""Kinds whose change is a configuration change; people and traffic are not."""

# An assignment is logged against its holder (the user or group granted a role,
# the policy an app is mapped to), so its events are matched by the parent's id.
ASSIGNMENT_KINDS: frozenset[Kind] = frozenset(
    {"user_role", "group_role", "client_role", "policy_mapping", "iam_role_permission"}
)

CHANGE_EVENT_TYPES: tuple[str, ...] = tuple(
    sorted(SECURITY_EVENT_TYPES["configuration"] | SECURITY_EVENT_TYPES["privilege"])
)

# Okta's bookkeeping: they change with any write, or are links and counters.
IGNORED_FIELDS = frozenset(
    {"lastUpdated", "_links", "_embedded", "lastMembershipUpdated"}
)
# Nested fields are named down to this depth ("conditions.network.connection");
# below it the whole branch is named as changed.
DIFF_DEPTH = 4

_PARENT_KIND: Mapping[str, Kind | None] = {f.kind: f.parent for f in FAMILIES.values()}


@dataclass(frozen=True)
class SnapshotSide:
    snapshot_id: str
    captured_at: datetime


@dataclass(frozen=True)
class FindingDelta:
    check_id: str
    title: str
    severity: str
    resource_kind: str
    resource_id: str
    resource_label: str
    message: str


@dataclass(frozen=True)
class ChangeEvent:
    """A System Log event that shows who made a change, and when."""

    uuid: str
    published: str
    event_type: str
    actor_id: str
    actor: str
    """The actor's display name and login, as the log records them."""
    outcome: str


@dataclass(frozen=True)
class ConfigChange:
    kind: Kind
    id: str
    parent_id: str | None
    label: str
    change: Literal["added", "removed", "modified"]
    fields: tuple[str, ...]
    """For ``modified``: the (dotted) fields whose value differs."""
    events: tuple[ChangeEvent, ...]


@dataclass(frozen=True)
class Comparison:
    tenant_id: str
    org_url: str
    old: SnapshotSide
    new: SnapshotSide
    new_findings: tuple[FindingDelta, ...]
    resolved: tuple[FindingDelta, ...]
    unchanged: tuple[FindingDelta, ...]
    not_comparable: tuple[FindingDelta, ...]
    changes: tuple[ConfigChange, ...]
    gaps: tuple[str, ...]
    """What could not be compared, and why."""
    log_window: tuple[datetime, datetime] | None
    """The newer snapshot's System Log window searched for actors."""


def compare_snapshots(
    old_result: AssessmentResult,
    new_result: AssessmentResult,
    old_data: SnapshotData,
    new_data: SnapshotData,
    catalogue: Sequence[Check],
) -> Comparison:
    if old_result.tenant_id != new_result.tenant_id:
        raise ReportInputError(
            f"snapshots {old_result.snapshot_id} and {new_result.snapshot_id} belong "
            "to different tenants",
            hint="compare two snapshots of the same tenant.",
        )
    if old_result.captured_at > new_result.captured_at:
        raise ReportInputError(
            f"snapshot {old_result.snapshot_id} was taken after "
            f"{new_result.snapshot_id}",
            hint="give the older snapshot first: --compare OLD NEW.",
        )
    metas = {check.meta.id: check.meta for check in catalogue}
    new_findings, resolved, unchanged, not_comparable = _findings(
        old_result, new_result, metas
    )
    gaps: list[str] = []
    changes = _changes(old_data, new_data, gaps)
    window = _log_window(old_data, new_data, gaps)
    if window is not None:
        changes = _with_events(changes, new_data, window)
    return Comparison(
        tenant_id=new_result.tenant_id,
        org_url=new_result.org_url,
        old=SnapshotSide(old_result.snapshot_id, old_result.captured_at),
        new=SnapshotSide(new_result.snapshot_id, new_result.captured_at),
        new_findings=new_findings,
        resolved=resolved,
        unchanged=unchanged,
        not_comparable=not_comparable,
        changes=changes,
        gaps=tuple(gaps),
        log_window=window,
    )


# Findings ---------------------------------------------------------------------
_Key = tuple[str, str, str]


def _failing(result: AssessmentResult) -> dict[_Key, Finding]:
    return {
        (f.check_id, f.resource_kind, f.resource_id): f
        for check in result.results
        for f in check.findings
        if f.status == "fail"
    }


def _findings(
    old: AssessmentResult, new: AssessmentResult, metas: Mapping[str, CheckMeta]
) -> tuple[tuple[FindingDelta, ...], ...]:
    before, after = _failing(old), _failing(new)
    verdicts = {r.check_id: r.status for r in new.results}

    def delta(finding: Finding) -> FindingDelta:
        meta = metas.get(finding.check_id)
        return FindingDelta(
            finding.check_id,
            meta.title if meta else finding.check_id,
            meta.severity if meta else "unknown",
            finding.resource_kind,
            finding.resource_id,
            finding.resource_label,
            finding.message,
        )

    gone = [f for key, f in before.items() if key not in after]
    return (
        tuple(delta(f) for key, f in after.items() if key not in before),
        tuple(
            delta(f)
            for f in gone
            if verdicts.get(f.check_id) in ("pass", "fail", "not_applicable")
        ),
        tuple(delta(f) for key, f in after.items() if key in before),
        tuple(
            delta(f)
            for f in gone
            if verdicts.get(f.check_id) not in ("pass", "fail", "not_applicable")
        ),
    )


# Configuration ----------------------------------------------------------------
def _changes(
    old: SnapshotData, new: SnapshotData, gaps: list[str]
) -> tuple[ConfigChange, ...]:
    changes: list[ConfigChange] = []
    for kind in CONFIG_KINDS:
        short = [
            f"{side} snapshot: {s.collection} is {s.completeness} ({s.reason})"
            for side, data in (("older", old), ("newer", new))
            for s in data.coverage(kind).shortfalls
        ]
        if short:
            gaps.append(f"{kind} not compared: " + "; ".join(short[:3]))
            continue
        before = {(r.parent_id, r.id): r for r in old.resources(kind)}
        after = {(r.parent_id, r.id): r for r in new.resources(kind)}
        for key, resource in after.items():
            if key not in before:
                changes.append(_change(kind, resource, new, "added"))
                continue
            fields = _diff(before[key].data, resource.data)
            if fields:
                changes.append(_change(kind, resource, new, "modified", fields))
        for key, resource in before.items():
            if key not in after:
                changes.append(_change(kind, resource, old, "removed"))
    return tuple(changes)


def _change(
    kind: Kind,
    resource: Resource,
    data: SnapshotData,
    change: Literal["added", "removed", "modified"],
    fields: Sequence[str] = (),
) -> ConfigChange:
    return ConfigChange(
        kind,
        resource.id,
        resource.parent_id,
        _label(kind, resource, data),
        change,
        tuple(fields),
        (),
    )


def _diff(
    before: Mapping[str, Any],
    after: Mapping[str, Any],
    prefix: str = "",
    depth: int = 1,
) -> list[str]:
    fields: list[str] = []
    for key in sorted(set(before) | set(after)):
        if not prefix and key in IGNORED_FIELDS:
            continue
        a, b = before.get(key), after.get(key)
        if a == b:
            continue
        name = f"{prefix}{key}"
        if isinstance(a, Mapping) and isinstance(b, Mapping) and depth < DIFF_DEPTH:
            fields.extend(_diff(a, b, name + ".", depth + 1))
        else:
            fields.append(name)
    return fields


def _name(data: Mapping[str, Any]) -> str | None:
    profile = data.get("profile")
    for value in (
        data.get("name"),
        data.get("label"),
        data.get("displayName"),
        profile.get("login") if isinstance(profile, Mapping) else None,
        profile.get("name") if isinstance(profile, Mapping) else None,
        data.get("origin"),
    ):
        if isinstance(value, str) and value:
            return value
    return None


def _label(kind: Kind, resource: Resource, data: SnapshotData) -> str:
    own = _name(resource.data)
    if own is None and kind == "role_assignee":  # the listing holds ids only
        user = data.resource("user", resource.id)
        own = _name(user.data) if user is not None else None
    own = own or resource.id
    parent_kind = _PARENT_KIND.get(kind)
    if parent_kind is None or resource.parent_id is None:
        return own
    parent = data.resource(parent_kind, resource.parent_id)
    holder = (_name(parent.data) if parent else None) or resource.parent_id
    if kind in ("user_role", "group_role", "client_role"):
        return f"{own} held by {holder}"
    return f"{holder} / {own}"


# Who and when -------------------------------------------------------------------
def _log_window(
    old: SnapshotData, new: SnapshotData, gaps: list[str]
) -> tuple[datetime, datetime] | None:
    info = new.info
    if info.log_since is None or info.log_until is None:
        gaps.append("the newer snapshot did not read the System Log: no actors shown")
        return None
    start = old.info.captured_at
    if info.log_since > start:
        gaps.append(
            f"the newer snapshot's System Log starts at {info.log_since.isoformat()}, "
            f"after the older snapshot ({start.isoformat()}): earlier changes "
            "show no actor"
        )
    if info.log_event_types is not None:
        missing = sorted(set(CHANGE_EVENT_TYPES) - set(info.log_event_types))
        if missing:
            gaps.append(
                "the newer snapshot's System Log was read without event types "
                + ", ".join(missing)
            )
    return max(start, info.log_since), info.log_until


def _with_events(
    changes: Iterable[ConfigChange],
    new: SnapshotData,
    window: tuple[datetime, datetime],
) -> tuple[ConfigChange, ...]:
    by_target: dict[str, list[ChangeEvent]] = {}
    for resource in new.log_events(
        CHANGE_EVENT_TYPES, since=window[0], until=window[1]
    ):
        event = resource.data
        actor = event.get("actor") or {}
        found = ChangeEvent(
            uuid=resource.id,
            published=str(event.get("published", "")),
            event_type=str(event.get("eventType", "")),
            actor_id=str(actor.get("id", "")),
            actor=f"{actor.get('displayName', '')} ({actor.get('alternateId', '')})",
            outcome=str((event.get("outcome") or {}).get("result", "")),
        )
        for target in event.get("target") or ():
            target_id = target.get("id")
            if target_id:
                by_target.setdefault(str(target_id), []).append(found)
    result = []
    for change in changes:
        subject = (
            change.parent_id
            if change.kind in ASSIGNMENT_KINDS and change.parent_id
            else change.id
        )
        events = tuple(dict.fromkeys(by_target.get(subject, ())))
        result.append(
            ConfigChange(
                change.kind,
                change.id,
                change.parent_id,
                change.label,
                change.change,
                change.fields,
                events,
            )
        )
    return tuple(result)
