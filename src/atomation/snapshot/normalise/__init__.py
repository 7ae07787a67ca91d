"""Normalised snapshot tables, derived from a snapshot's evidence and rebuildable.

:func:`normalise_snapshot` builds them (``atomation snapshot rebuild``);
:func:`open_snapshot_data` reads them as the
:class:`~atomation.snapshot.data.SnapshotData` the assessment queries.
"""

from atomation.snapshot.normalise.errors import (
    NormaliseError,
    NotNormalised,
    PageCorrupted,
    SnapshotNotFound,
    UnexpectedCollection,
    UnexpectedPage,
)
from atomation.snapshot.normalise.normaliser import NormaliseSummary, normalise_snapshot
from atomation.snapshot.normalise.snapshot_data import (
    NormalisedSnapshot,
    open_snapshot_data,
)
from atomation.snapshot.normalise.tables import (
    NORMALISED_FORMAT,
    SnapshotLogEvent,
    SnapshotNormalisation,
    SnapshotResource,
    SnapshotShortfall,
)

__all__ = [
    "NORMALISED_FORMAT",
    "NormaliseError",
    "NormaliseSummary",
    "NormalisedSnapshot",
    "NotNormalised",
    "PageCorrupted",
    "SnapshotLogEvent",
    "SnapshotNormalisation",
    "SnapshotNotFound",
    "SnapshotResource",
    "SnapshotShortfall",
    "UnexpectedCollection",
    "UnexpectedPage",
    "normalise_snapshot",
    "open_snapshot_data",
]
