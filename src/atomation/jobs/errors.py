"""The jobs part's errors::

AtomationError
└── JobError                  a job cannot be queued as asked
    ├── UnknownJobKind        no kind of that name is registered
    └── JobAlreadyRunning     a kind that runs once per tenant is already queued
                              or running for that tenant
"""

from __future__ import annotations

from atomation.errors import AtomationError

__all__ = ["JobAlreadyRunning", "JobError", "UnknownJobKind"]


class JobError(AtomationError):
    """A job cannot be queued as asked."""


class UnknownJobKind(JobError):
    """No job kind of that name is registered."""


class JobAlreadyRunning(JobError):
    """Another job of a once-per-tenant kind is queued or running for the tenant."""
