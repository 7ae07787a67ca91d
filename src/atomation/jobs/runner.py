"""The in-process job runner: one worker thread taking jobs from the store.

Jobs run one at a time on the runner's own thread and event loop, so a long
capture never blocks the web server's loop. Queuing in this process wakes the
runner at once; a job queued by another process (``atomation`` commands) is
seen on the next poll. On start, jobs that a stop left running are requeued
(:func:`atomation.jobs.service.resume_interrupted`).
"""

from __future__ import annotations

import asyncio
import logging
import threading
from collections.abc import Coroutine
from datetime import datetime
from typing import Any

from sqlalchemy.exc import SQLAlchemyError

from atomation.errors import AtomationError
from atomation.jobs.kinds import JobContext, JobKinds
from atomation.jobs.service import (
    claim_next,
    finish,
    record_progress,
    resume_interrupted,
)
from atomation.okta import Clock
from atomation.settings import Settings
from atomation.store import Job, Store
from atomation.store.types import utcnow

__all__ = ["POLL_INTERVAL", "JobRunner"]

logger = logging.getLogger(__name__)

POLL_INTERVAL = 1.0  # seconds between looks for work queued by other processes
STOP_TIMEOUT = 5.0
STOP_POLL = 0.1  # seconds between looks, while a job runs, for a stop


class JobRunner:
    def __init__(
        self, store: Store, settings: Settings, kinds: JobKinds, clock: Clock
    ) -> None:
        self.store = store
        self.settings = settings
        self.kinds = kinds
        self.clock = clock
        self._wake = threading.Event()
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    def _now(self) -> datetime:
        # Job rows carry wall-clock time; ``clock`` is what the jobs use toward
        # Okta (a simulated org's time in tests and the demo).
        return utcnow()

    def start(self) -> None:
        resumed = resume_interrupted(self.store, self.kinds, self._now())
        if resumed:
            logger.info("%d interrupted jobs queued again", resumed)
        self._thread = threading.Thread(
            target=self._loop, name="atomation-jobs", daemon=True
        )
        self._thread.start()

    def wake(self) -> None:
        """Look for work now (called after queuing a job in this process)."""
        self._wake.set()

    def stop(self) -> None:
        """Stop taking jobs and cancel the one running, which is left ``running``
        and resumes on the next start. The thread is a daemon: should a job not
        yield to the cancellation in time, it ends with the process."""
        self._stop.set()
        self._wake.set()
        if self._thread is not None:
            self._thread.join(timeout=STOP_TIMEOUT)

    async def _until_stopped(
        self, work: Coroutine[Any, Any, dict[str, Any]]
    ) -> dict[str, Any]:
        """Run the job, cancelling it when :meth:`stop` is called."""
        task = asyncio.ensure_future(work)
        while not task.done():
            await asyncio.wait({task}, timeout=STOP_POLL)
            if self._stop.is_set() and not task.done():
                task.cancel()
                # Let the job's own clean-up (closing its HTTP client) run.
                await asyncio.wait({task})
        return task.result()

    def _loop(self) -> None:
        while not self._stop.is_set():
            try:
                job = claim_next(self.store, self.kinds, self._now())
            except AtomationError as exc:
                logger.error("cannot take jobs: %s", exc.message)
                job = None
            except SQLAlchemyError as exc:
                # The database went away (a restart of PostgreSQL, say): keep
                # polling rather than end the thread, and say so once a poll.
                logger.error("cannot take jobs: %s", type(exc).__name__)
                job = None
            if job is None:
                self._wake.wait(POLL_INTERVAL)
                self._wake.clear()
                continue
            self._run(job)

    def _run(self, job: Job) -> None:
        def report(progress: dict[str, Any]) -> None:
            record_progress(self.store, job.id, progress)

        context = JobContext(
            job_id=job.id,
            kind=job.kind,
            tenant_id=job.tenant_id,
            attempt=job.attempts,
            params=dict(job.params or {}),
            progress=dict(job.progress or {}),
            store=self.store,
            settings=self.settings,
            clock=self.clock,
            kinds=self.kinds,
            report=report,
        )
        handler = self.kinds.get(job.kind).handler
        logger.info("%s job started (attempt %d)", job.kind, job.attempts)
        try:
            result = asyncio.run(self._until_stopped(handler(context)))
        except asyncio.CancelledError:
            logger.info("%s job left to resume: the runner stopped", job.kind)
            return
        except AtomationError as exc:
            # An AtomationError's message is written for users and holds no secret.
            logger.warning("%s job failed: %s", job.kind, exc.message)
            finish(self.store, job.id, now=self._now(), error=exc.message)
            return
        except Exception as exc:
            # Other exceptions' text may carry request details; keep only the type.
            logger.exception("%s job failed", job.kind)
            finish(
                self.store,
                job.id,
                now=self._now(),
                error=f"unexpected {type(exc).__name__}",
            )
            return
        finish(self.store, job.id, now=self._now(), progress=result)
        logger.info("%s job succeeded", job.kind)
