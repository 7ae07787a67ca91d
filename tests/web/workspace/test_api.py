"""The JSON API: its OpenAPI description, and input errors with their hint."""

from __future__ import annotations

from tests.web.workspace.conftest import OPERATOR, Workspace


def test_openapi_describes_the_api_under_its_prefix(workspace: Workspace) -> None:
    spec = workspace.visitor().get("/api/openapi.json").json()

    assert spec["servers"] == [{"url": "/api"}]
    assert set(spec["paths"]) == {
        "/me",
        "/tenants",
        "/tenants/{subdomain}",
        "/tenants/{subdomain}/connection",
        "/tenants/{subdomain}/verify",
        "/tenants/{subdomain}/jobs/{job_id}",
        "/tenants/{subdomain}/snapshots",
    }


def test_operator_creates_a_tenant_and_reads_its_setup_values(
    workspace: Workspace,
) -> None:
    operator = workspace.signed_in(OPERATOR)
    headers = {"X-CSRF-Token": operator.api_token()}
    body = {
        "subdomain": "initech",
        "client_name": "Initech",
        "environment": "Prod",
        "okta_org_url": workspace.okta.base_url,
    }

    created = operator.http.post("/api/tenants", json=body, headers=headers)
    again = operator.http.post("/api/tenants", json=body, headers=headers)
    bad = operator.http.post(
        "/api/tenants",
        json={**body, "subdomain": "Not A Label"},
        headers=headers,
    )

    assert created.status_code == 201
    values = created.json()["setup_values"]
    assert values["tenant_jwks_url"] == workspace.jwks_url("initech")
    assert values["app_name"] == "Initech Okta Assessment Service - Prod"
    assert len(created.json()["scopes"]) == 10
    assert again.status_code == 409
    assert again.json()["error"] == "conflict"
    assert bad.status_code == 400
    assert "'Not A Label' is not a lower-case DNS label" in bad.json()["message"]
    assert bad.json()["hint"]
