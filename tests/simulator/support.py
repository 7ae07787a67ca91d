"""Helpers for server tests: a service app set up through the admin API, signing of
client assertions and DPoP proofs with keys the test owns."""

from __future__ import annotations

import base64
import hashlib
import json
import uuid
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import httpx
from joserfc import jws
from joserfc.jwk import ECKey, OctKey, RSAKey

from atomation.simulator.harness import SimulatorServer
from tests.simulator.fixture_org import FixtureOrg

__all__ = [
    "ASSERTION_TYPE",
    "READ_SCOPES",
    "ServiceApp",
    "dpop_proof",
    "fixture_server",
    "sign",
]

ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"
READ_SCOPES = (
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
)


def fixture_server(**options: Any) -> SimulatorServer:
    users = options.pop("users", 30)
    log_events = options.pop("log_events", 40)
    options.setdefault("latency", 0)
    # Tests of other behaviour set up several apps quickly; rate limits have their
    # own tests, which turn them on.
    options.setdefault("rate_limits", "off")
    return SimulatorServer(
        org_factory=lambda base: FixtureOrg(base, users=users, log_events=log_events),
        **options,
    )


def sign(
    header: dict[str, Any], claims: dict[str, Any], key: RSAKey | ECKey | OctKey
) -> str:
    return jws.serialize_compact(header, json.dumps(claims).encode(), key)


def dpop_proof(
    key: RSAKey | ECKey,
    *,
    method: str,
    url: str,
    now: float,
    nonce: str | None = None,
    access_token: str | None = None,
    alg: str | None = None,
    **overrides: Any,
) -> str:
    claims: dict[str, Any] = {
        "htm": method,
        "htu": url,
        "iat": int(now),
        "jti": str(uuid.uuid4()),
    }
    if nonce is not None:
        claims["nonce"] = nonce
    if access_token is not None:
        digest = hashlib.sha256(access_token.encode()).digest()
        claims["ath"] = base64.urlsafe_b64encode(digest).decode().rstrip("=")
    claims.update(overrides)
    if alg is None:
        alg = "ES256" if isinstance(key, ECKey) else "RS256"
    header = {"typ": "dpop+jwt", "alg": alg, "jwk": key.as_dict(private=False)}
    return sign(header, claims, key)


@dataclass
class ServiceApp:
    """An API Services app created on the simulator the way an Okta admin would."""

    okta: SimulatorServer
    key: RSAKey | ECKey = field(default_factory=lambda: RSAKey.generate_key(2048))
    alg: str = "RS256"
    client_id: str = ""
    kid: str = "key-1"

    @classmethod
    def create(
        cls,
        okta: SimulatorServer,
        *,
        scopes: Sequence[str] = READ_SCOPES,
        role: str | None = "READ_ONLY_ADMIN",
        dpop: bool = False,
        key: RSAKey | ECKey | None = None,
        alg: str = "RS256",
    ) -> ServiceApp:
        app = cls(okta, key or RSAKey.generate_key(2048), alg)
        jwk = app.key.as_dict(private=False)
        jwk.update({"kid": app.kid, "use": "sig"})
        jwks_url = okta.host_jwks(f"app-{uuid.uuid4().hex[:8]}", {"keys": [jwk]})
        body = {
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
                    "dpop_bound_access_tokens": dpop,
                }
            },
        }
        created = app.admin("POST", "/api/v1/apps", json=body)
        assert created.status_code == 200, created.text
        app.client_id = created.json()["credentials"]["oauthClient"]["client_id"]
        for scope in scopes:
            granted = app.admin(
                "POST",
                f"/api/v1/apps/{app.client_id}/grants",
                json={"issuer": okta.base_url, "scopeId": scope},
            )
            assert granted.status_code == 201, granted.text
        if role is not None:
            assigned = app.admin(
                "POST", f"/oauth2/v1/clients/{app.client_id}/roles", json={"type": role}
            )
            assert assigned.status_code == 200, assigned.text
        return app

    def admin(self, method: str, path: str, **kwargs: Any) -> httpx.Response:
        headers = {"Authorization": f"SSWS {self.okta.admin_token}"}
        headers.update(kwargs.pop("headers", {}))
        return httpx.request(
            method, self.okta.base_url + path, headers=headers, timeout=10, **kwargs
        )

    def assertion(self, **overrides: Any) -> str:
        now = self.okta.clock.timestamp()
        claims: dict[str, Any] = {
            "iss": self.client_id,
            "sub": self.client_id,
            "aud": self.okta.token_endpoint,
            "iat": int(now),
            "exp": int(now) + 300,
            "jti": str(uuid.uuid4()),
        }
        header: dict[str, Any] = {"alg": self.alg, "kid": self.kid, "typ": "JWT"}
        header.update(overrides.pop("header", {}))
        claims.update(overrides)
        for name, value in list(claims.items()):
            if value is None:
                del claims[name]
        return sign(header, claims, self.key)

    def token_request(
        self,
        scopes: Sequence[str] = READ_SCOPES,
        *,
        assertion: str | None = None,
        dpop: str | None = None,
        **form: str,
    ) -> httpx.Response:
        data = {
            "grant_type": "client_credentials",
            "scope": " ".join(scopes),
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion or self.assertion(),
            **form,
        }
        headers = {"Accept": "application/json"}
        if dpop is not None:
            headers["DPoP"] = dpop
        return httpx.post(
            self.okta.token_endpoint, data=data, headers=headers, timeout=10
        )

    def token(self, scopes: Sequence[str] = READ_SCOPES) -> str:
        response = self.token_request(scopes)
        assert response.status_code == 200, response.text
        return str(response.json()["access_token"])

    def dpop_token(
        self, dpop_key: RSAKey | ECKey, scopes: Sequence[str] = READ_SCOPES
    ) -> str:
        """Run the nonce dance and return a DPoP-bound access token."""
        first = self.token_request(
            scopes, dpop=self.proof(dpop_key, "POST", self.okta.token_endpoint)
        )
        assert first.status_code == 400
        assert first.json()["error"] == "use_dpop_nonce"
        nonce = first.headers["dpop-nonce"]
        second = self.token_request(
            scopes,
            dpop=self.proof(dpop_key, "POST", self.okta.token_endpoint, nonce=nonce),
        )
        assert second.status_code == 200, second.text
        return str(second.json()["access_token"])

    def proof(
        self, dpop_key: RSAKey | ECKey, method: str, url: str, **kwargs: Any
    ) -> str:
        return dpop_proof(
            dpop_key, method=method, url=url, now=self.okta.clock.timestamp(), **kwargs
        )
