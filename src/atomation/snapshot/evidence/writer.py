"""Writing a snapshot's evidence: pages as they are read, verdicts, the seal.

The capture drives it in this order::

    writer = open_evidence_writer(settings, store)
    snapshot_id = writer.begin_snapshot(tenant_id, {"window_days": 90})
    users = writer.open_collection(snapshot_id, "users")
    users.add_page("/api/v1/users?limit=200", fetched_at, 200, response.headers,
                   response.content, next_request="/api/v1/users?after=00u9&limit=200")
    ...
    users.complete(objects=412)
    writer.mark_not_collected(snapshot_id, "logs", missing="okta.logs.read scope")
    writer.finalise(snapshot_id, expected=["users", "logs"])

Every page is stored (body first, then its record, in its own transaction) the
moment it is added, so a capture that stops can go on from
:meth:`EvidenceWriter.resume_point`: reopening an open collection continues its
sequence. A collection's verdict is final; a snapshot is sealed only once every
collection has one.

A capture reads thousands of one-page collections (each user's factors), so the
writer also offers the cheap path: :meth:`EvidenceWriter.collection` gives a
handle that records nothing until its first page or verdict, and
:meth:`CollectionHandle.add_last_page` stores the last page and the ``complete``
verdict together, one transaction for the whole collection instead of three. A
collection with no record yet resumes exactly like one opened without pages.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any
from urllib.parse import urlsplit

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from atomation.keys.envelope import load_master_key
from atomation.settings import Settings
from atomation.snapshot.evidence.content import EvidenceStore, open_evidence_store
from atomation.snapshot.evidence.errors import (
    CollectionClosed,
    EvidenceError,
    EvidenceNotFound,
    SnapshotNotSealable,
)
from atomation.snapshot.evidence.manifest import (
    ManifestSnapshot,
    canonical_json,
    encode_manifest,
)
from atomation.snapshot.evidence.records import (
    RATE_LIMIT_HEADERS,
    CollectionRecord,
    Completeness,
    PageRecord,
    collection_record,
    page_record,
)
from atomation.snapshot.evidence.signing import EvidenceSigner, load_signer
from atomation.store import (
    EvidenceCollection,
    EvidencePage,
    Snapshot,
    Store,
    Tenant,
)
from atomation.store.types import utcnow

__all__ = [
    "SNAPSHOT_CAPTURING",
    "SNAPSHOT_COMPLETE",
    "CollectionHandle",
    "EvidenceWriter",
    "SealedSnapshot",
    "open_evidence_writer",
    "path_and_query",
]

logger = logging.getLogger(__name__)

SNAPSHOT_CAPTURING = "capturing"
SNAPSHOT_COMPLETE = "complete"


@dataclass(frozen=True)
class SealedSnapshot:
    """A finalised snapshot: its root hash, signature and signing key."""

    id: str
    root_hash: str
    signature: bytes
    key_id: str
    collections: int
    pages: int


class EvidenceWriter:
    """Records a capture into the database and the evidence store."""

    def __init__(
        self,
        store: Store,
        evidence: EvidenceStore,
        signer: EvidenceSigner,
        *,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self.store = store
        self.evidence = evidence
        self.signer = signer
        self.clock = clock

    def begin_snapshot(self, tenant_id: str, options: Mapping[str, Any]) -> str:
        """Create a snapshot in state ``capturing`` and return its id.

        ``options`` goes into the manifest as given, so it must be JSON of
        strings, integers, booleans, null, lists and objects (no floats).
        """
        options = dict(options)
        try:
            canonical_json(options)
        except ValueError as exc:
            raise EvidenceError(
                f"snapshot options cannot go into a manifest: {exc}",
                hint="Express every option as a string, integer or boolean.",
            ) from None
        with self.store.session() as session:
            if session.get(Tenant, tenant_id) is None:
                raise EvidenceNotFound(
                    f"no tenant with id {tenant_id}",
                    hint="List tenants with 'atomation tenant list'.",
                )
            snapshot = Snapshot(
                tenant_id=tenant_id,
                state=SNAPSHOT_CAPTURING,
                options=options,
                started_at=self.clock(),
            )
            session.add(snapshot)
            session.flush()
            logger.info("snapshot %s started for tenant %s", snapshot.id, tenant_id)
            return snapshot.id

    def open_collection(self, snapshot_id: str, name: str) -> CollectionHandle:
        """A handle on collection ``name``: a new one, or the open one to resume.

        A collection that already has its verdict cannot be reopened.
        """
        handle = self.collection(snapshot_id, name)
        with self.store.session() as session:
            handle._open_row(session)
        return handle

    def collection(self, snapshot_id: str, name: str) -> CollectionHandle:
        """A handle on collection ``name`` that touches the database only to write.

        Its record is made with its first page or its verdict, dated now (when
        reading starts). A verdict already given is refused at that first write.
        """
        _check_collection_name(name)
        return CollectionHandle(self, snapshot_id, name, started_at=self.clock())

    def mark_not_collected(
        self, snapshot_id: str, name: str, *, missing: str
    ) -> CollectionRecord:
        """Record that ``name`` was not read because ``missing`` was not granted."""
        return self.open_collection(snapshot_id, name).not_collected(missing)

    def resume_point(self, snapshot_id: str, name: str) -> PageRecord | None:
        """The last stored page of collection ``name``, or None if it has none.

        A capture resumes with the page's ``next_request``; a collection not yet
        opened, or opened without pages, starts from its first page.
        """
        with self.store.session() as session:
            row = session.execute(
                select(EvidencePage)
                .join(EvidenceCollection)
                .where(
                    EvidenceCollection.snapshot_id == snapshot_id,
                    EvidenceCollection.name == name,
                )
                .order_by(EvidencePage.sequence.desc())
                .limit(1)
            ).scalar_one_or_none()
            return None if row is None else page_record(row, name)

    def finalise(
        self, snapshot_id: str, *, expected: Iterable[str] = ()
    ) -> SealedSnapshot:
        """Seal the snapshot: build, store and sign its manifest; mark it complete.

        Refused (:class:`SnapshotNotSealable`, nothing changed) while any
        collection is open or any name in ``expected`` has no collection.
        """
        with self.store.session() as session:
            snapshot = _capturing_snapshot(session, snapshot_id, lock=True)
            _check_accounted_for(session, snapshot_id, expected)
            collections, pages = _counts(session, snapshot_id)
            tenant = session.get_one(Tenant, snapshot.tenant_id)
            finished_at = self.clock()
            manifest_bytes = encode_manifest(
                ManifestSnapshot(
                    id=snapshot.id,
                    tenant=tenant.subdomain,
                    org_url=tenant.okta_org_url,
                    options=dict(snapshot.options),
                    started_at=snapshot.started_at,
                    finished_at=finished_at,
                ),
                _collections_with_pages(session, snapshot_id),
                key_id=self.signer.public.id,
                key_fingerprint=self.signer.public.fingerprint,
            )
            stored = self.evidence.put(manifest_bytes)
            signature = self.signer.sign(manifest_bytes)

            snapshot.state = SNAPSHOT_COMPLETE
            snapshot.finished_at = finished_at
            snapshot.root_hash = stored.sha256
            snapshot.manifest_signature = signature
            snapshot.evidence_key_id = self.signer.public.id
        logger.info(
            "snapshot %s sealed: %d collections, %d pages, root %s",
            snapshot_id,
            collections,
            pages,
            stored.sha256,
        )
        return SealedSnapshot(
            id=snapshot_id,
            root_hash=stored.sha256,
            signature=signature,
            key_id=self.signer.public.id,
            collections=collections,
            pages=pages,
        )


class CollectionHandle:
    """One open collection: add its pages in order, then give it one verdict."""

    def __init__(
        self,
        writer: EvidenceWriter,
        snapshot_id: str,
        name: str,
        *,
        started_at: datetime,
    ) -> None:
        self._writer = writer
        self.snapshot_id = snapshot_id
        self.name = name
        self._started_at = started_at

    def __repr__(self) -> str:
        return f"CollectionHandle({self.snapshot_id!r}, {self.name!r})"

    def add_page(
        self,
        request: str,
        fetched_at: datetime,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
        *,
        next_request: str | None = None,
    ) -> PageRecord:
        """Store one response page and return its record.

        ``request`` and ``next_request`` are the path and query only (the host
        is the tenant's org URL, in the manifest once). ``headers`` may be the
        whole response's: only the ``X-Rate-Limit-*`` ones are kept.
        """
        page, _ = self._store_page(
            request, fetched_at, status, headers, body, next_request, objects=None
        )
        return page

    def add_last_page(
        self,
        request: str,
        fetched_at: datetime,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
        *,
        objects: int,
    ) -> tuple[PageRecord, CollectionRecord]:
        """Store the collection's last page and its ``complete`` verdict at once.

        ``objects`` counts the resources of every page, this one included. The
        page has no ``next_request``: nothing follows it.
        """
        page, record = self._store_page(
            request, fetched_at, status, headers, body, None, objects=objects
        )
        assert record is not None
        _log_verdict(self.snapshot_id, record)
        return page, record

    def _store_page(
        self,
        request: str,
        fetched_at: datetime,
        status: int,
        headers: Mapping[str, str],
        body: bytes,
        next_request: str | None,
        *,
        objects: int | None,
    ) -> tuple[PageRecord, CollectionRecord | None]:
        _check_request(request, "request")
        if fetched_at.tzinfo is None:
            raise ValueError("fetched_at must be timezone-aware")
        if next_request is not None:
            _check_request(next_request, "next_request")
        rate_limit = _rate_limit_headers(headers)
        stored = self._writer.evidence.put(body)
        with self._writer.store.session() as session:
            row = self._open_row(session)
            page = EvidencePage(
                collection_id=row.id,
                sequence=row.page_count + 1,
                request=request,
                next_request=next_request,
                fetched_at=fetched_at,
                status=status,
                rate_limit=rate_limit,
                sha256=stored.sha256,
                size=stored.size,
            )
            session.add(page)
            row.page_count += 1
            if objects is not None:
                self._give_verdict(row, Completeness.COMPLETE, objects=objects)
            self._flush(session)
            record = None if objects is None else collection_record(row)
            return page_record(page, self.name), record

    def complete(self, *, objects: int) -> CollectionRecord:
        """Every page was read; ``objects`` is how many resources they held."""
        return self._close(Completeness.COMPLETE, objects=objects)

    def partial(self, error: str, *, retries: int, objects: int) -> CollectionRecord:
        """Reading stopped part-way; the pages stored so far stay as evidence."""
        return self._close(
            Completeness.PARTIAL, error=error, retries=retries, objects=objects
        )

    def fail(self, error: str, *, retries: int) -> CollectionRecord:
        """Nothing usable was read (error pages, if added, stay as evidence)."""
        return self._close(Completeness.FAILED, error=error, retries=retries)

    def not_collected(self, missing: str) -> CollectionRecord:
        """Not read for want of ``missing``, a named scope or admin role."""
        return self._close(Completeness.NOT_COLLECTED, missing=missing)

    def _close(
        self,
        completeness: Completeness,
        *,
        error: str | None = None,
        retries: int = 0,
        missing: str | None = None,
        objects: int | None = None,
    ) -> CollectionRecord:
        with self._writer.store.session() as session:
            row = self._open_row(session)
            self._give_verdict(
                row,
                completeness,
                error=error,
                retries=retries,
                missing=missing,
                objects=objects,
            )
            self._flush(session)
            record = collection_record(row)
        _log_verdict(self.snapshot_id, record)
        return record

    def _give_verdict(
        self,
        row: EvidenceCollection,
        completeness: Completeness,
        *,
        error: str | None = None,
        retries: int = 0,
        missing: str | None = None,
        objects: int | None = None,
    ) -> None:
        row.completeness = completeness.value
        row.error = error
        row.retries = retries
        row.missing = missing
        row.object_count = objects
        row.finished_at = self._writer.clock()

    def _open_row(self, session: Session) -> EvidenceCollection:
        """The collection's record, locked, made now if this is its first write."""
        _capturing_snapshot(session, self.snapshot_id, share=True)
        row = _find_collection(session, self.snapshot_id, self.name, lock=True)
        if row is None:
            row = EvidenceCollection(
                snapshot_id=self.snapshot_id,
                name=self.name,
                started_at=self._started_at,
                retries=0,
                page_count=0,
            )
            session.add(row)
            self._flush(session)
        elif row.completeness is not None:
            raise CollectionClosed(
                f"collection {self.name} of snapshot {self.snapshot_id} is already "
                f"{row.completeness}",
                hint="Give a collection one verdict, after its last page.",
            )
        return row

    def _flush(self, session: Session) -> None:
        try:
            session.flush()
        except IntegrityError:
            raise EvidenceError(
                f"collection {self.name} of snapshot {self.snapshot_id} is being "
                "written by another process",
                hint="Run one capture per tenant at a time.",
            ) from None


def _log_verdict(snapshot_id: str, record: CollectionRecord) -> None:
    assert record.completeness is not None
    complete = record.completeness is Completeness.COMPLETE
    (logger.info if complete else logger.warning)(
        "collection %s of snapshot %s: %s (%d pages)",
        record.name,
        snapshot_id,
        record.completeness.value,
        record.pages,
    )


def open_evidence_writer(settings: Settings, store: Store) -> EvidenceWriter:
    """A writer on the deployment's evidence store, signing with its evidence key."""
    signer = load_signer(store, load_master_key(settings))
    return EvidenceWriter(store, open_evidence_store(settings), signer)


def _capturing_snapshot(
    session: Session, snapshot_id: str, *, lock: bool = False, share: bool = False
) -> Snapshot:
    """The snapshot, which must still be capturing.

    ``lock`` takes it for update (finalising); ``share`` takes a shared lock, so
    that on PostgreSQL no page or verdict lands between finalise reading the
    collections and sealing them. SQLite serialises writers anyway.
    """
    query = select(Snapshot).where(Snapshot.id == snapshot_id)
    if lock or share:
        query = query.with_for_update(read=share and not lock)
    snapshot = session.scalars(query).one_or_none()
    if snapshot is None:
        raise EvidenceNotFound(
            f"no snapshot with id {snapshot_id}",
            hint="Start one with EvidenceWriter.begin_snapshot.",
        )
    if snapshot.state != SNAPSHOT_CAPTURING:
        raise CollectionClosed(
            f"snapshot {snapshot_id} is {snapshot.state}, not capturing",
            hint="A finalised snapshot never changes; capture a new one.",
        )
    return snapshot


def _find_collection(
    session: Session, snapshot_id: str, name: str, *, lock: bool = False
) -> EvidenceCollection | None:
    query = select(EvidenceCollection).where(
        EvidenceCollection.snapshot_id == snapshot_id, EvidenceCollection.name == name
    )
    return session.scalars(query.with_for_update() if lock else query).one_or_none()


def _check_accounted_for(
    session: Session, snapshot_id: str, expected: Iterable[str]
) -> None:
    of_snapshot = select(EvidenceCollection.name).where(
        EvidenceCollection.snapshot_id == snapshot_id
    )
    still_open = sorted(
        session.scalars(of_snapshot.where(EvidenceCollection.completeness.is_(None)))
    )
    # Crossed off one recorded name at a time: a capture expects one collection
    # per user, far more than a query may carry as parameters.
    unrecorded = set(expected)
    for name in session.scalars(of_snapshot.execution_options(yield_per=_STREAM_ROWS)):
        unrecorded.discard(name)
    absent = sorted(unrecorded)
    if still_open:
        raise SnapshotNotSealable(
            f"snapshot {snapshot_id} cannot be finalised: collection(s) still open: "
            + _some(still_open),
            hint="Give each collection its verdict (complete, partial, failed or "
            "not collected) first.",
        )
    if absent:
        raise SnapshotNotSealable(
            f"snapshot {snapshot_id} cannot be finalised: collection(s) never "
            "recorded: " + _some(absent),
            hint="Record each expected collection, if only as not collected.",
        )


def _some(names: list[str], shown: int = 10) -> str:
    """The first few names, and how many more (one per user would fill a screen)."""
    more = len(names) - shown
    return ", ".join(names[:shown]) + (f" and {more} more" if more > 0 else "")


def _counts(session: Session, snapshot_id: str) -> tuple[int, int]:
    """How many collections the snapshot has, and how many pages in all."""
    collections, pages = session.execute(
        select(
            func.count(), func.coalesce(func.sum(EvidenceCollection.page_count), 0)
        ).where(EvidenceCollection.snapshot_id == snapshot_id)
    ).one()
    return int(collections), int(pages)


_COLLECTION_COLUMNS = (
    EvidenceCollection.id,
    EvidenceCollection.name,
    EvidenceCollection.completeness,
    EvidenceCollection.error,
    EvidenceCollection.retries,
    EvidenceCollection.missing,
    EvidenceCollection.page_count,
    EvidenceCollection.object_count,
    EvidenceCollection.started_at,
    EvidenceCollection.finished_at,
)
_PAGE_COLUMNS = (
    EvidencePage.sequence,
    EvidencePage.request,
    EvidencePage.next_request,
    EvidencePage.fetched_at,
    EvidencePage.status,
    EvidencePage.rate_limit,
    EvidencePage.sha256,
    EvidencePage.size,
)
_STREAM_ROWS = 1000


def _collections_with_pages(
    session: Session, snapshot_id: str
) -> Iterator[tuple[CollectionRecord, list[PageRecord]]]:
    """Every collection of the snapshot with its pages, in manifest order.

    One query streamed in batches of plain rows (no ORM objects), so memory stays
    flat however many collections a snapshot has. Names are ordered by code point,
    as the manifest requires: PostgreSQL is told to use the "C" collation, since a
    database's default (en_US.UTF-8, say) ignores punctuation when sorting;
    SQLite's default BINARY collation already compares UTF-8 bytes, which is the
    same order.
    """
    name: Any = EvidenceCollection.name
    if session.get_bind().dialect.name == "postgresql":
        name = name.collate("C")
    rows = session.execute(
        select(*_COLLECTION_COLUMNS, *_PAGE_COLUMNS)
        .outerjoin(EvidencePage, EvidencePage.collection_id == EvidenceCollection.id)
        .where(EvidenceCollection.snapshot_id == snapshot_id)
        .order_by(name, EvidencePage.sequence)
        .execution_options(yield_per=_STREAM_ROWS)
    )
    current: CollectionRecord | None = None
    current_id: str | None = None
    pages: list[PageRecord] = []
    for row in rows:
        if row.id != current_id:
            if current is not None:
                yield current, pages
            current, current_id, pages = collection_record(row), row.id, []
        if row.sequence is not None:
            pages.append(page_record(row, row.name))
    if current is not None:
        yield current, pages


def _check_collection_name(name: str) -> None:
    if not name or len(name) > 200 or not name.isprintable():
        raise EvidenceError(
            f"'{name[:80]}' is not a collection name",
            hint="Use a printable name such as users or policy_rules:<policyId>.",
        )


def path_and_query(url: str) -> str:
    """The path and query of ``url``, as a page record keeps them.

    For the absolute ``Link: rel="next"`` URL Okta returns: the host is dropped
    (the org URL is in the manifest once) and the query is kept as sent, without
    re-encoding, since Okta's cursors are opaque (okta-api.md §3.5).
    """
    parts = urlsplit(url)
    path = parts.path or "/"
    return f"{path}?{parts.query}" if parts.query else path


def _check_request(request: str, what: str) -> None:
    """A path and query on the org, never a whole URL (and so never a host)."""
    if not request.startswith("/") or request.startswith("//") or "#" in request:
        raise EvidenceError(
            f"{what} must be a path and query such as /api/v1/users?limit=200, "
            f"not '{request[:80]}'",
            hint="Pass the request's path and query without scheme or host.",
        )


def _rate_limit_headers(headers: Mapping[str, str]) -> dict[str, str]:
    by_lower = {name.lower(): value for name, value in headers.items()}
    return {
        name: by_lower[name.lower()]
        for name in RATE_LIMIT_HEADERS
        if name.lower() in by_lower
    }
