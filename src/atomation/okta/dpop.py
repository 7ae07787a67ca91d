"""DPoP proofs (RFC 9449) and the JWK thumbprint (RFC 7638) they rest on.

With DPoP, each token request and each read carries a proof signed by a key only
this connection holds, so a stolen access token is useless elsewhere. The key is
EC P-256 (ES256), made per connection and held in memory only; Okta accepts ES256
proofs (okta-api.md §2.1) and wants a key distinct from the client-authentication
key (§1.3). The proof builders are pure: time, ``jti`` and nonce come in.
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from typing import Any
from urllib.parse import unquote, urlsplit

from joserfc import jws
from joserfc.jwk import ECKey

__all__ = [
    "DPoPKey",
    "access_token_hash",
    "dpop_proof",
    "jwk_thumbprint",
    "proof_htu",
]

# RFC 7638 §3.2: the members that identify a key, per key type, in the order
# the canonical JSON needs (lexicographic).
_THUMBPRINT_MEMBERS = {
    "EC": ("crv", "kty", "x", "y"),
    "RSA": ("e", "kty", "n"),
    "OKP": ("crv", "kty", "x"),
}


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def jwk_thumbprint(jwk: Mapping[str, Any]) -> str:
    """The SHA-256 thumbprint of a public JWK (RFC 7638 §3), base64url."""
    members = _THUMBPRINT_MEMBERS[jwk["kty"]]
    canonical = json.dumps(
        {name: jwk[name] for name in members}, separators=(",", ":"), sort_keys=True
    )
    return _b64url(hashlib.sha256(canonical.encode("utf-8")).digest())


def access_token_hash(access_token: str) -> str:
    """The ``ath`` claim: base64url SHA-256 of the token's ASCII (RFC 9449 §4.2)."""
    return _b64url(hashlib.sha256(access_token.encode("ascii")).digest())


def proof_htu(url: str) -> str:
    """The ``htu`` claim for a request URL: no query, no fragment, decoded path.

    RFC 9449 §4.2 drops query and fragment. Okta compares ``htu`` with the
    percent-*decoded* request path, so a path with ``%40`` must appear with ``@``
    (okta-api.md §2.2, observed in okta-sdk-python#541).
    """
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{unquote(parts.path)}"


class DPoPKey:
    """A connection's proof-of-possession key; the private half stays in here."""

    alg = "ES256"

    def __init__(self, key: ECKey) -> None:
        self._key = key
        self.public_jwk: dict[str, Any] = dict(key.as_dict(private=False))
        self.thumbprint = jwk_thumbprint(self.public_jwk)

    @classmethod
    def generate(cls) -> DPoPKey:
        return cls(ECKey.generate_key("P-256"))

    def sign(self, header: Mapping[str, Any], claims: Mapping[str, Any]) -> str:
        payload = json.dumps(claims, separators=(",", ":")).encode("utf-8")
        return jws.serialize_compact(dict(header), payload, self._key)

    def __repr__(self) -> str:
        return f"DPoPKey(thumbprint={self.thumbprint!r})"


def dpop_proof(
    key: DPoPKey,
    *,
    method: str,
    url: str,
    now: int,
    jti: str,
    nonce: str | None = None,
    access_token: str | None = None,
) -> str:
    """Build one proof for one HTTP request (RFC 9449 §4.2)."""
    header = {
        # §4.2: the explicit type keeps a proof from passing as another JWT.
        "typ": "dpop+jwt",
        # §4.2: an asymmetric algorithm; ES256 is in Okta's advertised list.
        "alg": key.alg,
        # §4.2: the public key only; the server binds the token to its thumbprint.
        "jwk": key.public_jwk,
    }
    claims: dict[str, Any] = {
        # §4.2: unique per proof; Okta refuses a replayed one (okta-api.md §2.4).
        "jti": jti,
        # §4.2: the request's method, e.g. POST for the token endpoint, GET reads.
        "htm": method,
        # §4.2: the target URI without query and fragment, path decoded for Okta.
        "htu": proof_htu(url),
        # §4.2: creation time; Okta refuses one older than five minutes (§2.2).
        "iat": now,
    }
    if nonce is not None:
        # §8: the latest nonce the server gave us in a ``DPoP-Nonce`` header.
        claims["nonce"] = nonce
    if access_token is not None:
        # §4.2 / §7: on resource requests, binds the proof to the token presented.
        claims["ath"] = access_token_hash(access_token)
    return key.sign(header, claims)
