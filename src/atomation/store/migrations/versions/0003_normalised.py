"""normalised snapshot tables: resources, log events, shortfalls, normalisations

Revision ID: 0003
Revises: 0002
"""

import sqlalchemy as sa
from alembic import op

from atomation.store.types import UTCDateTime

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def _snapshot_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["snapshot_id"],
        ["snapshots.id"],
        name=op.f(f"fk_{table}_snapshot_id_snapshots"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "snapshot_normalisations",
        sa.Column("snapshot_id", sa.String(length=32), nullable=False),
        sa.Column("format", sa.Integer(), nullable=False),
        sa.Column("normalised_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("rows", sa.JSON(), nullable=False),
        _snapshot_fk("snapshot_normalisations"),
        sa.PrimaryKeyConstraint("snapshot_id", name=op.f("pk_snapshot_normalisations")),
    )
    op.create_table(
        "snapshot_resources",
        sa.Column("snapshot_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("object_id", sa.String(length=255), nullable=False),
        sa.Column("parent_id", sa.String(length=255), nullable=True),
        sa.Column("page_id", sa.String(length=32), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        _snapshot_fk("snapshot_resources"),
        sa.PrimaryKeyConstraint(
            "snapshot_id", "kind", "ordinal", name=op.f("pk_snapshot_resources")
        ),
    )
    op.create_index(
        "ix_snapshot_resources_parent",
        "snapshot_resources",
        ["snapshot_id", "kind", "parent_id", "ordinal"],
    )
    op.create_index(
        "ix_snapshot_resources_object",
        "snapshot_resources",
        ["snapshot_id", "kind", "object_id"],
    )
    op.create_table(
        "snapshot_log_events",
        sa.Column("snapshot_id", sa.String(length=32), nullable=False),
        sa.Column("ordinal", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=64), nullable=False),
        sa.Column("event_type", sa.String(length=255), nullable=False),
        sa.Column("published", UTCDateTime(timezone=True), nullable=False),
        sa.Column("page_id", sa.String(length=32), nullable=False),
        sa.Column("data", sa.JSON(), nullable=False),
        _snapshot_fk("snapshot_log_events"),
        sa.PrimaryKeyConstraint(
            "snapshot_id", "ordinal", name=op.f("pk_snapshot_log_events")
        ),
    )
    op.create_index(
        "ix_snapshot_log_events_type",
        "snapshot_log_events",
        ["snapshot_id", "event_type", "published", "ordinal"],
    )
    op.create_index(
        "ix_snapshot_log_events_published",
        "snapshot_log_events",
        ["snapshot_id", "published", "ordinal"],
    )
    op.create_index(
        "ix_snapshot_log_events_uuid", "snapshot_log_events", ["snapshot_id", "uuid"]
    )
    op.create_table(
        "snapshot_shortfalls",
        sa.Column("snapshot_id", sa.String(length=32), nullable=False),
        sa.Column("kind", sa.String(length=32), nullable=False),
        sa.Column("collection", sa.String(length=200), nullable=False),
        sa.Column("completeness", sa.String(length=16), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        _snapshot_fk("snapshot_shortfalls"),
        sa.PrimaryKeyConstraint(
            "snapshot_id", "kind", "collection", name=op.f("pk_snapshot_shortfalls")
        ),
    )


def downgrade() -> None:
    op.drop_table("snapshot_shortfalls")
    op.drop_index("ix_snapshot_log_events_uuid", table_name="snapshot_log_events")
    op.drop_index("ix_snapshot_log_events_published", table_name="snapshot_log_events")
    op.drop_index("ix_snapshot_log_events_type", table_name="snapshot_log_events")
    op.drop_table("snapshot_log_events")
    op.drop_index("ix_snapshot_resources_object", table_name="snapshot_resources")
    op.drop_index("ix_snapshot_resources_parent", table_name="snapshot_resources")
    op.drop_table("snapshot_resources")
    op.drop_table("snapshot_normalisations")
