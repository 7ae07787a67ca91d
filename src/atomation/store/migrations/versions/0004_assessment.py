"""assessment: runs, check results, findings, tenant threshold overrides

Revision ID: 0004
Revises: 0003
"""

import sqlalchemy as sa
from alembic import op

from atomation.store.types import UTCDateTime

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def _run_fk(table: str) -> sa.ForeignKeyConstraint:
    return sa.ForeignKeyConstraint(
        ["run_id"],
        ["assessment_runs.id"],
        name=op.f(f"fk_{table}_run_id_assessment_runs"),
        ondelete="CASCADE",
    )


def upgrade() -> None:
    op.create_table(
        "assessment_runs",
        sa.Column("id", sa.String(length=32), nullable=False),
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("snapshot_id", sa.String(length=32), nullable=False),
        sa.Column("profile", sa.String(length=16), nullable=False),
        sa.Column("catalogue_version", sa.String(length=32), nullable=False),
        sa.Column("thresholds", sa.JSON(), nullable=False),
        sa.Column("overrides", sa.JSON(), nullable=False),
        sa.Column("summary", sa.JSON(), nullable=False),
        sa.Column("started_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("finished_at", UTCDateTime(timezone=True), nullable=False),
        sa.Column("stored_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_assessment_runs_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["snapshot_id"],
            ["snapshots.id"],
            name=op.f("fk_assessment_runs_snapshot_id_snapshots"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_assessment_runs")),
    )
    op.create_index(
        op.f("ix_assessment_runs_tenant_id"), "assessment_runs", ["tenant_id"]
    )
    op.create_index(
        op.f("ix_assessment_runs_snapshot_id"), "assessment_runs", ["snapshot_id"]
    )
    op.create_table(
        "assessment_check_results",
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("check_id", sa.String(length=100), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("counts", sa.JSON(), nullable=False),
        _run_fk("assessment_check_results"),
        sa.PrimaryKeyConstraint(
            "run_id", "check_id", name=op.f("pk_assessment_check_results")
        ),
    )
    op.create_table(
        "assessment_findings",
        sa.Column("run_id", sa.String(length=32), nullable=False),
        sa.Column("sequence", sa.Integer(), nullable=False),
        sa.Column("check_id", sa.String(length=100), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("resource_kind", sa.String(length=32), nullable=False),
        sa.Column("resource_id", sa.String(length=255), nullable=False),
        sa.Column("resource_label", sa.Text(), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("measured", sa.JSON(), nullable=True),
        sa.Column("required", sa.JSON(), nullable=True),
        sa.Column("evidence", sa.JSON(), nullable=False),
        _run_fk("assessment_findings"),
        sa.PrimaryKeyConstraint(
            "run_id", "sequence", name=op.f("pk_assessment_findings")
        ),
    )
    op.create_index(
        "ix_assessment_findings_run_check",
        "assessment_findings",
        ["run_id", "check_id"],
    )
    op.create_table(
        "assessment_tenant_thresholds",
        sa.Column("tenant_id", sa.String(length=32), nullable=False),
        sa.Column("key", sa.String(length=200), nullable=False),
        sa.Column("value", sa.JSON(), nullable=False),
        sa.Column("updated_at", UTCDateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["tenant_id"],
            ["tenants.id"],
            name=op.f("fk_assessment_tenant_thresholds_tenant_id_tenants"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint(
            "tenant_id", "key", name=op.f("pk_assessment_tenant_thresholds")
        ),
    )


def downgrade() -> None:
    op.drop_table("assessment_tenant_thresholds")
    op.drop_index("ix_assessment_findings_run_check", table_name="assessment_findings")
    op.drop_table("assessment_findings")
    op.drop_table("assessment_check_results")
    op.drop_index(op.f("ix_assessment_runs_snapshot_id"), table_name="assessment_runs")
    op.drop_index(op.f("ix_assessment_runs_tenant_id"), table_name="assessment_runs")
    op.drop_table("assessment_runs")
