"""Reading a normalised snapshot: :class:`~atomation.snapshot.data.SnapshotData`.

Every query is answered from an index of the normalised tables (:mod:`.tables`):
a kind's objects in order from ``(snapshot_id, kind, parent_id, ordinal)``, one
object from ``(snapshot_id, kind, object_id)``, log events by type and time from
``(snapshot_id, event_type, published)`` or ``(snapshot_id, published)``. The
page an object came from is joined in from the evidence records by its id.
Iterators stream rows over a connection of their own and hold one fetch batch at
a time.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping, Sequence
from datetime import datetime
from typing import Any, get_args

from sqlalchemy import Select, func, null, select

from atomation.snapshot.data import (
    Coverage,
    EvidenceRef,
    Kind,
    Resource,
    Shortfall,
    SnapshotInfo,
)
from atomation.snapshot.normalise.errors import NotNormalised, SnapshotNotFound
from atomation.snapshot.normalise.options import read_options
from atomation.snapshot.normalise.tables import (
    NORMALISED_FORMAT,
    SnapshotLogEvent,
    SnapshotNormalisation,
    SnapshotResource,
    SnapshotShortfall,
)
from atomation.store import EvidenceCollection, EvidencePage, Snapshot, Store, Tenant

__all__ = ["NormalisedSnapshot", "open_snapshot_data"]

KINDS: frozenset[str] = frozenset(get_args(Kind))
# Rows fetched per round trip while streaming a kind or the log.
ROWS_PER_FETCH = 1_000

_resources = SnapshotResource.__table__
_events = SnapshotLogEvent.__table__
_pages = EvidencePage.__table__
_collections = EvidenceCollection.__table__
_EVIDENCE_COLUMNS = (
    _collections.c.name,
    _pages.c.sequence,
    _pages.c.request,
    _pages.c.sha256,
)


def open_snapshot_data(store: Store, snapshot_id: str) -> NormalisedSnapshot:
    """The normalised view of a snapshot; :class:`NotNormalised` if never built."""
    with store.session() as session:
        snapshot = session.get(Snapshot, snapshot_id)
        if snapshot is None:
            raise SnapshotNotFound(
                f"no snapshot with id {snapshot_id}",
                hint="List a tenant's snapshots with 'atomation snapshot list TENANT'.",
            )
        built = session.get(SnapshotNormalisation, snapshot_id)
        if built is None or built.format != NORMALISED_FORMAT:
            state = "was never normalised" if built is None else "has tables of "
            if built is not None:
                state += f"format {built.format}, not {NORMALISED_FORMAT}"
            raise NotNormalised(
                f"snapshot {snapshot_id} {state}",
                hint="Build its tables with "
                f"'atomation snapshot rebuild {snapshot_id}'.",
            )
        tenant = session.get_one(Tenant, snapshot.tenant_id)
        options = read_options(snapshot.options)
        info = SnapshotInfo(
            snapshot_id=snapshot.id,
            tenant_id=snapshot.tenant_id,
            org_url=tenant.okta_org_url,
            captured_at=snapshot.started_at,
            log_since=options.log_since,
            log_until=options.log_until,
            log_event_types=options.log_event_types,
            factors_for=options.factors_for,
        )
    return NormalisedSnapshot(store, info)


class NormalisedSnapshot:
    """A normalised snapshot read from the main store (SQLite or PostgreSQL)."""

    def __init__(self, store: Store, info: SnapshotInfo) -> None:
        self._store = store
        self._info = info
        self._id = info.snapshot_id

    def __repr__(self) -> str:
        return f"NormalisedSnapshot({self._id!r})"

    @property
    def info(self) -> SnapshotInfo:
        return self._info

    def coverage(self, kind: Kind) -> Coverage:
        _check_kind(kind)
        table = SnapshotShortfall.__table__
        with self._store.engine.connect() as connection:
            rows = connection.execute(
                select(table.c.collection, table.c.completeness, table.c.reason)
                .where(table.c.snapshot_id == self._id, table.c.kind == kind)
                .order_by(table.c.collection)
            ).all()
        return Coverage(kind, tuple(Shortfall(*row) for row in rows))

    def resources(
        self, kind: Kind, *, parent_id: str | None = None
    ) -> Iterator[Resource]:
        _check_kind(kind)
        if kind == "log_event":
            return self.log_events()
        query = self._resource_query(kind)
        if parent_id is not None:
            query = query.where(_resources.c.parent_id == parent_id)
        query = query.order_by(_resources.c.parent_id, _resources.c.ordinal)
        return self._stream(query, kind)

    def resource(self, kind: Kind, id: str) -> Resource | None:
        _check_kind(kind)
        if kind == "log_event":
            query = self._event_query().where(_events.c.uuid == id)
            query = query.order_by(_events.c.ordinal).limit(1)
        else:
            query = self._resource_query(kind).where(_resources.c.object_id == id)
            query = query.order_by(_resources.c.ordinal).limit(1)
        return next(self._stream(query, kind), None)

    def count(self, kind: Kind, *, parent_id: str | None = None) -> int:
        _check_kind(kind)
        if kind == "log_event":
            query = select(func.count()).where(_events.c.snapshot_id == self._id)
        else:
            query = select(func.count()).where(
                _resources.c.snapshot_id == self._id, _resources.c.kind == kind
            )
            if parent_id is not None:
                query = query.where(_resources.c.parent_id == parent_id)
        with self._store.engine.connect() as connection:
            return int(connection.execute(query).scalar_one())

    def log_events(
        self,
        event_types: Sequence[str] | None = None,
        *,
        since: datetime | None = None,
        until: datetime | None = None,
    ) -> Iterator[Resource]:
        """System Log events of the given types within [since, until), oldest first."""
        query = self._event_query()
        if event_types is not None:
            query = query.where(_events.c.event_type.in_(list(event_types)))
        if since is not None:
            query = query.where(_events.c.published >= since)
        if until is not None:
            query = query.where(_events.c.published < until)
        query = query.order_by(_events.c.published, _events.c.ordinal)
        return self._stream(query, "log_event")

    def log_event_counts(self, event_types: Sequence[str]) -> Mapping[str, int]:
        """Events per type over the whole window, with 0 for types not seen."""
        counts = dict.fromkeys(event_types, 0)
        if not counts:
            return counts
        query = (
            select(_events.c.event_type, func.count())
            .where(
                _events.c.snapshot_id == self._id,
                _events.c.event_type.in_(list(counts)),
            )
            .group_by(_events.c.event_type)
        )
        with self._store.engine.connect() as connection:
            for event_type, number in connection.execute(query):
                counts[event_type] = int(number)
        return counts

    def _resource_query(self, kind: Kind) -> Select[Any]:
        return (
            select(
                _resources.c.object_id,
                _resources.c.parent_id,
                _resources.c.data,
                *_EVIDENCE_COLUMNS,
            )
            .join(_pages, _pages.c.id == _resources.c.page_id)
            .join(_collections, _collections.c.id == _pages.c.collection_id)
            .where(_resources.c.snapshot_id == self._id, _resources.c.kind == kind)
        )

    def _event_query(self) -> Select[Any]:
        return (
            select(
                _events.c.uuid,
                null().label("parent_id"),
                _events.c.data,
                *_EVIDENCE_COLUMNS,
            )
            .join(_pages, _pages.c.id == _events.c.page_id)
            .join(_collections, _collections.c.id == _pages.c.collection_id)
            .where(_events.c.snapshot_id == self._id)
        )

    def _stream(self, query: Select[Any], kind: Kind) -> Iterator[Resource]:
        with self._store.engine.connect() as connection:
            result = connection.execute(
                query.execution_options(stream_results=True, yield_per=ROWS_PER_FETCH)
            )
            last: EvidenceRef | None = None
            for row in result:
                last = _evidence(row, last)
                yield Resource(
                    kind=kind,
                    id=row[0],
                    parent_id=row[1],
                    data=_json(row[2]),
                    evidence=last,
                )


def _evidence(row: Sequence[Any], last: EvidenceRef | None) -> EvidenceRef:
    """The row's page, reusing the previous one when it is the same page."""
    name, sequence, request, sha256 = row[3:7]
    if last is not None and last.sequence == sequence and last.collection == name:
        return last
    return EvidenceRef(
        collection=name, sequence=sequence, request=request, sha256=sha256
    )


def _json(value: Any) -> Mapping[str, Any]:
    if isinstance(value, dict):
        return value
    loaded: dict[str, Any] = json.loads(value)
    return loaded


def _check_kind(kind: str) -> None:
    if kind not in KINDS:
        raise ValueError(f"{kind!r} is not a kind of snapshot resource")
