"""Admin role assignments, custom roles, resource sets and client roles.

Users hold roles directly (``assignmentType: USER``) or through a group
(``GROUP``); service apps hold them as clients (``CLIENT``; okta-api.md §6).
Custom roles are granted on a resource set. The typical profile plants too many
super admins, admins without (phishing-resistant) MFA, a dormant admin, a role on
a suspended account, a takeover-grade custom role and a service app holding
SUPER_ADMIN (checks.md §7).
"""

from __future__ import annotations

from typing import Any

from atomation.simulator.generator._common import Context
from atomation.simulator.generator.groups import GroupDirectory
from atomation.simulator.generator.roster import AdminSeat

__all__ = ["ROLE_LABELS", "RoleBook"]

ROLE_LABELS = {
    "SUPER_ADMIN": "Super Administrator",
    "ORG_ADMIN": "Organizational Administrator",
    "APP_ADMIN": "Application Administrator",
    "USER_ADMIN": "Group Administrator",
    "HELP_DESK_ADMIN": "Help Desk Administrator",
    "READ_ONLY_ADMIN": "Read Only Administrator",
    "REPORT_ADMIN": "Report Administrator",
    "GROUP_MEMBERSHIP_ADMIN": "Group Membership Administrator",
    "API_ACCESS_MANAGEMENT_ADMIN": "API Access Management Administrator",
}


