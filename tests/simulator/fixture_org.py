"""A tiny org in the contract's shape, for server tests that must not depend on the
generator's choices (exact counts, a known log). Built only from the contract file."""

from __future__ import annotations

import uuid
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

ANCHOR = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


class FixtureLog:
    """``count`` events, one every ``spacing`` going back from the anchor."""

    def __init__(self, count: int, spacing: timedelta) -> None:
        self.anchor = ANCHOR
        self._events: list[dict[str, Any]] = []
        types = [
            "user.session.start",
            "policy.lifecycle.update",
            "user.mfa.factor.reset_all",
        ]
        for index in range(count):
            published = ANCHOR - spacing * (count - index)
            self._events.append(
                {
                    "uuid": str(uuid.UUID(int=index + 1)),
                    "published": _iso(published),
                    "eventType": types[index % 3],
                    "version": "0",
                    "severity": "INFO",
                    "displayMessage": f"event number {index}",
                    "actor": {"id": f"00u{index % 5:017d}", "type": "User"},
                    "outcome": {"result": "FAILURE" if index % 4 == 0 else "SUCCESS"},
                    "target": [{"id": f"00g{index % 2:017d}", "type": "UserGroup"}],
                }
            )

    def __len__(self) -> int:
        return len(self._events)

    def events(
        self,
        *,
        since: datetime,
        until: datetime,
        descending: bool = False,
        event_types: frozenset[str] | None = None,
    ) -> Iterator[dict[str, Any]]:
        chosen = [
            e
            for e in self._events
            if since <= datetime.fromisoformat(e["published"]) < until
            and (event_types is None or e["eventType"] in event_types)
        ]
        yield from (reversed(chosen) if descending else chosen)


class FixtureOrg:
    def __init__(self, base_url: str, *, users: int = 30, log_events: int = 40) -> None:
        self.base_url = base_url
        self.org_id = "00o00000000000000001"
        self.pipeline = "idx"
        statuses = ["ACTIVE", "ACTIVE", "SUSPENDED", "DEPROVISIONED", "STAGED"]
        self.users: Sequence[dict[str, Any]] = [
            {
                "id": f"00u{index:017d}",
                "status": statuses[index % len(statuses)],
                "created": _iso(ANCHOR - timedelta(days=300)),
                "lastUpdated": _iso(ANCHOR - timedelta(days=index)),
                "profile": {
                    "login": f"user{index}@example.com",
                    "email": f"user{index}@example.com",
                    "firstName": f"First{index}",
                    "lastName": f"Last{index}",
                },
                "_links": {
                    "self": {"href": f"{base_url}/api/v1/users/00u{index:017d}"}
                },
            }
            for index in range(users)
        ]
        self.groups = [
            {
                "id": f"00g{index:017d}",
                "type": "OKTA_GROUP",
                "profile": {"name": f"Group {index}"},
            }
            for index in range(3)
        ]
        self.group_rules: list[dict[str, Any]] = []
        self.apps: list[dict[str, Any]] = [
            {
                "id": "0oa00000000000000001",
                "name": "saasure",
                "label": "Okta Admin Console",
                "status": "ACTIVE",
                "signOnMode": "OPENID_CONNECT",
            }
        ]
        self.zones: list[dict[str, Any]] = [
            {"id": "nzo00000000000000001", "name": "LegacyIpZone"}
        ]
        self.trusted_origins: list[dict[str, Any]] = []
        self.idps: list[dict[str, Any]] = []
        self.custom_roles: list[dict[str, Any]] = [
            {"id": "cr000000000000000001", "label": "Auditor"}
        ]
        self.resource_sets: list[dict[str, Any]] = []
        self.role_assignee_user_ids = [u["id"] for u in self.users[:3]]
        self.client_roles: dict[str, list[dict[str, Any]]] = {}
        self.authorization_servers: list[dict[str, Any]] = [
            {"id": "aus00000000000000001", "name": "default"}
        ]
        self.misconfigurations = [{"id": "m1", "check": "session.idle_timeout"}]
        self.log = FixtureLog(log_events, timedelta(hours=1))
        self._policies = {
            "OKTA_SIGN_ON": [
                {
                    "id": "00p00000000000000001",
                    "type": "OKTA_SIGN_ON",
                    "status": "ACTIVE",
                }
            ],
            "PASSWORD": [
                {"id": "00p00000000000000002", "type": "PASSWORD", "status": "ACTIVE"}
            ],
        }

    def user(self, user_id: str) -> dict[str, Any] | None:
        return next((u for u in self.users if u["id"] == user_id), None)

    def user_index(self, user_id: str) -> int | None:
        return next((i for i, u in enumerate(self.users) if u["id"] == user_id), None)

    def user_factors(self, user_id: str) -> list[dict[str, Any]]:
        return [{"id": "mfa00000000000000001", "factorType": "push"}]

    def user_groups(self, user_id: str) -> list[dict[str, Any]]:
        return self.groups[:1]

    def user_roles(self, user_id: str) -> list[dict[str, Any]]:
        return [{"id": "ra1", "type": "SUPER_ADMIN", "assignmentType": "USER"}]

    def group(self, group_id: str) -> dict[str, Any] | None:
        return next((g for g in self.groups if g["id"] == group_id), None)

    def group_member_ids(self, group_id: str) -> Sequence[str]:
        return [u["id"] for u in self.users]

    def group_roles(self, group_id: str) -> list[dict[str, Any]]:
        return []

    def app(self, app_id: str) -> dict[str, Any] | None:
        return next((a for a in self.apps if a["id"] == app_id), None)

    def app_users(self, app_id: str) -> list[dict[str, Any]]:
        return []

    def app_groups(self, app_id: str) -> list[dict[str, Any]]:
        return []

    def add_app(self, app: dict[str, Any]) -> None:
        self.apps.append(app)

    def update_app(self, app_id: str, app: dict[str, Any]) -> None:
        self.apps = [app if a["id"] == app_id else a for a in self.apps]

    def policies(self, policy_type: str) -> list[dict[str, Any]]:
        return self._policies.get(policy_type, [])

    def policy(self, policy_id: str) -> dict[str, Any] | None:
        everything = [p for group in self._policies.values() for p in group]
        return next((p for p in everything if p["id"] == policy_id), None)

    def policy_rules(self, policy_id: str) -> list[dict[str, Any]]:
        return [{"id": "0pr00000000000000001", "type": "SIGN_ON"}]

    def policy_mappings(self, policy_id: str) -> list[dict[str, Any]]:
        return []

    def as_policies(self, as_id: str) -> list[dict[str, Any]]:
        return [{"id": "00p0000000000000000a"}]

    def as_policy_rules(self, as_id: str, policy_id: str) -> list[dict[str, Any]]:
        return []

    def as_scopes(self, as_id: str) -> list[dict[str, Any]]:
        return []

    def as_claims(self, as_id: str) -> list[dict[str, Any]]:
        return []
