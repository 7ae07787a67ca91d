"""The simulated Okta org validates our assertions by fetching our tenant JWKS URL.

The simulator is set up the way an Okta admin would do it, through its SSWS admin
API, with the app's ``jwks_uri`` pointing at our running web app. It caches the
JWKS for five (simulated) minutes and does not re-fetch on an unknown kid, the
strictest reading of okta-api.md §1.3, so the rotation overlap is what lets the
new key through.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import httpx
import pytest

from atomation.keys.envelope import load_master_key
from atomation.keys.rotation import DEFAULT_OVERLAP, JWKS_MAX_AGE
from atomation.keys.service import rotate_signing_key
from atomation.keys.signer import TenantSigner, signer_for
from atomation.simulator.generator import MIN_USERS
from atomation.simulator.harness import SimulatorServer
from atomation.simulator.server import JwksCachePolicy
from atomation.store import Tenant
from atomation.store.types import utcnow
from atomation.tenants.service import create_tenant, jwks_url
from tests.keys.conftest import Clock
from tests.web.conftest import LiveApp

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
SCOPES = "okta.users.read okta.groups.read"


@pytest.fixture
def okta() -> Iterator[SimulatorServer]:
    cache = JwksCachePolicy(
        cache_seconds=JWKS_MAX_AGE.total_seconds(), refetch_on_unknown_kid=False
    )
    with SimulatorServer(
        users=MIN_USERS, latency=0, rate_limits="off", jwks_cache=cache
    ) as server:
        yield server


def _admin(okta: SimulatorServer, path: str, body: dict[str, Any]) -> Any:
    response = httpx.post(
        okta.base_url + path,
        json=body,
        headers={"Authorization": f"SSWS {okta.admin_token}"},
        timeout=10,
    )
    assert response.status_code in (200, 201), response.text
    return response.json()


def _create_service_app(okta: SimulatorServer, jwks_uri: str) -> str:
    app = _admin(
        okta,
        "/api/v1/apps",
        {
            "name": "oidc_client",
            "label": "Acme Okta Assessment Service - Test",
            "signOnMode": "OPENID_CONNECT",
            "credentials": {
                "oauthClient": {"token_endpoint_auth_method": "private_key_jwt"}
            },
            "settings": {
                "oauthClient": {
                    "application_type": "service",
                    "grant_types": ["client_credentials"],
                    "response_types": ["token"],
                    "jwks_uri": jwks_uri,
                }
            },
        },
    )
    client_id: str = app["credentials"]["oauthClient"]["client_id"]
    for scope in SCOPES.split():
        _admin(
            okta,
            f"/api/v1/apps/{client_id}/grants",
            {"issuer": okta.base_url, "scopeId": scope},
        )
    _admin(okta, f"/oauth2/v1/clients/{client_id}/roles", {"type": "READ_ONLY_ADMIN"})
    return client_id


def _token_request(
    okta: SimulatorServer, signer: TenantSigner, client_id: str
) -> httpx.Response:
    now = int(okta.clock.timestamp())
    assertion = signer.sign(
        {},
        {
            "iss": client_id,
            "sub": client_id,
            "aud": okta.token_endpoint,
            "iat": now,
            "exp": now + 300,
            "jti": uuid.uuid4().hex,
        },
    )
    return httpx.post(
        okta.token_endpoint,
        data={
            "grant_type": "client_credentials",
            "scope": SCOPES,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion,
        },
        headers={"Accept": "application/json"},
        timeout=10,
    )


def test_simulator_accepts_tenant_assertions_before_and_after_a_rotation(
    path_routed_app: LiveApp, okta: SimulatorServer
) -> None:
    app = path_routed_app
    master_key = load_master_key(app.settings)
    started = utcnow()
    with app.store.session() as session:
        tenant: Tenant = create_tenant(
            session,
            master_key,
            subdomain="acme",
            client_name="Acme",
            environment="Test",
            okta_org_url=okta.base_url,
            now=started,
            allowed_org_urls=[okta.base_url],
        )
    client_id = _create_service_app(okta, jwks_url(app.settings, "acme"))
    clock = Clock(started)
    signer = signer_for(app.store, app.settings, tenant, clock=clock)
    old_kid = signer.kid

    before = _token_request(okta, signer, client_id)
    assert before.status_code == 200, before.text

    with app.store.session() as session:
        new_kid = rotate_signing_key(session, master_key, tenant, now=started).kid
    during = _token_request(okta, signer, client_id)
    assert during.status_code == 200, during.text
    assert signer.kid == old_kid

    # After the overlap: the simulator's cached JWKS has expired and the signer
    # has switched to the new key, which the JWKS has published since the rotation.
    okta.advance(DEFAULT_OVERLAP.total_seconds())
    clock.now = started + DEFAULT_OVERLAP
    after = _token_request(okta, signer, client_id)
    assert after.status_code == 200, after.text
    assert signer.kid == new_kid


def test_simulator_refuses_a_key_switched_in_before_its_cached_jwks_expires(
    path_routed_app: LiveApp, okta: SimulatorServer
) -> None:
    app = path_routed_app
    master_key = load_master_key(app.settings)
    started = utcnow()
    with app.store.session() as session:
        tenant = create_tenant(
            session,
            master_key,
            subdomain="acme",
            client_name="Acme",
            environment="Test",
            okta_org_url=okta.base_url,
            now=started,
            allowed_org_urls=[okta.base_url],
        )
    client_id = _create_service_app(okta, jwks_url(app.settings, "acme"))
    clock = Clock(started)
    signer = signer_for(app.store, app.settings, tenant, clock=clock)
    old_kid = signer.kid
    assert _token_request(okta, signer, client_id).status_code == 200

    clock.now = started + timedelta(seconds=1)
    with app.store.session() as session:
        rotate_signing_key(
            session, master_key, tenant, now=clock.now, overlap=timedelta(0)
        )
    refused = _token_request(okta, signer, client_id)

    assert signer.kid != old_kid
    assert refused.status_code == 401
    assert refused.json()["error"] == "invalid_client"
