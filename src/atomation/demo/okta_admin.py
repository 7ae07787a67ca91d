"""Playing the customer's Okta admin through Okta's management API.

Step 2 of the customer's guide, done the way an admin's script does it with an
SSWS API token: create the API Services app (``private_key_jwt`` against our
JWKS URL), grant the read scopes, assign an admin role. Only the demo and tests
use this, always against a simulated org: the product itself never writes to
an Okta org (its client refuses every method but GET and the token POST).

Okta facts used (okta-api.md §2 and the management spec): an OIDC service app
is ``POST /api/v1/apps`` with ``signOnMode: OPENID_CONNECT``,
``settings.oauthClient.application_type: service`` and ``grant_types:
[client_credentials]``; its Client ID is the app's ``id``; scopes are granted
one per ``POST /api/v1/apps/{id}/grants`` with ``scopeId`` and the org as
``issuer``; a role is assigned with ``POST /oauth2/v1/clients/{clientId}/roles``.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from email.utils import parsedate_to_datetime
from typing import Any

import httpx

from atomation.errors import AtomationError
from atomation.okta import OKTA_READ_SCOPES

__all__ = ["AdminCallFailed", "OktaAdmin"]

# Longest a 429 makes us wait before one retry, in real seconds.
MAX_RATE_LIMIT_WAIT = 60.0


class AdminCallFailed(AtomationError):
    """An admin call the set-up needs was refused."""


class OktaAdmin:
    """An SSWS-authenticated admin session on one org."""

    def __init__(
        self, org_url: str, api_token: str, *, time_scale: float = 1.0
    ) -> None:
        self.org_url = org_url.rstrip("/")
        self.time_scale = time_scale
        self.http = httpx.Client(
            base_url=self.org_url,
            headers={
                "Authorization": f"SSWS {api_token}",
                "Accept": "application/json",
            },
            timeout=30.0,
        )

    def __repr__(self) -> str:
        return f"OktaAdmin({self.org_url!r})"

    def close(self) -> None:
        self.http.close()

    def __enter__(self) -> OktaAdmin:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def call(self, method: str, path: str, body: dict[str, Any]) -> httpx.Response:
        """One admin call; a 429 waits until the window resets and tries again.

        The wait is ``X-Rate-Limit-Reset`` minus the response's ``Date``, both the
        org's clock (okta-api.md §3.4), scaled to real seconds for a simulated org
        whose minute is shorter.
        """
        while True:
            response = self.http.request(method, path, json=body)
            if response.status_code != 429:
                break
            time.sleep(self._rate_limit_wait(response))
        if response.is_error:
            raise AdminCallFailed(
                f"{method} {path} was refused with HTTP {response.status_code}",
                hint="check that the API token belongs to a super admin of this org.",
            )
        return response

    def _rate_limit_wait(self, response: httpx.Response) -> float:
        try:
            reset = float(response.headers["x-rate-limit-reset"])
            date = parsedate_to_datetime(response.headers["date"]).timestamp()
        except (KeyError, ValueError, TypeError):
            return 1.0
        return min(MAX_RATE_LIMIT_WAIT, max(0.0, reset - date + 1) / self.time_scale)

    def create_service_app(self, label: str, jwks_uri: str, *, dpop: bool) -> str:
        """Create the API Services app; returns its Client ID."""
        body = {
            "name": "oidc_client",
            "label": label,
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
        client_id: str = self.call("POST", "/api/v1/apps", body).json()["id"]
        return client_id

    def set_dpop(self, app_id: str, required: bool) -> None:
        body = {"settings": {"oauthClient": {"dpop_bound_access_tokens": required}}}
        self.call("PUT", f"/api/v1/apps/{app_id}", body)

    def grant_scopes(
        self, app_id: str, scopes: Iterable[str] = OKTA_READ_SCOPES
    ) -> None:
        for scope in scopes:
            body = {"scopeId": scope, "issuer": self.org_url}
            self.call("POST", f"/api/v1/apps/{app_id}/grants", body)

    def assign_role(self, client_id: str, role_type: str) -> dict[str, Any]:
        path = f"/oauth2/v1/clients/{client_id}/roles"
        assignment: dict[str, Any] = self.call("POST", path, {"type": role_type}).json()
        return assignment
