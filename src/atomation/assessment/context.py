"""What a check function sees: the snapshot, its thresholds, shared facts, helpers.

:class:`Facts` computes once per run what several checks need (policies by type,
rules in priority order, zones by id, who holds which admin role, the Admin
Console and Dashboard policies) so that the catalogue does not read a kind more
often than it must. Facts only read kinds; the engine has already made sure that
every kind a check declares was collected completely before the check runs.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cached_property
from typing import Any

from atomation.assessment.catalogue import CheckMeta, ThresholdValue
from atomation.assessment.results import Finding
from atomation.snapshot.data import EvidenceRef, Resource, SnapshotData

__all__ = [
    "ADMIN_CONSOLE_APP",
    "DASHBOARD_APP",
    "PHISHING_RESISTANT_FACTORS",
    "CheckContext",
    "Facts",
    "age_days",
    "parse_time",
    "rule_label",
]

# Okta's app names for its first-party apps (checks.md §0.2-0.3).
ADMIN_CONSOLE_APP = "saasure"
DASHBOARD_APP = "okta_enduser"
# Factor types that resist phishing: FIDO2/WebAuthn, U2F and Okta FastPass
# (``signed_nonce``) bind the response to the origin (checks.md §7).
PHISHING_RESISTANT_FACTORS = frozenset({"webauthn", "u2f", "signed_nonce"})
# Factors that are not a second factor: a security question is a knowledge
# factor like the password (checks.md §6, OKTA.USER.NO_MFA).
KNOWLEDGE_FACTORS = frozenset({"question", "password"})
# Policies found by name when the first-party app objects are hidden (checks.md §0.3).
POLICY_NAMES = {
    ADMIN_CONSOLE_APP: "Okta Admin Console",
    DASHBOARD_APP: "Okta Dashboard",
}


def parse_time(stamp: str) -> datetime:
    """An Okta timestamp (``2026-01-02T03:04:05.000Z``) as an aware datetime."""
    return datetime.fromisoformat(stamp.replace("Z", "+00:00"))


def age_days(stamp: str | None, now: datetime) -> float | None:
    if not stamp:
        return None
    return (now - parse_time(stamp)).total_seconds() / 86400


def rule_label(policy: Resource | None, rule: Resource) -> str:
    policy_name = policy.data["name"] if policy is not None else rule.parent_id
    return f"{policy_name} / {rule.data['name']}"


class Facts:
    """Derived views of one snapshot, computed on first use and shared by checks."""

    def __init__(self, data: SnapshotData) -> None:
        self.data = data

    @cached_property
    def now(self) -> datetime:
        return self.data.info.captured_at

    # Policies -----------------------------------------------------------------
    @cached_property
    def _policies(self) -> dict[str, list[Resource]]:
        by_type: dict[str, list[Resource]] = {}
        for policy in self.data.resources("policy"):
            by_type.setdefault(policy.data["type"], []).append(policy)
        for policies in by_type.values():
            policies.sort(key=lambda p: p.data.get("priority", 0))
        return by_type

    def policies(self, policy_type: str, *, active: bool = True) -> list[Resource]:
        found = self._policies.get(policy_type, [])
        return [p for p in found if not active or p.data.get("status") == "ACTIVE"]

    def policy(self, policy_id: str) -> Resource | None:
        return self.data.resource("policy", policy_id)

    def rules(self, policy_id: str, *, active: bool = True) -> list[Resource]:
        """A policy's rules in the order Okta evaluates them (priority)."""
        rules = [
            r
            for r in self.data.resources("policy_rule", parent_id=policy_id)
            if not active or r.data.get("status") == "ACTIVE"
        ]
        rules.sort(key=lambda r: r.data.get("priority", 0))
        return rules

    def mapped_app_ids(self, policy_id: str) -> list[str]:
        return [
            m.id for m in self.data.resources("policy_mapping", parent_id=policy_id)
        ]

    # Apps ---------------------------------------------------------------------
    @cached_property
    def apps(self) -> list[Resource]:
        return list(self.data.resources("app"))

    def app_named(self, name: str) -> Resource | None:
        return next((a for a in self.apps if a.data.get("name") == name), None)

    def access_policy_of(self, app: Resource) -> Resource | None:
        """The authentication policy of an app, by its ``_links.accessPolicy``."""
        href = app.data.get("_links", {}).get("accessPolicy", {}).get("href")
        if not href:
            return None
        return self.policy(href.rstrip("/").rsplit("/", 1)[-1])

    def first_party_policy(self, app_name: str) -> tuple[Resource | None, str]:
        """The Admin Console or Dashboard policy, and how it was found.

        By the app's link when the app is listed; otherwise by the policy's
        name, which checks.md §0.3 calls "inferred by name".
        """
        app = self.app_named(app_name)
        if app is not None:
            policy = self.access_policy_of(app)
            if policy is not None:
                return policy, "linked from the app"
        wanted = POLICY_NAMES[app_name]
        for policy in self.policies("ACCESS_POLICY", active=False):
            if policy.data.get("name") == wanted:
                return policy, "inferred by name"
        return None, "not found"

    # Zones --------------------------------------------------------------------
    @cached_property
    def zones(self) -> dict[str, Resource]:
        return {z.id: z for z in self.data.resources("zone")}

    # Groups and roles ---------------------------------------------------------
    @cached_property
    def everyone_group_id(self) -> str | None:
        for group in self.data.resources("group"):
            if group.data.get("type") == "BUILT_IN":
                return group.id
        return None

    @cached_property
    def admin_roles(self) -> dict[str, set[str]]:
        """User id to the role types it holds (directly or through a group)."""
        holders: dict[str, set[str]] = {}
        for assignee in self.data.resources("role_assignee"):
            roles = {
                r.data["type"]
                for r in self.data.resources("user_role", parent_id=assignee.id)
                if r.data.get("status", "ACTIVE") == "ACTIVE"
            }
            if roles:
                holders[assignee.id] = roles
        return holders

    @cached_property
    def admin_role_refs(self) -> dict[str, list[EvidenceRef]]:
        refs: dict[str, list[EvidenceRef]] = {}
        for user_id in self.admin_roles:
            refs[user_id] = [
                r.evidence for r in self.data.resources("user_role", parent_id=user_id)
            ]
        return refs

    @cached_property
    def group_roles(self) -> dict[str, set[str]]:
        """Group id to the role types assigned to the group."""
        held: dict[str, set[str]] = {}
        for role in self.data.resources("group_role"):
            if role.parent_id is not None:
                held.setdefault(role.parent_id, set()).add(role.data["type"])
        return held

    @cached_property
    def client_roles(self) -> dict[str, list[Resource]]:
        held: dict[str, list[Resource]] = {}
        for role in self.data.resources("client_role"):
            if role.parent_id is not None:
                held.setdefault(role.parent_id, []).append(role)
        return held

    def user(self, user_id: str) -> Resource | None:
        return self.data.resource("user", user_id)

    @cached_property
    def factor_types(self) -> dict[str, set[str]]:
        """User id to the types of its ACTIVE factors, read in one pass."""
        types: dict[str, set[str]] = {}
        for factor in self.data.resources("user_factor"):
            if factor.parent_id is not None and factor.data.get("status") == "ACTIVE":
                types.setdefault(factor.parent_id, set()).add(factor.data["factorType"])
        return types

    def active_factors(self, user_id: str) -> list[Resource]:
        return [
            f
            for f in self.data.resources("user_factor", parent_id=user_id)
            if f.data.get("status") == "ACTIVE"
        ]


