"""Who is calling ``/api/v1`` and ``/oauth2/v1/clients``, and may they read this?

Order of checks, as Okta answers them (okta-api.md §2.4, §3.2, §11.4):

1. ``Authorization`` missing or with an unknown scheme: 403 E0000005.
2. ``SSWS <token>``: the admin API token, full access; any other SSWS value is
   401 E0000011.
3. ``Bearer``/``DPoP <access token>``: unknown or expired is 401 with an
   ``invalid_token`` challenge (body per ``unauthorized_body``). A DPoP-bound token
   needs the DPoP scheme and a valid proof; refusals are 400 with the reason in
   ``WWW-Authenticate`` (§2.4, "Related" for the scheme mix-ups).
4. Scope: 403, empty body, ``error="insufficient_scope"`` naming the needed scope.
5. Role: 403 E0000006 when the app's admin roles do not cover the resource family
   (:mod:`atomation.simulator.server.roles`).
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from starlette.requests import Request

from atomation.simulator.server.dpop import (
    DPOP_ALGORITHMS,
    DpopNonceRequired,
    DpopProofError,
    verify_dpop_proof,
)
from atomation.simulator.server.errors import (
    ChallengeError,
    OktaApiError,
    access_denied,
)
from atomation.simulator.server.roles import may_read
from atomation.simulator.server.state import AccessToken, ServerState

__all__ = ["Principal", "authenticate", "authorize", "principal_of"]


@dataclass(frozen=True)
class Principal:
    """The caller: the admin API token (``client_id`` None) or an OAuth app."""

    client_id: str | None
    token: AccessToken | None = None

    @property
    def is_admin_token(self) -> bool:
        return self.token is None


def principal_of(request_authorization: str, state: ServerState) -> str | None:
    """The rate-limit principal named by a raw Authorization value, if any."""
    scheme, _, value = request_authorization.partition(" ")
    if scheme == "SSWS":
        return "SSWS" if value == state.admin_token else None
    if scheme in ("Bearer", "DPoP"):
        token = state.tokens.get(value.strip())
        return token.client_id if token is not None else None
    return None


def _challenge(
    state: ServerState,
    request: Request,
    *,
    dpop: bool,
    error: str,
    description: str,
    scope: str | None = None,
) -> str:
    host = urlsplit(state.base_url).netloc
    # Okta's observed challenges carry http:// here even on an https org (§2.4).
    parts = [
        f'authorization_uri="http://{host}/oauth2/v1/authorize"',
        f'realm="http://{host}"',
    ]
    if scope is not None:
        parts.append(f'scope="{scope}"')
    parts += [
        f'error="{error}"',
        f'error_description="{description}"',
        f'resource="{request.url.path}"',
    ]
    scheme = f'DPoP algs="{" ".join(DPOP_ALGORITHMS)}"' if dpop else "Bearer"
    return f"{scheme} {', '.join(parts)}"


def authenticate(request: Request, state: ServerState, scope: str | None) -> Principal:
    """Steps 1-3: identify the caller, verifying DPoP where the token needs it."""
    header = request.headers.get("authorization", "")
    scheme, _, value = header.partition(" ")
    value = value.strip()
    if scheme == "SSWS" and value:
        if value != state.admin_token:
            raise OktaApiError(401, "E0000011")
        return Principal(client_id=None)
    if scheme not in ("Bearer", "DPoP") or not value:
        raise OktaApiError(403, "E0000005")

    dpop_scheme = scheme == "DPoP"
    token = state.tokens.get(value)
    if token is None or token.expires_at <= state.now():
        description = (
            "The token has expired." if token is not None else "The token is invalid."
        )
        body = None
        if state.config.unauthorized_body == "E0000011":
            body = OktaApiError(401, "E0000011").body()
        raise ChallengeError(
            401,
            _challenge(
                state,
                request,
                dpop=dpop_scheme,
                error="invalid_token",
                description=description,
            ),
            body,
        )
    if token.jkt is None:
        if dpop_scheme:
            raise ChallengeError(
                401,
                _challenge(
                    state,
                    request,
                    dpop=True,
                    error="invalid_token",
                    description="The presented access_token is not DPoP bound.",
                ),
            )
        return Principal(token.client_id, token)

    def refuse(error: str, description: str) -> ChallengeError:
        return ChallengeError(
            400,
            _challenge(
                state,
                request,
                dpop=True,
                error=error,
                description=description,
                scope=scope,
            ),
        )

    if not dpop_scheme:
        raise refuse(
            "invalid_request",
            "The resource request must use the DPoP authentication scheme when using "
            "a DPoP bound token.",
        )
    proofs = request.headers.getlist("dpop")
    if not proofs:
        raise refuse("invalid_request", "The resource request requires a DPoP proof.")
    if len(proofs) > 1:
        raise refuse(
            "invalid_dpop_proof", "Multiple DPoP proof JWT headers are not allowed."
        )
    raw_path = request.scope.get("raw_path", request.url.path.encode()).decode()
    try:
        proof = verify_dpop_proof(
            proofs[0],
            method=request.method,
            url=state.base_url + raw_path.split("?", 1)[0],
            state=state,
            access_token=value,
        )
    except DpopProofError as exc:
        raise refuse("invalid_dpop_proof", exc.description) from None
    except DpopNonceRequired:  # resource proofs do not need a nonce (§2.2)
        raise refuse("invalid_dpop_proof", "The DPoP proof JWT is invalid.") from None
    if proof.thumbprint != token.jkt:
        raise refuse(
            "invalid_dpop_proof",
            "The access_token is not bound to the provided DPoP proof.",
        )
    return Principal(token.client_id, token)


def authorize(
    request: Request, state: ServerState, *, scope: str, family: str
) -> Principal:
    """Steps 1-5 for a read of ``family`` that needs ``scope``."""
    principal = authenticate(request, state, scope)
    if principal.token is None:
        return principal
    if scope not in principal.token.scopes:
        raise ChallengeError(
            403,
            _challenge(
                state,
                request,
                dpop=principal.token.jkt is not None,
                error="insufficient_scope",
                description="The access token provided does not contain the required "
                "scopes.",
                scope=scope,
            ),
        )
    roles = state.client_role_types(principal.token.client_id)
    if not may_read(roles, family, state.config.role_assignment_readers):
        raise access_denied()
    return principal
