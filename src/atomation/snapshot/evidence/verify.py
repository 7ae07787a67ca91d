"""Proving a snapshot untouched: ``atomation evidence verify``.

Verification trusts nothing but the evidence key's public half. It re-reads the
manifest under the snapshot's root hash and re-hashes it, checks the Ed25519
signature over those bytes, then re-reads and re-hashes every page the manifest
lists. It also compares the database's page and collection records (which the
reader serves to the assessment) with the signed manifest, so an edited record
is caught as well as an edited body. Every mismatch is named; none stops the
others from being checked.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from atomation.snapshot.evidence.content import EvidenceStore, sha256_hex
from atomation.snapshot.evidence.errors import (
    EvidenceCorrupted,
    EvidenceError,
    EvidenceNotFound,
)
from atomation.snapshot.evidence.manifest import MANIFEST_FORMAT
from atomation.snapshot.evidence.signing import load_public_key
from atomation.snapshot.evidence.writer import SNAPSHOT_COMPLETE
from atomation.store import EvidenceCollection, EvidencePage, Snapshot, Store

__all__ = ["PageEntry", "VerificationReport", "load_sealed", "verify_snapshot"]


@dataclass(frozen=True)
class PageEntry:
    """What the manifest (or, failing it, the database) says about one page."""

    collection: str
    sequence: int
    request: str
    sha256: str
    size: int

    @property
    def label(self) -> str:
        return f"page {self.collection}#{self.sequence} {self.request} ({self.sha256})"


@dataclass
class VerificationReport:
    """The outcome of verifying one snapshot; ``problems`` empty means intact."""

    snapshot_id: str
    root_hash: str
    key_id: str
    pages: int = 0
    objects: int = 0
    collections: int = 0
    problems: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        return (
            f"snapshot {self.snapshot_id} verified: manifest {self.root_hash}, "
            f"signature by evidence key {self.key_id}, {self.collections} "
            f"collections, {self.pages} pages ({self.objects} distinct objects)"
        )


@dataclass(frozen=True)
class SealedRecord:
    root_hash: str
    signature: bytes
    key_id: str


def load_sealed(store: Store, snapshot_id: str) -> SealedRecord:
    """The snapshot's root hash, signature and key id; it must be finalised."""
    with store.session() as session:
        snapshot = session.get(Snapshot, snapshot_id)
        if snapshot is None:
            raise EvidenceNotFound(
                f"no snapshot with id {snapshot_id}",
                hint="Give the 32-character id shown when the snapshot was taken.",
            )
        if (
            snapshot.state != SNAPSHOT_COMPLETE
            or snapshot.root_hash is None
            or snapshot.manifest_signature is None
            or snapshot.evidence_key_id is None
        ):
            raise EvidenceError(
                f"snapshot {snapshot_id} is {snapshot.state}: it has no signed "
                "manifest yet",
                hint="Only a finalised snapshot can be verified or exported.",
            )
        return SealedRecord(
            snapshot.root_hash, snapshot.manifest_signature, snapshot.evidence_key_id
        )


def verify_snapshot(
    store: Store, evidence: EvidenceStore, snapshot_id: str
) -> VerificationReport:
    sealed = load_sealed(store, snapshot_id)
    report = VerificationReport(snapshot_id, sealed.root_hash, sealed.key_id)
    recorded = _recorded_entries(store, snapshot_id)

    manifest_label = f"manifest {sealed.root_hash}"
    manifest_bytes = _read(evidence, sealed.root_hash, manifest_label, report)
    manifest_intact = (
        manifest_bytes is not None and sha256_hex(manifest_bytes) == sealed.root_hash
    )
    if manifest_bytes is not None and not manifest_intact:
        report.problems.append(
            f"manifest {sealed.root_hash}: content altered, it now hashes to "
            f"{sha256_hex(manifest_bytes)}"
        )
    if manifest_bytes is not None:
        _check_signature(store, sealed, manifest_bytes, report)
    else:
        report.problems.append("signature: not checked, the manifest cannot be read")

    manifest = (
        _parse(manifest_bytes, sealed.root_hash, report) if manifest_intact else None
    )
    if manifest is not None:
        if manifest["snapshot"]["id"] != snapshot_id:
            report.problems.append(
                f"manifest {sealed.root_hash}: it belongs to snapshot "
                f"{manifest['snapshot']['id']}, not {snapshot_id}"
            )
        listed, collections = _manifest_entries(manifest)
        _compare_records(recorded, listed, collections, store, snapshot_id, report)
        report.collections = len(collections)
    else:
        # Without a trustworthy manifest, still re-hash what the database lists.
        listed = recorded
        report.collections = len({entry.collection for entry in listed})
    report.pages = len(listed)
    _check_pages(evidence, listed, report)
    return report


