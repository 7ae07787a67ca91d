"""A simulated org read once per module over HTTP, written as evidence per test.

The org is read with the Okta client as a service app set up through Okta's admin
API (:mod:`tests.okta.admin`); each test writes those pages into its own store
(SQLite or PostgreSQL) with the evidence writer, then normalises them.
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest

from atomation.keys.envelope import load_master_key
from atomation.okta import OktaClient, OrgUrl
from atomation.settings import Settings, load_settings
from atomation.simulator.harness import SimulatorServer
from atomation.snapshot.capture.options import okta_instant
from atomation.snapshot.capture.requests import LogSlice
from atomation.snapshot.evidence import (
    EvidenceStore,
    EvidenceWriter,
    load_signer,
    open_evidence_store,
)
from atomation.store import Store, Tenant
from tests.okta.admin import OktaAdmin, clock_of
from tests.okta.signing import RsaTestSigner
from tests.snapshot.normalise.reading import RecordedCollection, read_org

USERS = 100
# The client paces itself to the rate-limit headers, which the simulator sends
# even with its limits off; a simulated minute of two real seconds keeps the
# few hundred reads quick.
TIME_SCALE = 30.0


class Org:
    """The simulated org and what was read from it."""

    def __init__(self, server: SimulatorServer) -> None:
        self.server = server
        until = server.clock.now().replace(microsecond=0) - timedelta(hours=1)
        middle = until - timedelta(days=40)
        self.slices = (
            LogSlice(middle - timedelta(days=40), middle),
            LogSlice(middle, until),
        )
        self.collections: list[RecordedCollection] = []

    @property
    def options(self) -> dict[str, Any]:
        return {
            "log_since": okta_instant(self.slices[0].since),
            "log_until": okta_instant(self.slices[-1].until),
            "log_event_types": None,
            "factors_for": "all",
        }


@pytest.fixture(scope="module")
def org() -> Iterator[Org]:
    with SimulatorServer(
        users=USERS, latency=0, rate_limits="off", time_scale=TIME_SCALE
    ) as server:
        admin = OktaAdmin(server)
        signer = RsaTestSigner()
        client_id = admin.ready_app(server.host_jwks("normalise", signer.jwks()))
        admin.close()
        org = Org(server)

        async def read() -> list[RecordedCollection]:
            url = OrgUrl(server.base_url, allowed=[server.base_url])
            async with OktaClient(
                url, client_id, signer, clock=clock_of(server)
            ) as client:
                return await read_org(client, org.slices)

        org.collections = asyncio.run(read())
        yield org


@pytest.fixture
def store_settings(store: Store, data_dir: Path) -> Settings:
    """Settings whose database is the ``store`` fixture's (SQLite or PostgreSQL)."""
    url = store.engine.url.render_as_string(hide_password=False)
    return load_settings(data_dir=data_dir, database_url=url)


@pytest.fixture
def evidence(store_settings: Settings) -> EvidenceStore:
    return open_evidence_store(store_settings)


@pytest.fixture
def writer(
    store: Store, store_settings: Settings, evidence: EvidenceStore
) -> EvidenceWriter:
    signer = load_signer(store, load_master_key(store_settings))
    return EvidenceWriter(store, evidence, signer)


@pytest.fixture
def tenant_id(store: Store, org: Org) -> str:
    with store.session() as session:
        tenant = Tenant(
            subdomain="acme",
            client_name="Acme",
            environment="Test",
            okta_org_url=org.server.base_url,
        )
        session.add(tenant)
        session.flush()
        return tenant.id
