"""RSA signing keys as JWKs, their RFC 7638 thumbprints, and compact JWS (RS256).

Pure functions: no storage, no clock. The private key objects handled here are
short-lived; callers load them, sign, and drop them.

Okta accepts RS/ES algorithms for ``private_key_jwt``, but its Python SDK signs only
with RSA, so every tenant key is RSA-2048 with RS256 (okta-api.md §1.2).
"""

from __future__ import annotations

import base64
import hashlib
import json
from collections.abc import Mapping
from typing import Any

from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import padding, rsa

__all__ = [
    "ALG",
    "KEY_SIZE",
    "b64url",
    "b64url_uint",
    "generate_private_key",
    "jwk_thumbprint",
    "load_private_key",
    "private_key_bytes",
    "public_jwk",
    "sign_compact",
]

ALG = "RS256"
KEY_SIZE = 2048
PUBLIC_EXPONENT = 65537
# The members of a public RSA JWK we publish (RFC 7517 §4, RFC 7518 §6.3.1);
# nothing else ever leaves the process.
PUBLIC_MEMBERS = ("kty", "n", "e", "kid", "alg", "use")


def b64url(data: bytes) -> str:
    """Base64url without padding (RFC 7515 §2)."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_uint(value: int) -> str:
    """An unsigned integer as shortest big-endian bytes, base64url (RFC 7518 §6.3.1)."""
    return b64url(value.to_bytes(max(1, (value.bit_length() + 7) // 8), "big"))


def generate_private_key() -> rsa.RSAPrivateKey:
    return rsa.generate_private_key(public_exponent=PUBLIC_EXPONENT, key_size=KEY_SIZE)


def private_key_bytes(key: rsa.RSAPrivateKey) -> bytes:
    """PKCS#8 DER, unencrypted: the plaintext that the envelope then seals."""
    return key.private_bytes(
        serialization.Encoding.DER,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )


def load_private_key(der: bytes) -> rsa.RSAPrivateKey:
    """Load a key that :func:`private_key_bytes` wrote and the envelope kept intact.

    OpenSSL's RSA consistency check is skipped: it costs about 40 ms per load and
    guards against malformed keys from untrusted sources, while ours come from our
    own generator through an authenticated (AES-GCM) envelope.
    """
    key = serialization.load_der_private_key(
        der, password=None, unsafe_skip_rsa_key_validation=True
    )
    if not isinstance(key, rsa.RSAPrivateKey):
        raise ValueError("the stored signing key is not an RSA key")
    return key


def jwk_thumbprint(jwk: Mapping[str, Any]) -> str:
    """RFC 7638 thumbprint (SHA-256, base64url) of an RSA JWK.

    Only the required members ``e``, ``kty``, ``n`` take part, in that
    lexicographic order, serialised without whitespace (RFC 7638 §3.2–§3.3).
    """
    required = {"e": jwk["e"], "kty": jwk["kty"], "n": jwk["n"]}
    canonical = json.dumps(required, separators=(",", ":"), sort_keys=True)
    return b64url(hashlib.sha256(canonical.encode("utf-8")).digest())


def public_jwk(key: rsa.RSAPublicKey) -> dict[str, str]:
    """The public JWK we publish, with ``kid`` set to its RFC 7638 thumbprint.

    ``use: "sig"`` matters: Okta refuses a client key whose ``use`` is not for
    signing (okta-api.md §1.2).
    """
    numbers = key.public_numbers()
    jwk = {"kty": "RSA", "n": b64url_uint(numbers.n), "e": b64url_uint(numbers.e)}
    jwk["kid"] = jwk_thumbprint(jwk)
    jwk["alg"] = ALG
    jwk["use"] = "sig"
    return jwk


def sign_compact(
    key: rsa.RSAPrivateKey, header: Mapping[str, Any], payload: Mapping[str, Any]
) -> str:
    """A compact JWS (RFC 7515 §7.1) signed with RSASSA-PKCS1-v1_5 SHA-256 (RS256).

    The header is used as given; callers set ``alg`` and ``kid``.
    """
    signing_input = (_b64url_json(header) + "." + _b64url_json(payload)).encode("ascii")
    signature = key.sign(signing_input, padding.PKCS1v15(), hashes.SHA256())
    return signing_input.decode("ascii") + "." + b64url(signature)


def _b64url_json(value: Mapping[str, Any]) -> str:
    return b64url(json.dumps(value, separators=(",", ":")).encode("utf-8"))
