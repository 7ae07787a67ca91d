"""A stored run reads back as it was assessed, on SQLite and PostgreSQL."""

from __future__ import annotations

import pytest
from sqlalchemy import func, select

from atomation.assessment.engine import assess
from atomation.assessment.errors import RunNotFound
from atomation.assessment.storage import (
    BATCH_ROWS,
    latest_run_id,
    load_result,
    save_result,
)
from atomation.assessment.tables import AssessmentFinding
from atomation.store import Store
from atomation.store.models import Snapshot, Tenant
from tests.assessment.memory import BASE_URL, org_snapshot


def _tenant_and_snapshot(store: Store) -> tuple[str, str]:
    with store.session() as session:
        tenant = Tenant(
            subdomain="acme",
            client_name="Acme",
            environment="Test",
            okta_org_url=BASE_URL,
        )
        session.add(tenant)
        session.flush()
        snapshot = Snapshot(tenant_id=tenant.id, state="complete", options={})
        session.add(snapshot)
        session.flush()
        return tenant.id, snapshot.id


def test_a_stored_run_reads_back_whole(store: Store) -> None:
    tenant_id, snapshot_id = _tenant_and_snapshot(store)
    snapshot = org_snapshot("typical", 2500)
    snapshot.set_info(tenant_id=tenant_id, snapshot_id=snapshot_id)
    result = assess(snapshot, overrides={"pwd.min_length.min_length": 14})

    run_id = save_result(store, result, overrides={"pwd.min_length.min_length": 14})
    loaded = load_result(store, run_id)

    with store.session() as session:
        stored = session.scalar(
            select(func.count()).where(AssessmentFinding.run_id == run_id)
        )
        assert latest_run_id(session, tenant_id) == run_id
    findings = sum(len(r.findings) for r in result.results)
    assert stored == findings > BATCH_ROWS  # more than one insert batch
    assert [(r.check_id, r.status) for r in loaded.results] == [
        (r.check_id, r.status) for r in result.results
    ]
    assert loaded.results == result.results
    assert loaded.thresholds()["pwd.min_length"] == {"min_length": 14}
    assert loaded.profile == "stig"
    assert loaded.catalogue_version == result.catalogue_version


def test_an_unknown_run_is_a_clear_error(store: Store) -> None:
    with pytest.raises(RunNotFound, match="no assessment run with id nope"):
        load_result(store, "nope")
