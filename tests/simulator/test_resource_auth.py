"""Authentication, scope and role enforcement on the management API (§3.2, §6)."""

from __future__ import annotations

import json
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
def reader(okta: SimulatorServer) -> ServiceApp:
    return ServiceApp.create(okta)


def get(okta: SimulatorServer, path: str, authorization: str | None) -> httpx.Response:
    headers = {} if authorization is None else {"Authorization": authorization}
    return httpx.get(okta.base_url + path, headers=headers)


def okta_error(response: httpx.Response) -> tuple[int, str, str]:
    body = response.json()
    return response.status_code, body["errorCode"], body["errorSummary"]


def test_error_objects_have_okta_keys_in_okta_order(okta: SimulatorServer) -> None:
    response = get(okta, "/api/v1/users", None)

    body = json.loads(response.content)
    assert list(body) == [
        "errorCode",
        "errorSummary",
        "errorLink",
        "errorId",
        "errorCauses",
    ]
    assert body["errorLink"] == body["errorCode"]
    assert body["errorId"].startswith("oae")
    assert len(body["errorId"]) == 25
    assert response.content.startswith(b'{"errorCode":')


@pytest.mark.parametrize("authorization", [None, "Basic abc", "Bearer", "Token x"])
def test_missing_or_malformed_authorization_is_invalid_session(
    okta: SimulatorServer, authorization: str | None
) -> None:
    response = get(okta, "/api/v1/users", authorization)

    assert okta_error(response) == (403, "E0000005", "Invalid session")


def test_wrong_api_token_is_invalid_token(okta: SimulatorServer) -> None:
    response = get(okta, "/api/v1/users", "SSWS not-the-token")

    assert okta_error(response) == (401, "E0000011", "Invalid token provided")


def test_admin_token_reads_everything(okta: SimulatorServer) -> None:
    response = get(okta, "/api/v1/logs", f"SSWS {okta.admin_token}")

    assert response.status_code == 200


def test_unknown_access_token_is_401_with_an_empty_body(okta: SimulatorServer) -> None:
    response = get(okta, "/api/v1/users", "Bearer made-up")

    assert response.status_code == 401
    assert response.content == b""
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith("Bearer authorization_uri=")
    assert 'error="invalid_token"' in challenge
    assert 'resource="/api/v1/users"' in challenge


def test_expired_access_token_is_401(okta: SimulatorServer, reader: ServiceApp) -> None:
    token = reader.token()
    assert get(okta, "/api/v1/users", f"Bearer {token}").status_code == 200

    okta.advance(3601)
    response = get(okta, "/api/v1/users", f"Bearer {token}")

    assert response.status_code == 401
    assert (
        'error_description="The token has expired."'
        in response.headers["www-authenticate"]
    )


def test_401_body_can_be_the_e0000011_object() -> None:
    with fixture_server(unauthorized_body="E0000011") as okta:
        response = get(okta, "/api/v1/users", "Bearer made-up")

    assert okta_error(response) == (401, "E0000011", "Invalid token provided")
    assert "www-authenticate" in response.headers


def test_missing_scope_is_403_insufficient_scope_before_the_role_check(
    okta: SimulatorServer,
) -> None:
    no_role = ServiceApp.create(okta, scopes=["okta.users.read"], role=None)
    token = no_role.token(scopes=["okta.users.read"])

    response = get(okta, "/api/v1/logs", f"Bearer {token}")

    assert response.status_code == 403
    assert response.content == b""
    challenge = response.headers["www-authenticate"]
    assert challenge.startswith("Bearer ")
    assert 'scope="okta.logs.read"' in challenge
    assert 'error="insufficient_scope"' in challenge
    assert (
        'error_description="The access token provided does not contain the required '
        'scopes."'
    ) in challenge
    assert 'resource="/api/v1/logs"' in challenge


def test_app_without_an_admin_role_gets_e0000006(okta: SimulatorServer) -> None:
    no_role = ServiceApp.create(okta, role=None)

    response = get(okta, "/api/v1/users", f"Bearer {no_role.token()}")

    assert okta_error(response) == (
        403,
        "E0000006",
        "You do not have permission to perform the requested action",
    )


