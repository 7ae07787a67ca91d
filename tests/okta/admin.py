"""Playing the customer's Okta admin against the simulator, through Okta's own API.

Every call here is what an admin's script (or the Admin Console) does with an
SSWS API token: create the API Services app, grant scopes, assign a role,
toggle DPoP. Nothing reaches into the simulator's internals.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import Any

import httpx

from atomation.okta import OKTA_READ_SCOPES
from atomation.okta.clock import ScaledClock
from atomation.simulator.harness import SimulatorServer


class OktaAdmin:
    def __init__(self, server: SimulatorServer) -> None:
        self.server = server
        self.http = httpx.Client(
            base_url=server.base_url,
            headers={
                "Authorization": f"SSWS {server.admin_token}",
                "Accept": "application/json",
            },
        )

    def close(self) -> None:
        self.http.close()

    def _call(self, method: str, path: str, body: dict[str, Any]) -> httpx.Response:
        """One admin call; a 429 (the admin token has a rate-limit share too) waits
        for the window to reset on the simulator's clock, then tries again."""
        while True:
            response = self.http.request(method, path, json=body)
            if response.status_code != 429:
                response.raise_for_status()
                return response
            reset = float(response.headers["x-rate-limit-reset"])
            wait = reset - self.server.clock.timestamp() + 1
            time.sleep(max(0.0, wait) / self.server.clock.time_scale)

    def create_app(self, jwks_uri: str, *, dpop: bool = False) -> str:
        """A service app authenticating with private_key_jwt at ``jwks_uri``."""
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
                    "jwks_uri": jwks_uri,
                    "dpop_bound_access_tokens": dpop,
                }
            },
        }
        response = self._call("POST", "/api/v1/apps", body)
        app_id: str = response.json()["id"]
        return app_id

    def set_dpop(self, app_id: str, required: bool) -> None:
        body = {"settings": {"oauthClient": {"dpop_bound_access_tokens": required}}}
        self._call("PUT", f"/api/v1/apps/{app_id}", body)

    def grant(self, app_id: str, scopes: Iterable[str] = OKTA_READ_SCOPES) -> None:
        for scope in scopes:
            body = {"scopeId": scope, "issuer": self.server.base_url}
            self._call("POST", f"/api/v1/apps/{app_id}/grants", body)

    def assign_role(self, client_id: str, role_type: str) -> dict[str, Any]:
        response = self._call(
            "POST", f"/oauth2/v1/clients/{client_id}/roles", {"type": role_type}
        )
        assignment: dict[str, Any] = response.json()
        return assignment

    def ready_app(
        self,
        jwks_uri: str,
        *,
        dpop: bool = False,
        scopes: Iterable[str] = OKTA_READ_SCOPES,
        role: str | None = "READ_ONLY_ADMIN",
    ) -> str:
        """An app set up as the guide says: scopes granted, a read-only role."""
        client_id = self.create_app(jwks_uri, dpop=dpop)
        self.grant(client_id, scopes)
        if role is not None:
            self.assign_role(client_id, role)
        return client_id


def clock_of(server: SimulatorServer) -> ScaledClock:
    """A client clock that reads the same time as the simulator, at its scale."""
    return ScaledClock(server.clock.time_scale, origin=server.clock.timestamp())