class RoleBook:
    """Every role assignment in the org, by user, group and client."""

    def __init__(
        self, ctx: Context, groups: GroupDirectory, service_apps: dict[str, str]
    ) -> None:
        self.ctx = ctx
        self.groups = groups
        users = groups.users
        self._count = 0
        self.custom_roles, self.resource_sets, self.permissions = self._custom()
        self.user_roles: dict[str, list[dict[str, Any]]] = {}
        self.group_roles: dict[str, list[dict[str, Any]]] = {}
        self.client_roles: dict[str, list[dict[str, Any]]] = {}
        for seat in sorted(users.seats.values(), key=lambda s: s.index):
            user_id = users.user_id(seat.index)
            if seat.via_group:
                group_id = groups.help_desk_id
                if group_id not in self.group_roles:
                    self.group_roles[group_id] = [
                        self._assignment(
                            seat.role, "GROUP", f"/api/v1/groups/{group_id}"
                        )
                    ]
                assignment = dict(self.group_roles[group_id][0])
                self.user_roles.setdefault(user_id, []).append(assignment)
            else:
                self.user_roles.setdefault(user_id, []).append(
                    self._assignment(seat.role, "USER", f"/api/v1/users/{user_id}")
                )
        for label, app_id in service_apps.items():
            role = (
                "SUPER_ADMIN" if label == "Legacy Directory Sync" else "READ_ONLY_ADMIN"
            )
            self.client_roles[app_id] = [
                self._assignment(role, "CLIENT", f"/oauth2/v1/clients/{app_id}")
            ]
            if role == "SUPER_ADMIN":
                ctx.plant(
                    "service-app-super-admin",
                    "admin.service_app_roles",
                    ("Application", app_id, label),
                    "a service app holds SUPER_ADMIN; READ_ONLY_ADMIN or a "
                    "scoped custom role is expected",
                )
        self._plant(users.seats)

    def _assignment(self, role: str, how: str, assignee: str) -> dict[str, Any]:
        ctx = self.ctx
        index = self._count
        self._count += 1
        stamp = ctx.stamp(days=ctx.rng("role", index).uniform(20, 700))
        links: dict[str, Any] = {"assignee": ctx.link(assignee)}
        if role == "CUSTOM":
            role_id = self.custom_roles[0]["id"]
            set_id = self.resource_sets[0]["id"]
            return {
                "id": ctx.okta_id("irb", "binding", index),
                "label": self.custom_roles[0]["label"],
                "type": "CUSTOM",
                "status": "ACTIVE",
                "created": stamp,
                "lastUpdated": stamp,
                "assignmentType": how,
                "resource-set": set_id,
                "role": role_id,
                "_links": {
                    **links,
                    "role": ctx.link(f"/api/v1/iam/roles/{role_id}"),
                    "resource-set": ctx.link(f"/api/v1/iam/resource-sets/{set_id}"),
                    "permissions": ctx.link(f"/api/v1/iam/roles/{role_id}/permissions"),
                    "member": ctx.link(
                        f"/api/v1/iam/resource-sets/{set_id}/bindings/{role_id}/members"
                    ),
                },
            }
        return {
            "id": ctx.okta_id("ra1", "role-assignment", index),
            "label": ROLE_LABELS[role],
            "type": role,
            "status": "ACTIVE",
            "created": stamp,
            "lastUpdated": stamp,
            "assignmentType": how,
            "_links": links,
        }

    def _custom(
        self,
    ) -> tuple[list[dict[str, Any]], list[dict[str, Any]], dict[str, list[str]]]:
        ctx = self.ctx
        role_id = ctx.okta_id("cr0", "custom-role", 0)
        set_id = ctx.okta_id("iam", "resource-set", 0)
        if ctx.typical:
            label, description = (
                "Password Reset Operator",
                "Resets passwords for anyone",
            )
            permissions = [
                "okta.users.read",
                "okta.users.credentials.resetPassword",
                "okta.users.credentials.resetFactors",
            ]
            set_label, set_description = "All users", "Every user in the org"
        else:
            label, description = "Directory Viewer", "Reads engineering users"
            permissions = ["okta.users.read", "okta.groups.read"]
            set_label, set_description = "Engineering", "The Engineering group"
        stamp = ctx.stamp(days=300)
        role = {
            "id": role_id,
            "label": label,
            "description": description,
            "created": stamp,
            "lastUpdated": stamp,
            "_links": {
                "permissions": ctx.link(f"/api/v1/iam/roles/{role_id}/permissions"),
                "self": ctx.link(f"/api/v1/iam/roles/{role_id}"),
            },
        }
        resource_set = {
            "id": set_id,
            "label": set_label,
            "description": set_description,
            "created": stamp,
            "lastUpdated": stamp,
            "_links": {
                "self": ctx.link(f"/api/v1/iam/resource-sets/{set_id}"),
                "resources": ctx.link(f"/api/v1/iam/resource-sets/{set_id}/resources"),
                "bindings": ctx.link(f"/api/v1/iam/resource-sets/{set_id}/bindings"),
            },
        }
        if ctx.typical:
            ctx.plant(
                "custom-role-takeover",
                "admin.custom_role_risk",
                ("CustomRole", role_id, label),
                "the role can reset passwords and factors over a resource set "
                "holding all users",
            )
        return [role], [resource_set], {role_id: permissions}

    def _plant(self, seats: dict[int, AdminSeat]) -> None:
        ctx = self.ctx
        users = self.groups.users
        supers = [s for s in seats.values() if s.role == "SUPER_ADMIN"]
        first = users.user_id(0)
        ctx.plant(
            "too-many-super-admins",
            "admin.super_admin_count",
            ("User", first, users.login(0)),
            f"{len(supers)} users hold SUPER_ADMIN; at most 15 and at most "
            "half of all admins are allowed",
        )
        for seat in seats.values():
            target = ("User", users.user_id(seat.index), users.login(seat.index))
            if seat.strength == "none":
                ctx.plant(
                    "admin-no-mfa",
                    "admin.no_mfa",
                    target,
                    f"{seat.role} holder has no active second factor",
                )
            elif seat.strength == "weak":
                ctx.plant(
                    "admin-not-phishing-resistant",
                    "admin.phishing_resistant_factor",
                    target,
                    f"{seat.role} holder's only second factor is sms",
                )
            if seat.status != "ACTIVE":
                ctx.plant(
                    "admin-role-on-suspended",
                    "admin.role_on_disabled_user",
                    target,
                    f"{seat.role} is held by a {seat.status} account",
                )
            elif seat.last_login_days > 30:
                ctx.plant(
                    "admin-dormant",
                    "admin.dormant",
                    target,
                    f"{seat.role} holder last signed in "
                    f"{seat.last_login_days:.0f} days ago (more than 30)",
                )
