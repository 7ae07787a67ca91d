"""A tenant's snapshots, capture jobs and assessment runs, gathered for the pages.

What the snapshot and report pages (and their API twins) show: each snapshot
with its completeness, the capture or assessment under way with its progress,
and the stored assessment runs from which reports are rendered. Queuing a
capture is here too; access is settled by the routes before any of it runs.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import select

from atomation.assessment.tables import AssessmentRun
from atomation.jobs.service import ACTIVE_STATES, enqueue, latest_job
from atomation.jobs.snapshot import ASSESS, SNAPSHOT
from atomation.snapshot.evidence.writer import SNAPSHOT_CAPTURING, SNAPSHOT_COMPLETE
from atomation.snapshot.listing import SnapshotSummary, list_snapshots
from atomation.store import Job, Tenant
from atomation.web.actions import require_connection
from atomation.web.guide import job_dict
from atomation.web.workspace import Workspace

__all__ = [
    "RunSummary",
    "TenantHistory",
    "history_of",
    "start_snapshot",
]


@dataclass(frozen=True)
class RunSummary:
    """A stored assessment run, the source of a report."""

    id: str
    snapshot_id: str
    profile: str
    summary: dict[str, int]
    stored_at: datetime

    def as_dict(self) -> dict[str, Any]:
        return {
            "id": self.id,
            "snapshot_id": self.snapshot_id,
            "profile": self.profile,
            "summary": self.summary,
            "stored_at": self.stored_at.isoformat(),
        }


@dataclass(frozen=True)
class TenantHistory:
    snapshots: list[SnapshotSummary]
    runs: list[RunSummary]
    """Newest first; a snapshot assessed twice has two runs."""
    capture: Job | None
    """The tenant's latest capture job."""
    assessment: Job | None
    """The tenant's latest assessment job."""

    @property
    def busy(self) -> bool:
        """A capture or an assessment is queued or running (the pages poll)."""
        return any(
            job is not None and job.state in ACTIVE_STATES
            for job in (self.capture, self.assessment)
        )

    @property
    def resumable(self) -> SnapshotSummary | None:
        """The latest snapshot, when a capture left it unfinished and none runs."""
        if self.busy or not self.snapshots:
            return None
        latest = self.snapshots[0]
        return latest if latest.state == SNAPSHOT_CAPTURING else None

    @property
    def latest_run(self) -> RunSummary | None:
        return self.runs[0] if self.runs else None

    def run_of(self, snapshot_id: str) -> RunSummary | None:
        """The latest run of one snapshot."""
        return next((r for r in self.runs if r.snapshot_id == snapshot_id), None)

    @property
    def assessed(self) -> list[SnapshotSummary]:
        """Sealed snapshots with a stored run, newest first (for a comparison)."""
        ids = {run.snapshot_id for run in self.runs}
        return [
            s for s in self.snapshots if s.id in ids and s.state == SNAPSHOT_COMPLETE
        ]

    def as_dict(self) -> dict[str, Any]:
        return {
            "snapshots": [s.as_dict() for s in self.snapshots],
            "runs": [r.as_dict() for r in self.runs],
            "capture": job_dict(self.capture) if self.capture else None,
            "assessment": job_dict(self.assessment) if self.assessment else None,
        }


def history_of(workspace: Workspace, tenant: Tenant) -> TenantHistory:
    store = workspace.runtime.store
    snapshots = list_snapshots(store, tenant.id)
    with store.session() as session:
        runs = [
            RunSummary(
                id=run.id,
                snapshot_id=run.snapshot_id,
                profile=run.profile,
                summary=dict(run.summary),
                stored_at=run.stored_at,
            )
            for run in session.scalars(
                select(AssessmentRun)
                .where(AssessmentRun.tenant_id == tenant.id)
                .order_by(AssessmentRun.stored_at.desc(), AssessmentRun.id.desc())
            )
        ]
        capture = latest_job(session, SNAPSHOT, tenant.id)
        assessment = latest_job(session, ASSESS, tenant.id)
    return TenantHistory(snapshots, runs, capture, assessment)


def start_snapshot(workspace: Workspace, tenant: Tenant, *, resume: bool) -> Job:
    """Queue a capture (refused while one is queued or running) and wake the
    runner; ``resume`` goes on with the tenant's unfinished snapshot."""
    with workspace.runtime.store.session() as session:
        require_connection(session, tenant)
        job = enqueue(
            session,
            workspace.kinds,
            SNAPSHOT,
            tenant_id=tenant.id,
            now=workspace.now(),
            params={"resume": resume},
        )
    if workspace.runner is not None:
        workspace.runner.wake()
    return job
