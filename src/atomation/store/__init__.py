"""Persistence: SQLAlchemy models, Alembic migrations and the database engine.

SQLite (in WAL mode) in the data directory by default, PostgreSQL when
``ATOMATION_DATABASE_URL`` says so; the schema is the same on both and is brought
up to date by :func:`open_store` the first time a process opens the database.
"""

from atomation.store.database import Store, open_store
from atomation.store.models import (
    Base,
    Connection,
    EvidenceCollection,
    EvidenceKey,
    EvidencePage,
    Job,
    SigningKey,
    Snapshot,
    Tenant,
    Verification,
)

__all__ = [
    "Base",
    "Connection",
    "EvidenceCollection",
    "EvidenceKey",
    "EvidencePage",
    "Job",
    "SigningKey",
    "Snapshot",
    "Store",
    "Tenant",
    "Verification",
    "open_store",
]
