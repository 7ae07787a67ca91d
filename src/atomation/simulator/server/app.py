"""The Starlette application of one simulated org, wrapped in :class:`OktaEdge`."""

from __future__ import annotations

import logging

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp

from atomation.simulator.server.admin import admin_routes, require_admin_token
from atomation.simulator.server.changes import change_routes
from atomation.simulator.server.edge import OktaEdge
from atomation.simulator.server.errors import OktaApiError, SimulatedError
from atomation.simulator.server.hooks import hook_routes
from atomation.simulator.server.jwks import JwksCache
from atomation.simulator.server.metadata import metadata_routes, new_signing_key
from atomation.simulator.server.reads import read_routes
from atomation.simulator.server.state import ServerState
from atomation.simulator.server.token import token_endpoint

__all__ = ["create_app"]

logger = logging.getLogger(__name__)

# The manage scope an OAuth token would need to write under each path family; a
# write with a read-only token is refused for lacking it (403 insufficient_scope).
MANAGE_SCOPES = {
    "users": "okta.users.manage",
    "groups": "okta.groups.manage",
    "apps": "okta.apps.manage",
    "policies": "okta.policies.manage",
    "zones": "okta.networkZones.manage",
    "trustedOrigins": "okta.trustedOrigins.manage",
    "iam": "okta.roles.manage",
    "authorizationServers": "okta.authorizationServers.manage",
    "idps": "okta.idps.manage",
    "clients": "okta.roles.manage",
}


async def _simulated_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, SimulatedError)
    return exc.response()


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, HTTPException)
    if exc.status_code == 405:
        segments = request.url.path.strip("/").split("/")
        family = segments[2] if len(segments) > 2 else ""
        manage_scope = MANAGE_SCOPES.get(family)
        if manage_scope is not None:
            try:
                require_admin_token(request, manage_scope)
            except SimulatedError as refusal:
                return refusal.response()
        return OktaApiError(405, "E0000022").response()
    if exc.status_code == 404:
        return OktaApiError(
            404,
            "E0000007",
            f"Not found: Resource not found: {request.url.path} (Route)",
        ).response()
    return OktaApiError(exc.status_code, "E0000009", str(exc.detail)).response()


async def _unexpected(request: Request, exc: Exception) -> Response:
    logger.error("simulator error on %s %s", request.method, request.url.path)
    logger.debug("simulator error detail", exc_info=exc)
    return OktaApiError(500, "E0000009").response()


def create_app(state: ServerState) -> ASGIApp:
    """An ASGI app serving ``state``'s org like Okta does."""
    from starlette.routing import Route

    routes = [
        *metadata_routes(),
        Route("/oauth2/v1/token", token_endpoint, methods=["POST"]),
        *admin_routes(),
        *change_routes(),
        *read_routes(),
        *hook_routes(),
    ]
    app = Starlette(
        routes=routes,
        exception_handlers={
            SimulatedError: _simulated_error,
            HTTPException: _http_error,
            Exception: _unexpected,
        },
    )
    app.state.sim = state
    app.state.jwks = JwksCache(state.config.jwks_cache)
    app.state.signing_key = new_signing_key()
    edge = OktaEdge(app, state)
    app.state.reseed_faults = edge.reseed
    return edge