@pytest.mark.parametrize(
    ("role", "allowed", "denied"),
    [
        ("HELP_DESK_ADMIN", "/api/v1/users", "/api/v1/policies?type=PASSWORD"),
        ("APP_ADMIN", "/api/v1/apps", "/api/v1/zones"),
        ("GROUP_MEMBERSHIP_ADMIN", "/api/v1/groups", "/api/v1/logs"),
        ("REPORT_ADMIN", "/api/v1/logs", "/api/v1/users"),
        ("USER_ADMIN", "/api/v1/users", "/api/v1/idps"),
    ],
)
def test_narrow_roles_read_only_their_families(
    okta: SimulatorServer, role: str, allowed: str, denied: str
) -> None:
    app = ServiceApp.create(okta, role=role)
    token = app.token()

    assert get(okta, allowed, f"Bearer {token}").status_code == 200
    assert okta_error(get(okta, denied, f"Bearer {token}"))[:2] == (403, "E0000006")


def test_read_only_admin_reads_role_assignments_by_default(
    okta: SimulatorServer, reader: ServiceApp
) -> None:
    token = reader.token()

    response = get(
        okta, f"/oauth2/v1/clients/{reader.client_id}/roles", f"Bearer {token}"
    )

    assert response.status_code == 200
    assert [a["type"] for a in response.json()] == ["READ_ONLY_ADMIN"]


def test_role_assignment_reads_can_be_closed_to_read_only_admin() -> None:
    with fixture_server(role_assignment_readers=frozenset({"SUPER_ADMIN"})) as okta:
        app = ServiceApp.create(okta)
        token = app.token()
        user_id = okta.org.users[0]["id"]

        roles = get(okta, f"/api/v1/users/{user_id}/roles", f"Bearer {token}")
        users = get(okta, "/api/v1/users", f"Bearer {token}")

    assert okta_error(roles)[:2] == (403, "E0000006")
    assert users.status_code == 200


def test_writes_with_an_oauth_token_lack_the_manage_scope(
    okta: SimulatorServer, reader: ServiceApp
) -> None:
    token = reader.token()

    response = httpx.post(
        okta.base_url + "/api/v1/users",
        json={"profile": {}},
        headers={"Authorization": f"Bearer {token}"},
    )

    assert response.status_code == 403
    assert 'scope="okta.users.manage"' in response.headers["www-authenticate"]


def test_unsupported_write_with_the_admin_token_is_method_not_allowed(
    okta: SimulatorServer,
) -> None:
    response = httpx.delete(
        okta.base_url + "/api/v1/logs",
        headers={"Authorization": f"SSWS {okta.admin_token}"},
    )

    assert okta_error(response) == (
        405,
        "E0000022",
        "The endpoint does not support the provided HTTP method",
    )


@pytest.mark.parametrize(
    ("path", "summary"),
    [
        ("/api/v1/users/00uNoSuchUser000000", "00uNoSuchUser000000 (User)"),
        ("/api/v1/groups/00gNoSuchGroup00000", "00gNoSuchGroup00000 (UserGroup)"),
        ("/api/v1/apps/0oaNoSuchApp0000000", "0oaNoSuchApp0000000 (AppInstance)"),
        ("/api/v1/policies/00pNoSuch000000000", "00pNoSuch000000000 (Policy)"),
    ],
)
def test_unknown_ids_are_e0000007_with_the_exact_summary(
    okta: SimulatorServer, path: str, summary: str
) -> None:
    response = get(okta, path, f"SSWS {okta.admin_token}")

    assert okta_error(response) == (
        404,
        "E0000007",
        f"Not found: Resource not found: {summary}",
    )


def test_custom_authorization_servers_need_api_access_management() -> None:
    with fixture_server(api_access_management=False) as okta:
        response = get(okta, "/api/v1/authorizationServers", f"SSWS {okta.admin_token}")

    assert okta_error(response)[:2] == (401, "E0000015")


def test_every_read_scope_opens_its_endpoints(
    okta: SimulatorServer, reader: ServiceApp
) -> None:
    token = reader.token()
    paths = [
        "/api/v1/users",
        "/api/v1/groups",
        "/api/v1/groups/rules",
        "/api/v1/apps",
        "/api/v1/policies?type=OKTA_SIGN_ON",
        "/api/v1/zones",
        "/api/v1/trustedOrigins",
        "/api/v1/idps",
        "/api/v1/logs",
        "/api/v1/iam/roles",
        "/api/v1/iam/resource-sets",
        "/api/v1/iam/assignees/users",
        "/api/v1/authorizationServers",
    ]
    statuses = {p: get(okta, p, f"Bearer {token}").status_code for p in paths}

    assert set(statuses.values()) == {200}, statuses
