"""What the assessment reads from a snapshot: resources by kind, with their evidence.

A capture stores Okta's response pages as evidence, grouped into *collections*
(:mod:`atomation.snapshot.evidence`). The normaliser derives from those pages
alone a per-snapshot set of *resources*: one per object Okta returned, typed by
its :data:`Kind`, linked to the page it was read from. This module is the
contract between the two sides: the collection names a capture writes, the kinds
they yield, and the :class:`SnapshotData` interface the assessment queries.

Collection names
----------------
A collection is named ``<family>`` for a plain list, or ``<family>:<key>`` when
the same read is repeated per parent object or per type. ``<key>`` is the id of
the parent (``policy_rules:00p1...``) except for ``policies:<TYPE>``, where it is
the policy type queried. :data:`FAMILIES` maps every family to the kind of object
its pages hold and the request it makes.

A kind's resources exist only as far as their collections are ``complete``;
:meth:`SnapshotData.coverage` says, for a kind, whether everything expected was
read and, if not, which collections fell short and why (the missing scope or
role, or the error), so that a check can report *not assessed* instead of
passing on data that was never read.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal, Protocol

__all__ = [
    "FAMILIES",
    "POLICY_TYPES",
    "Coverage",
    "EvidenceRef",
    "Family",
    "Kind",
    "Resource",
    "Shortfall",
    "SnapshotData",
    "SnapshotInfo",
    "family_of",
]

Kind = Literal[
    "user",
    "user_factor",
    "user_role",
    "role_assignee",
    "group",
    "group_member",
    "group_rule",
    "group_role",
    "app",
    "app_user",
    "app_group",
    "client_role",
    "policy",
    "policy_rule",
    "policy_mapping",
    "zone",
    "trusted_origin",
    "iam_role",
    "iam_role_permission",
    "resource_set",
    "authorization_server",
    "authz_policy",
    "authz_policy_rule",
    "authz_scope",
    "authz_claim",
    "idp",
    "log_event",
]

# Policy types read with GET /api/v1/policies?type=<TYPE>, one collection each.
# Okta lists policies only per type (the type parameter is required); these are
# the types of the management spec's PolicyType that an Identity Engine org uses
# for sign-in, enrollment, passwords, recovery and session (okta-api.md §2).
POLICY_TYPES = (
    "OKTA_SIGN_ON",
    "PASSWORD",
    "MFA_ENROLL",
    "ACCESS_POLICY",
    "PROFILE_ENROLLMENT",
    "IDP_DISCOVERY",
    "POST_AUTH_SESSION",
    "ENTITY_RISK",
)


@dataclass(frozen=True)
class Family:
    """One kind of read: what it asks Okta for and what its pages hold.

    ``path`` is a template: ``{key}`` stands for the collection's key (a parent
    id or a policy type). ``parent`` names the kind whose ids are the keys, or is
    ``None`` for a plain list. ``scope`` is the OAuth scope the read needs.
    """

    name: str
    kind: Kind
    path: str
    scope: str
    parent: Kind | None = None

    def collection(self, key: str | None = None) -> str:
        """The collection name for ``key`` (``None`` for a plain list)."""
        return self.name if key is None else f"{self.name}:{key}"

    def request_path(self, key: str | None = None) -> str:
        """The path (and fixed query) of the first page for ``key``.

        A key with a ``/`` fills the path's placeholders in order: the
        ``authz_policy_rules`` key is ``<authorization server id>/<policy id>``.
        """
        if "{" not in self.path:
            return self.path
        if key is None:
            raise ValueError(f"collection family {self.name} needs a key")
        parts = key.split("/")
        path = self.path
        for part in parts:
            path = path.replace("{key}", part, 1)
        return path

    def parent_id(self, key: str | None) -> str | None:
        """The parent object's id for a collection key: its last ``/`` part."""
        if self.parent is None or key is None:
            return None
        return key.rsplit("/", 1)[-1]


