"""Errors of the evidence store, drawn as one tree::

    AtomationError
    └── EvidenceError                 evidence cannot be stored, read or sealed
        ├── EvidenceNotFound          a hash, snapshot or collection is not stored
        ├── EvidenceCorrupted         stored bytes no longer match their hash
        ├── CollectionClosed          a page or verdict for a closed collection
        ├── SnapshotNotSealable       finalising while a collection is open or missing
        └── VerificationFailed        ``evidence verify`` found mismatches

Messages name the snapshot, collection, page or hash at fault; none carries a
page body, a key or any other secret.
"""

from __future__ import annotations

from atomation.errors import AtomationError

__all__ = [
    "CollectionClosed",
    "EvidenceCorrupted",
    "EvidenceError",
    "EvidenceNotFound",
    "SnapshotNotSealable",
    "VerificationFailed",
]


class EvidenceError(AtomationError):
    """Evidence cannot be stored, read, sealed or exported."""


class EvidenceNotFound(EvidenceError):
    """A content hash, snapshot or collection the caller named is not stored."""


class EvidenceCorrupted(EvidenceError):
    """Stored evidence no longer hashes to its address: it was altered or damaged."""


class CollectionClosed(EvidenceError):
    """A collection already has its verdict; it takes no more pages or verdicts."""


class SnapshotNotSealable(EvidenceError):
    """A snapshot cannot be finalised yet: a collection is open or unaccounted for."""


class VerificationFailed(EvidenceError):
    """``evidence verify`` found at least one page, manifest or signature mismatch."""
