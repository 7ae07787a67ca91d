"""Client assertion and DPoP proofs, checked against the RFCs' published examples."""

from __future__ import annotations

from joserfc import jws
from joserfc.jwk import ECKey

from atomation.okta.assertion import ASSERTION_LIFETIME, client_assertion
from atomation.okta.dpop import (
    DPoPKey,
    access_token_hash,
    dpop_proof,
    jwk_thumbprint,
    proof_htu,
)
from tests.okta.signing import RsaTestSigner, decode

# RFC 7638 §3.1: the example RSA key and its SHA-256 thumbprint.
RFC7638_KEY = {
    "kty": "RSA",
    "n": "0vx7agoebGcQSuuPiLJXZptN9nndrQmbXEps2aiAFbWhM78LhWx4cbbfAAtVT86zwu1RK7aPFFxuh"
    "DR1L6tSoc_BJECPebWKRXjBZCiFV4n3oknjhMstn64tZ_2W-5JsGY4Hc5n9yBXArwl93lqt7_RN5w6Cf0"
    "h4QyQ5v-65YGjQR0_FDW2QvzqY368QQMicAtaSqzs8KJZgnYb9c7d0zgdAZHzu6qMQvRL5hajrn1n91C"
    "bOpbISD08qNLyrdkt-bFTWhAI4vMQFh6WeZu0fM4lFd2NcRwr3XPksINHaQ-G_xBniIqbw0Ls1jF44-c"
    "sFCur-kEgU8awapJzKnqDKgw",
    "e": "AQAB",
    "alg": "RS256",
    "kid": "2011-04-29",
}
RFC7638_THUMBPRINT = "NzbLsXh8uDCcd-6MNwXF4W_7noWXFZAfHkxZsRGC9Xs"

# RFC 9449 §7.1: the example access token and its ``ath``.
RFC9449_TOKEN = "Kz~8mXK1EalYznwH-LC-1fBAo.4Ljp~zsPE_NeO.gxU"
RFC9449_ATH = "fUHyO2r2Z3DZ53EsNrWBb0xWXoaNy59IiKCAqksmQEo"

TOKEN_URL = "https://acme.okta.com/oauth2/v1/token"


def test_thumbprint_matches_rfc7638_example() -> None:
    assert jwk_thumbprint(RFC7638_KEY) == RFC7638_THUMBPRINT


def test_thumbprint_ignores_members_outside_the_required_set() -> None:
    bare = {k: RFC7638_KEY[k] for k in ("kty", "n", "e")}
    assert jwk_thumbprint(bare) == jwk_thumbprint(RFC7638_KEY)


def test_ath_matches_rfc9449_example() -> None:
    assert access_token_hash(RFC9449_TOKEN) == RFC9449_ATH


def test_htu_drops_query_and_fragment_and_decodes_the_path() -> None:
    url = "https://acme.okta.com/api/v1/users/a%40b.com/factors?limit=1#frag"
    assert proof_htu(url) == "https://acme.okta.com/api/v1/users/a@b.com/factors"


def test_client_assertion_claims_follow_okta_rules() -> None:
    signer = RsaTestSigner()
    token = client_assertion(
        signer, client_id="0oa123", token_url=TOKEN_URL, now=1_700_000_000, jti="j1"
    )
    header, claims = decode(token)
    assert header == {"alg": "RS256", "kid": signer.kid, "typ": "JWT"}
    assert claims == {
        "iss": "0oa123",
        "sub": "0oa123",
        "aud": TOKEN_URL,
        "iat": 1_700_000_000,
        "exp": 1_700_000_000 + ASSERTION_LIFETIME,
        "jti": "j1",
    }
    assert ASSERTION_LIFETIME <= 3600  # Okta refuses exp more than an hour ahead
    jws.deserialize_compact(token, signer.key)  # a real signature that verifies


def test_token_request_proof_has_the_rfc9449_header_and_claims() -> None:
    key = DPoPKey.generate()
    proof = dpop_proof(key, method="POST", url=TOKEN_URL, now=100, jti="p1")
    header, claims = decode(proof)
    assert header["typ"] == "dpop+jwt"
    assert header["alg"] == "ES256"
    assert set(header["jwk"]) == {"kty", "crv", "x", "y"}  # public members only
    assert claims == {"jti": "p1", "htm": "POST", "htu": TOKEN_URL, "iat": 100}
    jws.deserialize_compact(proof, ECKey.import_key(header["jwk"]))


def test_resource_proof_carries_nonce_and_ath_and_no_query() -> None:
    key = DPoPKey.generate()
    proof = dpop_proof(
        key,
        method="GET",
        url="https://acme.okta.com/api/v1/users?limit=1&after=x",
        now=100,
        jti="p2",
        nonce="n-1",
        access_token=RFC9449_TOKEN,
    )
    _, claims = decode(proof)
    assert claims["htu"] == "https://acme.okta.com/api/v1/users"
    assert claims["nonce"] == "n-1"
    assert claims["ath"] == RFC9449_ATH


def test_dpop_key_repr_shows_only_the_thumbprint() -> None:
    key = DPoPKey.generate()
    assert repr(key) == f"DPoPKey(thumbprint={key.thumbprint!r})"
    assert key.thumbprint == jwk_thumbprint(key.public_jwk)
