"""Verifying a ``private_key_jwt`` client assertion (RFC 7523 §3, okta-api.md §1.2).

Claim rules, each with Okta's exact ``invalid_client`` description [OEC]:

* ``iss`` and ``sub`` both equal the client id [DOC build-self-signed-jwt];
* ``aud`` is exactly the token endpoint as the client addressed it;
* ``exp`` is required, not past, and at most one hour ahead;
* ``iat``, when present, is not in the future;
* ``jti``, when present, is single-use. It is recorded as soon as the assertion is
  verified, so a request that goes on to fail with ``use_dpop_nonce`` has still
  spent it (observed by the SDK authors, §1.2). It is remembered until ``exp``.

``nbf`` is not checked: Okta does not mention it (UNCONFIRMED, §12.2).
"""

from __future__ import annotations

import json
from typing import Any

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

from atomation.simulator.server.errors import OAuthError
from atomation.simulator.server.jwks import JwksCache, invalid_client
from atomation.simulator.server.state import ServerState

__all__ = ["ASSERTION_ALGORITHMS", "verify_client_assertion"]

ASSERTION_ALGORITHMS = frozenset({"RS256", "RS384", "RS512", "ES256", "ES384", "ES512"})
MAX_ASSERTION_LIFETIME = 3600  # "no more than one hour in the future" (§1.2)


def _header_and_claims(assertion: str) -> tuple[dict[str, Any], dict[str, Any]]:
    try:
        compact = jws.extract_compact(assertion.encode())
        claims = json.loads(compact.payload)
    except (JoseError, ValueError):
        raise invalid_client("The parsing of the client_assertion failed.") from None
    if not isinstance(claims, dict):
        raise invalid_client("The parsing of the client_assertion failed.")
    return dict(compact.headers()), claims


def _import_key(jwk: dict[str, Any], alg: str) -> RSAKey | ECKey:
    if jwk.get("use") not in (None, "sig"):
        raise invalid_client(
            "The public key being used for client assertion has an invalid 'use' "
            "parameter."
        )
    try:
        if alg.startswith("RS") and jwk.get("kty") == "RSA":
            return RSAKey.import_key(jwk)
        if alg.startswith("ES") and jwk.get("kty") == "EC":
            return ECKey.import_key(jwk)
    except (JoseError, ValueError):
        raise invalid_client("The client JWKSet is invalid.") from None
    # An alg that does not fit the key's type cannot verify.
    raise invalid_client("The client_assertion signature is invalid.")


async def _verification_key(
    app: dict[str, Any], kid: str | None, alg: str, state: ServerState, jwks: JwksCache
) -> RSAKey | ECKey:
    oauth_settings = app.get("settings", {}).get("oauthClient", {})
    jwks_uri = oauth_settings.get("jwks_uri")
    inline = (oauth_settings.get("jwks") or {}).get("keys")
    if jwks_uri:
        keys, fetched = await jwks.keys(jwks_uri, state.now())
    elif inline:
        keys, fetched = list(inline), True
    else:
        raise invalid_client(
            "The client does not have a JWKSet configured, but the client_assertion "
            "requires one."
        )
    match = _select(keys, kid)
    if (
        match is None
        and jwks_uri
        and not fetched
        and jwks.policy.refetch_on_unknown_kid
    ):
        keys, _ = await jwks.keys(jwks_uri, state.now(), force=True)
        match = _select(keys, kid)
    if match is None:
        raise invalid_client("The client_assertion JWT kid is invalid.")
    return _import_key(match, alg)


def _select(keys: list[dict[str, Any]], kid: str | None) -> dict[str, Any] | None:
    if kid is None:
        # Without a kid, a set of exactly one key is used (UNCONFIRMED, §12.3).
        return keys[0] if len(keys) == 1 else None
    return next((k for k in keys if k.get("kid") == kid), None)


def _check_claims(claims: dict[str, Any], state: ServerState) -> None:
    now = state.now()
    skew = state.config.clock_skew_seconds
    audience = claims.get("aud")
    audiences = audience if isinstance(audience, list) else [audience]
    if state.token_endpoint not in audiences:
        raise invalid_client(
            "The audience claim for client_assertion must be the endpoint invoked "
            "for the request."
        )
    exp = claims.get("exp")
    if not isinstance(exp, int | float) or isinstance(exp, bool):
        raise invalid_client(
            "The client_assertion must contain the 'exp' claim as seconds since epoch."
        )
    if exp <= now - skew:
        raise invalid_client("The client_assertion token is expired.")
    if exp > now + MAX_ASSERTION_LIFETIME + skew:
        raise invalid_client(
            "The client_assertion token has an expiration too far into the future."
        )
    iat = claims.get("iat")
    if isinstance(iat, int | float) and iat > now + skew:
        raise invalid_client(
            "The client_assertion token must be issued before the current time."
        )
    jti = claims.get("jti")
    if jti is not None and not state.assertion_jtis.first_use(
        f"{claims.get('iss')}:{jti}", float(exp), now
    ):
        raise invalid_client("The client_assertion token has already been used.")


async def verify_client_assertion(
    assertion: str, form_client_id: str | None, state: ServerState, jwks: JwksCache
) -> dict[str, Any]:
    """The app the assertion authenticates; raises the matching OAuth error."""
    header, claims = _header_and_claims(assertion)
    issuer, subject = claims.get("iss"), claims.get("sub")
    app = state.find_client(issuer) if isinstance(issuer, str) else None
    if app is None:
        raise invalid_client(
            "The issuer claim for client_assertion is not a valid client_id."
        )
    if subject != issuer:
        raise invalid_client(
            "The subject claim for client_assertion is not a valid client_id."
        )
    if form_client_id is not None and form_client_id != issuer:
        raise invalid_client("Invalid value for 'client_id' parameter.")
    if app.get("status") != "ACTIVE":
        raise invalid_client(
            "Client authentication failed. Either the client or the client "
            "credentials are invalid."
        )

    oauth_client = app.get("credentials", {}).get("oauthClient", {})
    if oauth_client.get("token_endpoint_auth_method") != "private_key_jwt":
        raise invalid_client(
            "Client Credentials requests to the Org Authorization Server must use "
            "the private_key_jwt token_endpoint_auth_method."
        )
    if app.get("settings", {}).get("oauthClient", {}).get("application_type") != (
        "service"
    ):
        raise invalid_client(
            "Only clients with 'application_type' of 'service' may use the "
            "client_credentials 'grant_type' with the Org Authorization Server."
        )

    alg = header.get("alg")
    if alg not in ASSERTION_ALGORITHMS:
        raise invalid_client("The client_assertion JWT signature algorithm is invalid.")
    key = await _verification_key(app, header.get("kid"), str(alg), state, jwks)
    try:
        jws.deserialize_compact(assertion, key, algorithms=[str(alg)])
    except JoseError:
        raise invalid_client("The client_assertion signature is invalid.") from None

    _check_claims(claims, state)
    return app


def multiple_credentials() -> OAuthError:
    return OAuthError(
        401,
        "invalid_request",
        "Cannot supply multiple client credentials. Use one of the following: "
        "credentials in the Authorization header, credentials in the post body, or "
        "a client_assertion in the post body.",
    )
