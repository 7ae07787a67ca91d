"""What each kind of job does, registered by name.

The registry is an object handed to the runner (never a module-level singleton),
so each web app, and each test, has its own. The verify kind is registered by
:func:`atomation.jobs.verify.register`; the snapshot and assessment kinds are
registered by their own parts the same way, and the follow-up that starts the
first snapshot after the first successful verification plugs into
:attr:`JobKinds.first_verification_hooks`.
"""

from __future__ import annotations

from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from atomation.jobs.errors import UnknownJobKind
from atomation.okta import Clock
from atomation.settings import Settings
from atomation.store import Store

__all__ = [
    "DEFAULT_MAX_ATTEMPTS",
    "ONE_PER_TENANT_KINDS",
    "FirstVerificationHook",
    "JobContext",
    "JobHandler",
    "JobKind",
    "JobKinds",
]

# Kinds that never run twice at once for one tenant, however they are registered:
# a capture reads the customer's org under its rate limits, and two at once would
# halve each other's budget and interleave their evidence.
ONE_PER_TENANT_KINDS = frozenset({"snapshot"})

# A job that was running when its server stopped starts again on the next start;
# after three starts it is marked failed rather than crash-looping the server.
DEFAULT_MAX_ATTEMPTS = 3


@dataclass
class JobContext:
    """What a running job gets: where to read and write, the clock, its own row."""

    job_id: str
    kind: str
    tenant_id: str | None
    attempt: int
    """1 on the first start; more when a stop of the server cut earlier ones off."""
    params: dict[str, Any]
    progress: dict[str, Any]
    """The progress an earlier, interrupted start recorded (empty on the first)."""
    store: Store
    settings: Settings
    clock: Clock
    kinds: JobKinds
    report: Callable[[dict[str, Any]], None]
    """Store a progress mapping (JSON) on the job row; the pages poll it."""


JobHandler = Callable[[JobContext], Coroutine[Any, Any, dict[str, Any]]]
"""Runs the job; its result mapping becomes the job's final ``progress``."""

FirstVerificationHook = Callable[[JobContext, str], None]
"""Called with the verify job's context and the tenant id when a tenant's
connection verifies for the first time."""


@dataclass(frozen=True)
class JobKind:
    """``one_per_tenant``: at most one job of this kind queued or running per
    tenant (captures: two captures of one org would share its rate limits)."""

    name: str
    handler: JobHandler
    one_per_tenant: bool = False
    max_attempts: int = DEFAULT_MAX_ATTEMPTS

    @property
    def exclusive(self) -> bool:
        return self.one_per_tenant or self.name in ONE_PER_TENANT_KINDS


@dataclass
class JobKinds:
    kinds: dict[str, JobKind] = field(default_factory=dict)
    first_verification_hooks: list[FirstVerificationHook] = field(default_factory=list)

    def register(self, kind: JobKind) -> None:
        self.kinds[kind.name] = kind

    def get(self, name: str) -> JobKind:
        try:
            return self.kinds[name]
        except KeyError:
            known = ", ".join(sorted(self.kinds)) or "none"
            raise UnknownJobKind(
                f"no job kind '{name}' is registered (known: {known})",
                hint="that part of Atomation is not installed in this process.",
            ) from None
