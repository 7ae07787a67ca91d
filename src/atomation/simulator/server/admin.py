"""The admin side of setup, through Okta's own API with ``Authorization: SSWS``.

What an Okta administrator does to connect Atomation (DESIGN.md, "The customer's
path"), as API calls any Okta client can make [SPEC-M]:

* ``POST /api/v1/apps``: create an OIDC service app (``application_type: service``,
  ``client_credentials``, ``private_key_jwt`` with a ``jwks_uri``); ``PUT`` replaces
  it (e.g. to toggle ``settings.oauthClient.dpop_bound_access_tokens``);
* ``/api/v1/apps/{id}/grants``: Okta API scope grants (issuer = the org URL);
* ``/oauth2/v1/clients/{clientId}/roles``: admin role assignments of the app.

Only the admin API token may call these; an OAuth token gets 403
``insufficient_scope`` naming the manage scope, as it lacks one.
"""

from __future__ import annotations

import copy
import json
import secrets
import string
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atomation.simulator.server.auth import authenticate
from atomation.simulator.server.errors import (
    ChallengeError,
    OktaApiError,
    json_response,
    not_found,
    validation_failed,
)
from atomation.simulator.server.listing import sim_state
from atomation.simulator.server.roles import ROLE_LABELS
from atomation.simulator.server.token import KNOWN_OKTA_SCOPES

__all__ = ["admin_routes", "new_id", "require_admin_token"]

_ID_ALPHABET = string.ascii_letters + string.digits


def new_id(prefix: str) -> str:
    """An Okta-style 20-character id: a 3-letter prefix and 17 random characters."""
    return prefix + "".join(secrets.choice(_ID_ALPHABET) for _ in range(17))


def _timestamp(request: Request) -> str:
    moment = sim_state(request).clock.now()
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


def require_admin_token(request: Request, manage_scope: str) -> None:
    """Let only the SSWS admin token through; OAuth tokens lack ``manage_scope``."""
    state = sim_state(request)
    principal = authenticate(request, state, manage_scope)
    if principal.token is not None:
        host = state.base_url.split("://", 1)[-1]
        raise ChallengeError(
            403,
            f'Bearer authorization_uri="http://{host}/oauth2/v1/authorize", '
            f'realm="http://{host}", scope="{manage_scope}", '
            'error="insufficient_scope", error_description="The access token '
            f'provided does not contain the required scopes.", '
            f'resource="{request.url.path}"',
        )


async def _body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise OktaApiError(400, "E0000003") from None
    if not isinstance(body, dict):
        raise OktaApiError(400, "E0000003")
    return body


def _merge(base: dict[str, Any], update: dict[str, Any]) -> dict[str, Any]:
    for key, value in update.items():
        if isinstance(value, dict) and isinstance(base.get(key), dict):
            _merge(base[key], value)
        else:
            base[key] = value
    return base


