"""Groups, memberships and group rules.

Group objects are few and built at generation; memberships are derived from the
per-user traits of ``UserDirectory`` and turned into index arrays only when a
group's members are first asked for. ``Everyone`` (type ``BUILT_IN``) holds every
user, as in Okta; ``APP_GROUP`` is an Active Directory group imported through an
app, which Okta masters outside Okta.
"""

from __future__ import annotations

import functools
from array import array
from collections.abc import Callable, Iterator, Sequence
from typing import Any, overload

from atomation.simulator.generator._common import Context
from atomation.simulator.generator.roster import HELP_DESK_GROUP
from atomation.simulator.generator.users import DEPARTMENTS, UserDirectory

__all__ = ["GroupDirectory", "MemberIds"]

_PROJECTS = [
    "Apollo",
    "Borealis",
    "Cascade",
    "Delta",
    "Ember",
    "Falcon",
    "Granite",
    "Harbor",
    "Indigo",
    "Juniper",
    "Kestrel",
    "Lumen",
    "Meridian",
    "Nimbus",
    "Orion",
    "Pioneer",
    "Quartz",
    "Redwood",
    "Summit",
    "Tundra",
]


class MemberIds(Sequence[str]):
    """Member user ids of one group, in id order, from an index array or range."""

    def __init__(self, indices: Sequence[int], user_id: Callable[[int], str]) -> None:
        self._indices = indices
        self._user_id = user_id

    def __len__(self) -> int:
        return len(self._indices)

    @overload
    def __getitem__(self, index: int) -> str: ...
    @overload
    def __getitem__(self, index: slice) -> list[str]: ...
    def __getitem__(self, index: int | slice) -> str | list[str]:
        if isinstance(index, slice):
            return [self._user_id(i) for i in self._indices[index]]
        return self._user_id(self._indices[index])

    def __iter__(self) -> Iterator[str]:
        return (self._user_id(i) for i in self._indices)


