"""Migration 0003 creates exactly the tables the normaliser's classes describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import MetaData, Table

from atomation.snapshot.normalise import tables
from atomation.store import Base, Store

NORMALISED_TABLES = {
    tables.SnapshotNormalisation.__tablename__,
    tables.SnapshotResource.__tablename__,
    tables.SnapshotLogEvent.__tablename__,
    tables.SnapshotShortfall.__tablename__,
}


def test_migration_matches_the_table_classes(store: Store) -> None:
    ours = MetaData(naming_convention=Base.metadata.naming_convention)
    for name in NORMALISED_TABLES:
        Base.metadata.tables[name].to_metadata(ours)
    for name in ("snapshots", "evidence_pages", "evidence_collections", "tenants"):
        Base.metadata.tables[name].to_metadata(ours)

    with store.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "target_metadata": ours}
        )
        differences = [
            diff
            for diff in compare_metadata(context, ours)
            if _table_of(diff) in NORMALISED_TABLES
        ]

    assert differences == []


def _table_of(diff: object) -> str | None:
    """The table a difference from ``compare_metadata`` is about.

    Table, index and constraint differences carry the object (its ``table`` or
    the table itself); column differences carry the table's name third.
    """
    item = diff[0] if isinstance(diff, list) else diff
    assert isinstance(item, tuple)
    subject = item[1]
    if isinstance(subject, Table):
        return str(subject.name)
    table = getattr(subject, "table", None)
    if table is not None:
        return str(table.name)
    return str(item[2])
