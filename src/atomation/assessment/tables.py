"""The stored form of assessments, and of per-tenant threshold overrides.

Migration ``0004`` creates these tables; a change here goes with a migration
making the same change. docs/assessment.md describes every column for the report.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, ForeignKey, Index, Integer, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from atomation.store.models import Base
from atomation.store.types import new_id, utcnow

__all__ = [
    "AssessmentCheckResult",
    "AssessmentFinding",
    "AssessmentRun",
    "TenantThreshold",
]


class AssessmentRun(Base):
    """One run of the catalogue over one snapshot."""

    __tablename__ = "assessment_runs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )
    snapshot_id: Mapped[str] = mapped_column(
        ForeignKey("snapshots.id", ondelete="CASCADE"), index=True
    )
    profile: Mapped[str] = mapped_column(String(16))
    catalogue_version: Mapped[str] = mapped_column(String(32))
    thresholds: Mapped[dict[str, Any]]
    """Every check's threshold values as used: ``{check id: {name: value}}``."""
    overrides: Mapped[dict[str, Any]]
    """The overrides among them: ``{"<check id>.<name>": value}``."""
    summary: Mapped[dict[str, Any]]
    """Checks per status."""
    started_at: Mapped[datetime]
    finished_at: Mapped[datetime]
    stored_at: Mapped[datetime] = mapped_column(default=utcnow)


class AssessmentCheckResult(Base):
    """A check's status in a run, with its findings counted by status."""

    __tablename__ = "assessment_check_results"

    run_id: Mapped[str] = mapped_column(
        ForeignKey("assessment_runs.id", ondelete="CASCADE"), primary_key=True
    )
    check_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    position: Mapped[int] = mapped_column(Integer)
    """The check's place in the catalogue at the time of the run."""
    status: Mapped[str] = mapped_column(String(16))
    counts: Mapped[dict[str, Any]]


class AssessmentFinding(Base):
    """One evaluated resource of one check in a run."""

    __tablename__ = "assessment_findings"
    __table_args__ = (Index("ix_assessment_findings_run_check", "run_id", "check_id"),)

    run_id: Mapped[str] = mapped_column(
        ForeignKey("assessment_runs.id", ondelete="CASCADE"), primary_key=True
    )
    sequence: Mapped[int] = mapped_column(Integer, primary_key=True)
    check_id: Mapped[str] = mapped_column(String(100))
    status: Mapped[str] = mapped_column(String(16))
    resource_kind: Mapped[str] = mapped_column(String(32))
    resource_id: Mapped[str] = mapped_column(String(255))
    resource_label: Mapped[str] = mapped_column(Text)
    message: Mapped[str] = mapped_column(Text)
    measured: Mapped[Any] = mapped_column(JSON, nullable=True)
    required: Mapped[Any] = mapped_column(JSON, nullable=True)
    evidence: Mapped[list[Any]] = mapped_column(JSON)
    """``[{"collection", "sequence", "request", "sha256"}, ...]``."""


class TenantThreshold(Base):
    """A tenant's standing override of one check parameter."""

    __tablename__ = "assessment_tenant_thresholds"

    tenant_id: Mapped[str] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    """``<check id>.<parameter>``."""
    value: Mapped[Any] = mapped_column(JSON)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
