"""``job_locks``: one row per (kind, tenant) whose job may not run twice at once.

A lock is inserted in the same transaction as its job and deleted when the job
ends, so the primary key, not a check in our code, is what keeps two captures of
one org from overlapping, across any number of web processes on one database.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column

from atomation.store.models import Base
from atomation.store.types import utcnow

__all__ = ["JobLock"]


class JobLock(Base):
    __tablename__ = "job_locks"

    scope: Mapped[str] = mapped_column(String(100), primary_key=True)
    job_id: Mapped[str] = mapped_column(
        ForeignKey("jobs.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
