"""Public org metadata: engine detection and the org authorization server's discovery.

``/.well-known/okta-organization`` carries ``pipeline`` (``idx`` for Identity Engine,
``v1`` for Classic), okta-api.md §4 [SPEC-M]. The discovery documents and
``/oauth2/v1/keys`` are not rate limited (§10 [DOC rate-limits]); whether the
okta-organization document is limited is UNCONFIRMED, and here it is not.
"""

from __future__ import annotations

from typing import Any

from joserfc.jwk import RSAKey
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from atomation.simulator.server.dpop import DPOP_ALGORITHMS
from atomation.simulator.server.errors import json_response
from atomation.simulator.server.listing import sim_state
from atomation.simulator.server.token import KNOWN_OKTA_SCOPES

__all__ = ["metadata_routes", "new_signing_key"]


def new_signing_key() -> RSAKey:
    """The org's own signing key, published at ``/oauth2/v1/keys``."""
    key = RSAKey.generate_key(2048, parameters={"use": "sig", "alg": "RS256"})
    key.ensure_kid()
    return key


async def okta_organization(request: Request) -> Response:
    state = sim_state(request)
    body = {
        "id": state.org.org_id,
        "_links": {"organization": {"href": state.base_url}},
        "pipeline": state.org.pipeline,
    }
    return json_response(body)


def _discovery(base: str) -> dict[str, Any]:
    return {
        "issuer": base,
        "authorization_endpoint": f"{base}/oauth2/v1/authorize",
        "token_endpoint": f"{base}/oauth2/v1/token",
        "registration_endpoint": f"{base}/oauth2/v1/clients",
        "jwks_uri": f"{base}/oauth2/v1/keys",
        "response_types_supported": ["code", "token", "id_token"],
        "grant_types_supported": [
            "authorization_code",
            "implicit",
            "refresh_token",
            "password",
            "client_credentials",
        ],
        "scopes_supported": ["openid", "email", "profile", *sorted(KNOWN_OKTA_SCOPES)],
        "token_endpoint_auth_methods_supported": [
            "client_secret_basic",
            "client_secret_post",
            "client_secret_jwt",
            "private_key_jwt",
            "none",
        ],
        "introspection_endpoint": f"{base}/oauth2/v1/introspect",
        "revocation_endpoint": f"{base}/oauth2/v1/revoke",
        "dpop_signing_alg_values_supported": list(DPOP_ALGORITHMS),
    }


async def oauth_authorization_server(request: Request) -> Response:
    return json_response(_discovery(sim_state(request).base_url))


async def openid_configuration(request: Request) -> Response:
    body = _discovery(sim_state(request).base_url)
    body.update(
        {
            "userinfo_endpoint": f"{sim_state(request).base_url}/oauth2/v1/userinfo",
            "subject_types_supported": ["public"],
            "id_token_signing_alg_values_supported": ["RS256"],
        }
    )
    return json_response(body)


async def org_keys(request: Request) -> Response:
    key: RSAKey = request.app.state.signing_key
    return json_response({"keys": [key.as_dict(private=False)]})


def metadata_routes() -> list[Route]:
    return [
        Route("/.well-known/okta-organization", okta_organization, methods=["GET"]),
        Route(
            "/.well-known/oauth-authorization-server",
            oauth_authorization_server,
            methods=["GET"],
        ),
        Route(
            "/.well-known/openid-configuration", openid_configuration, methods=["GET"]
        ),
        Route("/oauth2/v1/keys", org_keys, methods=["GET"]),
    ]
