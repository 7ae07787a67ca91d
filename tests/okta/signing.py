"""A real RS256 signer over a key made in the test, standing in for a tenant key."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

from joserfc import jws
from joserfc.jwk import RSAKey


class RsaTestSigner:
    """Signs with an RSA key generated here; ``jwks()`` is what Okta would fetch."""

    alg = "RS256"

    def __init__(self, kid: str = "test-key-1") -> None:
        self.key = RSAKey.generate_key(2048)
        self.kid = kid

    def sign(self, header: Mapping[str, Any], payload: Mapping[str, Any]) -> str:
        body = json.dumps(dict(payload), separators=(",", ":")).encode()
        return jws.serialize_compact(
            {**header, "alg": self.alg, "kid": self.kid}, body, self.key
        )

    def public_jwk(self) -> dict[str, Any]:
        return {
            **self.key.as_dict(private=False),
            "kid": self.kid,
            "alg": self.alg,
            "use": "sig",
        }

    def jwks(self) -> dict[str, Any]:
        return {"keys": [self.public_jwk()]}

    def __repr__(self) -> str:
        return f"RsaTestSigner(kid={self.kid!r})"


def decode(token: str) -> tuple[dict[str, Any], dict[str, Any]]:
    """Header and claims of a compact JWS, without checking the signature."""
    obj = jws.extract_compact(token.encode())
    return dict(obj.protected), json.loads(obj.payload)