class CheckContext:
    """One check's view: the snapshot, its thresholds, shared facts, and helpers."""

    def __init__(
        self,
        data: SnapshotData,
        meta: CheckMeta,
        params: Mapping[str, ThresholdValue],
        facts: Facts,
    ) -> None:
        self.data = data
        self.meta = meta
        self.params = params
        self.facts = facts

    @property
    def now(self) -> datetime:
        return self.facts.now

    def int_param(self, name: str) -> int:
        value = self.params[name]
        assert isinstance(value, int)
        assert not isinstance(value, bool)
        return value

    def float_param(self, name: str) -> float:
        value = self.params[name]
        assert isinstance(value, int | float)
        assert not isinstance(value, bool)
        return float(value)

    def bool_param(self, name: str) -> bool:
        value = self.params[name]
        assert isinstance(value, bool)
        return value

    def str_param(self, name: str) -> str:
        value = self.params[name]
        assert isinstance(value, str)
        return value

    def finding(
        self,
        ok: bool,
        resource: Resource,
        label: str,
        message: str,
        *,
        measured: Any = None,
        required: Any = None,
        evidence: Iterable[EvidenceRef] = (),
    ) -> Finding:
        """A pass or fail on one resource, resting on its page and ``evidence``."""
        refs = _unique((resource.evidence, *evidence))
        return Finding(
            check_id=self.meta.id,
            status="pass" if ok else "fail",
            resource_kind=resource.kind,
            resource_id=resource.id,
            resource_label=label,
            message=f"{label}: {message}",
            measured=measured,
            required=required,
            evidence=refs,
        )

    def summary(
        self,
        ok: bool,
        kind: str,
        label: str,
        message: str,
        *,
        measured: Any = None,
        required: Any = None,
        evidence: Iterable[EvidenceRef] = (),
    ) -> Finding:
        """A pass or fail about a set (a population, the org, the log window)."""
        return Finding(
            check_id=self.meta.id,
            status="pass" if ok else "fail",
            resource_kind=kind,
            resource_id="*",
            resource_label=label,
            message=f"{label}: {message}",
            measured=measured,
            required=required,
            evidence=_unique(evidence),
        )


def _unique(refs: Iterable[EvidenceRef]) -> tuple[EvidenceRef, ...]:
    """Refs in first-seen order, each page once."""
    return tuple(dict.fromkeys(refs))
