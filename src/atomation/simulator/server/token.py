"""``POST /oauth2/v1/token`` of the org authorization server (okta-api.md §1, §2.3).

Only ``client_credentials`` with a ``private_key_jwt`` assertion is served, the one
way a service app gets Okta-scoped tokens. The order of checks: where the credentials
are, the assertion (which spends its ``jti``), the grant type, DPoP, then scopes. A
success returns an opaque random access token the server remembers with its app,
scopes, expiry and DPoP key thumbprint; clients must treat Okta's as opaque anyway
[DOC concepts/auth-servers].
"""

from __future__ import annotations

from typing import Any
from urllib.parse import parse_qsl

from starlette.requests import Request
from starlette.responses import Response

from atomation.simulator.server.assertion import (
    multiple_credentials,
    verify_client_assertion,
)
from atomation.simulator.server.dpop import (
    DpopNonceRequired,
    DpopProofError,
    verify_dpop_proof,
)
from atomation.simulator.server.edge import SCOPE_KEY
from atomation.simulator.server.errors import OAuthError, json_response
from atomation.simulator.server.jwks import JwksCache, invalid_client
from atomation.simulator.server.state import (
    ACCESS_TOKEN_SECONDS,
    AccessToken,
    ServerState,
)

__all__ = ["KNOWN_OKTA_SCOPES", "token_endpoint"]

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"

# Okta API scopes the org authorization server knows (a subset of Okta's list: the
# read and manage scopes of the families an assessment touches, plus a few others).
KNOWN_OKTA_SCOPES = frozenset(
    f"okta.{family}.{action}"
    for family in (
        "users",
        "groups",
        "apps",
        "policies",
        "logs",
        "networkZones",
        "trustedOrigins",
        "roles",
        "authorizationServers",
        "idps",
        "appGrants",
        "authenticators",
        "orgs",
        "clients",
        "factors",
        "schemas",
        "events",
        "principalRateLimits",
        "deviceAssurance",
        "devices",
        "behaviors",
    )
    for action in ("read", "manage")
)

NO_CACHE = {"Cache-Control": "no-cache, no-store", "Pragma": "no-cache", "Expires": "0"}


def _invalid_request(description: str, status: int = 400) -> OAuthError:
    return OAuthError(status, "invalid_request", description)


def _invalid_scope(description: str) -> OAuthError:
    return OAuthError(400, "invalid_scope", description)


def _dpop_error(description: str) -> OAuthError:
    return OAuthError(400, "invalid_dpop_proof", description)


async def token_endpoint(request: Request) -> Response:
    state: ServerState = request.app.state.sim
    jwks: JwksCache = request.app.state.jwks
    for name in ("client_assertion", "client_id", "client_secret"):
        if name in request.query_params:
            raise _invalid_request(
                "Client credentials cannot be supplied via query parameters."
            )
    # application/x-www-form-urlencoded, parsed by hand: no multipart dependency.
    body = (await request.body()).decode("utf-8", errors="replace")
    fields = dict(parse_qsl(body, keep_blank_values=True))

    assertion = fields.get("client_assertion")
    basic = request.headers.get("authorization", "").lower().startswith("basic ")
    if assertion and (basic or "client_secret" in fields):
        raise multiple_credentials()
    if not assertion:
        if basic or "client_secret" in fields:
            raise invalid_client(
                "Client Credentials requests to the Org Authorization Server must use "
                "the private_key_jwt token_endpoint_auth_method."
            )
        raise invalid_client("No client credentials found.")
    if fields.get("client_assertion_type") != ASSERTION_TYPE:
        raise _invalid_request("The client_assertion_type is invalid.")

    app = await verify_client_assertion(assertion, fields.get("client_id"), state, jwks)
    client_id = app["credentials"]["oauthClient"]["client_id"]
    request.scope[SCOPE_KEY]["client_id"] = client_id
    if fields.get("grant_type") != "client_credentials":
        raise OAuthError(
            400,
            "unauthorized_client",
            "The client is not authorized to use the provided grant type. "
            "Configured grant types: [client_credentials].",
        )

    jkt = _dpop_binding(request, app, state)
    granted = _granted_scopes(fields.get("scope"), app, state)
    headers = dict(NO_CACHE)
    if jkt is not None:
        headers["dpop-nonce"] = state.current_nonce()
    access_token = state.tokens.issue(
        AccessToken(
            client_id=client_id,
            scopes=tuple(granted),
            expires_at=state.now() + ACCESS_TOKEN_SECONDS,
            jkt=jkt,
        )
    )
    response_body = {
        "token_type": "DPoP" if jkt is not None else "Bearer",
        "expires_in": ACCESS_TOKEN_SECONDS,
        "access_token": access_token,
        "scope": " ".join(granted),
    }
    return json_response(response_body, 200, headers)


def _dpop_binding(
    request: Request, app: dict[str, Any], state: ServerState
) -> str | None:
    """The thumbprint to bind, or ``None`` for an app that does not use DPoP."""
    required = (
        app.get("settings", {}).get("oauthClient", {}).get("dpop_bound_access_tokens")
    )
    if not required:
        # Okta's handling of a proof sent to a non-DPoP app is not documented; the
        # simulator ignores it and issues a Bearer token.
        return None
    proofs = request.headers.getlist("dpop")
    if not proofs:
        raise _dpop_error("The DPoP proof JWT header is missing.")
    if len(proofs) > 1:
        raise _dpop_error("Multiple DPoP proof JWT headers are not allowed.")
    try:
        proof = verify_dpop_proof(
            proofs[0],
            method="POST",
            url=state.token_endpoint,
            state=state,
            require_nonce=True,
        )
    except DpopNonceRequired:
        raise OAuthError(
            400,
            "use_dpop_nonce",
            "Authorization server requires nonce in DPoP proof.",
            headers={"dpop-nonce": state.current_nonce(), **NO_CACHE},
        ) from None
    except DpopProofError as exc:
        raise _dpop_error(exc.description) from None
    return proof.thumbprint


def _granted_scopes(
    requested: str | None, app: dict[str, Any], state: ServerState
) -> list[str]:
    """The requested scopes that are granted, in request order (§1.4)."""
    scopes = [s for s in (requested or "").split(" ") if s]
    if not scopes:
        raise _invalid_scope("No scopes were requested.")
    if "openid" in scopes:
        raise _invalid_scope("Cannot request 'openid' scopes using client credentials.")
    for scope in scopes:
        if not scope.startswith("okta."):
            raise _invalid_scope("Custom scopes are not allowed for this request.")
        if scope not in KNOWN_OKTA_SCOPES:
            raise _invalid_scope(
                "The requested scope is invalid, unknown, malformed, or exceeds the "
                "scope granted by the resource owner."
            )
    granted = state.granted_scopes(app["id"])
    allowed = [s for s in dict.fromkeys(scopes) if s in granted]
    if not allowed:
        raise OAuthError(
            400, "consent_required", "You are not allowed any of the requested scopes."
        )
    return allowed
