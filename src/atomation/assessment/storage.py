"""Storing assessment runs and reading them back; per-tenant threshold overrides.

A run is stored in one transaction: the run row, one row per check, and one row
per finding, inserted in batches so that a run over a large org (tens of
thousands of failing users) stays a few bulk statements. Reading a run back
gives the same :class:`~atomation.assessment.results.AssessmentResult` that was
stored, evidence references included, which is what the report renders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict
from typing import Any, cast

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session

from atomation.assessment.catalogue import Profile, ThresholdValue
from atomation.assessment.errors import RunNotFound
from atomation.assessment.results import AssessmentResult, CheckResult, Finding
from atomation.assessment.tables import (
    AssessmentCheckResult,
    AssessmentFinding,
    AssessmentRun,
    TenantThreshold,
)
from atomation.snapshot.data import EvidenceRef
from atomation.store import Store
from atomation.store.models import Snapshot, Tenant

__all__ = [
    "clear_tenant_threshold",
    "latest_run_id",
    "load_result",
    "save_result",
    "set_tenant_threshold",
    "tenant_thresholds",
]

# Rows per INSERT: large enough to amortise round trips, small enough to stay
# under SQLite's bound-parameter limit with eleven columns per finding.
BATCH_ROWS = 2_000


def save_result(
    store: Store,
    result: AssessmentResult,
    *,
    overrides: Mapping[str, object] | None = None,
) -> str:
    """Store ``result`` and return the new run's id."""
    with store.session() as session:
        run = AssessmentRun(
            tenant_id=result.tenant_id,
            snapshot_id=result.snapshot_id,
            profile=result.profile,
            catalogue_version=result.catalogue_version,
            thresholds=result.thresholds(),
            overrides=dict(overrides or {}),
            summary=result.summary(),
            started_at=result.started_at,
            finished_at=result.finished_at,
        )
        session.add(run)
        session.flush()
        run_id = run.id
        session.execute(
            insert(AssessmentCheckResult),
            [
                {
                    "run_id": run_id,
                    "check_id": r.check_id,
                    "position": position,
                    "status": r.status,
                    "counts": r.counts(),
                }
                for position, r in enumerate(result.results)
            ],
        )
        batch: list[dict[str, Any]] = []
        sequence = 0
        for check in result.results:
            for finding in check.findings:
                batch.append(_finding_row(run_id, sequence, finding))
                sequence += 1
                if len(batch) >= BATCH_ROWS:
                    session.execute(insert(AssessmentFinding), batch)
                    batch = []
        if batch:
            session.execute(insert(AssessmentFinding), batch)
    return run_id


def _finding_row(run_id: str, sequence: int, finding: Finding) -> dict[str, Any]:
    return {
        "run_id": run_id,
        "sequence": sequence,
        "check_id": finding.check_id,
        "status": finding.status,
        "resource_kind": finding.resource_kind,
        "resource_id": finding.resource_id,
        "resource_label": finding.resource_label,
        "message": finding.message,
        "measured": finding.measured,
        "required": finding.required,
        "evidence": [asdict(ref) for ref in finding.evidence],
    }


def load_result(store: Store, run_id: str) -> AssessmentResult:
    """The stored run ``run_id`` as an :class:`AssessmentResult`."""
    with store.session() as session:
        run = session.get(AssessmentRun, run_id)
        if run is None:
            raise RunNotFound(
                f"no assessment run with id {run_id}",
                hint="run 'atomation assess TENANT' to create one.",
            )
        checks = session.execute(
            select(AssessmentCheckResult.check_id, AssessmentCheckResult.status)
            .where(AssessmentCheckResult.run_id == run_id)
            .order_by(AssessmentCheckResult.position)
        ).all()
        findings: dict[str, list[Finding]] = {check_id: [] for check_id, _ in checks}
        rows = session.execute(
            select(AssessmentFinding)
            .where(AssessmentFinding.run_id == run_id)
            .order_by(AssessmentFinding.sequence)
        ).scalars()
        for row in rows:
            findings[row.check_id].append(
                Finding(
                    check_id=row.check_id,
                    status=cast(Any, row.status),
                    resource_kind=row.resource_kind,
                    resource_id=row.resource_id,
                    resource_label=row.resource_label,
                    message=row.message,
                    measured=row.measured,
                    required=row.required,
                    evidence=tuple(EvidenceRef(**ref) for ref in row.evidence),
                )
            )
        thresholds: dict[str, dict[str, ThresholdValue]] = run.thresholds
        results = tuple(
            CheckResult(
                check_id,
                cast(Any, status),
                thresholds.get(check_id, {}),
                tuple(findings[check_id]),
            )
            for check_id, status in checks
        )
        snapshot = session.get_one(Snapshot, run.snapshot_id)
        tenant = session.get_one(Tenant, run.tenant_id)
        return AssessmentResult(
            snapshot_id=run.snapshot_id,
            tenant_id=run.tenant_id,
            org_url=tenant.okta_org_url,
            captured_at=snapshot.started_at,
            profile=cast(Profile, run.profile),
            started_at=run.started_at,
            finished_at=run.finished_at,
            catalogue_version=run.catalogue_version,
            results=results,
        )


def latest_run_id(session: Session, tenant_id: str) -> str | None:
    return session.execute(
        select(AssessmentRun.id)
        .where(AssessmentRun.tenant_id == tenant_id)
        .order_by(AssessmentRun.stored_at.desc())
        .limit(1)
    ).scalar_one_or_none()


def tenant_thresholds(session: Session, tenant_id: str) -> dict[str, Any]:
    """The tenant's standing overrides, ``{"<check id>.<parameter>": value}``."""
    rows = session.execute(
        select(TenantThreshold.key, TenantThreshold.value)
        .where(TenantThreshold.tenant_id == tenant_id)
        .order_by(TenantThreshold.key)
    ).all()
    return {key: value for key, value in rows}


def set_tenant_threshold(
    session: Session, tenant_id: str, key: str, value: ThresholdValue
) -> None:
    row = session.get(TenantThreshold, (tenant_id, key))
    if row is None:
        session.add(TenantThreshold(tenant_id=tenant_id, key=key, value=value))
    else:
        row.value = value


def clear_tenant_threshold(session: Session, tenant_id: str, key: str) -> bool:
    """Remove an override; False when there was none."""
    deleted = session.execute(
        delete(TenantThreshold).where(
            TenantThreshold.tenant_id == tenant_id, TenantThreshold.key == key
        )
    )
    return bool(getattr(deleted, "rowcount", 0))