class GroupDirectory:
    """The org's groups, who is in them, and the rules that fill them."""

    def __init__(self, ctx: Context, users: UserDirectory) -> None:
        self.ctx = ctx
        self.users = users
        self.groups: list[dict[str, Any]] = []
        self._members: dict[str, Callable[[], Sequence[int]]] = {}
        self._cache: dict[str, Sequence[int]] = {}
        self._by_id: dict[str, dict[str, Any]] = {}

        self.everyone_id = self._add(
            "Everyone",
            "All users in your organization",
            "BUILT_IN",
            lambda: range(users.count),
        )
        self.department_ids = [
            self._add(
                name,
                f"Everyone in {name}",
                "OKTA_GROUP",
                functools.partial(self._where_byte, users.department, d),
            )
            for d, name in enumerate(DEPARTMENTS)
        ]
        help_desk = [s.index for s in users.seats.values() if s.via_group]
        self.help_desk_id = self._add(
            HELP_DESK_GROUP,
            "Holds the Help Desk Administrator role",
            "OKTA_GROUP",
            lambda: array("I", sorted(help_desk)),
        )
        self.ad_group_id = self._add(
            "Domain Users",
            "Imported from Active Directory (corp.local)",
            "APP_GROUP",
            lambda: self._where(users.in_ad_group),
        )
        self.project_ids = [
            self._add(
                f"Project {_PROJECTS[p % len(_PROJECTS)]} {p // len(_PROJECTS) + 1}",
                "Project team",
                "OKTA_GROUP",
                functools.partial(self._where_byte, users.project, p),
            )
            for p in range(users.projects)
        ]
        self.rules = self._build_rules()

    def _where_byte(self, values: Sequence[int], wanted: int) -> array[int]:
        return array("I", (i for i, value in enumerate(values) if value == wanted))

    def _where(self, keep: Callable[[int], bool]) -> array[int]:
        return array("I", (i for i in range(self.users.count) if keep(i)))

    def _add(
        self,
        name: str,
        description: str,
        group_type: str,
        members: Callable[[], Sequence[int]],
    ) -> str:
        ctx = self.ctx
        index = len(self.groups)
        group_id = ctx.okta_id("00g", "group", index)
        rng = ctx.rng("group", index)
        created = rng.uniform(400, 1500)
        object_class = (
            ["okta:windows_security_principal"]
            if group_type == "APP_GROUP"
            else ["okta:user_group"]
        )
        profile: dict[str, Any] = {"name": name, "description": description}
        if group_type == "APP_GROUP":
            profile.update(
                {
                    "samAccountName": name.replace(" ", ""),
                    "dn": f"CN={name},CN=Users,DC=corp,DC=local",
                    "windowsDomainQualifiedName": f"CORP\\{name.replace(' ', '')}",
                    "externalId": ctx.uuid("ad-group", index),
                }
            )
        group = {
            "id": group_id,
            "created": ctx.stamp(days=created),
            "lastUpdated": ctx.stamp(days=rng.uniform(30, created)),
            "lastMembershipUpdated": ctx.stamp(days=rng.uniform(0, 30)),
            "objectClass": object_class,
            "type": group_type,
            "profile": profile,
            "_links": {
                "logo": [
                    {
                        "name": "medium",
                        "href": ctx.href("/assets/img/logos/groups/okta-medium.png"),
                        "type": "image/png",
                    }
                ],
                "users": ctx.link(f"/api/v1/groups/{group_id}/users"),
                "apps": ctx.link(f"/api/v1/groups/{group_id}/apps"),
            },
        }
        self.groups.append(group)
        self._by_id[group_id] = group
        self._members[group_id] = members
        return group_id

    def group(self, group_id: str) -> dict[str, Any] | None:
        return self._by_id.get(group_id)

    def member_indices(self, group_id: str) -> Sequence[int]:
        if group_id not in self._cache:
            self._cache[group_id] = self._members[group_id]()
        return self._cache[group_id]

    def member_ids(self, group_id: str) -> MemberIds:
        return MemberIds(self.member_indices(group_id), self.users.user_id)

    def groups_of(self, i: int) -> list[dict[str, Any]]:
        users = self.users
        ids = [
            self.everyone_id,
            self.department_ids[users.department[i]],
            self.project_ids[users.project[i]],
        ]
        if users.in_ad_group(i):
            ids.append(self.ad_group_id)
        seat = users.seats.get(i)
        if seat and seat.via_group:
            ids.append(self.help_desk_id)
        return [self._by_id[g] for g in sorted(ids)]

    def _build_rules(self) -> list[dict[str, Any]]:
        ctx = self.ctx
        rules: list[dict[str, Any]] = []
        specs: list[tuple[str, str, list[str]]] = [
            (
                f"Department: {name}",
                f'user.department=="{name}"',
                [self.department_ids[d]],
            )
            for d, name in enumerate(DEPARTMENTS[:4])
        ]
        if ctx.typical:
            specs.append(
                (
                    "Auto-assign help desk leads",
                    'String.stringContains(user.title, "Help Desk Lead")',
                    [self.help_desk_id],
                )
            )
        for index, (name, expression, group_ids) in enumerate(specs):
            rule_id = ctx.okta_id("0pr", "group-rule", index)
            rng = ctx.rng("group-rule", index)
            created = rng.uniform(100, 900)
            rules.append(
                {
                    "id": rule_id,
                    "type": "group_rule",
                    "status": "ACTIVE",
                    "name": name,
                    "created": ctx.stamp(days=created),
                    "lastUpdated": ctx.stamp(days=rng.uniform(1, created)),
                    "conditions": {
                        "people": {"users": {"exclude": []}, "groups": {"exclude": []}},
                        "expression": {
                            "value": expression,
                            "type": "urn:okta:expression:1.0",
                        },
                    },
                    "actions": {"assignUserToGroups": {"groupIds": group_ids}},
                }
            )
        if ctx.typical:
            escalation = rules[-1]
            ctx.plant(
                "group-rule-admin-group",
                "admin.group_rule_escalation",
                ("GroupRule", escalation["id"], escalation["name"]),
                f"an ACTIVE group rule adds users to '{HELP_DESK_GROUP}', a group "
                "holding HELP_DESK_ADMIN; no rule should target an admin group",
            )
        return rules
