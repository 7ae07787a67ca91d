"""JWK thumbprints and compact JWS, checked against RFC 7638 and joserfc."""

from __future__ import annotations

from joserfc import jws
from joserfc.jwk import RSAKey

from atomation.keys import jwk

# RFC 7638 §3.1: the example RSA key and its published SHA-256 thumbprint.
RFC7638_N = (
    "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuhDR1"
    "L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0h4"
    "QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91CbO"
    "pbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-csF"
    "Cur-kEgU8awapJzKnqDKgw"
)
RFC7638_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"


def _as_jwk(members: dict[str, str]) -> dict[str, str | list[str]]:
    return dict(members)


def test_thumbprint_matches_the_rfc_7638_example() -> None:
    example = {"kty": "RSA", "n": RFC7638_N, "e": "AQAB", "alg": "RS256"}

    assert jwk.jwk_thumbprint(example) == RFC7638_THUMBPRINT


def test_public_jwk_has_only_public_members_and_kid_is_its_thumbprint() -> None:
    private = jwk.generate_private_key()

    public = jwk.public_jwk(private.public_key())

    assert set(public) == {"kty", "n", "e", "kid", "alg", "use"}
    assert public["alg"] == "RS256"
    assert public["use"] == "sig"
    assert public["e"] == "AQAB"
    assert private.key_size == 2048
    assert public["kid"] == RSAKey.import_key(_as_jwk(public)).thumbprint()


def test_compact_jws_verifies_with_an_independent_library() -> None:
    private = jwk.generate_private_key()
    public = jwk.public_jwk(private.public_key())
    header = {"alg": "RS256", "kid": public["kid"], "typ": "JWT"}

    token = jwk.sign_compact(private, header, {"iss": "0oa1", "exp": 1})

    verified = jws.deserialize_compact(token, RSAKey.import_key(_as_jwk(public)))
    assert verified.headers() == header
    assert verified.payload == b'{"iss":"0oa1","exp":1}'
