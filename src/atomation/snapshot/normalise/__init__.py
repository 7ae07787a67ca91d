"""Normalised snapshot tables, derived from a snapshot's evidence and rebuildable."""

from atomation.snapshot.normalise.tables import (
    NORMALISED_FORMAT,
    SnapshotLogEvent,
    SnapshotNormalisation,
    SnapshotResource,
    SnapshotShortfall,
)

__all__ = [
    "NORMALISED_FORMAT",
    "SnapshotLogEvent",
    "SnapshotNormalisation",
    "SnapshotResource",
    "SnapshotShortfall",
]
