"""The tenant JWKS URL, fetched over HTTP from the running web app."""

from __future__ import annotations

from datetime import timedelta
from typing import Any, cast

import httpx
import pytest
from joserfc import jws
from joserfc.jwk import KeySet

from atomation.keys.envelope import load_master_key
from atomation.keys.service import rotate_signing_key
from atomation.keys.signer import signer_for
from atomation.store import Tenant
from atomation.store.types import utcnow
from atomation.tenants.service import create_tenant, jwks_url
from tests.web.conftest import PUBLIC_DOMAIN, LiveApp

PATH = "/.well-known/okta-jwks.json"


def _create(app: LiveApp, subdomain: str) -> Tenant:
    with app.store.session() as session:
        return create_tenant(
            session,
            load_master_key(app.settings),
            subdomain=subdomain,
            client_name="Client",
            environment="Test",
            okta_org_url=f"https://{subdomain}.okta.com",
            now=utcnow(),
        )


def _by_path(app: LiveApp, subdomain: str) -> httpx.Response:
    return httpx.get(f"{app.base_url}/t/{subdomain}{PATH}")


def _by_host(app: LiveApp, host: str) -> httpx.Response:
    return httpx.get(f"{app.base_url}{PATH}", headers={"Host": host})


def _verify(token: str, jwks: dict[str, Any]) -> dict[str, Any]:
    return jws.deserialize_compact(
        token, KeySet.import_key_set(cast(Any, jwks))
    ).headers()


def test_jwks_is_public_json_with_a_short_cache_lifetime(live_app: LiveApp) -> None:
    _create(live_app, "acme")

    response = _by_path(live_app, "acme")

    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert response.headers["cache-control"] == "max-age=300"
    (key,) = response.json()["keys"]
    assert set(key) == {"kty", "n", "e", "kid", "alg", "use"}
    assert (key["kty"], key["alg"], key["use"]) == ("RSA", "RS256", "sig")


def test_jwks_is_routed_by_host_under_the_public_domain(live_app: LiveApp) -> None:
    _create(live_app, "acme")
    _create(live_app, "globex")

    acme = _by_host(live_app, f"acme.{PUBLIC_DOMAIN}")
    acme_with_port = _by_host(live_app, f"ACME.{PUBLIC_DOMAIN}:8443")
    globex = _by_host(live_app, f"globex.{PUBLIC_DOMAIN}")

    assert acme.status_code == globex.status_code == 200
    assert acme.json() == acme_with_port.json() == _by_path(live_app, "acme").json()
    acme_kids = {key["kid"] for key in acme.json()["keys"]}
    globex_kids = {key["kid"] for key in globex.json()["keys"]}
    assert acme_kids
    assert globex_kids
    assert not acme_kids & globex_kids


@pytest.mark.parametrize(
    "name", ["nope", "NOPE", "acme.x", "a" * 64, "-acme", "acme_", "%2e%2e"]
)
def test_unknown_or_malformed_tenant_gets_the_same_404(
    live_app: LiveApp, name: str
) -> None:
    _create(live_app, "acme")
    reference = _by_path(live_app, "zzz-unknown")

    by_path = _by_path(live_app, name)
    by_host = _by_host(live_app, f"{name}.{PUBLIC_DOMAIN}")
    other_host = _by_host(live_app, "acme.elsewhere.example")

    for response in (reference, by_path, by_host, other_host):
        assert response.status_code == 404
        assert response.content == reference.content == b'{"error":"not_found"}'
        assert response.headers["content-type"] == "application/json"
        assert response.headers["cache-control"] == "no-store"
    assert b"acme" not in by_path.content


def test_served_jwks_verifies_signatures_before_and_after_a_rotation(
    live_app: LiveApp,
) -> None:
    tenant = _create(live_app, "acme")
    master_key = load_master_key(live_app.settings)
    signer = signer_for(live_app.store, live_app.settings, tenant)
    url = jwks_url(live_app.settings, "acme").replace(
        f"https://acme.{PUBLIC_DOMAIN}", live_app.base_url
    )

    before = signer.sign({}, {"iss": "client", "n": 1})
    jwks_before = httpx.get(url, headers={"Host": f"acme.{PUBLIC_DOMAIN}"}).json()
    assert _verify(before, jwks_before)["kid"] == signer.kid
    old_kid = signer.kid

    with live_app.store.session() as session:
        rotate_signing_key(
            session, master_key, tenant, now=utcnow(), overlap=timedelta(0)
        )
    after = signer.sign({}, {"iss": "client", "n": 2})
    jwks_after = httpx.get(url, headers={"Host": f"acme.{PUBLIC_DOMAIN}"}).json()

    assert signer.kid != old_kid
    assert _verify(after, jwks_after)["kid"] == signer.kid
    assert _verify(before, jwks_after)["kid"] == old_kid  # still published
    assert [key["kid"] for key in jwks_after["keys"]] == [old_kid, signer.kid]
