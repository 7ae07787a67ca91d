"""Jobs in the store: queue, claim, report progress, finish, resume after a stop.

States: ``queued`` → ``running`` → ``succeeded`` | ``failed``. A job found
``running`` when a runner starts was cut off by a stop of its server; it goes
back to ``queued`` and runs again from the start (a verify or a capture is safe
to repeat), until it has been started :attr:`JobKind.max_attempts` times.
"""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from atomation.jobs.errors import JobAlreadyRunning
from atomation.jobs.kinds import JobKinds
from atomation.jobs.models import JobLock
from atomation.store import Job, Store

__all__ = [
    "ACTIVE_STATES",
    "claim_next",
    "enqueue",
    "finish",
    "latest_job",
    "record_progress",
    "resume_interrupted",
]

logger = logging.getLogger(__name__)

ACTIVE_STATES = ("queued", "running")


def _lock_scope(kind: str, tenant_id: str | None) -> str:
    return f"{kind}:{tenant_id or '-'}"


def enqueue(
    session: Session,
    kinds: JobKinds,
    kind: str,
    *,
    tenant_id: str | None,
    now: datetime,
    params: dict[str, Any] | None = None,
) -> Job:
    """Queue a job (``params``: what it is asked to do, as JSON); a once-per-tenant
    kind takes its tenant's lock in the same transaction, or raises
    :class:`JobAlreadyRunning`."""
    job_kind = kinds.get(kind)
    job = Job(
        kind=kind,
        tenant_id=tenant_id,
        state="queued",
        params=dict(params or {}),
        progress={},
        created_at=now,
    )
    session.add(job)
    session.flush()
    if job_kind.exclusive:
        try:
            with session.begin_nested():
                session.add(
                    JobLock(
                        scope=_lock_scope(kind, tenant_id),
                        job_id=job.id,
                        created_at=now,
                    )
                )
        except IntegrityError:
            session.expunge(job)
            raise JobAlreadyRunning(
                f"a {kind} job is already queued or running for this tenant",
                hint="wait for it to finish; its progress is on the tenant's page.",
            ) from None
    logger.info("%s job queued", kind)
    return job


def claim_next(store: Store, kinds: JobKinds, now: datetime) -> Job | None:
    """Take the oldest queued job of a registered kind, marking it running.

    The state change is conditional (``WHERE state = 'queued'``), so two runners
    on one database never both take the same job.
    """
    names = list(kinds.kinds)
    if not names:
        return None
    with store.session() as session:
        candidates = session.scalars(
            select(Job.id)
            .where(Job.state == "queued", Job.kind.in_(names))
            .order_by(Job.created_at)
            .limit(5)
        ).all()
        for job_id in candidates:
            taken = session.execute(
                update(Job)
                .where(Job.id == job_id, Job.state == "queued")
                .values(state="running", started_at=now, attempts=Job.attempts + 1)
            )
            if taken.rowcount == 1:  # type: ignore[attr-defined]
                job = session.get(Job, job_id)
                assert job is not None
                session.refresh(job)
                return job
    return None


def record_progress(store: Store, job_id: str, progress: dict[str, Any]) -> None:
    with store.session() as session:
        session.execute(update(Job).where(Job.id == job_id).values(progress=progress))


def finish(
    store: Store,
    job_id: str,
    *,
    now: datetime,
    progress: dict[str, Any] | None = None,
    error: str | None = None,
) -> None:
    """Mark the job succeeded (no ``error``) or failed, and free its lock."""
    values: dict[str, Any] = {
        "state": "failed" if error is not None else "succeeded",
        "finished_at": now,
        "error": error,
    }
    if progress is not None:
        values["progress"] = progress
    with store.session() as session:
        session.execute(update(Job).where(Job.id == job_id).values(**values))
        session.execute(delete(JobLock).where(JobLock.job_id == job_id))


def resume_interrupted(store: Store, kinds: JobKinds, now: datetime) -> int:
    """Requeue the registered jobs a stop left running; returns how many.

    One in-process runner per database is assumed (the embedded deployment):
    every ``running`` job found at start was cut off, since no other runner
    exists. A deployment with several workers hands jobs to a queue with leases
    instead (DESIGN, "Beyond one machine").
    """
    resumed = 0
    with store.session() as session:
        jobs = session.scalars(
            select(Job).where(Job.state == "running", Job.kind.in_(list(kinds.kinds)))
        ).all()
        for job in jobs:
            limit = kinds.get(job.kind).max_attempts
            if job.attempts >= limit:
                job.state = "failed"
                job.finished_at = now
                job.error = f"stopped with the server {job.attempts} times"
                session.execute(delete(JobLock).where(JobLock.job_id == job.id))
                logger.warning("%s job given up after %d starts", job.kind, limit)
            else:
                job.state = "queued"
                resumed += 1
                logger.info("%s job resumed after a stop", job.kind)
    return resumed


def latest_job(session: Session, kind: str, tenant_id: str) -> Job | None:
    return session.scalars(
        select(Job)
        .where(Job.kind == kind, Job.tenant_id == tenant_id)
        .order_by(Job.created_at.desc())
        .limit(1)
    ).first()
