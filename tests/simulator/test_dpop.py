"""DPoP on the token endpoint and on resource requests (okta-api.md §2)."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest
from joserfc.jwk import ECKey, RSAKey

from atomation.simulator.harness import SimulatorServer
from tests.simulator.support import (
    ASSERTION_TYPE,
    ServiceApp,
    dpop_proof,
    fixture_server,
    sign,
)


@pytest.fixture(scope="module")
def okta() -> Iterator[SimulatorServer]:
    with fixture_server() as server:
        yield server


@pytest.fixture(scope="module")
def app(okta: SimulatorServer) -> ServiceApp:
    return ServiceApp.create(okta, dpop=True)


@pytest.fixture(scope="module")
def dpop_key() -> RSAKey:
    return RSAKey.generate_key(2048)


def token_error(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["error"], body["error_description"]


def invalid_proof(description: str) -> tuple[int, str, str]:
    return (400, "invalid_dpop_proof", description)


def nonce_of(app: ServiceApp, key: RSAKey | ECKey) -> str:
    first = app.token_request(dpop=app.proof(key, "POST", app.okta.token_endpoint))
    return first.headers["dpop-nonce"]


def test_dpop_app_without_proof_header_is_refused(app: ServiceApp) -> None:
    assert token_error(app.token_request()) == invalid_proof(
        "The DPoP proof JWT header is missing."
    )


def test_first_proof_gets_a_nonce_challenge(app: ServiceApp, dpop_key: RSAKey) -> None:
    response = app.token_request(
        dpop=app.proof(dpop_key, "POST", app.okta.token_endpoint)
    )

    assert token_error(response) == (
        400,
        "use_dpop_nonce",
        "Authorization server requires nonce in DPoP proof.",
    )
    assert response.headers["dpop-nonce"]


def test_nonce_dance_yields_a_dpop_token_and_a_nonce(
    app: ServiceApp, dpop_key: RSAKey
) -> None:
    nonce = nonce_of(app, dpop_key)
    response = app.token_request(
        dpop=app.proof(dpop_key, "POST", app.okta.token_endpoint, nonce=nonce)
    )

    assert response.status_code == 200
    assert response.json()["token_type"] == "DPoP"
    assert response.headers["dpop-nonce"] == nonce


def test_assertion_spent_on_a_nonce_challenge_cannot_be_reused(
    app: ServiceApp, dpop_key: RSAKey
) -> None:
    assertion = app.assertion()
    first = app.token_request(
        assertion=assertion, dpop=app.proof(dpop_key, "POST", app.okta.token_endpoint)
    )
    nonce = first.headers["dpop-nonce"]

    retry = app.token_request(
        assertion=assertion,
        dpop=app.proof(dpop_key, "POST", app.okta.token_endpoint, nonce=nonce),
    )

    assert token_error(retry) == (
        401,
        "invalid_client",
        "The client_assertion token has already been used.",
    )


def test_proof_faults_on_the_token_endpoint(app: ServiceApp, dpop_key: RSAKey) -> None:
    nonce = nonce_of(app, dpop_key)
    endpoint = app.okta.token_endpoint
    now = app.okta.clock.timestamp()
    cases = {
        "'htm' claim in the DPoP proof JWT is invalid.": app.proof(
            dpop_key, "GET", endpoint, nonce=nonce
        ),
        "'htu' claim in the DPoP proof JWT is invalid.": app.proof(
            dpop_key, "POST", app.okta.base_url + "/oauth2/v1/other", nonce=nonce
        ),
        "The DPoP proof JWT is issued more than five minutes in the past.": dpop_proof(
            dpop_key, method="POST", url=endpoint, now=now - 301, nonce=nonce
        ),
        "The DPoP proof JWT is issued in the future.": dpop_proof(
            dpop_key, method="POST", url=endpoint, now=now + 60, nonce=nonce
        ),
        "'jti' claim in the DPoP proof JWT is invalid.": app.proof(
            dpop_key, "POST", endpoint, nonce=nonce, jti=""
        ),
        "The DPoP proof JWT cannot be parsed.": "garbage",
    }
    for description, proof in cases.items():
        assert token_error(app.token_request(dpop=proof)) == invalid_proof(description)


def test_proof_with_wrong_typ_is_refused(app: ServiceApp, dpop_key: RSAKey) -> None:
    claims = {
        "htm": "POST",
        "htu": app.okta.token_endpoint,
        "iat": int(app.okta.clock.timestamp()),
        "jti": "x1",
    }
    header = {"typ": "JWT", "alg": "RS256", "jwk": dpop_key.as_dict(private=False)}

    response = app.token_request(dpop=sign(header, claims, dpop_key))

    assert token_error(response) == invalid_proof(
        "'typ' must be 'dpop+jwt' in the DPoP proof JWT."
    )


def test_proof_signed_by_another_key_is_refused(
    app: ServiceApp, dpop_key: RSAKey
) -> None:
    claims = {
        "htm": "POST",
        "htu": app.okta.token_endpoint,
        "iat": int(app.okta.clock.timestamp()),
        "jti": "x2",
    }
    header = {"typ": "dpop+jwt", "alg": "RS256", "jwk": dpop_key.as_dict(private=False)}

    response = app.token_request(dpop=sign(header, claims, RSAKey.generate_key(2048)))

    assert token_error(response) == invalid_proof(
        "The DPoP proof JWT signature is invalid."
    )


def test_replayed_proof_is_refused(app: ServiceApp, dpop_key: RSAKey) -> None:
    nonce = nonce_of(app, dpop_key)
    proof = app.proof(dpop_key, "POST", app.okta.token_endpoint, nonce=nonce)
    assert app.token_request(dpop=proof).status_code == 200

    assert token_error(app.token_request(dpop=proof)) == invalid_proof(
        "The DPoP proof JWT has already been used."
    )


def test_nonce_keeps_working_three_days_after_rotation() -> None:
    with fixture_server() as okta:
        app = ServiceApp.create(okta, dpop=True)
        key = ECKey.generate_key("P-256")
        nonce = nonce_of(app, key)
        okta.advance(24 * 3600 + 60)  # rotated: a new nonce is issued now
        assert nonce_of(app, key) != nonce
        okta.advance(2 * 24 * 3600)

        still = app.token_request(
            dpop=app.proof(key, "POST", okta.token_endpoint, nonce=nonce)
        )
        okta.advance(2 * 24 * 3600)
        stale = app.token_request(
            dpop=app.proof(key, "POST", okta.token_endpoint, nonce=nonce)
        )

    assert still.status_code == 200
    assert token_error(stale)[:2] == (400, "use_dpop_nonce")


# -- resource requests ---------------------------------------------------------


def get(
    okta: SimulatorServer, path: str, authorization: str, proof: str | None = None
) -> httpx.Response:
    headers = {"Authorization": authorization}
    if proof is not None:
        headers["DPoP"] = proof
    return httpx.get(okta.base_url + path, headers=headers)


def challenge(response: httpx.Response) -> str:
    return response.headers["www-authenticate"]


def test_dpop_bound_token_reads_with_a_valid_proof(
    app: ServiceApp, dpop_key: RSAKey
) -> None:
    token = app.dpop_token(dpop_key)
    url = app.okta.base_url + "/api/v1/users"
    proof = app.proof(dpop_key, "GET", url, access_token=token)

    response = get(app.okta, "/api/v1/users?limit=2", f"DPoP {token}", proof)

    assert response.status_code == 200


def test_dpop_bound_token_with_bearer_scheme_is_refused(
    app: ServiceApp, dpop_key: RSAKey
) -> None:
    token = app.dpop_token(dpop_key)

    response = get(app.okta, "/api/v1/users", f"Bearer {token}")

    assert response.status_code == 400
    assert challenge(response).startswith('DPoP algs="RS256 RS384 RS512 ES256')
    assert 'error="invalid_request"' in challenge(response)
    assert (
        'error_description="The resource request must use the DPoP authentication '
        'scheme when using a DPoP bound token."'
    ) in challenge(response)


def test_dpop_bound_token_without_proof_is_refused(
    app: ServiceApp, dpop_key: RSAKey
) -> None:
    token = app.dpop_token(dpop_key)

    response = get(app.okta, "/api/v1/users", f"DPoP {token}")

    assert response.status_code == 400
    assert "The resource request requires a DPoP proof." in challenge(response)


@pytest.mark.parametrize(
    ("case", "description"),
    [
        (
            "ath",
            "'ath' claim in the DPoP proof does not match the presented access_token.",
        ),
        ("key", "The access_token is not bound to the provided DPoP proof."),
        ("htu-encoded", "'htu' claim in the DPoP proof JWT is invalid."),
        ("htm", "'htm' claim in the DPoP proof JWT is invalid."),
    ],
)
def test_resource_proof_faults_are_400_with_the_reason_in_www_authenticate(
    app: ServiceApp, dpop_key: RSAKey, case: str, description: str
) -> None:
    token = app.dpop_token(dpop_key)
    user_id = app.okta.org.users[0]["id"]
    path = f"/api/v1/users/{user_id}"
    url = app.okta.base_url + path
    key, method, proof_token = dpop_key, "GET", token
    if case == "ath":
        proof_token = token + "x"
    elif case == "key":
        key = RSAKey.generate_key(2048)
    elif case == "htm":
        method = "POST"
    elif case == "htu-encoded":
        path = "/api/v1/users/user0%40example.com"
        url = app.okta.base_url + path  # the SDK's bug: htu keeps %40 (§2.2)
    proof = app.proof(key, method, url, access_token=proof_token)

    response = get(app.okta, path, f"DPoP {token}", proof)

    assert response.status_code == 400
    assert response.content == b""
    assert 'error="invalid_dpop_proof"' in challenge(response)
    assert f'error_description="{description}"' in challenge(response)
    assert f'resource="{path.replace("%40", "@")}"' in challenge(response)


def test_decoded_htu_matches_a_percent_encoded_path(
    app: ServiceApp, dpop_key: RSAKey
) -> None:
    token = app.dpop_token(dpop_key)
    url = app.okta.base_url + "/api/v1/users/user0@example.com"
    proof = app.proof(dpop_key, "GET", url, access_token=token)

    response = get(
        app.okta, "/api/v1/users/user0%40example.com", f"DPoP {token}", proof
    )

    assert response.status_code == 200


def test_plain_token_with_dpop_scheme_is_not_dpop_bound(okta: SimulatorServer) -> None:
    bearer_app = ServiceApp.create(okta)
    token = bearer_app.token()

    response = get(okta, "/api/v1/users", f"DPoP {token}")

    assert response.status_code == 401
    assert 'error="invalid_token"' in challenge(response)
    assert "The presented access_token is not DPoP bound." in challenge(response)


def test_insufficient_scope_challenge_uses_the_dpop_scheme(
    okta: SimulatorServer, dpop_key: RSAKey
) -> None:
    narrow = ServiceApp.create(okta, scopes=["okta.users.read"], dpop=True)
    token = narrow.dpop_token(dpop_key, scopes=["okta.users.read"])
    proof = narrow.proof(
        dpop_key, "GET", okta.base_url + "/api/v1/logs", access_token=token
    )

    response = get(okta, "/api/v1/logs", f"DPoP {token}", proof)

    assert response.status_code == 403
    assert challenge(response).startswith("DPoP algs=")
    assert 'scope="okta.logs.read"' in challenge(response)


def test_two_proof_headers_are_refused(app: ServiceApp, dpop_key: RSAKey) -> None:
    endpoint = app.okta.token_endpoint
    data = {
        "grant_type": "client_credentials",
        "scope": "okta.users.read",
        "client_assertion_type": ASSERTION_TYPE,
        "client_assertion": app.assertion(),
    }
    headers = [
        ("DPoP", app.proof(dpop_key, "POST", endpoint)),
        ("DPoP", app.proof(dpop_key, "POST", endpoint)),
    ]

    response = httpx.post(endpoint, data=data, headers=headers)

    assert token_error(response) == invalid_proof(
        "Multiple DPoP proof JWT headers are not allowed."
    )


@pytest.mark.parametrize(
    ("header", "description"),
    [
        ({"alg": "HS256"}, "The DPoP proof JWT signature algorithm is invalid."),
        ({"jwk": None}, "The DPoP proof JWT is invalid."),
    ],
)
def test_proof_header_faults_are_refused(
    app: ServiceApp, dpop_key: RSAKey, header: dict[str, object], description: str
) -> None:
    claims = {
        "htm": "POST",
        "htu": app.okta.token_endpoint,
        "iat": int(app.okta.clock.timestamp()),
        "jti": str(header),
    }
    full: dict[str, object] = {
        "typ": "dpop+jwt",
        "alg": "RS256",
        "jwk": dpop_key.as_dict(private=False),
    }
    full.update(header)
    if full["jwk"] is None:
        del full["jwk"]
    proof = sign({**full, "alg": "RS256"}, claims, dpop_key)
    if header.get("alg") == "HS256":
        # re-label the header only: the server must refuse before verifying
        proof = _relabel_alg(proof, "HS256")

    assert token_error(app.token_request(dpop=proof)) == invalid_proof(description)


def test_proof_without_numeric_iat_is_refused(
    app: ServiceApp, dpop_key: RSAKey
) -> None:
    proof = app.proof(dpop_key, "POST", app.okta.token_endpoint, iat="now")

    assert token_error(app.token_request(dpop=proof)) == invalid_proof(
        "'iat' claim in the DPoP proof JWT is invalid."
    )


def _relabel_alg(token: str, alg: str) -> str:
    import base64
    import json

    header_segment, payload, signature = token.split(".")
    header = json.loads(base64.urlsafe_b64decode(header_segment + "=="))
    header["alg"] = alg
    encoded = base64.urlsafe_b64encode(json.dumps(header).encode()).decode()
    return ".".join([encoded.rstrip("="), payload, signature])
