"""Building a snapshot's normalised tables from its evidence, and only from it.

One pass over the snapshot's page records in reading order (collections by
name, pages by sequence): each body comes out of the evidence store re-hashed,
its objects are checked against the family (:mod:`.objects`) and inserted in
batches. Nothing of a kind is held in memory beyond one page and one batch, so a
100,000-user org with a million log events normalises in bounded memory.

The whole build is one transaction that first deletes the snapshot's rows: a
rebuild gives the same rows (ordinals follow the reading order, which the
evidence fixes), readers never see half a build, and a build that fails on a
tampered or unexpected page leaves the previous tables as they were.

Which pages count: those of ``complete`` and ``partial`` collections (and of a
capturing snapshot's open ones) with status 200. A ``failed`` collection's pages
hold nothing usable (docs/evidence.md) and error pages hold Okta error objects;
both are accounted for by the collection's verdict in the coverage instead.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import Connection, delete, insert, select

from atomation.settings import Settings
from atomation.snapshot.data import Kind, family_of
from atomation.snapshot.evidence import (
    EvidenceError,
    EvidenceStore,
    open_evidence_store,
)
from atomation.snapshot.normalise.coverage import find_shortfalls, read_verdicts
from atomation.snapshot.normalise.errors import (
    PageCorrupted,
    SnapshotNotFound,
)
from atomation.snapshot.normalise.objects import (
    PageRef,
    log_event_fields,
    page_objects,
)
from atomation.snapshot.normalise.options import read_options
from atomation.snapshot.normalise.tables import (
    NORMALISED_FORMAT,
    SnapshotLogEvent,
    SnapshotNormalisation,
    SnapshotResource,
    SnapshotShortfall,
)
from atomation.store import EvidenceCollection, EvidencePage, Snapshot, Store
from atomation.store.types import utcnow

__all__ = ["NormaliseSummary", "normalise_snapshot"]

logger = logging.getLogger(__name__)

# Rows per INSERT batch: large enough that a statement's overhead vanishes,
# small enough that a batch of log events (about 1 KB each) stays a few MB.
BATCH_ROWS = 2_000
# Page records fetched per round trip while streaming them.
PAGE_RECORDS_PER_FETCH = 1_000

_TABLES = (SnapshotShortfall, SnapshotLogEvent, SnapshotResource, SnapshotNormalisation)


@dataclass(frozen=True)
class NormaliseSummary:
    """What a build made: rows per kind, shortfalls, pages read, and its time."""

    snapshot_id: str
    rows: Mapping[str, int]
    shortfalls: int
    pages: int
    seconds: float


def normalise_snapshot(
    store: Store, settings: Settings, snapshot_id: str
) -> NormaliseSummary:
    """(Re)build the snapshot's normalised tables from its evidence."""
    started = time.monotonic()
    evidence = open_evidence_store(settings)
    with store.session() as session:
        snapshot = session.get(Snapshot, snapshot_id)
        if snapshot is None:
            raise SnapshotNotFound(
                f"no snapshot with id {snapshot_id}",
                hint="List a tenant's snapshots with 'atomation snapshot list TENANT'.",
            )
        options = read_options(snapshot.options)
    with store.engine.connect() as connection:
        verdicts = read_verdicts(connection, snapshot_id)
    skipped = verdicts.skipped()

    with store.engine.begin() as connection:
        for table in _TABLES:
            connection.execute(delete(table).where(table.snapshot_id == snapshot_id))
        builder = _Builder(connection, snapshot_id)
        for page, body in _usable_pages(store, evidence, snapshot_id, skipped):
            builder.add_page(page, body)
        builder.flush()

        shortfalls = find_shortfalls(connection, snapshot_id, verdicts, options)
        shortfall_rows = [
            {
                "snapshot_id": snapshot_id,
                "kind": kind,
                "collection": s.collection,
                "completeness": s.completeness,
                "reason": s.reason,
            }
            for kind, found in shortfalls.items()
            for s in found
        ]
        for start in range(0, len(shortfall_rows), BATCH_ROWS):
            connection.execute(
                insert(SnapshotShortfall),
                shortfall_rows[start : start + BATCH_ROWS],
            )
        rows = dict(sorted(builder.rows.items()))
        connection.execute(
            insert(SnapshotNormalisation),
            [
                {
                    "snapshot_id": snapshot_id,
                    "format": NORMALISED_FORMAT,
                    "normalised_at": utcnow(),
                    "rows": rows,
                }
            ],
        )

    summary = NormaliseSummary(
        snapshot_id=snapshot_id,
        rows=rows,
        shortfalls=len(shortfall_rows),
        pages=builder.pages,
        seconds=time.monotonic() - started,
    )
    logger.info(
        "snapshot %s normalised: %d rows from %d pages, %d shortfalls, %.1f s",
        snapshot_id,
        sum(rows.values()),
        summary.pages,
        summary.shortfalls,
        summary.seconds,
    )
    return summary


