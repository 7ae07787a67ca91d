"""Reads of the directory: users (with factors, groups, roles) and groups (§3.5)."""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from atomation.simulator.server.errors import json_response, not_found
from atomation.simulator.server.listing import page_response
from atomation.simulator.server.reads import (
    org_of,
    path_param,
    q_keep,
    read,
    scim_keep,
)

__all__ = ["USER_FILTER_ATTRIBUTES"]

# Attributes the users list accepts in ``filter`` (search takes any) [DOC-OLD users].
USER_FILTER_ATTRIBUTES = frozenset(
    {
        "status",
        "lastUpdated",
        "id",
        "profile.login",
        "profile.email",
        "profile.firstName",
        "profile.lastName",
    }
)


# -- users -------------------------------------------------------------------


@read("/api/v1/users", "okta.users.read", "users")
async def list_users(request: Request) -> Response:
    query = request.query_params
    keep: Callable[[Any], bool]
    if query.get("search"):
        keep = scim_keep(query["search"])
    elif query.get("filter"):
        keep = scim_keep(query["filter"], USER_FILTER_ATTRIBUTES)
    elif query.get("q"):
        keep = q_keep(
            query["q"],
            "profile.login",
            "profile.email",
            "profile.firstName",
            "profile.lastName",
        )
        # ``q`` is a prefix search answered in one page (§3.5 [DOC-OLD users]).
        return page_response(
            request, org_of(request).users, "users_q", keep=keep, single_page=True
        )
    else:
        # Without search or filter, Okta leaves DEPROVISIONED users out (§3.5).
        def keep(user: Any) -> bool:
            return bool(user.get("status") != "DEPROVISIONED")

    return page_response(request, org_of(request).users, "users", keep=keep)


def _user(request: Request) -> dict[str, Any]:
    org = org_of(request)
    id_or_login = path_param(request, "user_id")
    user = org.user(id_or_login)
    if user is None and "@" in id_or_login:
        user = next(
            (u for u in org.users if u["profile"].get("login") == id_or_login), None
        )
    if user is None:
        raise not_found(id_or_login, "User")
    return dict(user)


@read("/api/v1/users/{user_id}", "okta.users.read", "users")
async def get_user(request: Request) -> Response:
    return json_response(_user(request))


@read("/api/v1/users/{user_id}/factors", "okta.users.read", "users")
async def list_factors(request: Request) -> Response:
    user = _user(request)
    return json_response(org_of(request).user_factors(user["id"]))


@read("/api/v1/users/{user_id}/groups", "okta.users.read", "users")
async def list_user_groups(request: Request) -> Response:
    user = _user(request)
    return json_response(org_of(request).user_groups(user["id"]))


@read("/api/v1/users/{user_id}/roles", "okta.roles.read", "roleAssignments")
async def list_user_roles(request: Request) -> Response:
    user = _user(request)
    return json_response(org_of(request).user_roles(user["id"]))


# -- groups ------------------------------------------------------------------


@read("/api/v1/groups", "okta.groups.read", "groups")
async def list_groups(request: Request) -> Response:
    query = request.query_params
    keep = None
    if query.get("search"):
        keep = scim_keep(query["search"])
    elif query.get("filter"):
        keep = scim_keep(query["filter"])
    elif query.get("q"):
        keep = q_keep(query["q"], "profile.name")
        return page_response(
            request, org_of(request).groups, "groups_q", keep=keep, single_page=True
        )
    transform = None
    if "stats" in query.get("expand", "").split(","):
        transform = _with_stats(org_of(request))
    return page_response(
        request, org_of(request).groups, "groups", keep=keep, transform=transform
    )


def _with_stats(org: Any) -> Callable[[Any], Any]:
    """``expand=stats``: member, app and admin-role facts in ``_embedded.stats``.

    The key ``hasAdminPrivlege`` is spelled as in the spec's ``Group`` schema; how
    the live API spells it is not recorded in our sources.
    """
    apps_per_group = Counter(
        assignment["id"] for app in org.apps for assignment in org.app_groups(app["id"])
    )

    def add_stats(group: Any) -> Any:
        stats = {
            "usersCount": len(org.group_member_ids(group["id"])),
            "appsCount": apps_per_group.get(group["id"], 0),
            "groupPushMappingsCount": 0,
            "hasAdminPrivlege": bool(org.group_roles(group["id"])),
        }
        embedded = {**group.get("_embedded", {}), "stats": stats}
        return {**group, "_embedded": embedded}

    return add_stats


@read("/api/v1/groups/rules", "okta.groups.read", "groups")
async def list_group_rules(request: Request) -> Response:
    return page_response(request, org_of(request).group_rules, "group_rules")


def _group(request: Request) -> dict[str, Any]:
    group_id = path_param(request, "group_id")
    group = org_of(request).group(group_id)
    if group is None:
        raise not_found(group_id, "UserGroup")
    return dict(group)


@read("/api/v1/groups/{group_id}", "okta.groups.read", "groups")
async def get_group(request: Request) -> Response:
    return json_response(_group(request))


@read("/api/v1/groups/{group_id}/users", "okta.groups.read", "groups")
async def list_group_users(request: Request) -> Response:
    org = org_of(request)
    group = _group(request)
    return page_response(
        request,
        org.group_member_ids(group["id"]),
        "group_users",
        transform=org.user,
    )


@read("/api/v1/groups/{group_id}/roles", "okta.roles.read", "roleAssignments")
async def list_group_roles(request: Request) -> Response:
    group = _group(request)
    return json_response(org_of(request).group_roles(group["id"]))
