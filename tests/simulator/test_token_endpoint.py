"""The org authorization server's token endpoint, against okta-api.md §1.5."""

from __future__ import annotations

import base64
import time
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from joserfc.jwk import ECKey, OctKey, RSAKey

from atomation.simulator.harness import SimulatorServer
from atomation.simulator.server import JwksCachePolicy
from tests.simulator.support import (
    ASSERTION_TYPE,
    READ_SCOPES,
    ServiceApp,
    fixture_server,
    sign,
)


@pytest.fixture(scope="module")
def okta() -> Iterator[SimulatorServer]:
    with fixture_server() as server:
        yield server


@pytest.fixture(scope="module")
def app(okta: SimulatorServer) -> ServiceApp:
    return ServiceApp.create(okta)


def error_of(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["error"], body["error_description"]


def invalid_client(description: str) -> tuple[int, str, str]:
    return (401, "invalid_client", description)


def test_success_returns_an_opaque_bearer_token_for_one_hour(app: ServiceApp) -> None:
    response = app.token_request()

    assert response.status_code == 200
    body = response.json()
    assert list(body) == ["token_type", "expires_in", "access_token", "scope"]
    assert body["token_type"] == "Bearer"
    assert body["expires_in"] == 3600
    assert body["scope"].split(" ") == list(READ_SCOPES)
    assert body["access_token"].count(".") == 0  # opaque, not a JWT
    assert response.headers["cache-control"] == "no-cache, no-store"
    assert response.headers["pragma"] == "no-cache"
    assert len(response.headers["x-okta-request-id"]) == 32
    for name in ("x-rate-limit-limit", "x-rate-limit-remaining", "x-rate-limit-reset"):
        assert response.headers[name].isdigit()
    assert "date" in response.headers


def test_error_bodies_are_compact_with_error_first(app: ServiceApp) -> None:
    response = app.token_request(assertion=app.assertion(aud="https://elsewhere"))

    assert response.content.startswith(b'{"error":"invalid_client","error_description"')
    assert response.headers["content-type"] == "application/json"
    assert "www-authenticate" in response.headers


@pytest.mark.parametrize(
    ("claims", "expected"),
    [
        (
            {"iss": "0oaUnknownClient0000"},
            "The issuer claim for client_assertion is not a valid client_id.",
        ),
        (
            {"sub": "0oaSomeoneElse000000"},
            "The subject claim for client_assertion is not a valid client_id.",
        ),
        (
            {"aud": "http://127.0.0.1/oauth2/default/v1/token"},
            "The audience claim for client_assertion must be the endpoint invoked "
            "for the request.",
        ),
        (
            {"exp": None},
            "The client_assertion must contain the 'exp' claim as seconds since epoch.",
        ),
    ],
    ids=["unknown-issuer", "subject-differs", "wrong-audience", "no-exp"],
)
def test_assertion_claim_faults_are_refused(
    app: ServiceApp, claims: dict[str, Any], expected: str
) -> None:
    response = app.token_request(assertion=app.assertion(**claims))

    assert error_of(response) == invalid_client(expected)


def test_expired_assertion_is_rejected(app: ServiceApp) -> None:
    now = int(app.okta.clock.timestamp())
    response = app.token_request(assertion=app.assertion(iat=now - 600, exp=now - 1))

    assert error_of(response) == invalid_client(
        "The client_assertion token is expired."
    )


def test_assertion_valid_for_more_than_an_hour_is_rejected(app: ServiceApp) -> None:
    now = int(app.okta.clock.timestamp())
    response = app.token_request(assertion=app.assertion(exp=now + 3700))

    assert error_of(response) == invalid_client(
        "The client_assertion token has an expiration too far into the future."
    )


def test_assertion_issued_in_the_future_is_rejected(app: ServiceApp) -> None:
    now = int(app.okta.clock.timestamp())
    response = app.token_request(assertion=app.assertion(iat=now + 120))

    assert error_of(response) == invalid_client(
        "The client_assertion token must be issued before the current time."
    )


def test_the_org_clock_is_not_behind_real_time_after_a_slow_generation() -> None:
    # A client signs `iat` with the real time; a clock that began at the org's
    # "now" only after generating would lag it by the generation's length, and
    # refuse such assertions as issued in the future (seen on a loaded machine).
    began = time.monotonic()
    with SimulatorServer(users=2000, latency=0, rate_limits="off") as server:
        built = time.monotonic() - began
        lag = time.time() - server.clock.timestamp()

    assert lag < built / 4, (lag, built)


def test_reused_assertion_is_rejected(app: ServiceApp) -> None:
    assertion = app.assertion()
    assert app.token_request(assertion=assertion).status_code == 200

    response = app.token_request(assertion=assertion)

    assert error_of(response) == invalid_client(
        "The client_assertion token has already been used."
    )


def test_assertion_signed_by_another_key_is_rejected(app: ServiceApp) -> None:
    other = RSAKey.generate_key(2048)
    claims = {
        "iss": app.client_id,
        "sub": app.client_id,
        "aud": app.okta.token_endpoint,
        "exp": int(app.okta.clock.timestamp()) + 60,
    }
    forged = sign({"alg": "RS256", "kid": app.kid}, claims, other)

    response = app.token_request(assertion=forged)

    assert error_of(response) == invalid_client(
        "The client_assertion signature is invalid."
    )


def test_unknown_kid_is_rejected(app: ServiceApp) -> None:
    response = app.token_request(assertion=app.assertion(header={"kid": "nope"}))

    assert error_of(response) == invalid_client(
        "The client_assertion JWT kid is invalid."
    )


def test_symmetric_algorithm_is_rejected(app: ServiceApp) -> None:
    claims = {
        "iss": app.client_id,
        "sub": app.client_id,
        "aud": app.okta.token_endpoint,
        "exp": int(app.okta.clock.timestamp()) + 60,
    }
    hs = sign({"alg": "HS256", "kid": app.kid}, claims, OctKey.generate_key(256))

    response = app.token_request(assertion=hs)

    assert error_of(response) == invalid_client(
        "The client_assertion JWT signature algorithm is invalid."
    )


def test_unparseable_assertion_is_rejected(app: ServiceApp) -> None:
    response = app.token_request(assertion="not-a-jwt")

    assert error_of(response) == invalid_client(
        "The parsing of the client_assertion failed."
    )


def test_no_credentials_at_all_is_refused(okta: SimulatorServer) -> None:
    response = httpx.post(
        okta.token_endpoint,
        data={"grant_type": "client_credentials", "scope": "okta.users.read"},
    )

    assert error_of(response) == invalid_client("No client credentials found.")


def test_client_secret_is_refused_on_the_org_authorization_server(
    okta: SimulatorServer,
) -> None:
    response = httpx.post(
        okta.token_endpoint,
        data={
            "grant_type": "client_credentials",
            "scope": "okta.users.read",
            "client_id": "0oa1",
            "client_secret": "s",
        },
    )

    assert error_of(response) == invalid_client(
        "Client Credentials requests to the Org Authorization Server must use the "
        "private_key_jwt token_endpoint_auth_method."
    )


def test_basic_header_with_an_assertion_is_multiple_credentials(
    app: ServiceApp,
) -> None:
    basic = base64.b64encode(b"id:secret").decode()
    response = httpx.post(
        app.okta.token_endpoint,
        data={
            "grant_type": "client_credentials",
            "scope": "okta.users.read",
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": app.assertion(),
        },
        headers={"Authorization": f"Basic {basic}"},
    )

    status, error, _ = error_of(response)
    assert (status, error) == (401, "invalid_request")


def test_credentials_in_the_query_string_are_refused(app: ServiceApp) -> None:
    response = httpx.post(
        app.okta.token_endpoint + "?client_assertion=x",
        data={"grant_type": "client_credentials"},
    )

    assert error_of(response) == (
        400,
        "invalid_request",
        "Client credentials cannot be supplied via query parameters.",
    )


def test_wrong_assertion_type_is_refused(app: ServiceApp) -> None:
    response = app.token_request(client_assertion_type="urn:other")

    assert error_of(response) == (
        400,
        "invalid_request",
        "The client_assertion_type is invalid.",
    )


def test_other_grant_types_are_not_authorized(app: ServiceApp) -> None:
    response = app.token_request(grant_type="password")

    assert error_of(response)[:2] == (400, "unauthorized_client")


def test_request_without_scope_is_invalid_scope(app: ServiceApp) -> None:
    response = app.token_request(scopes=[])

    assert error_of(response) == (400, "invalid_scope", "No scopes were requested.")


def test_openid_cannot_be_requested_with_client_credentials(app: ServiceApp) -> None:
    response = app.token_request(scopes=["openid", "okta.users.read"])

    assert error_of(response) == (
        400,
        "invalid_scope",
        "Cannot request 'openid' scopes using client credentials.",
    )


def test_custom_scope_is_not_allowed(app: ServiceApp) -> None:
    response = app.token_request(scopes=["inventory.read"])

    assert error_of(response) == (
        400,
        "invalid_scope",
        "Custom scopes are not allowed for this request.",
    )


def test_no_granted_scope_is_consent_required(okta: SimulatorServer) -> None:
    ungranted = ServiceApp.create(okta, scopes=[])

    response = ungranted.token_request()

    assert error_of(response) == (
        400,
        "consent_required",
        "You are not allowed any of the requested scopes.",
    )


def test_token_is_narrowed_to_the_granted_scopes(okta: SimulatorServer) -> None:
    partial = ServiceApp.create(okta, scopes=["okta.users.read", "okta.logs.read"])

    response = partial.token_request()

    assert response.status_code == 200
    assert response.json()["scope"] == "okta.users.read okta.logs.read"


def test_ec_keys_are_accepted(okta: SimulatorServer) -> None:
    ec_app = ServiceApp.create(okta, key=ECKey.generate_key("P-256"), alg="ES256")

    assert ec_app.token_request().status_code == 200


def test_non_service_app_cannot_use_client_credentials(
    okta: SimulatorServer, app: ServiceApp
) -> None:
    web = app.admin(
        "PUT",
        f"/api/v1/apps/{app.client_id}",
        json={"settings": {"oauthClient": {"application_type": "web"}}},
    )
    assert web.status_code == 200
    try:
        response = app.token_request()
    finally:
        app.admin(
            "PUT",
            f"/api/v1/apps/{app.client_id}",
            json={"settings": {"oauthClient": {"application_type": "service"}}},
        )

    assert error_of(response) == invalid_client(
        "Only clients with 'application_type' of 'service' may use the "
        "client_credentials 'grant_type' with the Org Authorization Server."
    )


def _app_with_jwks(okta: SimulatorServer, jwks_uri: str | None) -> ServiceApp:
    app = ServiceApp.create(okta)
    settings: dict[str, Any] = {"jwks_uri": jwks_uri}
    assert (
        app.admin(
            "PUT",
            f"/api/v1/apps/{app.client_id}",
            json={"settings": {"oauthClient": settings}},
        ).status_code
        == 200
    )
    return app


def test_unreachable_jwks_uri_is_an_invalid_client(okta: SimulatorServer) -> None:
    app = _app_with_jwks(okta, "http://127.0.0.1:9/jwks.json")

    assert error_of(app.token_request()) == invalid_client(
        "Error retrieving the client JWKSet from jwks_uri."
    )


def test_empty_jwks_is_an_invalid_client(okta: SimulatorServer) -> None:
    app = _app_with_jwks(okta, okta.host_jwks("empty", {"keys": []}))

    assert error_of(app.token_request()) == invalid_client(
        "The client JWKSet from jwks_uri must contain at least one key."
    )


def test_duplicate_kids_are_an_invalid_client(okta: SimulatorServer) -> None:
    key = RSAKey.generate_key(2048).as_dict(private=False)
    twice = {"keys": [{**key, "kid": "k"}, {**key, "kid": "k"}]}
    app = _app_with_jwks(okta, okta.host_jwks("twice", twice))

    assert error_of(app.token_request()) == invalid_client(
        "All keys in the client JWKSet from jwks_uri must have a unique kid."
    )


def test_app_without_keys_is_an_invalid_client(okta: SimulatorServer) -> None:
    app = _app_with_jwks(okta, None)

    assert error_of(app.token_request()) == invalid_client(
        "The client does not have a JWKSet configured, but the client_assertion "
        "requires one."
    )


def _rotate(okta: SimulatorServer, app: ServiceApp, name: str) -> None:
    """Publish a new key under a new kid at the app's JWKS URL."""
    app.key = RSAKey.generate_key(2048)
    app.kid = "key-2"
    jwk = {**app.key.as_dict(private=False), "kid": app.kid, "use": "sig"}
    okta.host_jwks(name, {"keys": [jwk]})


@pytest.mark.parametrize("refetch", [True, False])
def test_unknown_kid_triggers_a_refetch_only_when_configured(refetch: bool) -> None:
    policy = JwksCachePolicy(cache_seconds=3600, refetch_on_unknown_kid=refetch)
    with fixture_server(jwks_cache=policy) as okta:
        app = ServiceApp.create(okta)
        assert app.token_request().status_code == 200  # caches key-1
        uri = okta.org.app(app.client_id)["settings"]["oauthClient"]["jwks_uri"]
        _rotate(okta, app, uri.rsplit("/", 1)[1])

        response = app.token_request()

    assert (response.status_code == 200) is refetch


def test_cached_jwks_is_refetched_after_its_lifetime() -> None:
    policy = JwksCachePolicy(cache_seconds=60, refetch_on_unknown_kid=False)
    with fixture_server(jwks_cache=policy) as okta:
        app = ServiceApp.create(okta)
        assert app.token_request().status_code == 200
        uri = okta.org.app(app.client_id)["settings"]["oauthClient"]["jwks_uri"]
        _rotate(okta, app, uri.rsplit("/", 1)[1])
        assert app.token_request().status_code == 401

        okta.advance(61)

        assert app.token_request().status_code == 200


def test_clock_skew_setting_tolerates_a_slightly_early_iat() -> None:
    with fixture_server(clock_skew_seconds=30) as okta:
        app = ServiceApp.create(okta)
        now = int(okta.clock.timestamp())

        response = app.token_request(assertion=app.assertion(iat=now + 20))

    assert response.status_code == 200


def test_jwks_that_is_not_a_key_set_is_invalid(okta: SimulatorServer) -> None:
    app = _app_with_jwks(okta, okta.host_jwks("not-a-set", {"keys": "nope"}))

    assert error_of(app.token_request()) == invalid_client(
        "The client JWKSet is invalid."
    )


def test_key_meant_for_encryption_is_refused(okta: SimulatorServer) -> None:
    app = ServiceApp.create(okta)
    jwk = {**app.key.as_dict(private=False), "kid": app.kid, "use": "enc"}
    uri = okta.org.app(app.client_id)["settings"]["oauthClient"]["jwks_uri"]
    okta.host_jwks(uri.rsplit("/", 1)[1], {"keys": [jwk]})

    response = app.token_request()

    assert error_of(response) == invalid_client(
        "The public key being used for client assertion has an invalid 'use' parameter."
    )


def test_client_id_field_naming_another_client_is_refused(app: ServiceApp) -> None:
    response = app.token_request(client_id="0oaSomeoneElse000000")

    assert error_of(response) == invalid_client(
        "Invalid value for 'client_id' parameter."
    )


def test_inactive_app_fails_client_authentication(okta: SimulatorServer) -> None:
    app = ServiceApp.create(okta)
    app.admin("PUT", f"/api/v1/apps/{app.client_id}", json={"status": "INACTIVE"})

    response = app.token_request()

    assert error_of(response) == invalid_client(
        "Client authentication failed. Either the client or the client credentials "
        "are invalid."
    )
