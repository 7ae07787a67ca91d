"""A real assessment of the simulator's ``typical`` org, to report on.

The path is the product's own: the customer's admin is played through Okta's
admin API (:class:`tests.okta.admin.OktaAdmin`), the capture reads the org over
HTTP into sealed evidence and normalises it, and the assessment runs the
catalogue over the normalised snapshot and stores the run. The report reads that
stored run, the catalogue's metadata and the snapshot's signed manifest.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from atomation.assessment.results import AssessmentResult
from atomation.assessment.service import assess_tenant
from atomation.connection.service import save_connection
from atomation.keys.envelope import load_master_key
from atomation.okta import OKTA_READ_SCOPES
from atomation.settings import Settings, load_settings
from atomation.simulator.harness import SimulatorServer
from atomation.snapshot.capture import CaptureOptions, capture_snapshot
from atomation.snapshot.evidence import EvidenceStore, open_evidence_store
from atomation.store import Store, open_store
from atomation.store.types import utcnow
from atomation.tenants.service import create_tenant, get_tenant
from tests.okta.admin import OktaAdmin, clock_of
from tests.okta.signing import RsaTestSigner

USERS = 120
# A simulated minute lasts a real second; rate limits are off (not under test).
TIME_SCALE = 60.0
SUBDOMAIN = "acme"


@dataclass
class Tenancy:
    """Our tenant ``acme`` connected to a simulated org, with its own test key."""

    okta: SimulatorServer
    store: Store
    settings: Settings
    signer: RsaTestSigner = field(default_factory=RsaTestSigner)

    def connect(
        self, admin: OktaAdmin, scopes: Iterable[str] = OKTA_READ_SCOPES
    ) -> None:
        jwks_url = self.okta.host_jwks(f"report-{id(self)}", self.signer.jwks())
        client_id = admin.ready_app(jwks_url, scopes=scopes)
        with self.store.session() as session:
            save_connection(
                session,
                get_tenant(session, SUBDOMAIN),
                client_id=client_id,
                dpop_mode="auto",
                now=utcnow(),
            )

    def capture(self) -> str:
        return asyncio.run(
            capture_snapshot(
                self.store,
                self.settings,
                SUBDOMAIN,
                CaptureOptions(window_days=30),
                clock=clock_of(self.okta),
                signer=self.signer,
            )
        )

    def assess(self, snapshot_id: str) -> AssessmentResult:
        """Assess the snapshot and store the run, as ``atomation assess`` does."""
        return assess_tenant(self.store, SUBDOMAIN, snapshot_id=snapshot_id).result

    @property
    def evidence(self) -> EvidenceStore:
        return open_evidence_store(self.settings)


def make_tenancy(
    okta: SimulatorServer,
    data_dir: Path,
    scopes: Iterable[str] = OKTA_READ_SCOPES,
) -> Iterator[Tenancy]:
    settings = load_settings(data_dir=data_dir, allowed_org_urls=[okta.base_url])
    store = open_store(settings)
    try:
        with store.session() as session:
            create_tenant(
                session,
                load_master_key(settings),
                subdomain=SUBDOMAIN,
                client_name="Acme",
                environment="Test",
                okta_org_url=okta.base_url,
                now=utcnow(),
                allowed_org_urls=[okta.base_url],
            )
        tenancy = Tenancy(okta, store, settings)
        admin = OktaAdmin(okta)
        try:
            tenancy.connect(admin, scopes)
        finally:
            admin.close()
        yield tenancy
    finally:
        store.close()


@dataclass(frozen=True)
class Assessed:
    tenancy: Tenancy
    snapshot_id: str
    result: AssessmentResult


@pytest.fixture(scope="module")
def typical_org() -> Iterator[SimulatorServer]:
    with SimulatorServer(
        users=USERS,
        profile="typical",
        latency=0,
        time_scale=TIME_SCALE,
        rate_limits="off",
    ) as server:
        yield server


@pytest.fixture(scope="module")
def assessed(
    typical_org: SimulatorServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Assessed]:
    """One capture and assessment of the typical org, shared by a test module."""
    for tenancy in make_tenancy(typical_org, tmp_path_factory.mktemp("data")):
        snapshot_id = tenancy.capture()
        yield Assessed(tenancy, snapshot_id, tenancy.assess(snapshot_id))
