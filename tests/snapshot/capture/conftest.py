"""A tenant of ours connected to a simulated org, ready to capture.

The customer's side is played through Okta's admin API on the simulator
(:class:`tests.okta.admin.OktaAdmin`): a service app that fetches its keys from a
JWKS document hosted on the simulator, the ten scopes (or fewer) and a role.
Captures run with a signer whose key the test made, on the simulator's clock.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest

from atomation.connection.service import save_connection
from atomation.keys.envelope import load_master_key
from atomation.okta import OKTA_READ_SCOPES
from atomation.settings import Settings, load_settings
from atomation.simulator.harness import SimulatorServer
from atomation.snapshot.capture import CaptureOptions, capture_snapshot
from atomation.snapshot.evidence import EvidenceReader, open_evidence_store
from atomation.snapshot.evidence.records import CollectionRecord
from atomation.store import Store, open_store
from atomation.store.types import utcnow
from atomation.tenants.service import create_tenant, get_tenant
from tests.okta.admin import OktaAdmin, clock_of
from tests.okta.signing import RsaTestSigner

# A simulated minute lasts a real second: rate limits are off in these tests
# (the benchmark has them on), and the admin setup calls never wait long.
TIME_SCALE = 60.0
USERS = 300


@pytest.fixture(scope="module")
def okta() -> Iterator[SimulatorServer]:
    with SimulatorServer(
        users=USERS, latency=0, time_scale=TIME_SCALE, rate_limits="off"
    ) as server:
        yield server


@pytest.fixture(scope="module")
def admin(okta: SimulatorServer) -> Iterator[OktaAdmin]:
    admin = OktaAdmin(okta)
    yield admin
    admin.close()


@dataclass
class Tenancy:
    """Our tenant ``acme`` pointed at the simulated org, with its own test key."""

    okta: SimulatorServer
    admin: OktaAdmin
    store: Store
    settings: Settings
    subdomain: str = "acme"
    signer: RsaTestSigner = field(default_factory=RsaTestSigner)
    client_id: str = ""
    tenant_key: bool = False
    """Whether the app trusts the tenant's own key rather than the test signer."""

    def connect(
        self,
        *,
        scopes: Iterable[str] = OKTA_READ_SCOPES,
        role: str | None = "READ_ONLY_ADMIN",
        jwks: dict[str, Any] | None = None,
    ) -> str:
        """Set up a service app as the guide says and store its Client ID."""
        self.tenant_key = jwks is not None
        name = f"{self.subdomain}-{id(self)}"
        jwks_url = self.okta.host_jwks(name, jwks or self.signer.jwks())
        self.client_id = self.admin.ready_app(jwks_url, scopes=scopes, role=role)
        with self.store.session() as session:
            save_connection(
                session,
                get_tenant(session, self.subdomain),
                client_id=self.client_id,
                dpop_mode="auto",
                now=utcnow(),
            )
        return self.client_id

    def capture(self, options: CaptureOptions | None = None, **kw: Any) -> str:
        return asyncio.run(
            capture_snapshot(
                self.store,
                self.settings,
                self.subdomain,
                options or CaptureOptions(window_days=30),
                clock=clock_of(self.okta),
                signer=None if self.tenant_key else self.signer,
                **kw,
            )
        )

    @property
    def reader(self) -> EvidenceReader:
        return EvidenceReader(self.store, open_evidence_store(self.settings))

    def collections(self, snapshot_id: str) -> dict[str, CollectionRecord]:
        return {c.name: c for c in self.reader.collections(snapshot_id)}


def make_tenancy(
    okta: SimulatorServer,
    admin: OktaAdmin,
    data_dir: Path,
    database_url: str | None = None,
) -> Iterator[Tenancy]:
    """A tenant in a fresh store (the data directory's own SQLite by default)."""
    overrides: dict[str, Any] = {"data_dir": data_dir}
    if database_url is not None:
        overrides["database_url"] = database_url
    settings = load_settings(**overrides, allowed_org_urls=[okta.base_url])
    store = open_store(settings)
    try:
        with store.session() as session:
            create_tenant(
                session,
                load_master_key(settings),
                subdomain="acme",
                client_name="Acme",
                environment="Test",
                okta_org_url=okta.base_url,
                now=utcnow(),
                allowed_org_urls=[okta.base_url],
            )
        yield Tenancy(okta, admin, store, settings)
    finally:
        store.close()


@pytest.fixture
def tenancy(
    okta: SimulatorServer, admin: OktaAdmin, data_dir: Path
) -> Iterator[Tenancy]:
    yield from make_tenancy(okta, admin, data_dir)


@pytest.fixture
def stored(
    okta: SimulatorServer, admin: OktaAdmin, data_dir: Path, database_url: str
) -> Iterator[Tenancy]:
    """On SQLite and, when configured, PostgreSQL."""
    yield from make_tenancy(okta, admin, data_dir, database_url)
