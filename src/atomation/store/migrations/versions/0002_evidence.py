"""evidence: keys, collections, pages; manifest signature on snapshots

Revision ID: 0002
Revises: 0001
"""

import sqlalchemy as sa
from alembic import op

from atomation.store.types import UTCDateTime

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy of the table) on both databases: SQLite adds
    # a nullable column in place, so rows of tables referring to snapshots are safe.
    op.add_column("snapshots", sa.Column("manifest_signature", sa.LargeBinary()))
    op.add_column("snapshots", sa.Column("evidence_key_id", sa.String(length=32)))

    op.create_table(
        "evidence_keys",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("algorithm", sa.String(length=16), nullable=False),
        sa.Column("public_key", sa.LargeBinary(), nullable=False),
        sa.Column("wrapped_data_key", sa.LargeBinary(), nullable=False),
        sa.Column("private_key_ciphertext", sa.LargeBinary(), nullable=False),
        sa.Column("created_at", UTCDateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_keys")),
    )
    op.create_table(
        "evidence_collections",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("snapshot_id", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("completeness", sa.String(length=16), nullable=True),
        sa.Column("error", sa.Text(), nullable=True),
        sa.Column("retries", sa.Integer(), nullable=False),
        sa.Column("missing", sa.String(length=200), nullable=True),
        sa.Column("page_count", sa.Integer(), nullable=False),
        sa.Column("object_count", sa.Integer(), nullable=True),
        sa.Column("started_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", UTCDateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
            name=op.f("fk_evidence_collections_snapshot_id_snapshots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_collections")),
        sa.UniqueConstraint(
            "snapshot_id", "name", name=op.f("uq_evidence_collections_snapshot_id")
        ),
    )
    op.create_index(
        op.f("ix_evidence_collections_snapshot_id"),
        "evidence_collections",
        ["snapshot_id"],
        unique=False,
    )
    op.create_table(
        "evidence_pages",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("collection_id", sa.String(length=32), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("request", sa.Text(), nullable=False),
        sa.Column("next_request", sa.Text(), nullable=True),
        sa.Column("fetched_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("status", sa.Integer(), nullable=False),
        sa.Column("rate_limit", sa.JSON(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("size", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["collection_id"],
            ["evidence_collections.id"],
            name=op.f("fk_evidence_pages_collection_id_evidence_collections"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_evidence_pages")),
        sa.UniqueConstraint(
            "collection_id", "sequence", name=op.f("uq_evidence_pages_collection_id")
        ),
    )
    op.create_index(
        op.f("ix_evidence_pages_collection_id"),
        "evidence_pages",
        ["collection_id"],
        unique=False,
    )
    op.create_index(
        op.f("ix_evidence_pages_sha256"), "evidence_pages", ["sha256"], unique=False
    )


def downgrade() -> None:
    op.drop_index(op.f("ix_evidence_pages_sha256"), table_name="evidence_pages")
    op.drop_index(op.f("ix_evidence_pages_collection_id"), table_name="evidence_pages")
    op.drop_table("evidence_pages")
    op.drop_index(
        op.f("ix_evidence_collections_snapshot_id"), table_name="evidence_collections"
    )
    op.drop_table("evidence_collections")
    op.drop_table("evidence_keys")
    with op.batch_alter_table("snapshots", schema=None) as batch_op:
        batch_op.drop_column("evidence_key_id")
        batch_op.drop_column("manifest_signature")
