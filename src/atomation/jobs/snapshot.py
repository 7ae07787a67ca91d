"""The snapshot and assessment jobs, and the first snapshot after the first verify.

A ``snapshot`` job captures the tenant's org (:func:`capture_snapshot`, which
also normalises it) and, once the snapshot is sealed, queues an ``assess`` job
for it; the assessment stores its run, from which the workspace renders the
report on request. So after the first successful Verify Connection
(:func:`start_first_snapshot`, a first-verification hook) the first report
appears with no one pressing anything.

A capture cut off by a stop of the server resumes where it was: the job's
progress names the snapshot it began, and a later start of the same job goes on
with that snapshot from the last stored page of each collection, as
``atomation snapshot TENANT --resume`` does. ``params``: ``resume`` (go on with
the tenant's unfinished snapshot) for a snapshot job, ``snapshot_id`` for an
assessment.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from typing import Any

from atomation.assessment.service import assess_tenant
from atomation.jobs.errors import JobAlreadyRunning
from atomation.jobs.kinds import JobContext, JobKind, JobKinds
from atomation.jobs.service import enqueue
from atomation.okta import OktaClient
from atomation.snapshot.capture import (
    CaptureOptions,
    NothingToResume,
    NullProgress,
    capture_snapshot,
    unfinished_snapshot,
)
from atomation.snapshot.evidence.records import Completeness
from atomation.snapshot.listing import list_snapshots
from atomation.store import Store, Tenant
from atomation.store.types import utcnow

__all__ = [
    "ASSESS",
    "SNAPSHOT",
    "JobProgress",
    "register",
    "run_assess",
    "run_snapshot",
    "start_first_snapshot",
]

logger = logging.getLogger(__name__)

SNAPSHOT = "snapshot"
ASSESS = "assess"
# How often a capture's progress is written to its job row: often enough for a
# page that polls every second, rare enough to cost nothing beside the reads.
PROGRESS_INTERVAL = 1.0


class JobProgress(NullProgress):
    """The capture's tallies, kept on the job row for the pages to poll."""

    def __init__(
        self,
        report: Callable[[dict[str, Any]], None],
        *,
        interval: float = PROGRESS_INTERVAL,
    ) -> None:
        super().__init__()
        self._report = report
        self._interval = interval
        self._last = 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "step": "capturing",
            "snapshot_id": self.snapshot_id,
            "waits": self.waits,
            "families": {
                family: {
                    "planned": tally.planned,
                    "closed": tally.closed,
                    "pages": tally.pages,
                    "objects": tally.objects,
                    "short": tally.short,
                    # Seconds on Okta's clock, from the bucket's learnt limit.
                    "eta": None if tally.done else self.eta(family),
                }
                for family, tally in sorted(self.tallies.items())
            },
        }

    def _store(self, *, now: bool = False) -> None:
        moment = time.monotonic()
        if now or moment - self._last >= self._interval:
            self._last = moment
            self._report(self.as_dict())

    def start(self, snapshot_id: str, client: OktaClient, share: float) -> None:
        super().start(snapshot_id, client, share)
        self._store(now=True)

    def planned(self, family: str, collections: int) -> None:
        super().planned(family, collections)
        self._store()

    def page(self, family: str, objects: int) -> None:
        super().page(family, objects)
        self._store()

    def closed(self, family: str, completeness: Completeness) -> None:
        super().closed(family, completeness)
        self._store()

    def finish(self) -> None:
        self._store(now=True)


def _tenant(store: Store, tenant_id: str | None) -> Tenant:
    assert tenant_id is not None, "snapshot and assess jobs belong to a tenant"
    with store.session() as session:
        tenant = session.get(Tenant, tenant_id)
        assert tenant is not None, "the tenant's jobs go with it (ON DELETE CASCADE)"
        return tenant


def _resume(context: JobContext, tenant: Tenant) -> bool:
    """Whether this start goes on with an unfinished snapshot of the tenant."""
    try:
        unfinished, _ = unfinished_snapshot(context.store, tenant.id, tenant.subdomain)
    except NothingToResume:
        return False
    if context.params.get("resume"):
        return True
    # A start after a stop: go on with the snapshot this job itself began.
    return context.attempt > 1 and context.progress.get("snapshot_id") == unfinished


async def run_snapshot(context: JobContext) -> dict[str, Any]:
    tenant = _tenant(context.store, context.tenant_id)
    resume = _resume(context, tenant)
    context.report({"step": "connecting", "resume": resume})
    progress = JobProgress(context.report)
    snapshot_id = await capture_snapshot(
        context.store,
        context.settings,
        tenant.subdomain,
        CaptureOptions(),
        clock=context.clock,
        resume=resume,
        progress=progress,
    )
    with context.store.session() as session:
        enqueue(
            session,
            context.kinds,
            ASSESS,
            tenant_id=tenant.id,
            now=utcnow(),
            params={"snapshot_id": snapshot_id},
        )
    (sealed,) = list_snapshots(context.store, tenant.id, snapshot_id=snapshot_id)
    return {
        **progress.as_dict(),
        "step": "done",
        "completeness": sealed.completeness,
    }


async def run_assess(context: JobContext) -> dict[str, Any]:
    tenant = _tenant(context.store, context.tenant_id)
    snapshot_id = context.params.get("snapshot_id")
    context.report({"step": "assessing", "snapshot_id": snapshot_id})
    summary = assess_tenant(context.store, tenant.subdomain, snapshot_id=snapshot_id)
    return {
        "step": "done",
        "snapshot_id": summary.result.snapshot_id,
        "run_id": summary.run_id,
        "profile": summary.result.profile,
        "summary": summary.result.summary(),
    }


def start_first_snapshot(context: JobContext, tenant_id: str) -> None:
    """Queue the tenant's first capture (a first-verification hook)."""
    with context.store.session() as session:
        try:
            enqueue(session, context.kinds, SNAPSHOT, tenant_id=tenant_id, now=utcnow())
        except JobAlreadyRunning:
            logger.info("first snapshot not queued: a capture is already queued")
            return
    logger.info("first snapshot queued after the first successful verification")


def register(kinds: JobKinds) -> None:
    kinds.register(JobKind(SNAPSHOT, run_snapshot, one_per_tenant=True))
    kinds.register(JobKind(ASSESS, run_assess))
    kinds.first_verification_hooks.append(start_first_snapshot)
