"""A tenant, its keys, our web app serving its JWKS, and a simulated org to verify.

The customer's side is played through Okta's admin API on the simulator
(:class:`tests.okta.admin.OktaAdmin`); the JWKS the app points at is served by
Atomation's own web app on loopback, exactly the URL the setup values give.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from atomation.connection.items import VerificationResult
from atomation.connection.service import save_connection, verify_tenant
from atomation.keys.envelope import load_master_key
from atomation.okta.clock import Clock
from atomation.runtime import Runtime
from atomation.settings import Settings, load_settings
from atomation.simulator.harness import SimulatorServer
from atomation.store import Store, open_store
from atomation.store.types import utcnow
from atomation.tenants.service import create_tenant, get_tenant
from atomation.web.background import BackgroundWebApp
from tests.okta.admin import OktaAdmin, clock_of

# A simulated minute lasts three real seconds, so the admin setup calls, which
# share one rate-limit window, never wait long.
TIME_SCALE = 20.0


@pytest.fixture(scope="module")
def okta() -> Iterator[SimulatorServer]:
    with SimulatorServer(users=100, latency=0, time_scale=TIME_SCALE) as server:
        yield server


@pytest.fixture(scope="module")
def admin(okta: SimulatorServer) -> Iterator[OktaAdmin]:
    admin = OktaAdmin(okta)
    yield admin
    admin.close()


class WebApp(BackgroundWebApp):
    """Atomation's web app on a free loopback port, in a background thread."""

    def __init__(self, settings: Settings, store: Store) -> None:
        super().__init__(
            Runtime(data_dir=settings.data_dir, _settings=settings, _store=store)
        )


@dataclass
class Tenancy:
    """One tenant of ours pointed at the simulated org, ready to connect."""

    okta: SimulatorServer
    admin: OktaAdmin
    web: WebApp
    store: Store
    settings: Settings
    subdomain: str = "acme"

    @property
    def jwks_url(self) -> str:
        return self.web.jwks_url(self.subdomain)

    def add_tenant(self, subdomain: str) -> None:
        with self.store.session() as session:
            create_tenant(
                session,
                load_master_key(self.settings),
                subdomain=subdomain,
                client_name="Acme",
                environment="Test",
                okta_org_url=self.okta.base_url,
                now=utcnow(),
                allowed_org_urls=[self.okta.base_url],
            )

    def connect(self, client_id: str, dpop: str = "auto") -> None:
        with self.store.session() as session:
            tenant = get_tenant(session, self.subdomain)
            save_connection(
                session, tenant, client_id=client_id, dpop_mode=dpop, now=utcnow()
            )

    def ready_app(self, **kw: object) -> str:
        """An app set up by the guide, pointing at this tenant's JWKS URL."""
        return self.admin.ready_app(self.jwks_url, **kw)  # type: ignore[arg-type]

    def verify(
        self,
        *,
        clock: Clock | None = None,
        settings: Settings | None = None,
        **kw: object,
    ) -> VerificationResult:
        import asyncio

        return asyncio.run(
            verify_tenant(
                self.store,
                settings or self.settings,
                self.subdomain,
                clock=clock or clock_of(self.okta),
                **kw,  # type: ignore[arg-type]
            )
        )


def make_tenancy(
    okta: SimulatorServer, admin: OktaAdmin, data_dir: Path, database_url: str
) -> Iterator[Tenancy]:
    settings = load_settings(
        data_dir=data_dir,
        database_url=database_url,
        allowed_org_urls=[okta.base_url],
    )
    store = open_store(settings)
    try:
        with WebApp(settings, store) as web:
            tenancy = Tenancy(okta, admin, web, store, settings)
            tenancy.add_tenant(tenancy.subdomain)
            yield tenancy
    finally:
        store.close()


@pytest.fixture
def tenancy(
    okta: SimulatorServer, admin: OktaAdmin, data_dir: Path
) -> Iterator[Tenancy]:
    """On SQLite; the persistence tests also run on PostgreSQL (``stored``)."""
    yield from make_tenancy(okta, admin, data_dir, f"sqlite:///{data_dir / 't.db'}")


@pytest.fixture
def stored(
    okta: SimulatorServer, admin: OktaAdmin, data_dir: Path, database_url: str
) -> Iterator[Tenancy]:
    yield from make_tenancy(okta, admin, data_dir, database_url)
