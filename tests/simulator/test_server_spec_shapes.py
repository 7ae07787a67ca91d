"""The server's own objects (errors, admin API, wrappers) validate against the spec.

The data engineer's tests validate the generated org; these cover what the server
builds itself: Okta error objects, the service app, scope grants and role
assignments created through the admin API, and the ``/iam`` wrapper objects.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from atomation.simulator.harness import SimulatorServer
from tests.simulator.openapi import SPEC_PATH, OpenApiSpec, load_spec
from tests.simulator.support import ServiceApp


@pytest.fixture(scope="module")
def spec() -> OpenApiSpec:
    loaded = load_spec()
    if loaded is None:
        pytest.skip(f"Okta's OpenAPI spec is not at {SPEC_PATH}")
    return loaded


@pytest.fixture(scope="module")
def okta() -> Iterator[SimulatorServer]:
    with SimulatorServer(users=60, latency=0, rate_limits="off") as server:
        yield server


@pytest.fixture(scope="module")
def app(okta: SimulatorServer) -> ServiceApp:
    return ServiceApp.create(okta)


def admin_get(okta: SimulatorServer, path: str) -> Any:
    response = httpx.get(
        okta.base_url + path, headers={"Authorization": f"SSWS {okta.admin_token}"}
    )
    return response.json()


@pytest.mark.parametrize(
    ("path", "authorization"),
    [
        ("/api/v1/users/00uNoSuchUser000000", "admin"),  # E0000007
        ("/api/v1/users?after=bogus", "admin"),  # E0000029
        ("/api/v1/policies", "admin"),  # E0000001
        ("/api/v1/users", None),  # E0000005
        ("/api/v1/users", "SSWS wrong"),  # E0000011
    ],
)
def test_error_objects_match_the_error_schema(
    spec: OpenApiSpec, okta: SimulatorServer, path: str, authorization: str | None
) -> None:
    headers = {}
    if authorization == "admin":
        headers["Authorization"] = f"SSWS {okta.admin_token}"
    elif authorization is not None:
        headers["Authorization"] = authorization

    body = httpx.get(okta.base_url + path, headers=headers).json()

    assert spec.errors("Error", body) == []


def test_created_service_app_matches_the_oidc_application_schema(
    spec: OpenApiSpec, app: ServiceApp
) -> None:
    body = admin_get(app.okta, f"/api/v1/apps/{app.client_id}")

    assert spec.errors("OpenIdConnectApplication", body) == []


def test_scope_grants_match_their_schema(spec: OpenApiSpec, app: ServiceApp) -> None:
    grants = admin_get(app.okta, f"/api/v1/apps/{app.client_id}/grants")

    assert grants
    for grant in grants:
        assert spec.errors("OAuth2ScopeConsentGrant", grant) == []


def test_client_role_assignments_match_the_standard_role_schema(
    spec: OpenApiSpec, app: ServiceApp
) -> None:
    roles = admin_get(app.okta, f"/oauth2/v1/clients/{app.client_id}/roles")

    assert roles
    for role in roles:
        assert spec.errors("StandardRole", role) == []


@pytest.mark.parametrize(
    ("path", "component"),
    [
        ("/.well-known/okta-organization", "WellKnownOrgMetadata"),
        ("/api/v1/iam/assignees/users?limit=2", "RoleAssignedUsers"),
        ("/api/v1/iam/roles", "IamRoles"),
        ("/api/v1/iam/resource-sets", "ResourceSets"),
    ],
)
def test_server_built_objects_match_their_schemas(
    spec: OpenApiSpec, okta: SimulatorServer, path: str, component: str
) -> None:
    assert spec.errors(component, admin_get(okta, path)) == []
