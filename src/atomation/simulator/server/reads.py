"""The registry of management API reads behind the ten read scopes (§3.5).

Each read is declared once, with :func:`read`, in the module of its resource family
(:mod:`directory`, :mod:`resources`, :mod:`access`, :mod:`logs`), naming the scope
Okta's spec requires for it [SPEC-M security blocks] and the family the role matrix
uses. :func:`read_routes` wraps every one in authentication and authorization
(:mod:`auth`). Data comes from the ``Org``; lists are paged by :mod:`listing`.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atomation.simulator.server import scim
from atomation.simulator.server.auth import Principal, authorize
from atomation.simulator.server.edge import SCOPE_KEY
from atomation.simulator.server.errors import OktaApiError
from atomation.simulator.server.listing import sim_state

__all__ = [
    "READ_ROUTES",
    "ReadEndpoint",
    "org_of",
    "path_param",
    "q_keep",
    "read",
    "read_routes",
    "scim_keep",
]

Handler = Callable[[Request], Awaitable[Response]]


@dataclass(frozen=True)
class ReadEndpoint:
    path: str
    scope: str
    family: str
    handler: Handler


READ_ROUTES: list[ReadEndpoint] = []


def read(path: str, scope: str, family: str) -> Callable[[Handler], Handler]:
    """Register a read; registration order is matching order (literal paths first)."""

    def register(handler: Handler) -> Handler:
        READ_ROUTES.append(ReadEndpoint(path, scope, family, handler))
        return handler

    return register


def org_of(request: Request) -> Any:
    return sim_state(request).org


def path_param(request: Request, name: str) -> str:
    return str(request.path_params[name])


def scim_keep(
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


def q_keep(q: str, *paths: str) -> Callable[[Any], bool]:
    """A predicate for ``q``: a case-insensitive prefix of any of ``paths``."""
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


def read_routes() -> list[Route]:
    """Starlette routes for every read, wrapped in authentication and authorization."""
    # Importing the family modules registers their reads.
    from atomation.simulator.server import access, directory, resources  # noqa: F401
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
