"""The management API read endpoints behind the ten read scopes (okta-api.md §3.5).

Each route is declared once with the scope Okta's spec requires for it [SPEC-M
security blocks] and the resource family the role matrix uses. Data comes from the
``Org``; lists are bare arrays paged by :mod:`listing`, the ``/iam`` lists are wrapper
objects with ``_links.next`` (§6).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atomation.simulator.server import scim
from atomation.simulator.server.auth import Principal, authorize
from atomation.simulator.server.edge import SCOPE_KEY
from atomation.simulator.server.errors import (
    OktaApiError,
    json_response,
    not_found,
    validation_failed,
)
from atomation.simulator.server.listing import page_response, paged, sim_state

__all__ = ["READ_ROUTES", "ReadEndpoint"]

Handler = Callable[[Request], Awaitable[Response]]

POLICY_TYPES = frozenset(
    {
        "OKTA_SIGN_ON",
        "PASSWORD",
        "MFA_ENROLL",
        "ACCESS_POLICY",
        "PROFILE_ENROLLMENT",
        "IDP_DISCOVERY",
        "POST_AUTH_SESSION",
        "ENTITY_RISK",
        "DEVICE_SIGNAL_COLLECTION",
        "SESSION_VIOLATION_DETECTION",
        "CLIENT_UPDATE",
        "IDENTITY_CLAIM_SOURCING",
    }
)

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


@dataclass(frozen=True)
class ReadEndpoint:
    path: str
    scope: str
    family: str
    handler: Handler


READ_ROUTES: list[ReadEndpoint] = []


def read(path: str, scope: str, family: str) -> Callable[[Handler], Handler]:
    def register(handler: Handler) -> Handler:
        READ_ROUTES.append(ReadEndpoint(path, scope, family, handler))
        return handler

    return register


def _org(request: Request) -> Any:
    return sim_state(request).org


def _param(request: Request, name: str) -> str:
    return str(request.path_params[name])


def _scim_keep(
    expression: str, allowed: frozenset[str] | None = None
) -> Callable[[Any], bool]:
    """A predicate for ``search``/``filter``; 400 E0000031 when it cannot be used."""
    try:
        tree = scim.parse(expression)
    except scim.ScimFilterError:
        raise OktaApiError(400, "E0000031") from None
    if allowed is not None:
        for comparison in scim.attributes(tree):
            if comparison.attribute not in allowed:
                raise OktaApiError(400, "E0000031")
    return lambda item: scim.evaluate(tree, item)


def _q_keep(q: str, *paths: str) -> Callable[[Any], bool]:
    prefix = q.lower()

    def keep(item: Any) -> bool:
        for path in paths:
            value: Any = item
            for part in path.split("."):
                value = value.get(part) if isinstance(value, dict) else None
            if isinstance(value, str) and value.lower().startswith(prefix):
                return True
        return False

    return keep


# -- users -------------------------------------------------------------------


@read("/api/v1/users", "okta.users.read", "users")
async def list_users(request: Request) -> Response:
    query = request.query_params
    keep: Callable[[Any], bool]
    if query.get("search"):
        keep = _scim_keep(query["search"])
    elif query.get("filter"):
        keep = _scim_keep(query["filter"], USER_FILTER_ATTRIBUTES)
    elif query.get("q"):
        keep = _q_keep(
            query["q"],
            "profile.login",
            "profile.email",
            "profile.firstName",
            "profile.lastName",
        )
    else:
        # Without search or filter, Okta leaves DEPROVISIONED users out (§3.5).
        def keep(user: Any) -> bool:
            return bool(user.get("status") != "DEPROVISIONED")

    return page_response(request, _org(request).users, "users", keep=keep)


def _user(request: Request) -> dict[str, Any]:
    org = _org(request)
    id_or_login = _param(request, "user_id")
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
    return json_response(_org(request).user_factors(user["id"]))


@read("/api/v1/users/{user_id}/groups", "okta.users.read", "users")
async def list_user_groups(request: Request) -> Response:
    user = _user(request)
    return json_response(_org(request).user_groups(user["id"]))


@read("/api/v1/users/{user_id}/roles", "okta.roles.read", "roleAssignments")
async def list_user_roles(request: Request) -> Response:
    user = _user(request)
    return json_response(_org(request).user_roles(user["id"]))


# -- groups ------------------------------------------------------------------


@read("/api/v1/groups", "okta.groups.read", "groups")
async def list_groups(request: Request) -> Response:
    query = request.query_params
    keep = None
    if query.get("search"):
        keep = _scim_keep(query["search"])
    elif query.get("filter"):
        keep = _scim_keep(query["filter"])
    elif query.get("q"):
        keep = _q_keep(query["q"], "profile.name")
    return page_response(request, _org(request).groups, "groups", keep=keep)


@read("/api/v1/groups/rules", "okta.groups.read", "groups")
async def list_group_rules(request: Request) -> Response:
    return page_response(request, _org(request).group_rules, "group_rules")


def _group(request: Request) -> dict[str, Any]:
    group_id = _param(request, "group_id")
    group = _org(request).group(group_id)
    if group is None:
        raise not_found(group_id, "UserGroup")
    return dict(group)


@read("/api/v1/groups/{group_id}", "okta.groups.read", "groups")
async def get_group(request: Request) -> Response:
    return json_response(_group(request))


@read("/api/v1/groups/{group_id}/users", "okta.groups.read", "groups")
async def list_group_users(request: Request) -> Response:
    org = _org(request)
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
    return json_response(_org(request).group_roles(group["id"]))


# -- apps --------------------------------------------------------------------


@read("/api/v1/apps", "okta.apps.read", "apps")
async def list_apps(request: Request) -> Response:
    query = request.query_params
    keep = None
    if query.get("filter"):
        keep = _scim_keep(query["filter"])
    elif query.get("q"):
        keep = _q_keep(query["q"], "label", "name")
    return page_response(request, _org(request).apps, "apps", keep=keep)


def _app(request: Request) -> dict[str, Any]:
    app_id = _param(request, "app_id")
    app = _org(request).app(app_id)
    if app is None:
        raise not_found(app_id, "AppInstance")
    return dict(app)


@read("/api/v1/apps/{app_id}", "okta.apps.read", "apps")
async def get_app(request: Request) -> Response:
    return json_response(_app(request))


@read("/api/v1/apps/{app_id}/users", "okta.apps.read", "apps")
async def list_app_users(request: Request) -> Response:
    app = _app(request)
    return page_response(request, _org(request).app_users(app["id"]), "app_users")


@read("/api/v1/apps/{app_id}/groups", "okta.apps.read", "apps")
async def list_app_groups(request: Request) -> Response:
    app = _app(request)
    return page_response(request, _org(request).app_groups(app["id"]), "app_groups")


# -- policies ----------------------------------------------------------------


@read("/api/v1/policies", "okta.policies.read", "policies")
async def list_policies(request: Request) -> Response:
    policy_type = request.query_params.get("type")
    if not policy_type or policy_type not in POLICY_TYPES:
        raise validation_failed("type")
    status = request.query_params.get("status")
    keep = None
    if status:

        def keep(policy: Any) -> bool:
            return bool(policy.get("status") == status)

    return page_response(
        request, _org(request).policies(policy_type), "policies", keep=keep
    )


def _policy(request: Request) -> dict[str, Any]:
    policy_id = _param(request, "policy_id")
    policy = _org(request).policy(policy_id)
    if policy is None:
        raise not_found(policy_id, "Policy")
    return dict(policy)


@read("/api/v1/policies/{policy_id}", "okta.policies.read", "policies")
async def get_policy(request: Request) -> Response:
    return json_response(_policy(request))


@read("/api/v1/policies/{policy_id}/rules", "okta.policies.read", "policies")
async def list_policy_rules(request: Request) -> Response:
    policy = _policy(request)
    rules = _org(request).policy_rules(policy["id"])
    return page_response(request, rules, "policy_rules")


@read("/api/v1/policies/{policy_id}/mappings", "okta.policies.read", "policies")
async def list_policy_mappings(request: Request) -> Response:
    policy = _policy(request)
    return json_response(_org(request).policy_mappings(policy["id"]))


# -- zones, trusted origins, identity providers -------------------------------


@read("/api/v1/zones", "okta.networkZones.read", "zones")
async def list_zones(request: Request) -> Response:
    query = request.query_params
    keep = _scim_keep(query["filter"]) if query.get("filter") else None
    return page_response(request, _org(request).zones, "zones", keep=keep)


@read("/api/v1/trustedOrigins", "okta.trustedOrigins.read", "trustedOrigins")
async def list_trusted_origins(request: Request) -> Response:
    query = request.query_params
    keep = _scim_keep(query["filter"]) if query.get("filter") else None
    origins = _org(request).trusted_origins
    return page_response(request, origins, "trusted_origins", keep=keep)


@read("/api/v1/idps", "okta.idps.read", "idps")
async def list_idps(request: Request) -> Response:
    idp_type = request.query_params.get("type")
    keep = None
    if idp_type:

        def keep(idp: Any) -> bool:
            return bool(idp.get("type") == idp_type)

    return page_response(request, _org(request).idps, "idps", keep=keep)


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
    return _wrapper(request, "roles", _org(request).custom_roles, "iam_roles")


@read("/api/v1/iam/resource-sets", "okta.roles.read", "iam")
async def list_resource_sets(request: Request) -> Response:
    sets = _org(request).resource_sets
    return _wrapper(request, "resource-sets", sets, "iam_resource_sets")


@read("/api/v1/iam/assignees/users", "okta.roles.read", "roleAssignments")
async def list_role_assignees(request: Request) -> Response:
    org = _org(request)
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
    client_id = _param(request, "client_id")
    if sim_state(request).find_client(client_id) is None:
        raise not_found(client_id, "Client")
    return json_response(_org(request).client_roles.get(client_id, []))


# -- authorization servers ----------------------------------------------------

_AS_SCOPE = "okta.authorizationServers.read"


def _authorization_server(request: Request) -> dict[str, Any]:
    if not sim_state(request).config.api_access_management:
        raise OktaApiError(401, "E0000015")
    as_id = _param(request, "as_id")
    found = next(
        (s for s in _org(request).authorization_servers if s["id"] == as_id), None
    )
    if found is None:
        raise not_found(as_id, "AuthorizationServer")
    return dict(found)


@read("/api/v1/authorizationServers", _AS_SCOPE, "authorizationServers")
async def list_authorization_servers(request: Request) -> Response:
    if not sim_state(request).config.api_access_management:
        raise OktaApiError(401, "E0000015")
    servers = _org(request).authorization_servers
    return page_response(request, servers, "authorization_servers")


@read("/api/v1/authorizationServers/{as_id}", _AS_SCOPE, "authorizationServers")
async def get_authorization_server(request: Request) -> Response:
    return json_response(_authorization_server(request))


@read(
    "/api/v1/authorizationServers/{as_id}/policies", _AS_SCOPE, "authorizationServers"
)
async def list_as_policies(request: Request) -> Response:
    server = _authorization_server(request)
    return json_response(_org(request).as_policies(server["id"]))


@read(
    "/api/v1/authorizationServers/{as_id}/policies/{policy_id}/rules",
    _AS_SCOPE,
    "authorizationServers",
)
async def list_as_policy_rules(request: Request) -> Response:
    server = _authorization_server(request)
    policy_id = _param(request, "policy_id")
    org = _org(request)
    if not any(p["id"] == policy_id for p in org.as_policies(server["id"])):
        raise not_found(policy_id, "AuthorizationServerPolicy")
    return json_response(org.as_policy_rules(server["id"], policy_id))


@read("/api/v1/authorizationServers/{as_id}/scopes", _AS_SCOPE, "authorizationServers")
async def list_as_scopes(request: Request) -> Response:
    server = _authorization_server(request)
    return json_response(_org(request).as_scopes(server["id"]))


@read("/api/v1/authorizationServers/{as_id}/claims", _AS_SCOPE, "authorizationServers")
async def list_as_claims(request: Request) -> Response:
    server = _authorization_server(request)
    return json_response(_org(request).as_claims(server["id"]))


def read_routes() -> list[Route]:
    """Starlette routes for every read, wrapped in authentication and authorization."""
    from atomation.simulator.server.logs import list_logs

    endpoints = [
        *READ_ROUTES,
        ReadEndpoint("/api/v1/logs", "okta.logs.read", "logs", list_logs),
    ]
    return [Route(e.path, _guarded(e), methods=["GET"]) for e in endpoints]


def _guarded(endpoint: ReadEndpoint) -> Handler:
    async def handle(request: Request) -> Response:
        principal: Principal = authorize(
            request, sim_state(request), scope=endpoint.scope, family=endpoint.family
        )
        if principal.client_id is not None:
            request.scope[SCOPE_KEY]["client_id"] = principal.client_id
        return await endpoint.handler(request)

    handle.__name__ = endpoint.handler.__name__
    return handle