class _Builder:
    """Turns pages into rows and inserts them in batches."""

    def __init__(self, connection: Connection, snapshot_id: str) -> None:
        self.connection = connection
        self.snapshot_id = snapshot_id
        self.rows: Counter[str] = Counter()
        self.pages = 0
        self._resources: list[dict[str, Any]] = []
        self._events: list[dict[str, Any]] = []

    def add_page(self, page: _Page, body: bytes) -> None:
        family, key = family_of(page.ref.collection)
        kind: Kind = family.kind
        parent_id = family.parent_id(key)
        self.pages += 1
        for object_id, item in page_objects(kind, page.ref, body):
            self.rows[kind] += 1
            if kind == "log_event":
                fields = log_event_fields(page.ref, item)
                self._events.append(
                    {
                        "snapshot_id": self.snapshot_id,
                        "ordinal": self.rows[kind],
                        "uuid": object_id,
                        "event_type": fields.event_type,
                        "published": fields.published,
                        "page_id": page.id,
                        "data": item,
                    }
                )
            else:
                self._resources.append(
                    {
                        "snapshot_id": self.snapshot_id,
                        "kind": kind,
                        "ordinal": self.rows[kind],
                        "object_id": object_id,
                        "parent_id": parent_id,
                        "page_id": page.id,
                        "data": item,
                    }
                )
        if len(self._resources) >= BATCH_ROWS or len(self._events) >= BATCH_ROWS:
            self.flush()

    def flush(self) -> None:
        if self._resources:
            self.connection.execute(insert(SnapshotResource), self._resources)
            self._resources = []
        if self._events:
            self.connection.execute(insert(SnapshotLogEvent), self._events)
            self._events = []


@dataclass(frozen=True)
class _Page:
    id: str
    ref: PageRef


def _usable_pages(
    store: Store, evidence: EvidenceStore, snapshot_id: str, skipped: set[str]
) -> Iterator[tuple[_Page, bytes]]:
    """Status-200 pages of all but the skipped collections, in order, re-hashed.

    The page records are streamed on a connection of their own, beside the one
    the build writes on.
    """
    query = (
        select(
            EvidencePage.id,
            EvidenceCollection.name,
            EvidencePage.sequence,
            EvidencePage.request,
            EvidencePage.sha256,
            EvidencePage.status,
        )
        .join(EvidenceCollection, EvidencePage.collection_id == EvidenceCollection.id)
        .where(EvidenceCollection.snapshot_id == snapshot_id)
        .order_by(EvidenceCollection.name, EvidencePage.sequence)
    )
    with store.engine.connect() as connection:
        result = connection.execute(
            query.execution_options(
                stream_results=True, yield_per=PAGE_RECORDS_PER_FETCH
            )
        )
        for page_id, name, sequence, request, sha256, status in result:
            if name in skipped or status != 200:
                continue
            page = _Page(page_id, PageRef(name, sequence, request, sha256))
            try:
                body = evidence.get(sha256)
            except EvidenceError as exc:
                raise PageCorrupted(
                    f"page {page.ref} of snapshot {snapshot_id} cannot be read "
                    f"back intact: {exc.message}",
                    hint="Raw evidence is never rewritten: restore the object from "
                    "backup (see 'atomation evidence verify'), then rebuild.",
                ) from None
            yield page, body
