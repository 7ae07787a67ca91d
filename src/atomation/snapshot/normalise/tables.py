"""The normalised tables: one row per object a snapshot's evidence holds.

Migration ``0003`` creates them; a change here goes with a migration making the
same change. Every row is derived from an evidence page and points back at it by
the page record's id (``evidence_pages.id``), which gives the collection,
sequence, request and SHA-256 of :class:`~atomation.snapshot.data.EvidenceRef`
without repeating a request string on each of a million rows. That reference has
no foreign key: evidence pages are never deleted except with their snapshot, and
deleting a snapshot deletes these rows through ``snapshot_id``; a foreign key
would make every page deletion scan this table.

``ordinal`` counts a kind's objects across the snapshot in reading order
(collections by name, pages by sequence, objects as Okta listed them), so
ordering by ``(parent_id, ordinal)`` gives the stable order that
:class:`~atomation.snapshot.data.SnapshotData` promises, straight off an index.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from atomation.store.models import Base
from atomation.store.types import utcnow

__all__ = [
    "NORMALISED_FORMAT",
    "SnapshotLogEvent",
    "SnapshotNormalisation",
    "SnapshotResource",
    "SnapshotShortfall",
]

# Raised whenever what the normaliser derives from the same evidence changes, so
# that a snapshot normalised by an older release is rebuilt rather than misread.
NORMALISED_FORMAT = 1


class SnapshotNormalisation(Base):
    """That a snapshot's tables were built, when, and how many rows per kind."""

    __tablename__ = "snapshot_normalisations"

    snapshot_id: Mapped[str] = mapped_column(
        ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True
    )
    format: Mapped[int] = mapped_column(Integer)
    normalised_at: Mapped[datetime] = mapped_column(default=utcnow)
    rows: Mapped[dict[str, Any]]
    """Rows per kind, e.g. ``{"user": 412, "log_event": 9120}``."""


class SnapshotResource(Base):
    """One object of any kind but ``log_event``, as Okta returned it."""

    __tablename__ = "snapshot_resources"
    __table_args__ = (
        Index(
            "ix_snapshot_resources_parent",
            "snapshot_id",
            "kind",
            "parent_id",
            "ordinal",
        ),
        Index("ix_snapshot_resources_object", "snapshot_id", "kind", "object_id"),
    )

    snapshot_id: Mapped[str] = mapped_column(
        ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    object_id: Mapped[str] = mapped_column(String(255))
    parent_id: Mapped[str | None] = mapped_column(String(255))
    page_id: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]]


class SnapshotLogEvent(Base):
    """One System Log event, with its type and time as indexed columns."""

    __tablename__ = "snapshot_log_events"
    __table_args__ = (
        Index(
            "ix_snapshot_log_events_type",
            "snapshot_id",
            "event_type",
            "published",
            "ordinal",
        ),
        Index(
            "ix_snapshot_log_events_published", "snapshot_id", "published", "ordinal"
        ),
        Index("ix_snapshot_log_events_uuid", "snapshot_id", "uuid"),
    )

    snapshot_id: Mapped[str] = mapped_column(
        ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True
    )
    ordinal: Mapped[int] = mapped_column(Integer, primary_key=True)
    uuid: Mapped[str] = mapped_column(String(64))
    event_type: Mapped[str] = mapped_column(String(255))
    published: Mapped[datetime]
    page_id: Mapped[str] = mapped_column(String(32))
    data: Mapped[dict[str, Any]]


class SnapshotShortfall(Base):
    """A collection a kind needed that is not complete, as found when normalising.

    A kind with no row here is complete. ``completeness`` is ``partial``,
    ``failed``, ``not_collected`` or ``missing`` (a parent object whose fan-out
    collection the capture never recorded); ``reason`` is never empty.
    """

    __tablename__ = "snapshot_shortfalls"

    snapshot_id: Mapped[str] = mapped_column(
        ForeignKey("snapshots.id", ondelete="CASCADE"), primary_key=True
    )
    kind: Mapped[str] = mapped_column(String(32), primary_key=True)
    collection: Mapped[str] = mapped_column(String(200), primary_key=True)
    completeness: Mapped[str] = mapped_column(String(16))
    reason: Mapped[str] = mapped_column(Text)