FAMILIES: Mapping[str, Family] = {
    f.name: f
    for f in (
        Family("users", "user", "/api/v1/users", "okta.users.read"),
        Family(
            "user_factors",
            "user_factor",
            "/api/v1/users/{key}/factors",
            "okta.users.read",
            "user",
        ),
        Family(
            "user_roles",
            "user_role",
            "/api/v1/users/{key}/roles",
            "okta.roles.read",
            "user",
        ),
        Family(
            "role_assignees",
            "role_assignee",
            "/api/v1/iam/assignees/users",
            "okta.roles.read",
        ),
        Family("groups", "group", "/api/v1/groups", "okta.groups.read"),
        Family(
            "group_members",
            "group_member",
            "/api/v1/groups/{key}/users",
            "okta.groups.read",
            "group",
        ),
        Family("group_rules", "group_rule", "/api/v1/groups/rules", "okta.groups.read"),
        Family(
            "group_roles",
            "group_role",
            "/api/v1/groups/{key}/roles",
            "okta.roles.read",
            "group",
        ),
        Family("apps", "app", "/api/v1/apps", "okta.apps.read"),
        Family(
            "app_users", "app_user", "/api/v1/apps/{key}/users", "okta.apps.read", "app"
        ),
        Family(
            "app_groups",
            "app_group",
            "/api/v1/apps/{key}/groups",
            "okta.apps.read",
            "app",
        ),
        # Admin roles held by a service app; the key is the app's client id
        # (an app's ``credentials.oauthClient.client_id``).
        Family(
            "client_roles",
            "client_role",
            "/oauth2/v1/clients/{key}/roles",
            "okta.roles.read",
            "app",
        ),
        # The key of a ``policies`` collection is a policy type, not a parent.
        Family(
            "policies", "policy", "/api/v1/policies?type={key}", "okta.policies.read"
        ),
        Family(
            "policy_rules",
            "policy_rule",
            "/api/v1/policies/{key}/rules",
            "okta.policies.read",
            "policy",
        ),
        Family(
            "policy_mappings",
            "policy_mapping",
            "/api/v1/policies/{key}/mappings",
            "okta.policies.read",
            "policy",
        ),
        Family("zones", "zone", "/api/v1/zones", "okta.networkZones.read"),
        Family(
            "trusted_origins",
            "trusted_origin",
            "/api/v1/trustedOrigins",
            "okta.trustedOrigins.read",
        ),
        Family("iam_roles", "iam_role", "/api/v1/iam/roles", "okta.roles.read"),
        Family(
            "iam_role_permissions",
            "iam_role_permission",
            "/api/v1/iam/roles/{key}/permissions",
            "okta.roles.read",
            "iam_role",
        ),
        Family(
            "resource_sets",
            "resource_set",
            "/api/v1/iam/resource-sets",
            "okta.roles.read",
        ),
        Family(
            "authorization_servers",
            "authorization_server",
            "/api/v1/authorizationServers",
            "okta.authorizationServers.read",
        ),
        Family(
            "authz_policies",
            "authz_policy",
            "/api/v1/authorizationServers/{key}/policies",
            "okta.authorizationServers.read",
            "authorization_server",
        ),
        # Key: "<authorization server id>/<policy id>"; the parent is the policy.
        Family(
            "authz_policy_rules",
            "authz_policy_rule",
            "/api/v1/authorizationServers/{key}/policies/{key}/rules",
            "okta.authorizationServers.read",
            "authz_policy",
        ),
        Family(
            "authz_scopes",
            "authz_scope",
            "/api/v1/authorizationServers/{key}/scopes",
            "okta.authorizationServers.read",
            "authorization_server",
        ),
        Family(
            "authz_claims",
            "authz_claim",
            "/api/v1/authorizationServers/{key}/claims",
            "okta.authorizationServers.read",
            "authorization_server",
        ),
        Family("idps", "idp", "/api/v1/idps", "okta.idps.read"),
        # Key: the slice's ``since`` instant (ISO 8601); the window is cut into
        # bounded since/until slices so that a long pull can resume.
        Family("logs", "log_event", "/api/v1/logs", "okta.logs.read"),
    )
}


def family_of(collection: str) -> tuple[Family, str | None]:
    """The family a collection name belongs to, and its key (``None`` for a plain list).

    Raises :class:`KeyError` for a name of no known family.
    """
    name, _, key = collection.partition(":")
    return FAMILIES[name], (key or None)


@dataclass(frozen=True)
class EvidenceRef:
    """The evidence page an object was read from: enough to find and cite it."""

    collection: str
    sequence: int
    request: str
    """Path and query as sent, e.g. ``/api/v1/policies/00p1/rules``."""
    sha256: str


@dataclass(frozen=True)
class Resource:
    """One object as Okta returned it, typed and linked to its evidence."""

    kind: Kind
    id: str
    """The object's ``id`` (a log event's ``uuid``; for a member or assignment, the
    member's id)."""
    parent_id: str | None
    """The collection's key when the family has a parent (the policy of a rule,
    the user of a factor, the group of a member); ``None`` otherwise."""
    data: Mapping[str, Any] = field(repr=False)
    evidence: EvidenceRef


@dataclass(frozen=True)
class Shortfall:
    """A collection a kind needed that is not ``complete``, and why."""

    collection: str
    completeness: str
    """``partial``, ``failed``, ``not_collected``, or ``missing`` when the capture
    made no record of a collection it should have read."""
    reason: str
    """The missing scope or role as recorded, or the error; never empty."""


@dataclass(frozen=True)
class Coverage:
    """Whether every collection of a kind was read completely."""

    kind: Kind
    shortfalls: Sequence[Shortfall] = ()

    @property
    def complete(self) -> bool:
        return not self.shortfalls


@dataclass(frozen=True)
class SnapshotInfo:
    snapshot_id: str
    tenant_id: str
    org_url: str
    captured_at: datetime
    """When the capture started: the "now" of every age a check measures."""
    log_since: datetime | None
    log_until: datetime | None
    """The System Log review window read, or ``None`` when logs were not read."""
    log_event_types: Sequence[str] | None
    """The event types the log collection was filtered to; ``None`` for all."""
    factors_for: Literal["all", "privileged"]
    """Whose factors were read: every user, or admins and role-holding groups'
    members only."""


class SnapshotData(Protocol):
    """The normalised view of one sealed snapshot, read-only.

    Iteration order is stable: by kind, then parent id, then the order Okta
    returned the objects in. Implementations stream rows; a kind with 100,000
    users or a million log events is never loaded whole.
    """

    @property
    def info(self) -> SnapshotInfo: ...

    def coverage(self, kind: Kind) -> Coverage: ...

    def resources(
        self, kind: Kind, *, parent_id: str | None = None
    ) -> Iterator[Resource]: ...

    def resource(self, kind: Kind, id: str) -> Resource | None: ...

    def count(self, kind: Kind, *, parent_id: str | None = None) -> int: ...

    def log_events(
        self,
        event_types: Sequence[str] | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Iterator[Resource]:
        """System Log events of the given types within [since, until), oldest first."""
        ...

    def log_event_counts(self, event_types: Sequence[str]) -> Mapping[str, int]:
        """Events per type over the whole window, with 0 for types not seen."""
        ...
