"""Errors of the assessment, drawn as one tree::

    AtomationError
    └── AssessmentError             the assessment cannot run or cannot be read
        ├── CatalogueError          the catalogue is inconsistent (found at load)
        ├── ThresholdError          a threshold names no parameter or has the wrong type
        ├── SnapshotNotReady        no sealed, normalised snapshot to assess
        └── RunNotFound             a stored assessment run does not exist

Messages name the check, parameter, tenant or snapshot at fault; none carries
evidence content.
"""

from __future__ import annotations

from atomation.errors import AtomationError

__all__ = [
    "AssessmentError",
    "CatalogueError",
    "RunNotFound",
    "SnapshotNotReady",
    "ThresholdError",
]


class AssessmentError(AtomationError):
    """The assessment cannot run, or its results cannot be read."""


class CatalogueError(AssessmentError):
    """The check catalogue failed validation when it loaded."""


class ThresholdError(AssessmentError):
    """A threshold override names an unknown parameter or has the wrong type."""


class SnapshotNotReady(AssessmentError):
    """The tenant has no sealed snapshot, or the one named cannot be assessed."""


class RunNotFound(AssessmentError):
    """No stored assessment run has the id given."""
