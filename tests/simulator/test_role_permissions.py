"""GET /api/v1/iam/roles/{roleIdOrLabel}/permissions: a custom role's permissions."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from atomation.simulator.harness import SimulatorServer
from tests.simulator.openapi import SPEC_PATH, OpenApiSpec, load_spec


@pytest.fixture(scope="module")
def okta() -> Iterator[SimulatorServer]:
    with SimulatorServer(users=60, latency=0, rate_limits="off") as server:
        yield server


def admin_get(okta: SimulatorServer, path: str) -> httpx.Response:
    return httpx.get(
        okta.base_url + path, headers={"Authorization": f"SSWS {okta.admin_token}"}
    )


def custom_role(okta: SimulatorServer) -> dict[str, Any]:
    roles = okta.org.custom_roles
    assert roles, "the typical profile has custom roles"
    role: dict[str, Any] = roles[0]
    return role


def test_permissions_list_the_role_book_by_id_and_by_label(
    okta: SimulatorServer,
) -> None:
    role = custom_role(okta)
    by_id = admin_get(okta, f"/api/v1/iam/roles/{role['id']}/permissions").json()
    by_label = admin_get(okta, f"/api/v1/iam/roles/{role['label']}/permissions").json()

    labels = [p["label"] for p in by_id["permissions"]]
    assert labels == okta.org.role_permissions(role["id"])
    assert labels
    assert by_label == by_id


def test_permissions_match_the_spec_schema(okta: SimulatorServer) -> None:
    spec: OpenApiSpec | None = load_spec()
    if spec is None:
        pytest.skip(f"Okta's OpenAPI spec is not at {SPEC_PATH}")
    role = custom_role(okta)
    body = admin_get(okta, f"/api/v1/iam/roles/{role['id']}/permissions").json()

    assert spec.errors("Permissions", body) == []


def test_an_unknown_role_is_not_found(okta: SimulatorServer) -> None:
    response = admin_get(okta, "/api/v1/iam/roles/cr0NoSuchRole000000/permissions")

    assert response.status_code == 404
    assert response.json()["errorCode"] == "E0000007"
