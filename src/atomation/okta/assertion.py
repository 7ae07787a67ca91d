"""The client assertion: a JWT that authenticates our service app (RFC 7523).

Okta's org authorization server accepts only ``private_key_jwt`` for service apps
asking for Okta-scoped tokens (okta-api.md §1.1). The assertion is signed with the
tenant's key, whose public half Okta fetches from the tenant JWKS URL (§1.3).

A pure function: time and the ``jti`` come in as arguments, so tests can pin them.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Protocol

__all__ = ["ASSERTION_LIFETIME", "JwsSigner", "client_assertion"]

# Five minutes: long enough to cover a slow token request, short enough that a
# leaked assertion is soon useless. Okta refuses an ``exp`` more than one hour
# ahead (okta-api.md §1.2 [DOC build-self-signed-jwt]); each assertion is
# single-use anyway because it carries a ``jti``.
ASSERTION_LIFETIME = 300


class JwsSigner(Protocol):
    """Signs a JWS with a tenant's private key, which never leaves the signer."""

    @property
    def kid(self) -> str: ...

    @property
    def alg(self) -> str: ...

    def sign(self, header: Mapping[str, Any], payload: Mapping[str, Any]) -> str:
        """Return the compact serialisation of ``payload`` signed under ``header``."""
        ...


def client_assertion(
    signer: JwsSigner, *, client_id: str, token_url: str, now: int, jti: str
) -> str:
    """Build and sign the assertion for one token request at ``token_url``."""
    # RFC 7515 §4.1: ``kid`` names the key in our JWKS; Okta refuses an unknown
    # one, and sending it always avoids the unconfirmed no-kid case (§1.2).
    header = {"alg": signer.alg, "kid": signer.kid, "typ": "JWT"}
    claims = {
        # RFC 7523 §3 item 1 / Okta: the issuer is the client itself.
        "iss": client_id,
        # RFC 7523 §3 item 2 / Okta: the subject is also the client id.
        "sub": client_id,
        # RFC 7523 §3 item 3 / Okta: the full URL of the endpoint invoked, no more
        # and no less, or 401 "audience claim ... must be the endpoint" (§1.5).
        "aud": token_url,
        # RFC 7519 §4.1.6, optional for Okta; if present it must not be after the
        # moment the request arrives, which is how clock skew shows up (§1.2).
        "iat": now,
        # RFC 7523 §3 item 4: required; Okta wants integer seconds, at most 1 h
        # ahead (§1.2).
        "exp": now + ASSERTION_LIFETIME,
        # RFC 7519 §4.1.7: unique per assertion. Okta makes an assertion with a
        # ``jti`` single-use, even after a DPoP nonce challenge (§1.2), so every
        # token request gets a new one.
        "jti": jti,
    }
    return signer.sign(header, claims)
