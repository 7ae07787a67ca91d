"""Reads of who may do what: roles, resource sets, assignees, authorization servers.

The ``/iam`` lists are wrapper objects with ``_links.next`` rather than bare arrays
(okta-api.md §3.5, §6).
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response

from atomation.simulator.server.errors import OktaApiError, json_response, not_found
from atomation.simulator.server.listing import page_response, paged, sim_state
from atomation.simulator.server.reads import org_of, path_param, read

__all__: list[str] = []

# -- roles and resource sets --------------------------------------------------


def _wrapper(request: Request, key: str, source: Any, limits_key: str) -> Response:
    """An ``/iam`` list: ``{key: [...], "_links": {"next": ...}}`` (§3.5, §6)."""
    items, next_after = paged(request, source, limits_key)
    return json_response({key: items, "_links": _wrapper_links(request, next_after)})


def _wrapper_links(request: Request, next_after: str | None) -> dict[str, Any]:
    """``_links.next`` repeating the request's parameters with the new ``after``."""
    if next_after is None:
        return {}
    params = [(k, v) for k, v in request.query_params.multi_items() if k != "after"]
    params.append(("after", next_after))
    base = sim_state(request).base_url
    return {"next": {"href": f"{base}{request.url.path}?{urlencode(params)}"}}


@read("/api/v1/iam/roles", "okta.roles.read", "iam")
async def list_custom_roles(request: Request) -> Response:
    return _wrapper(request, "roles", org_of(request).custom_roles, "iam_roles")


@read("/api/v1/iam/roles/{role}/permissions", "okta.roles.read", "iam")
async def list_role_permissions(request: Request) -> Response:
    """A custom role's permissions, ``{"permissions": [...]}`` [SPEC-M Permissions].

    The role is named by id or label (``roleIdOrLabel``); each permission carries
    the role's own timestamps, since the generator keeps only permission names.
    """
    wanted = path_param(request, "role")
    role = next(
        (
            r
            for r in org_of(request).custom_roles
            if wanted in (r["id"], r.get("label"))
        ),
        None,
    )
    if role is None:
        raise not_found(wanted, "Role")
    base = sim_state(request).base_url
    role_href = f"{base}/api/v1/iam/roles/{role['id']}"
    permissions = [
        {
            "label": label,
            "created": role.get("created"),
            "lastUpdated": role.get("lastUpdated"),
            "_links": {
                "role": {"href": role_href},
                "self": {"href": f"{role_href}/permissions/{label}"},
            },
        }
        for label in org_of(request).role_permissions(role["id"])
    ]
    return json_response({"permissions": permissions})


@read("/api/v1/iam/resource-sets", "okta.roles.read", "iam")
async def list_resource_sets(request: Request) -> Response:
    sets = org_of(request).resource_sets
    return _wrapper(request, "resource-sets", sets, "iam_resource_sets")


@read("/api/v1/iam/assignees/users", "okta.roles.read", "roleAssignments")
async def list_role_assignees(request: Request) -> Response:
    org = org_of(request)
    base = sim_state(request).base_url

    def assignee(user_id: str) -> dict[str, Any]:
        return {
            "id": user_id,
            "orn": f"orn:okta:directory:{org.org_id}:users:{user_id}",
            "_links": {
                "self": {"href": f"{base}/api/v1/users/{user_id}"},
                "roles": {"href": f"{base}/api/v1/users/{user_id}/roles"},
            },
        }

    items, next_after = paged(request, org.role_assignee_user_ids, "iam_assignees")
    links = _wrapper_links(request, next_after)
    return json_response({"value": [assignee(i) for i in items], "_links": links})


@read("/oauth2/v1/clients/{client_id}/roles", "okta.roles.read", "roleAssignments")
async def list_client_roles(request: Request) -> Response:
    client_id = path_param(request, "client_id")
    if sim_state(request).find_client(client_id) is None:
        raise not_found(client_id, "Client")
    return json_response(org_of(request).client_roles.get(client_id, []))


# -- authorization servers ----------------------------------------------------

_AS_SCOPE = "okta.authorizationServers.read"


def _authorization_server(request: Request) -> dict[str, Any]:
    if not sim_state(request).config.api_access_management:
        raise OktaApiError(401, "E0000015")
    as_id = path_param(request, "as_id")
    found = next(
        (s for s in org_of(request).authorization_servers if s["id"] == as_id), None
    )
    if found is None:
        raise not_found(as_id, "AuthorizationServer")
    return dict(found)


@read("/api/v1/authorizationServers", _AS_SCOPE, "authorizationServers")
async def list_authorization_servers(request: Request) -> Response:
    if not sim_state(request).config.api_access_management:
        raise OktaApiError(401, "E0000015")
    servers = org_of(request).authorization_servers
    return page_response(request, servers, "authorization_servers")


@read("/api/v1/authorizationServers/{as_id}", _AS_SCOPE, "authorizationServers")
async def get_authorization_server(request: Request) -> Response:
    return json_response(_authorization_server(request))


@read(
    "/api/v1/authorizationServers/{as_id}/policies", _AS_SCOPE, "authorizationServers"
)
async def list_as_policies(request: Request) -> Response:
    server = _authorization_server(request)
    return json_response(org_of(request).as_policies(server["id"]))


@read(
    "/api/v1/authorizationServers/{as_id}/policies/{policy_id}/rules",
    _AS_SCOPE,
    "authorizationServers",
)
async def list_as_policy_rules(request: Request) -> Response:
    server = _authorization_server(request)
    policy_id = path_param(request, "policy_id")
    org = org_of(request)
    if not any(p["id"] == policy_id for p in org.as_policies(server["id"])):
        raise not_found(policy_id, "AuthorizationServerPolicy")
    return json_response(org.as_policy_rules(server["id"], policy_id))


@read("/api/v1/authorizationServers/{as_id}/scopes", _AS_SCOPE, "authorizationServers")
async def list_as_scopes(request: Request) -> Response:
    server = _authorization_server(request)
    return json_response(org_of(request).as_scopes(server["id"]))


@read("/api/v1/authorizationServers/{as_id}/claims", _AS_SCOPE, "authorizationServers")
async def list_as_claims(request: Request) -> Response:
    server = _authorization_server(request)
    return json_response(org_of(request).as_claims(server["id"]))
