"""Errors of the report, drawn as one tree::

    AtomationError
    └── ReportError                 a report cannot be built or written
        ├── ReportInputError        the stored run or snapshot cannot feed a report
        └── UnsupportedFormat       a format this command does not write

Messages name the tenant, snapshot, run, check or format at fault; none carries
evidence content or a credential.
"""

from __future__ import annotations

from atomation.errors import AtomationError

__all__ = ["ReportError", "ReportInputError", "UnsupportedFormat"]


class ReportError(AtomationError):
    """A report cannot be built or written."""


class ReportInputError(ReportError):
    """The stored assessment run or the snapshot's manifest cannot feed a report."""


class UnsupportedFormat(ReportError):
    """The format asked for is not one this command writes."""
