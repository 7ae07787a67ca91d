"""Playing the customer's Okta admin against the simulator, through Okta's own API.

Every call here is what an admin's script (or the Admin Console) does with an
SSWS API token: create the API Services app, grant scopes, assign a role,
toggle DPoP. Nothing reaches into the simulator's internals.
"""

from __future__ import annotations

from collections.abc import Iterable

from atomation.demo.okta_admin import OktaAdmin as DemoOktaAdmin
from atomation.okta import OKTA_READ_SCOPES
from atomation.okta.clock import ScaledClock
from atomation.simulator.harness import SimulatorServer


class OktaAdmin(DemoOktaAdmin):
    """The product's admin role-play (used by ``atomation demo``) on a simulator."""

    def __init__(self, server: SimulatorServer) -> None:
        super().__init__(
            server.base_url, server.admin_token, time_scale=server.clock.time_scale
        )
        self.server = server

    def create_app(self, jwks_uri: str, *, dpop: bool = False) -> str:
        """A service app authenticating with private_key_jwt at ``jwks_uri``."""
        return self.create_service_app(
            "Acme Okta Assessment Service - Test", jwks_uri, dpop=dpop
        )

    def grant(self, app_id: str, scopes: Iterable[str] = OKTA_READ_SCOPES) -> None:
        self.grant_scopes(app_id, scopes)

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
