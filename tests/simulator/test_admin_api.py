"""The admin side of setup through Okta's API with an SSWS token, and the hooks."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from atomation.simulator.harness import SimulatorServer
from tests.simulator.support import ServiceApp, fixture_server


@pytest.fixture(scope="module")
def okta() -> Iterator[SimulatorServer]:
    with fixture_server() as server:
        yield server


@pytest.fixture(scope="module")
def app(okta: SimulatorServer) -> ServiceApp:
    return ServiceApp.create(okta, scopes=["okta.users.read", "okta.logs.read"])


def test_created_app_is_an_oidc_service_app_with_private_key_jwt(
    app: ServiceApp,
) -> None:
    body = app.admin("GET", f"/api/v1/apps/{app.client_id}").json()

    assert body["id"] == app.client_id
    assert body["id"].startswith("0oa")
    assert len(body["id"]) == 20
    assert body["signOnMode"] == "OPENID_CONNECT"
    assert body["status"] == "ACTIVE"
    oauth = body["credentials"]["oauthClient"]
    assert oauth["client_id"] == app.client_id
    assert oauth["token_endpoint_auth_method"] == "private_key_jwt"
    settings = body["settings"]["oauthClient"]
    assert settings["application_type"] == "service"
    assert settings["grant_types"] == ["client_credentials"]
    assert settings["jwks_uri"].startswith(app.okta.base_url)
    assert settings["dpop_bound_access_tokens"] is False


def test_created_app_appears_in_the_apps_list(
    okta: SimulatorServer, app: ServiceApp
) -> None:
    listed = app.admin("GET", "/api/v1/apps?limit=200").json()

    assert app.client_id in {a["id"] for a in listed}


def test_app_without_label_is_a_validation_error(app: ServiceApp) -> None:
    response = app.admin("POST", "/api/v1/apps", json={"signOnMode": "OPENID_CONNECT"})

    assert response.status_code == 400
    assert response.json()["errorCode"] == "E0000001"
    assert response.json()["errorSummary"] == "Api validation failed: label"


def test_malformed_json_is_e0000003(app: ServiceApp) -> None:
    response = app.admin(
        "POST",
        "/api/v1/apps",
        content=b"{not json",
        headers={"Content-Type": "application/json"},
    )

    assert response.json()["errorCode"] == "E0000003"


def test_put_toggles_dpop(okta: SimulatorServer) -> None:
    app = ServiceApp.create(okta)
    assert app.token_request().json()["token_type"] == "Bearer"

    updated = app.admin(
        "PUT",
        f"/api/v1/apps/{app.client_id}",
        json={"settings": {"oauthClient": {"dpop_bound_access_tokens": True}}},
    )

    assert updated.status_code == 200
    assert updated.json()["settings"]["oauthClient"]["dpop_bound_access_tokens"]
    assert app.token_request().json()["error"] == "invalid_dpop_proof"


def test_grants_are_listed_with_issuer_and_can_be_revoked(app: ServiceApp) -> None:
    grants = app.admin("GET", f"/api/v1/apps/{app.client_id}/grants").json()

    assert [g["scopeId"] for g in grants] == ["okta.users.read", "okta.logs.read"]
    assert {g["issuer"] for g in grants} == {app.okta.base_url}
    assert {g["source"] for g in grants} == {"ADMIN"}
    logs_grant = grants[1]["id"]

    deleted = app.admin("DELETE", f"/api/v1/apps/{app.client_id}/grants/{logs_grant}")

    assert deleted.status_code == 204
    assert app.token_request().json()["scope"] == "okta.users.read"


def test_grant_with_a_foreign_issuer_is_refused(app: ServiceApp) -> None:
    response = app.admin(
        "POST",
        f"/api/v1/apps/{app.client_id}/grants",
        json={"issuer": "https://other.okta.com", "scopeId": "okta.apps.read"},
    )

    assert response.status_code == 400


def test_client_roles_are_assigned_listed_and_removed(okta: SimulatorServer) -> None:
    app = ServiceApp.create(okta, role=None)
    assigned = app.admin(
        "POST",
        f"/oauth2/v1/clients/{app.client_id}/roles",
        json={"type": "SUPER_ADMIN"},
    ).json()

    listed = app.admin("GET", f"/oauth2/v1/clients/{app.client_id}/roles").json()
    assert [(a["type"], a["assignmentType"]) for a in listed] == [
        ("SUPER_ADMIN", "CLIENT")
    ]
    assert assigned["label"] == "Super Administrator"

    removed = app.admin(
        "DELETE", f"/oauth2/v1/clients/{app.client_id}/roles/{assigned['id']}"
    )

    assert removed.status_code == 204
    assert app.admin("GET", f"/oauth2/v1/clients/{app.client_id}/roles").json() == []


def test_oauth_tokens_cannot_use_the_admin_api(app: ServiceApp) -> None:
    token = app.token()

    response = httpx.post(
        f"{app.okta.base_url}/oauth2/v1/clients/{app.client_id}/roles",
        json={"type": "SUPER_ADMIN"},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 403
    assert 'scope="okta.roles.manage"' in response.headers["www-authenticate"]


def test_misconfigurations_hook_needs_the_admin_token(okta: SimulatorServer) -> None:
    base = okta.base_url + "/__simulator/misconfigurations"
    allowed = httpx.get(base, headers={"Authorization": f"SSWS {okta.admin_token}"})
    refused = httpx.get(base)

    assert allowed.json() == okta.org.misconfigurations
    assert refused.status_code == 403


def test_clock_hook_advances_simulated_time(okta: SimulatorServer) -> None:
    before = okta.clock.timestamp()

    response = httpx.post(
        okta.base_url + "/__simulator/clock",
        json={"advance": 120},
        headers={"Authorization": f"SSWS {okta.admin_token}"},
    )

    assert response.status_code == 200
    assert okta.clock.timestamp() - before >= 120


def test_request_log_shows_what_a_reader_sent(okta: SimulatorServer) -> None:
    reader = ServiceApp.create(okta)
    token = reader.token()
    httpx.get(
        okta.base_url + "/api/v1/users?limit=2",
        headers={"Authorization": f"Bearer {token}"},
    )

    mine = [r for r in okta.requests if r.client_id == reader.client_id]

    assert [(r.method, r.path, r.status) for r in mine] == [
        ("POST", "/oauth2/v1/token", 200),
        ("GET", "/api/v1/users", 200),
    ]
    assert mine[1].query == "limit=2"