def _service_app(request: Request, body: dict[str, Any], app_id: str) -> dict[str, Any]:
    """An OIDC service app in the spec's shape, with the request's fields merged in."""
    base = sim_state(request).base_url
    now = _timestamp(request)
    org_id = sim_state(request).org.org_id
    app: dict[str, Any] = {
        "id": app_id,
        "orn": f"orn:okta:idp:{org_id}:apps:oidc_client:{app_id}",
        "name": "oidc_client",
        "label": body.get("label"),
        "status": "ACTIVE",
        "created": now,
        "lastUpdated": now,
        "signOnMode": "OPENID_CONNECT",
        "features": [],
        "accessibility": {"selfService": False},
        "visibility": {
            "autoSubmitToolbar": False,
            "hide": {"iOS": True, "web": True},
            "appLinks": {"oidc_client_link": False},
        },
        "credentials": {
            "userNameTemplate": {"template": "${source.login}", "type": "BUILT_IN"},
            "oauthClient": {
                "autoKeyRotation": True,
                "client_id": app_id,
                "token_endpoint_auth_method": "private_key_jwt",
                "pkce_required": False,
            },
        },
        "settings": {
            "app": {},
            "notifications": {"vpn": {"network": {"connection": "DISABLED"}}},
            "oauthClient": {
                "application_type": "service",
                "grant_types": ["client_credentials"],
                "response_types": ["token"],
                "redirect_uris": [],
                "consent_method": "REQUIRED",
                "issuer_mode": "DYNAMIC",
                "dpop_bound_access_tokens": False,
                "idp_initiated_login": {"mode": "DISABLED", "default_scope": []},
                "wildcard_redirect": "DISABLED",
            },
        },
        "_links": {
            "appLinks": [],
            "groups": {"href": f"{base}/api/v1/apps/{app_id}/groups"},
            "users": {"href": f"{base}/api/v1/apps/{app_id}/users"},
            "deactivate": {"href": f"{base}/api/v1/apps/{app_id}/lifecycle/deactivate"},
            "logo": [],
        },
    }
    incoming = copy.deepcopy(body)
    for readonly in ("id", "created", "lastUpdated", "_links", "_embedded"):
        incoming.pop(readonly, None)
    _merge(app, incoming)
    app["credentials"]["oauthClient"]["client_id"] = app_id
    return app


def _validate_app(app: dict[str, Any]) -> None:
    if not app.get("label"):
        raise validation_failed(
            "label", causes=["label: The field cannot be left blank"]
        )
    if app.get("signOnMode") != "OPENID_CONNECT":
        raise validation_failed(
            "signOnMode",
            causes=["signOnMode: the simulator creates only OPENID_CONNECT apps"],
        )


async def create_app(request: Request) -> Response:
    require_admin_token(request, "okta.apps.manage")
    body = await _body(request)
    app = _service_app(request, body, new_id("0oa"))
    _validate_app(app)
    sim_state(request).org.add_app(app)
    return json_response(app)


async def replace_app(request: Request) -> Response:
    require_admin_token(request, "okta.apps.manage")
    org = sim_state(request).org
    app_id = str(request.path_params["app_id"])
    existing = org.app(app_id)
    if existing is None:
        raise not_found(app_id, "AppInstance")
    body = await _body(request)
    updated = _merge(copy.deepcopy(dict(existing)), body)
    updated["id"] = app_id
    updated["created"] = existing.get("created")
    updated["lastUpdated"] = _timestamp(request)
    oauth = updated.get("credentials", {}).get("oauthClient")
    if isinstance(oauth, dict) and "client_id" in (
        existing.get("credentials", {}).get("oauthClient") or {}
    ):
        oauth["client_id"] = existing["credentials"]["oauthClient"]["client_id"]
    _validate_app(updated)
    org.update_app(app_id, updated)
    return json_response(updated)


def _app_or_404(request: Request) -> dict[str, Any]:
    app_id = str(request.path_params["app_id"])
    app = sim_state(request).org.app(app_id)
    if app is None:
        raise not_found(app_id, "AppInstance")
    return dict(app)


async def list_grants(request: Request) -> Response:
    require_admin_token(request, "okta.appGrants.read")
    app = _app_or_404(request)
    return json_response(sim_state(request).grants.get(app["id"], []))


async def create_grant(request: Request) -> Response:
    require_admin_token(request, "okta.appGrants.manage")
    state = sim_state(request)
    app = _app_or_404(request)
    body = await _body(request)
    scope_id = body.get("scopeId")
    if scope_id not in KNOWN_OKTA_SCOPES:
        raise validation_failed(
            "scopeId", causes=[f"scopeId: unknown scope {scope_id}"]
        )
    if body.get("issuer") != state.base_url:
        raise validation_failed("issuer", causes=["issuer: must be the org URL"])
    grants = state.grants.setdefault(app["id"], [])
    existing = next((g for g in grants if g["scopeId"] == scope_id), None)
    if existing is not None:
        return json_response(existing)
    grant_id = new_id("oag")
    now = _timestamp(request)
    base = state.base_url
    grant = {
        "id": grant_id,
        "status": "ACTIVE",
        "created": now,
        "lastUpdated": now,
        "issuer": state.base_url,
        "clientId": app["id"],
        "scopeId": scope_id,
        "source": "ADMIN",
        "createdBy": {"id": "00u" + "admin" + "0" * 12, "type": "User"},
        "_embedded": {"scope": {"id": scope_id}},
        "_links": {
            "app": {"href": f"{base}/api/v1/apps/{app['id']}"},
            "self": {"href": f"{base}/api/v1/apps/{app['id']}/grants/{grant_id}"},
            "client": {"href": f"{base}/oauth2/v1/clients/{app['id']}"},
        },
    }
    grants.append(grant)
    return json_response(grant, 201)


