"""Reads of apps, policies, network zones, trusted origins and identity providers."""

from __future__ import annotations

from typing import Any

from starlette.requests import Request
from starlette.responses import Response

from atomation.simulator.server.errors import (
    json_response,
    not_found,
    validation_failed,
)
from atomation.simulator.server.listing import page_response
from atomation.simulator.server.reads import org_of, path_param, q_keep, read, scim_keep

__all__ = ["POLICY_TYPES"]

# Policy types of the spec's ``PolicyType`` (okta-api.md §7); ``type`` is required.
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


# -- apps --------------------------------------------------------------------


@read("/api/v1/apps", "okta.apps.read", "apps")
async def list_apps(request: Request) -> Response:
    query = request.query_params
    keep = None
    if query.get("filter"):
        keep = scim_keep(query["filter"])
    elif query.get("q"):
        keep = q_keep(query["q"], "label", "name")
    return page_response(request, org_of(request).apps, "apps", keep=keep)


def _app(request: Request) -> dict[str, Any]:
    app_id = path_param(request, "app_id")
    app = org_of(request).app(app_id)
    if app is None:
        raise not_found(app_id, "AppInstance")
    return dict(app)


@read("/api/v1/apps/{app_id}", "okta.apps.read", "apps")
async def get_app(request: Request) -> Response:
    return json_response(_app(request))


@read("/api/v1/apps/{app_id}/users", "okta.apps.read", "apps")
async def list_app_users(request: Request) -> Response:
    app = _app(request)
    return page_response(request, org_of(request).app_users(app["id"]), "app_users")


@read("/api/v1/apps/{app_id}/groups", "okta.apps.read", "apps")
async def list_app_groups(request: Request) -> Response:
    app = _app(request)
    return page_response(request, org_of(request).app_groups(app["id"]), "app_groups")


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
        request, org_of(request).policies(policy_type), "policies", keep=keep
    )


def _policy(request: Request) -> dict[str, Any]:
    policy_id = path_param(request, "policy_id")
    policy = org_of(request).policy(policy_id)
    if policy is None:
        raise not_found(policy_id, "Policy")
    return dict(policy)


@read("/api/v1/policies/{policy_id}", "okta.policies.read", "policies")
async def get_policy(request: Request) -> Response:
    return json_response(_policy(request))


@read("/api/v1/policies/{policy_id}/rules", "okta.policies.read", "policies")
async def list_policy_rules(request: Request) -> Response:
    policy = _policy(request)
    rules = org_of(request).policy_rules(policy["id"])
    return page_response(request, rules, "policy_rules")


@read("/api/v1/policies/{policy_id}/mappings", "okta.policies.read", "policies")
async def list_policy_mappings(request: Request) -> Response:
    policy = _policy(request)
    return json_response(org_of(request).policy_mappings(policy["id"]))


# -- zones, trusted origins, identity providers -------------------------------


@read("/api/v1/zones", "okta.networkZones.read", "zones")
async def list_zones(request: Request) -> Response:
    query = request.query_params
    keep = scim_keep(query["filter"]) if query.get("filter") else None
    return page_response(request, org_of(request).zones, "zones", keep=keep)


@read("/api/v1/trustedOrigins", "okta.trustedOrigins.read", "trustedOrigins")
async def list_trusted_origins(request: Request) -> Response:
    query = request.query_params
    keep = scim_keep(query["filter"]) if query.get("filter") else None
    origins = org_of(request).trusted_origins
    return page_response(request, origins, "trusted_origins", keep=keep)


@read("/api/v1/idps", "okta.idps.read", "idps")
async def list_idps(request: Request) -> Response:
    idp_type = request.query_params.get("type")
    keep = None
    if idp_type:

        def keep(idp: Any) -> bool:
            return bool(idp.get("type") == idp_type)

    return page_response(request, org_of(request).idps, "idps", keep=keep)
