"""The simulated org: a read API over generated data, plus a few mutations.

``Org`` is what the simulator's HTTP server serves. It is built by
``atomation.simulator.generator.generate_org``; every object is a JSON-ready dict
in the shape of Okta's management OpenAPI spec, and every list is in a stable
order (users, groups and apps by id, as Okta lists them), so cursors work.

Users, factors, memberships and log events are produced on demand from the seed;
configuration objects are held in memory.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from atomation.simulator.generator.apps import AppCatalog
    from atomation.simulator.generator.authservers import AuthServers
    from atomation.simulator.generator.groups import GroupDirectory
    from atomation.simulator.generator.log import LogStream
    from atomation.simulator.generator.policies import PolicySet
    from atomation.simulator.generator.roles import RoleBook
    from atomation.simulator.generator.users import UserDirectory, UserSequence

__all__ = ["Org"]


class Org:
    """One generated Okta Identity Engine (or Classic) org."""

    def __init__(
        self,
        *,
        org_id: str,
        classic: bool,
        profile: str,
        seed: int,
        users: UserDirectory,
        user_list: UserSequence,
        groups: GroupDirectory,
        apps: AppCatalog,
        policies: PolicySet,
        zones: list[dict[str, Any]],
        trusted_origins: list[dict[str, Any]],
        idps: list[dict[str, Any]],
        roles: RoleBook,
        auth_servers: AuthServers,
        log: LogStream,
        misconfigurations: list[dict[str, Any]],
    ) -> None:
        self.org_id = org_id
        self.pipeline = "v1" if classic else "idx"
        self.profile = profile
        self.seed = seed
        self._users = users
        self.users: Sequence[dict[str, Any]] = user_list
        self._groups = groups
        self.groups: Sequence[dict[str, Any]] = groups.groups
        self.group_rules: list[dict[str, Any]] = groups.rules
        self._apps = apps
        self.apps: list[dict[str, Any]] = apps.apps
        self._policies = policies
        self.zones = zones
        self.trusted_origins = trusted_origins
        self.idps = idps
        self._roles = roles
        self.custom_roles: list[dict[str, Any]] = roles.custom_roles
        self.resource_sets: list[dict[str, Any]] = roles.resource_sets
        self.client_roles: dict[str, list[dict[str, Any]]] = roles.client_roles
        self._auth_servers = auth_servers
        self.authorization_servers: list[dict[str, Any]] = auth_servers.servers
        self.log = log
        self.misconfigurations = misconfigurations

    def __repr__(self) -> str:
        return (
            f"Org(id={self.org_id!r}, profile={self.profile!r}, "
            f"users={len(self.users)}, seed={self.seed})"
        )

    # Users and groups -------------------------------------------------------
    def user(self, user_id: str) -> dict[str, Any] | None:
        i = self._users.index_of(user_id)
        return None if i is None else self._users.build_user(i)

    def user_index(self, user_id: str) -> int | None:
        return self._users.index_of(user_id)

    def user_factors(self, user_id: str) -> list[dict[str, Any]]:
        i = self._users.index_of(user_id)
        return [] if i is None else self._users.build_factors(i)

    def user_groups(self, user_id: str) -> list[dict[str, Any]]:
        i = self._users.index_of(user_id)
        return [] if i is None else self._groups.groups_of(i)

    def group(self, group_id: str) -> dict[str, Any] | None:
        return self._groups.group(group_id)

    def group_member_ids(self, group_id: str) -> Sequence[str]:
        if self._groups.group(group_id) is None:
            raise KeyError(group_id)
        return self._groups.member_ids(group_id)

    # Apps ---------------------------------------------------------------------
    def app(self, app_id: str) -> dict[str, Any] | None:
        return self._apps.by_id.get(app_id)

    def app_users(self, app_id: str) -> list[dict[str, Any]]:
        return list(self._apps.users.get(app_id, []))

    def app_groups(self, app_id: str) -> list[dict[str, Any]]:
        return list(self._apps.groups.get(app_id, []))

    def add_app(self, app: dict[str, Any]) -> None:
        """Add an app (the admin API's create); it lists in id order."""
        if app["id"] in self._apps.by_id:
            raise ValueError(f"app {app['id']} already exists")
        self._apps.add(app)

    def update_app(self, app_id: str, app: dict[str, Any]) -> None:
        current = self._apps.by_id.get(app_id)
        if current is None:
            raise KeyError(app_id)
        current.clear()
        current.update(app)
        current["id"] = app_id

    # Policies -----------------------------------------------------------------
    def policies(self, policy_type: str) -> list[dict[str, Any]]:
        return list(self._policies.by_type.get(policy_type, []))

    def policy(self, policy_id: str) -> dict[str, Any] | None:
        return self._policies.by_id.get(policy_id)

    def policy_rules(self, policy_id: str) -> list[dict[str, Any]]:
        return list(self._policies.rules.get(policy_id, []))

    def policy_mappings(self, policy_id: str) -> list[dict[str, Any]]:
        return list(self._policies.mappings.get(policy_id, []))

    def add_policy_rule(self, policy_id: str, rule: dict[str, Any]) -> None:
        rules = self._policies.rules.get(policy_id)
        if rules is None:
            raise KeyError(policy_id)
        if any(r["id"] == rule["id"] for r in rules):
            raise ValueError(f"rule {rule['id']} already exists")
        rules.append(rule)
        rules.sort(key=lambda r: r.get("priority", 0))

    def update_policy_rule(self, policy_id: str, rule: dict[str, Any]) -> None:
        rules = self._policies.rules.get(policy_id)
        if rules is None:
            raise KeyError(policy_id)
        for position, current in enumerate(rules):
            if current["id"] == rule["id"]:
                rules[position] = rule
                rules.sort(key=lambda r: r.get("priority", 0))
                return
        raise KeyError(rule["id"])

    # Roles --------------------------------------------------------------------
    @property
    def role_assignee_user_ids(self) -> Sequence[str]:
        """Users holding any role, directly or through a group, in id order."""
        return sorted(u for u, roles in self._roles.user_roles.items() if roles)

    def user_roles(self, user_id: str) -> list[dict[str, Any]]:
        return list(self._roles.user_roles.get(user_id, []))

    def group_roles(self, group_id: str) -> list[dict[str, Any]]:
        return list(self._roles.group_roles.get(group_id, []))

    def role_permissions(self, role_id: str) -> list[str]:
        """Permission names of a custom role (``/iam/roles/{id}/permissions``)."""
        return list(self._roles.permissions.get(role_id, []))

    def add_user_role(self, user_id: str, assignment: dict[str, Any]) -> None:
        if self._users.index_of(user_id) is None:
            raise KeyError(user_id)
        self._roles.user_roles.setdefault(user_id, []).append(assignment)

    # Authorization servers ----------------------------------------------------
    def as_policies(self, as_id: str) -> list[dict[str, Any]]:
        return list(self._auth_servers.policies.get(as_id, []))

    def as_policy_rules(self, as_id: str, policy_id: str) -> list[dict[str, Any]]:
        return list(self._auth_servers.rules.get((as_id, policy_id), []))

    def as_scopes(self, as_id: str) -> list[dict[str, Any]]:
        return list(self._auth_servers.scopes.get(as_id, []))

    def as_claims(self, as_id: str) -> list[dict[str, Any]]:
        return list(self._auth_servers.claims.get(as_id, []))

    # Summary ------------------------------------------------------------------
    def counts(self) -> dict[str, int]:
        """What the generator made, for tests to compare with what is served."""
        counts: dict[str, int] = {"users": len(self.users)}
        for status, number in self._users.status_counts().items():
            counts[f"users.{status}"] = number
        counts["groups"] = len(self.groups)
        counts["group_rules"] = len(self.group_rules)
        counts["apps"] = len(self.apps)
        for policy_type, policies in sorted(self._policies.by_type.items()):
            counts[f"policies.{policy_type}"] = len(policies)
        counts["policies"] = len(self._policies.by_id)
        counts["policy_rules"] = sum(len(r) for r in self._policies.rules.values())
        counts["zones"] = len(self.zones)
        counts["trusted_origins"] = len(self.trusted_origins)
        counts["idps"] = len(self.idps)
        counts["authorization_servers"] = len(self.authorization_servers)
        counts["custom_roles"] = len(self.custom_roles)
        counts["resource_sets"] = len(self.resource_sets)
        counts["role_assignees"] = len(self.role_assignee_user_ids)
        counts["log_events"] = len(self.log)
        counts["misconfigurations"] = len(self.misconfigurations)
        return counts
