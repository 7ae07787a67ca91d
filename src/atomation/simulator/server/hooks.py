"""Simulator-only endpoints under ``/__simulator`` (never part of Okta's API).

They let a test or the demo look behind the curtain: the planted misconfigurations,
the request log, the clock, faults, and JWKS documents hosted for test apps. All but
the JWKS download need the SSWS admin token.
"""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atomation.simulator.server.auth import authenticate
from atomation.simulator.server.config import FaultConfig
from atomation.simulator.server.errors import OktaApiError, json_response, not_found
from atomation.simulator.server.listing import sim_state

__all__ = ["hook_routes"]


def _admin_only(request: Request) -> None:
    principal = authenticate(request, sim_state(request), None)
    if not principal.is_admin_token:
        raise OktaApiError(403, "E0000006")


async def _json_body(request: Request) -> dict[str, Any]:
    try:
        body = json.loads(await request.body())
    except ValueError:
        raise OktaApiError(400, "E0000003") from None
    if not isinstance(body, dict):
        raise OktaApiError(400, "E0000003")
    return body


async def misconfigurations(request: Request) -> Response:
    _admin_only(request)
    return json_response(sim_state(request).org.misconfigurations)


async def request_log(request: Request) -> Response:
    _admin_only(request)
    records = [dataclasses.asdict(r) for r in sim_state(request).requests]
    return json_response(records)


async def clock(request: Request) -> Response:
    """GET: the simulated now; POST ``{"advance": seconds}``: move it forward."""
    _admin_only(request)
    state = sim_state(request)
    if request.method == "POST":
        body = await _json_body(request)
        advance = body.get("advance")
        if not isinstance(advance, int | float):
            raise OktaApiError(400, "E0000001", "Api validation failed: advance")
        state.clock.advance(float(advance))
    return json_response({"now": state.clock.now().isoformat(), "epoch": state.now()})


async def faults(request: Request) -> Response:
    """GET: the fault settings; PUT: replace them (fields of ``FaultConfig``)."""
    _admin_only(request)
    state = sim_state(request)
    if request.method == "PUT":
        body = await _json_body(request)
        names = {f.name for f in dataclasses.fields(FaultConfig)}
        unknown = set(body) - names
        if unknown:
            raise OktaApiError(
                400, "E0000001", f"Api validation failed: {sorted(unknown)[0]}"
            )
        state.config.faults = FaultConfig(**body)
        request.app.state.reseed_faults()
    return json_response(dataclasses.asdict(state.config.faults))


async def hosted_jwks(request: Request) -> Response:
    state = sim_state(request)
    name = str(request.path_params["name"])
    if request.method == "PUT":
        _admin_only(request)
        state.hosted_jwks[name] = await _json_body(request)
        return Response(b"", 204)
    document = state.hosted_jwks.get(name)
    if document is None:
        raise not_found(name, "Jwks")
    return json_response(document, headers={"Cache-Control": "max-age=60"})


def hook_routes() -> list[Route]:
    return [
        Route("/__simulator/misconfigurations", misconfigurations, methods=["GET"]),
        Route("/__simulator/requests", request_log, methods=["GET"]),
        Route("/__simulator/clock", clock, methods=["GET", "POST"]),
        Route("/__simulator/faults", faults, methods=["GET", "PUT"]),
        Route("/__simulator/jwks/{name}", hosted_jwks, methods=["GET", "PUT"]),
    ]