async def delete_grant(request: Request) -> Response:
    require_admin_token(request, "okta.appGrants.manage")
    state = sim_state(request)
    app = _app_or_404(request)
    grant_id = str(request.path_params["grant_id"])
    grants = state.grants.get(app["id"], [])
    if not any(g["id"] == grant_id for g in grants):
        raise not_found(grant_id, "OAuth2ScopeConsentGrant")
    state.grants[app["id"]] = [g for g in grants if g["id"] != grant_id]
    return Response(b"", 204)


async def assign_client_role(request: Request) -> Response:
    require_admin_token(request, "okta.roles.manage")
    state = sim_state(request)
    client_id = str(request.path_params["client_id"])
    if state.find_client(client_id) is None:
        raise not_found(client_id, "Client")
    body = await _body(request)
    role_type = body.get("type")
    if role_type not in ROLE_LABELS:
        raise validation_failed("type", causes=[f"type: unknown role type {role_type}"])
    assignments = state.org.client_roles.setdefault(client_id, [])
    existing = next(
        (a for a in assignments if a["type"] == role_type and role_type != "CUSTOM"),
        None,
    )
    if existing is not None:
        return json_response(existing)
    assignment_id = new_id("irb")
    now = _timestamp(request)
    base = state.base_url
    assignment: dict[str, Any] = {
        "id": assignment_id,
        "label": ROLE_LABELS[role_type],
        "type": role_type,
        "status": "ACTIVE",
        "created": now,
        "lastUpdated": now,
        "assignmentType": "CLIENT",
        "_links": {
            "assignee": {"href": f"{base}/oauth2/v1/clients/{client_id}"},
        },
    }
    if role_type == "CUSTOM":
        assignment["role"] = body.get("role")
        assignment["resource-set"] = body.get("resource-set")
    assignments.append(assignment)
    return json_response(assignment)


async def unassign_client_role(request: Request) -> Response:
    require_admin_token(request, "okta.roles.manage")
    state = sim_state(request)
    client_id = str(request.path_params["client_id"])
    assignment_id = str(request.path_params["assignment_id"])
    assignments = state.org.client_roles.get(client_id, [])
    if not any(a["id"] == assignment_id for a in assignments):
        raise not_found(assignment_id, "RoleAssignment")
    state.org.client_roles[client_id] = [
        a for a in assignments if a["id"] != assignment_id
    ]
    return Response(b"", 204)


def admin_routes() -> list[Route]:
    return [
        Route("/api/v1/apps", create_app, methods=["POST"]),
        Route("/api/v1/apps/{app_id}", replace_app, methods=["PUT"]),
        Route("/api/v1/apps/{app_id}/grants", list_grants, methods=["GET"]),
        Route("/api/v1/apps/{app_id}/grants", create_grant, methods=["POST"]),
        Route(
            "/api/v1/apps/{app_id}/grants/{grant_id}", delete_grant, methods=["DELETE"]
        ),
        Route(
            "/oauth2/v1/clients/{client_id}/roles", assign_client_role, methods=["POST"]
        ),
        Route(
            "/oauth2/v1/clients/{client_id}/roles/{assignment_id}",
            unassign_client_role,
            methods=["DELETE"],
        ),
    ]
