"""Tamper-evident evidence of a snapshot.

Each API response page is kept byte-exact in a content-addressed store
(:mod:`.content` over a :mod:`.backend`), described by a page record in the
database, and grouped into collections that each end with a completeness verdict
(:mod:`.records`). Sealing a snapshot writes a canonical manifest of all of it
(:mod:`.manifest`) and signs it with the deployment's Ed25519 evidence key
(:mod:`.signing`). :mod:`.verify` proves a snapshot untouched and :mod:`.export`
writes a bundle an auditor checks with ``sha256sum`` and ``openssl`` alone.
"""

from atomation.snapshot.evidence.backend import EvidenceBackend, LocalBackend
from atomation.snapshot.evidence.content import (
    EvidenceStore,
    StoredObject,
    open_evidence_store,
)
from atomation.snapshot.evidence.errors import (
    CollectionClosed,
    EvidenceCorrupted,
    EvidenceError,
    EvidenceNotFound,
    SnapshotNotSealable,
    VerificationFailed,
)
from atomation.snapshot.evidence.export import ExportSummary, export_bundle
from atomation.snapshot.evidence.manifest import canonical_json
from atomation.snapshot.evidence.reader import EvidenceReader
from atomation.snapshot.evidence.records import (
    CollectionRecord,
    Completeness,
    PageRecord,
)
from atomation.snapshot.evidence.signing import (
    EvidencePublicKey,
    EvidenceSigner,
    load_signer,
)
from atomation.snapshot.evidence.verify import VerificationReport, verify_snapshot
from atomation.snapshot.evidence.writer import (
    CollectionHandle,
    EvidenceWriter,
    SealedSnapshot,
    open_evidence_writer,
    path_and_query,
)

__all__ = [
    "CollectionClosed",
    "CollectionHandle",
    "CollectionRecord",
    "Completeness",
    "EvidenceBackend",
    "EvidenceCorrupted",
    "EvidenceError",
    "EvidenceNotFound",
    "EvidencePublicKey",
    "EvidenceReader",
    "EvidenceSigner",
    "EvidenceStore",
    "EvidenceWriter",
    "ExportSummary",
    "LocalBackend",
    "PageRecord",
    "SealedSnapshot",
    "SnapshotNotSealable",
    "StoredObject",
    "VerificationFailed",
    "VerificationReport",
    "canonical_json",
    "export_bundle",
    "load_signer",
    "open_evidence_store",
    "open_evidence_writer",
    "path_and_query",
    "verify_snapshot",
]
