"""A tenant's snapshots at a glance, and one snapshot's completeness by family.

Shared by ``atomation snapshot list`` and the workspace's snapshot pages, so both
say the same thing. Verdicts are counted in the database (one ``GROUP BY``), not
by loading every collection: a snapshot of a large org that reads factors for
every user holds one collection per user.
"""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select

from atomation.store import EvidenceCollection, Snapshot, Store

__all__ = [
    "OPEN",
    "VERDICT_ORDER",
    "FamilyCompleteness",
    "SnapshotSummary",
    "completeness_by_family",
    "counts_text",
    "list_snapshots",
]

OPEN = "open"  # a collection still being read has no verdict yet
VERDICT_ORDER = ("complete", "partial", "failed", "not_collected", OPEN)


@dataclass(frozen=True)
class SnapshotSummary:
    id: str
    state: str
    started_at: datetime
    finished_at: datetime | None
    root_hash: str | None
    completeness: dict[str, int]
    """Collections per verdict (``open`` while being read), in VERDICT_ORDER."""

    def as_dict(self) -> dict[str, object]:
        return {
            "id": self.id,
            "state": self.state,
            "started_at": self.started_at.isoformat(),
            "finished_at": self.finished_at.isoformat() if self.finished_at else None,
            "root_hash": self.root_hash,
            "completeness": self.completeness,
        }


@dataclass
class FamilyCompleteness:
    """The collections of one family (``users``, ``user_factors``, ``policies``…)."""

    family: str
    collections: int = 0
    pages: int = 0
    objects: int = 0
    counts: Counter[str] = field(default_factory=Counter)
    short: list[tuple[str, str, str]] = field(default_factory=list)
    """Each collection that is not complete: name, verdict and the reason."""


def _ordered(counts: Counter[str]) -> dict[str, int]:
    return {name: counts[name] for name in VERDICT_ORDER if counts.get(name)}


def counts_text(counts: dict[str, int]) -> str:
    parts = [f"{counts[name]} {name}" for name in VERDICT_ORDER if counts.get(name)]
    return ", ".join(parts) or "no collections"


def list_snapshots(
    store: Store, tenant_id: str, *, snapshot_id: str | None = None
) -> list[SnapshotSummary]:
    """The tenant's snapshots, newest first (or only ``snapshot_id``, if theirs)."""
    with store.session() as session:
        query = select(Snapshot).where(Snapshot.tenant_id == tenant_id)
        if snapshot_id is not None:
            query = query.where(Snapshot.id == snapshot_id)
        snapshots = session.scalars(
            query.order_by(Snapshot.started_at.desc(), Snapshot.id.desc())
        ).all()
        ids = [s.id for s in snapshots]
        counts: dict[str, Counter[str]] = {id_: Counter() for id_ in ids}
        if ids:
            rows = session.execute(
                select(
                    EvidenceCollection.snapshot_id,
                    EvidenceCollection.completeness,
                    func.count(),
                )
                .where(EvidenceCollection.snapshot_id.in_(ids))
                .group_by(
                    EvidenceCollection.snapshot_id, EvidenceCollection.completeness
                )
            ).all()
            for owner, verdict, number in rows:
                counts[owner][verdict or OPEN] += number
        return [
            SnapshotSummary(
                id=s.id,
                state=s.state,
                started_at=s.started_at,
                finished_at=s.finished_at,
                root_hash=s.root_hash,
                completeness=_ordered(counts[s.id]),
            )
            for s in snapshots
        ]


def completeness_by_family(store: Store, snapshot_id: str) -> list[FamilyCompleteness]:
    """Each family's collections, pages, objects and verdicts, by family name.

    A family is the collection name before its first ``:`` (``user_factors:00u1``
    belongs to ``user_factors``); every collection that fell short is listed.
    """
    families: dict[str, FamilyCompleteness] = {}
    with store.session() as session:
        rows = session.execute(
            select(
                EvidenceCollection.name,
                EvidenceCollection.completeness,
                EvidenceCollection.page_count,
                EvidenceCollection.object_count,
                EvidenceCollection.error,
                EvidenceCollection.missing,
                EvidenceCollection.retries,
            )
            .where(EvidenceCollection.snapshot_id == snapshot_id)
            .order_by(EvidenceCollection.name)
        )
        for name, verdict, pages, objects, error, missing, retries in rows:
            family = families.setdefault(
                name.split(":", 1)[0], FamilyCompleteness(name.split(":", 1)[0])
            )
            family.collections += 1
            family.pages += pages
            family.objects += objects or 0
            family.counts[verdict or OPEN] += 1
            if verdict != "complete":
                family.short.append(
                    (name, verdict or OPEN, _reason(error, missing, retries))
                )
    return [families[name] for name in sorted(families)]


def _reason(error: str | None, missing: str | None, retries: int) -> str:
    if missing:
        return f"needs {missing}"
    if error:
        return f"{error} (after {retries} retries)" if retries else error
    return "still being read"
