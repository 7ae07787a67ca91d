"""The official ``okta`` SDK works against the simulator, as it would against Okta.

The SDK plays both sides of setup: with the SSWS admin token it creates the API
Services app, grants the ten read scopes and assigns Read-Only Administrator; then,
as that app (``authorizationMode: PrivateKey``, once with DPoP and once without), it
lists users, groups, apps, policies, zones and System Log events, and each count
must equal what the generator made.

SDK quirks handled here, each a fact about ``okta==3.4.6`` (okta-api.md §9):

* plain http on loopback needs ``OKTA_TESTING_TESTINGDISABLEHTTPSCHECK``; HOME is a
  temporary folder and the working directory has no ``okta.yaml`` (conftest);
* in SSWS mode the generated API client joins scheme and token without a space
  (``Authorization: SSWSabc``), so the token is given with a leading space;
* ``list_network_zones`` raises on an ENHANCED_DYNAMIC zone's spec-shaped
  ``asns: {"include": [], "exclude": []}`` (§9.3), so zones are read through the
  SDK's own request executor (same token, same DPoP proofs) as raw JSON;
* a System Log ``next`` link carries ``after`` without ``since`` (the two cannot be
  combined), so log pages are followed with the cursor alone.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from joserfc.jwk import RSAKey
from okta.client import Client
from okta.models import (
    AssignRoleToClientRequest,
    OAuth2ScopeConsentGrant,
    OpenIdConnectApplication,
)
from okta.pagination import PaginationHelper

from atomation.simulator.harness import SimulatorServer

SCOPES = [
    "okta.users.read",
    "okta.groups.read",
    "okta.apps.read",
    "okta.policies.read",
    "okta.logs.read",
    "okta.networkZones.read",
    "okta.trustedOrigins.read",
    "okta.roles.read",
    "okta.authorizationServers.read",
    "okta.idps.read",
]
POLICY_TYPES = [
    "OKTA_SIGN_ON",
    "PASSWORD",
    "MFA_ENROLL",
    "ACCESS_POLICY",
    "PROFILE_ENROLLMENT",
    "IDP_DISCOVERY",
    "POST_AUTH_SESSION",
    "ENTITY_RISK",
]


@pytest.fixture
def sdk_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setenv("OKTA_TESTING_TESTINGDISABLEHTTPSCHECK", "true")
    workdir = tmp_path / "sdk-cwd"
    workdir.mkdir()
    monkeypatch.chdir(workdir)


@pytest.fixture
def okta() -> Iterator[SimulatorServer]:
    with SimulatorServer(users=300, seed=4, latency=0, rate_limits="off") as server:
        yield server


def _admin(okta: SimulatorServer) -> Client:
    return Client(
        {
            "orgUrl": okta.base_url,
            "authorizationMode": "SSWS",
            "token": " " + okta.admin_token,
        }
    )


async def _set_up_service_app(okta: SimulatorServer, key: RSAKey) -> str:
    jwks_url = okta.host_jwks("assessment", {"keys": [key.as_dict(private=False)]})
    admin = _admin(okta)
    app = OpenIdConnectApplication.from_dict(
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
                    "jwks_uri": jwks_url,
                }
            },
        }
    )
    created, _, error = await admin.create_application(app)
    assert error is None
    assert created is not None
    app_id: str = created.id
    for scope in SCOPES:
        grant = OAuth2ScopeConsentGrant.from_dict(
            {"issuer": okta.base_url, "scopeId": scope}
        )
        _, _, error = await admin.grant_consent_to_scope(app_id, grant)
        assert error is None, scope
    role = AssignRoleToClientRequest.from_dict({"type": "READ_ONLY_ADMIN"})
    _, _, error = await admin.assign_role_to_client(app_id, role)
    assert error is None
    return app_id


async def _require_dpop(okta: SimulatorServer, app_id: str) -> None:
    """Tick "Require DPoP" on the app, as the admin does in the console."""
    admin = _admin(okta)
    app, _, error = await admin.get_application(app_id)
    assert error is None
    body = app.to_dict()
    body["settings"]["oauthClient"]["dpop_bound_access_tokens"] = True
    _, _, error = await admin.replace_application(
        app_id, OpenIdConnectApplication.from_dict(body)
    )
    assert error is None


def _client(okta: SimulatorServer, app_id: str, key: RSAKey, dpop: bool) -> Client:
    config: dict[str, Any] = {
        "orgUrl": okta.base_url,
        "authorizationMode": "PrivateKey",
        "clientId": app_id,
        "scopes": SCOPES,
        "privateKey": key.as_dict(private=True),
        "kid": key.kid,
    }
    if dpop:
        config["dpopEnabled"] = True
    return Client(config)


async def _raw_get(client: Client, path: str) -> Any:
    executor = client.get_request_executor()  # type: ignore[no-untyped-call]
    request, error = await executor.create_request("GET", path, None, {})
    assert error is None
    _, body, error = await executor.execute(request)
    assert error is None
    return json.loads(body)


async def _log_events(client: Client, since: str, until: str) -> int:
    events, response, error = await client.list_log_events(
        since=since, until=until, limit=1000
    )
    assert error is None
    total = len(events)
    cursor = PaginationHelper.extract_next_cursor(response.headers)
    while cursor:
        events, response, error = await client.list_log_events(
            until=until, after=cursor, limit=1000
        )
        assert error is None
        total += len(events)
        cursor = PaginationHelper.extract_next_cursor(response.headers)
    return total


def _iso(moment: Any) -> str:
    return str(moment.isoformat(timespec="milliseconds").replace("+00:00", "Z"))


async def _list_all(method: Any, limit: int) -> int:
    """Every item of an SDK list, page by page; an error fails the test by name.

    The SDK's ``paginate_all`` ends quietly at the first error, which would show
    only as a short count.
    """
    total, after, page = 0, None, 1
    while True:
        items, response, error = await method(limit=limit, after=after)
        assert error is None, f"{method.__name__} page {page}: {error!r}"
        total += len(items)
        after = PaginationHelper.extract_next_cursor(response.headers)
        if not after:
            return total
        page += 1


async def _read_everything(okta: SimulatorServer, client: Client) -> dict[str, int]:
    counts: dict[str, int] = {}
    counts["users"] = await _list_all(client.list_users, limit=100)
    counts["groups"] = await _list_all(client.list_groups, limit=10)
    counts["apps"] = await _list_all(client.list_applications, limit=5)
    for policy_type in POLICY_TYPES:
        policies, _, error = await client.list_policies(type=policy_type)
        assert error is None, policy_type
        counts[f"policies.{policy_type}"] = len(policies)
    counts["zones"] = len(await _raw_get(client, "/api/v1/zones"))
    log = okta.org.log
    since, until = log.start + timedelta(hours=1), log.anchor
    counts["log_events"] = await _log_events(client, _iso(since), _iso(until))
    counts["expected_log_events"] = log.count(since=since, until=until)
    return counts


@pytest.mark.usefixtures("sdk_environment")
def test_official_sdk_sets_up_the_app_and_reads_what_the_generator_made(
    okta: SimulatorServer,
) -> None:
    key = RSAKey.generate_key(
        2048, parameters={"kid": "assessment-1", "use": "sig", "alg": "RS256"}
    )
    app_id = asyncio.run(_set_up_service_app(okta, key))
    made = okta.org.counts()

    for dpop in (False, True):
        if dpop:
            asyncio.run(_require_dpop(okta, app_id))
        read = asyncio.run(_read_everything(okta, _client(okta, app_id, key, dpop)))
        # A list without search or filter leaves DEPROVISIONED users out (§3.5).
        assert read["users"] == made["users"] - made["users.DEPROVISIONED"]
        assert read["groups"] == made["groups"]
        assert read["apps"] == made["apps"]  # the generated apps plus ours
        assert okta.org.app(app_id) is not None
        for policy_type in POLICY_TYPES:
            key_name = f"policies.{policy_type}"
            assert read[key_name] == made[key_name], policy_type
        assert read["zones"] == made["zones"]
        assert read["log_events"] == read["expected_log_events"] > 1000

    # The DPoP run met the server's nonce challenge (400 use_dpop_nonce) first.
    token_statuses = [r.status for r in okta.requests if r.path == "/oauth2/v1/token"]
    assert token_statuses == [200, 400, 200]
