"""Fixtures for the evidence store: a tenant, a writer, and a small sealed capture."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from atomation.cli import run
from atomation.keys.envelope import load_master_key
from atomation.settings import Settings, load_settings
from atomation.snapshot.evidence import (
    EvidenceReader,
    EvidenceStore,
    EvidenceWriter,
    SealedSnapshot,
    load_signer,
    open_evidence_store,
)
from atomation.store import Store, Tenant

T0 = datetime(2026, 11, 30, 9, 0, 0, 123456, tzinfo=UTC)

# (request, next request, body) as the capture reads them; the last body is
# also the zones collection's only page, so one object serves two pages.
USERS_PAGES = (
    (
        "/api/v1/users?limit=2",
        "/api/v1/users?limit=2&after=00u2",
        b'[{"id":"00u1","status":"ACTIVE"},{"id":"00u2","status":"ACTIVE"}]',
    ),
    (
        "/api/v1/users?limit=2&after=00u2",
        "/api/v1/users?limit=2&after=00u3",
        b'[{"id":"00u3","profile":{"login":"r\xc3\xa9mi@acme.example"}}]',
    ),
    ("/api/v1/users?limit=2&after=00u3", None, b"[]"),
)
SIGN_ON_PAGE = b'[{"id":"00p1","type":"OKTA_SIGN_ON","name":"Default Policy"}]'


def rate_limit(remaining: int) -> dict[str, str]:
    return {
        "X-Rate-Limit-Limit": "600",
        "X-Rate-Limit-Remaining": str(remaining),
        "X-Rate-Limit-Reset": "1796029260",
    }


@dataclass(frozen=True)
class Capture:
    """A sealed snapshot: four collections, five pages, four distinct bodies."""

    snapshot_id: str
    sealed: SealedSnapshot


@pytest.fixture
def store_settings(store: Store, data_dir: Path) -> Settings:
    """Settings whose database is the ``store`` fixture's (SQLite or PostgreSQL)."""
    url = store.engine.url.render_as_string(hide_password=False)
    return load_settings(data_dir=data_dir, database_url=url)


@pytest.fixture
def evidence(store_settings: Settings) -> EvidenceStore:
    return open_evidence_store(store_settings)


@pytest.fixture
def tenant_id(store: Store) -> str:
    with store.session() as session:
        tenant = Tenant(
            subdomain="acme",
            client_name="Acme",
            environment="Production",
            okta_org_url="https://acme.okta.com",
        )
        session.add(tenant)
        session.flush()
        return tenant.id


class StepClock:
    """A clock that moves one second per reading, so every time is distinct."""

    def __init__(self, start: datetime = T0) -> None:
        self.now = start

    def __call__(self) -> datetime:
        self.now += timedelta(seconds=1)
        return self.now


@pytest.fixture
def writer(
    store: Store, store_settings: Settings, evidence: EvidenceStore
) -> EvidenceWriter:
    signer = load_signer(store, load_master_key(store_settings))
    return EvidenceWriter(store, evidence, signer, clock=StepClock())


@pytest.fixture
def reader(store: Store, evidence: EvidenceStore) -> EvidenceReader:
    return EvidenceReader(store, evidence)


@pytest.fixture
def capture(writer: EvidenceWriter, tenant_id: str) -> Capture:
    snapshot_id = writer.begin_snapshot(
        tenant_id, {"window_days": 90, "logs": "security"}
    )

    users = writer.open_collection(snapshot_id, "users")
    for number, (request, next_request, body) in enumerate(USERS_PAGES, start=1):
        users.add_page(
            request,
            T0 + timedelta(seconds=number),
            200,
            rate_limit(600 - number),
            body,
            next_request=next_request,
        )
    users.complete(objects=3)

    zones = writer.open_collection(snapshot_id, "zones")
    zones.add_page("/api/v1/zones", T0, 200, rate_limit(499), b"[]")
    zones.complete(objects=0)

    sign_on = writer.open_collection(snapshot_id, "policies:OKTA_SIGN_ON")
    sign_on.add_page(
        "/api/v1/policies?type=OKTA_SIGN_ON", T0, 200, rate_limit(99), SIGN_ON_PAGE
    )
    sign_on.complete(objects=1)

    writer.mark_not_collected(snapshot_id, "logs", missing="okta.logs.read scope")
    sealed = writer.finalise(
        snapshot_id, expected=["users", "policies:OKTA_SIGN_ON", "zones", "logs"]
    )
    return Capture(snapshot_id, sealed)


@dataclass(frozen=True)
class CliResult:
    code: int
    out: str
    err: str


CliRunner = Callable[..., CliResult]


@pytest.fixture
def atomation(
    store: Store,
    data_dir: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> CliRunner:
    """Run the ``atomation`` command in process against the test's database."""
    url = store.engine.url.render_as_string(hide_password=False)
    monkeypatch.setenv("ATOMATION_DATABASE_URL", url)

    def invoke(*args: str) -> CliResult:
        capsys.readouterr()
        code = run(["--data-dir", str(data_dir), *args])
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke


def overwrite_object(evidence: EvidenceStore, sha256: str, blob: bytes) -> None:
    """Replace a stored object's bytes on disk, as an attacker or a bad disk would."""
    path = Path(evidence.location(sha256))
    os.chmod(path, 0o600)
    path.write_bytes(blob)


def flip_byte(evidence: EvidenceStore, sha256: str) -> None:
    path = Path(evidence.location(sha256))
    blob = bytearray(path.read_bytes())
    blob[len(blob) // 2] ^= 0x01
    overwrite_object(evidence, sha256, bytes(blob))