def _read(
    evidence: EvidenceStore, sha256: str, label: str, report: VerificationReport
) -> bytes | None:
    try:
        return evidence.read_unchecked(sha256)
    except EvidenceNotFound:
        report.problems.append(
            f"{label}: missing from the evidence store ({evidence.location(sha256)})"
        )
    except EvidenceCorrupted:
        report.problems.append(
            f"{label}: stored object is damaged and no longer decompresses "
            f"({evidence.location(sha256)})"
        )
    return None


def _check_signature(
    store: Store, sealed: SealedRecord, manifest: bytes, report: VerificationReport
) -> None:
    try:
        public = load_public_key(store, sealed.key_id)
    except EvidenceNotFound:
        report.problems.append(
            f"signature: evidence key {sealed.key_id} is not in the database"
        )
        return
    if not public.verifies(sealed.signature, manifest):
        report.problems.append(
            f"signature: does not verify over the manifest with evidence key "
            f"{sealed.key_id}"
        )


def _parse(
    manifest_bytes: bytes | None, root_hash: str, report: VerificationReport
) -> dict[str, Any] | None:
    try:
        manifest = json.loads(manifest_bytes or b"")
    except ValueError:
        manifest = None
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        report.problems.append(f"manifest {root_hash}: not an evidence manifest")
        return None
    return manifest


def _manifest_entries(
    manifest: dict[str, Any],
) -> tuple[list[PageEntry], dict[str, str]]:
    entries: list[PageEntry] = []
    completeness: dict[str, str] = {}
    for collection in manifest["collections"]:
        completeness[collection["name"]] = collection["completeness"]
        entries.extend(
            PageEntry(
                collection["name"],
                page["sequence"],
                page["request"],
                page["sha256"],
                page["size"],
            )
            for page in collection["pages"]
        )
    return entries, completeness


def _recorded_entries(store: Store, snapshot_id: str) -> list[PageEntry]:
    with store.session() as session:
        rows = session.execute(
            select(EvidenceCollection.name, EvidencePage)
            .join(EvidencePage, EvidencePage.collection_id == EvidenceCollection.id)
            .where(EvidenceCollection.snapshot_id == snapshot_id)
            .order_by(EvidenceCollection.name, EvidencePage.sequence)
        ).all()
        return [
            PageEntry(name, page.sequence, page.request, page.sha256, page.size)
            for name, page in rows
        ]


def _compare_records(
    recorded: Iterable[PageEntry],
    listed: Iterable[PageEntry],
    completeness: dict[str, str],
    store: Store,
    snapshot_id: str,
    report: VerificationReport,
) -> None:
    by_key = {(e.collection, e.sequence): e for e in recorded}
    signed = {(e.collection, e.sequence): e for e in listed}
    for key in sorted(by_key.keys() | signed.keys()):
        ours, theirs = by_key.get(key), signed.get(key)
        if ours == theirs:
            continue
        name = f"{key[0]}#{key[1]}"
        if theirs is None:
            report.problems.append(
                f"database: page record {name} is not in the signed manifest"
            )
        elif ours is None:
            report.problems.append(
                f"database: page record {name} listed in the manifest is missing"
            )
        else:
            report.problems.append(
                f"database: page record {name} differs from the signed manifest"
            )
    with store.session() as session:
        rows = session.execute(
            select(EvidenceCollection.name, EvidenceCollection.completeness).where(
                EvidenceCollection.snapshot_id == snapshot_id
            )
        ).all()
    in_database = {name: state for name, state in rows}
    for name in sorted(in_database.keys() | completeness.keys()):
        if in_database.get(name) != completeness.get(name):
            report.problems.append(
                f"database: collection {name} is recorded as "
                f"{in_database.get(name)}, the signed manifest says "
                f"{completeness.get(name)}"
            )


def _check_pages(
    evidence: EvidenceStore, entries: Iterable[PageEntry], report: VerificationReport
) -> None:
    stored: dict[str, tuple[str, int] | str] = {}
    for entry in entries:
        if entry.sha256 not in stored:
            stored[entry.sha256] = _hash_object(evidence, entry.sha256)
        found = stored[entry.sha256]
        if isinstance(found, str):
            report.problems.append(f"{entry.label}: {found}")
            continue
        actual, size = found
        if actual != entry.sha256:
            report.problems.append(
                f"{entry.label}: content altered, it now hashes to {actual}"
            )
        elif size != entry.size:
            report.problems.append(
                f"{entry.label}: {size} bytes stored, the manifest says {entry.size}"
            )
    report.objects = len(stored)


def _hash_object(evidence: EvidenceStore, sha256: str) -> tuple[str, int] | str:
    """The stored content's hash and size, or what is wrong with the stored object."""
    try:
        content = evidence.read_unchecked(sha256)
    except EvidenceNotFound:
        return f"missing from the evidence store ({evidence.location(sha256)})"
    except EvidenceCorrupted:
        return (
            "stored object is damaged and no longer decompresses "
            f"({evidence.location(sha256)})"
        )
    return sha256_hex(content), len(content)
