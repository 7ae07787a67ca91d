"""Checking DPoP proofs (RFC 9449) the way Okta does (okta-api.md §2).

One function serves the token endpoint and the resource server; it raises
:class:`DpopProofError` with Okta's exact ``invalid_dpop_proof`` description [OEC],
or :class:`DpopNonceRequired` when the token endpoint wants a (fresh) nonce. The
caller turns these into a JSON body (token endpoint) or a ``WWW-Authenticate``
challenge (resource server).

* ``htu`` is compared with the request URL after percent-decoding the path and
  without query or fragment; Okta decodes the path, which is why a percent-encoded
  ``htu`` fails [GH okta-sdk-python#541].
* ``iat`` may be at most five minutes old and not in the future [OEC].
* ``jti`` is single-use; the proof's public key is bound by its RFC 7638 thumbprint.
"""

from __future__ import annotations

import base64
import hashlib
import json
from dataclasses import dataclass
from typing import Any
from urllib.parse import unquote, urlsplit

from joserfc import jws
from joserfc.errors import JoseError
from joserfc.jwk import ECKey, RSAKey

from atomation.simulator.server.state import ServerState

__all__ = [
    "DPOP_ALGORITHMS",
    "DpopNonceRequired",
    "DpopProofError",
    "access_token_hash",
    "verify_dpop_proof",
]

DPOP_ALGORITHMS = ("RS256", "RS384", "RS512", "ES256", "ES384", "ES512")
PROOF_MAX_AGE_SECONDS = 300  # "issued more than five minutes in the past" [OEC]
# A proof's header carries the public key; joserfc's default 512-byte header cap is
# too small for an RSA-3072 key (the SDK's), so proofs get a roomier registry.
PROOF_HEADER_LIMIT = 4096


def _proof_registry() -> jws.JWSRegistry:
    registry = jws.JWSRegistry(algorithms=DPOP_ALGORITHMS, strict_check_header=False)
    registry.max_header_length = PROOF_HEADER_LIMIT
    return registry


class DpopProofError(Exception):
    def __init__(self, description: str) -> None:
        super().__init__(description)
        self.description = description


class DpopNonceRequired(Exception):
    """The proof lacks the server's current nonce (token endpoint only)."""


@dataclass(frozen=True)
class VerifiedProof:
    thumbprint: str
    claims: dict[str, Any]


def access_token_hash(access_token: str) -> str:
    """``ath``: base64url (unpadded) SHA-256 of the ASCII token (RFC 9449 §4.2)."""
    digest = hashlib.sha256(access_token.encode("ascii")).digest()
    return base64.urlsafe_b64encode(digest).decode().rstrip("=")


def _strip_query(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}{parts.path}"


def verify_dpop_proof(
    proof: str,
    *,
    method: str,
    url: str,
    state: ServerState,
    access_token: str | None = None,
    require_nonce: bool = False,
) -> VerifiedProof:
    """Verify a proof for ``method`` on ``url`` (the URL as the server sees it)."""
    try:
        compact = jws.extract_compact(proof.encode(), registry=_proof_registry())
        header = dict(compact.headers())
        claims = json.loads(compact.payload)
    except (JoseError, ValueError):
        raise DpopProofError("The DPoP proof JWT cannot be parsed.") from None
    if not isinstance(claims, dict):
        raise DpopProofError("The DPoP proof JWT cannot be parsed.")
    if header.get("typ") != "dpop+jwt":
        raise DpopProofError("'typ' must be 'dpop+jwt' in the DPoP proof JWT.")
    alg = header.get("alg")
    if alg not in DPOP_ALGORITHMS:
        raise DpopProofError("The DPoP proof JWT signature algorithm is invalid.")
    key = _public_key(header.get("jwk"), str(alg))
    try:
        jws.deserialize_compact(
            proof, key, algorithms=[str(alg)], registry=_proof_registry()
        )
    except JoseError:
        raise DpopProofError("The DPoP proof JWT signature is invalid.") from None

    if claims.get("htm") != method:
        raise DpopProofError("'htm' claim in the DPoP proof JWT is invalid.")
    htu = claims.get("htu")
    if not isinstance(htu, str) or _strip_query(htu) != unquote(_strip_query(url)):
        raise DpopProofError("'htu' claim in the DPoP proof JWT is invalid.")
    _check_iat(claims.get("iat"), state)
    jti = claims.get("jti")
    if not isinstance(jti, str) or not jti:
        raise DpopProofError("'jti' claim in the DPoP proof JWT is invalid.")
    if access_token is not None and claims.get("ath") != access_token_hash(
        access_token
    ):
        raise DpopProofError(
            "'ath' claim in the DPoP proof does not match the presented access_token."
        )
    nonce = claims.get("nonce")
    if require_nonce and (
        not isinstance(nonce, str) or not state.nonce_is_valid(nonce)
    ):
        raise DpopNonceRequired()
    now = state.now()
    if not state.proof_jtis.first_use(jti, now + 2 * PROOF_MAX_AGE_SECONDS, now):
        raise DpopProofError("The DPoP proof JWT has already been used.")
    return VerifiedProof(key.thumbprint(), claims)


def _public_key(jwk: Any, alg: str) -> RSAKey | ECKey:
    if not isinstance(jwk, dict) or "d" in jwk:
        raise DpopProofError("The DPoP proof JWT is invalid.")
    try:
        if alg.startswith("RS") and jwk.get("kty") == "RSA":
            return RSAKey.import_key(jwk)
        if alg.startswith("ES") and jwk.get("kty") == "EC":
            return ECKey.import_key(jwk)
    except (JoseError, ValueError):
        raise DpopProofError("The DPoP proof JWT is invalid.") from None
    raise DpopProofError("The DPoP proof JWT signature algorithm is invalid.")


def _check_iat(iat: Any, state: ServerState) -> None:
    if not isinstance(iat, int | float) or isinstance(iat, bool):
        raise DpopProofError("'iat' claim in the DPoP proof JWT is invalid.")
    now = state.now()
    skew = state.config.clock_skew_seconds
    if iat > now + skew:
        raise DpopProofError("The DPoP proof JWT is issued in the future.")
    if iat < now - PROOF_MAX_AGE_SECONDS - skew:
        raise DpopProofError(
            "The DPoP proof JWT is issued more than five minutes in the past."
        )
