"""What the evidence store says about a snapshot: its collections and their pages.

These are plain values read from the database; the capture writes them through
:class:`~atomation.snapshot.evidence.writer.EvidenceWriter` and everything after
capture reads them through :class:`~atomation.snapshot.evidence.reader.EvidenceReader`.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum
from typing import Any

from sqlalchemy import Row

from atomation.store import EvidenceCollection, EvidencePage

__all__ = [
    "RATE_LIMIT_HEADERS",
    "CollectionRecord",
    "Completeness",
    "PageRecord",
    "collection_record",
    "page_record",
]

# The only response headers kept with a page (okta-api.md §3.4 [DOC]): the bucket's
# ceiling, what is left of it, and when it resets (UTC epoch seconds). Nothing
# else a response or request carried (Authorization, DPoP, cookies) is recorded.
RATE_LIMIT_HEADERS = (
    "X-Rate-Limit-Limit",
    "X-Rate-Limit-Remaining",
    "X-Rate-Limit-Reset",
)


class Completeness(StrEnum):
    """How much of a collection the snapshot holds; a check reads this first.

    Only ``complete`` data may pass or fail a check. ``partial`` and ``failed``
    carry the error and retries; ``not_collected`` names the scope or admin role
    that was missing, and a check that needs it reports *not assessed*.
    """

    COMPLETE = "complete"
    PARTIAL = "partial"
    FAILED = "failed"
    NOT_COLLECTED = "not_collected"


@dataclass(frozen=True)
class PageRecord:
    """One response page as read; its body is the evidence object ``sha256``."""

    collection: str
    sequence: int
    """1 for the collection's first page, then 2, 3, ... in reading order."""
    request: str
    """Path and query as sent, e.g. ``/api/v1/users?limit=200&after=00u1``."""
    next_request: str | None
    """Path and query of the following page (``Link: rel="next"``), if any."""
    fetched_at: datetime
    status: int
    rate_limit: Mapping[str, str]
    """The ``X-Rate-Limit-*`` headers present on the response, values as sent."""
    sha256: str
    size: int


@dataclass(frozen=True)
class CollectionRecord:
    """One collection of a snapshot and its verdict (``None`` while open)."""

    name: str
    completeness: Completeness | None
    error: str | None
    retries: int
    missing: str | None
    """The scope or admin role whose absence kept it from being read."""
    pages: int
    objects: int | None
    started_at: datetime
    finished_at: datetime | None

    @property
    def is_open(self) -> bool:
        return self.completeness is None


def page_record(
    row: EvidencePage | Row[*tuple[Any, ...]], collection: str
) -> PageRecord:
    """The record of a page row, or of a plain row holding a page's columns."""
    return PageRecord(
        collection=collection,
        sequence=row.sequence,
        request=row.request,
        next_request=row.next_request,
        fetched_at=row.fetched_at,
        status=row.status,
        rate_limit=dict(row.rate_limit),
        sha256=row.sha256,
        size=row.size,
    )


def collection_record(
    row: EvidenceCollection | Row[*tuple[Any, ...]],
) -> CollectionRecord:
    """The record of a collection row, or of a plain row holding its columns."""
    return CollectionRecord(
        name=row.name,
        completeness=None
        if row.completeness is None
        else Completeness(row.completeness),
        error=row.error,
        retries=row.retries,
        missing=row.missing,
        pages=row.page_count,
        objects=row.object_count,
        started_at=row.started_at,
        finished_at=row.finished_at,
    )
