"""Errors of the normalised tables, drawn as one tree::

    AtomationError
    └── NormaliseError              the tables cannot be built or read
        ├── SnapshotNotFound        no snapshot has the id given
        ├── NotNormalised           the snapshot's tables were never built (or are
        │                           of an older format): rebuild them
        ├── UnexpectedCollection    a collection name of no family in data.py
        ├── UnexpectedPage          a page body is not what its family holds
        └── PageCorrupted           a page no longer matches its hash

Messages name the snapshot, and the page as ``collection#sequence``, its request
and its hash; none carries a page body. A failed build changes nothing: the
tables a snapshot had before stay as they were.
"""

from __future__ import annotations

from atomation.errors import AtomationError

__all__ = [
    "NormaliseError",
    "NotNormalised",
    "PageCorrupted",
    "SnapshotNotFound",
    "UnexpectedCollection",
    "UnexpectedPage",
]


class NormaliseError(AtomationError):
    """A snapshot's normalised tables cannot be built or read."""


class SnapshotNotFound(NormaliseError):
    """No snapshot has the id the caller gave."""


class NotNormalised(NormaliseError):
    """The snapshot has evidence but no tables derived from it (of this format)."""


class UnexpectedCollection(NormaliseError):
    """A collection named after no family of :data:`.data.FAMILIES`."""


class UnexpectedPage(NormaliseError):
    """A page's body is not the list of objects its family should hold."""


class PageCorrupted(NormaliseError):
    """A page's stored body no longer hashes to the hash its record names."""
