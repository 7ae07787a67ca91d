"""Reading a snapshot's evidence back, for the normalised tables and the checks.

Bodies come back decompressed and re-hashed, in page order; a body that no longer
matches its hash raises :class:`EvidenceCorrupted` rather than feeding altered
data to an assessment.
"""

from __future__ import annotations

from collections.abc import Iterator

from sqlalchemy import select
from sqlalchemy.orm import Session

from atomation.snapshot.evidence.content import EvidenceStore
from atomation.snapshot.evidence.errors import EvidenceNotFound
from atomation.snapshot.evidence.records import (
    CollectionRecord,
    PageRecord,
    collection_record,
    page_record,
)
from atomation.store import EvidenceCollection, EvidencePage, Store

__all__ = ["EvidenceReader"]


class EvidenceReader:
    """Read-only access to snapshots' collections and pages."""

    def __init__(self, store: Store, evidence: EvidenceStore) -> None:
        self.store = store
        self.evidence = evidence

    def collections(self, snapshot_id: str) -> list[CollectionRecord]:
        """Every collection of the snapshot, by name."""
        with self.store.session() as session:
            rows = session.scalars(
                select(EvidenceCollection)
                .where(EvidenceCollection.snapshot_id == snapshot_id)
                .order_by(EvidenceCollection.name)
            ).all()
            return [collection_record(row) for row in rows]

    def collection(self, snapshot_id: str, name: str) -> CollectionRecord:
        with self.store.session() as session:
            return collection_record(_collection_row(session, snapshot_id, name))

    def pages(self, snapshot_id: str, name: str) -> list[PageRecord]:
        """The collection's page records in sequence order."""
        with self.store.session() as session:
            row = _collection_row(session, snapshot_id, name)
            pages = session.scalars(
                select(EvidencePage)
                .where(EvidencePage.collection_id == row.id)
                .order_by(EvidencePage.sequence)
            ).all()
            return [page_record(page, name) for page in pages]

    def bodies(self, snapshot_id: str, name: str) -> Iterator[tuple[PageRecord, bytes]]:
        """Each page with its exact body, in order, hash-checked as it is read."""
        for page in self.pages(snapshot_id, name):
            yield page, self.evidence.get(page.sha256)


def _collection_row(
    session: Session, snapshot_id: str, name: str
) -> EvidenceCollection:
    row = session.scalars(
        select(EvidenceCollection).where(
            EvidenceCollection.snapshot_id == snapshot_id,
            EvidenceCollection.name == name,
        )
    ).one_or_none()
    if row is None:
        raise EvidenceNotFound(
            f"snapshot {snapshot_id} has no collection {name}",
            hint="A check whose collection is absent reports not assessed.",
        )
    return row
