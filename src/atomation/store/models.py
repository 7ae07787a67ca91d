"""The relational schema. Alembic migrations under ``migrations/`` create it.

Parts add their own tables in their own migrations; a model here is only ever
changed together with a migration that makes the same change.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any, ClassVar

from sqlalchemy import (
    JSON,
    BigInteger,
    Boolean,
    ForeignKey,
    Integer,
    LargeBinary,
    MetaData,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship

from atomation.store.types import UTCDateTime, new_id, utcnow

__all__ = [
    "Base",
    "Connection",
    "EvidenceCollection",
    "EvidenceKey",
    "EvidencePage",
    "Job",
    "SigningKey",
    "Snapshot",
    "Tenant",
    "Verification",
]

# Constraint names are fixed so that migrations name them the same on every database.
NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)
    type_annotation_map: ClassVar[dict[Any, Any]] = {
        datetime: UTCDateTime(),
        dict[str, Any]: JSON(),
    }


class Tenant(Base):
    """A customer org under assessment, known by its subdomain."""

    __tablename__ = "tenants"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    subdomain: Mapped[str] = mapped_column(String(63), unique=True)
    client_name: Mapped[str] = mapped_column(String(200))
    environment: Mapped[str] = mapped_column(String(100))
    okta_org_url: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    connection: Mapped[Connection | None] = relationship(
        back_populates="tenant", cascade="all, delete-orphan", uselist=False
    )
    signing_keys: Mapped[list[SigningKey]] = relationship(
        back_populates="tenant", cascade="all, delete-orphan"
    )


class SigningKey(Base):
    """A tenant's client-assertion signing key, encrypted at rest.

    ``wrapped_data_key`` is the key's own AES-256-GCM data key wrapped by the
    deployment's master key; ``private_key_ciphertext`` is the private key sealed
    with that data key. Both use the tenant id and the kid as associated data.
    ``state`` is the last stored state; the current one follows from
    ``activated_at``, ``retire_at`` and the clock (``atomation.keys.rotation``).
    """

    __tablename__ = "signing_keys"
    __table_args__ = (UniqueConstraint("tenant_id", "kid"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )
    kid: Mapped[str] = mapped_column(String(64))
    alg: Mapped[str] = mapped_column(String(10))
    public_jwk: Mapped[dict[str, Any]]
    wrapped_data_key: Mapped[bytes] = mapped_column(LargeBinary)
    private_key_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    state: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    activated_at: Mapped[datetime]
    retire_at: Mapped[datetime | None]
    retired_at: Mapped[datetime | None]

    tenant: Mapped[Tenant] = relationship(back_populates="signing_keys")


class Connection(Base):
    """How Atomation reaches a tenant's Okta org: the app's Client ID and DPoP mode."""

    __tablename__ = "connections"

    tenant_id: Mapped[str] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), primary_key=True
    )
    client_id: Mapped[str] = mapped_column(String(100))
    dpop_mode: Mapped[str] = mapped_column(String(8), default="auto")
    dpop_required: Mapped[bool | None] = mapped_column(Boolean)
    verified_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)

    tenant: Mapped[Tenant] = relationship(back_populates="connection")


class Verification(Base):
    """One run of Verify Connection and its four items."""

    __tablename__ = "verifications"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    passed: Mapped[bool] = mapped_column(Boolean, default=False)
    items: Mapped[dict[str, Any]]


class Snapshot(Base):
    """One capture of a tenant's org into the evidence store."""

    __tablename__ = "snapshots"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(16))
    options: Mapped[dict[str, Any]]
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]
    root_hash: Mapped[str | None] = mapped_column(String(64))
    manifest_signature: Mapped[bytes | None] = mapped_column(LargeBinary)
    evidence_key_id: Mapped[str | None] = mapped_column(String(32))


class Job(Base):
    """A background run of verify, snapshot or assessment, with its progress."""

    __tablename__ = "jobs"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    kind: Mapped[str] = mapped_column(String(32))
    tenant_id: Mapped[str | None] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )
    state: Mapped[str] = mapped_column(String(16), default="queued")
    params: Mapped[dict[str, Any]] = mapped_column(default=dict, server_default="{}")
    """What the job was asked to do, set when it is queued (JSON)."""
    progress: Mapped[dict[str, Any]] = mapped_column(default=dict)
    error: Mapped[str | None] = mapped_column(Text)
    attempts: Mapped[int] = mapped_column(Integer, default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    started_at: Mapped[datetime | None]
    finished_at: Mapped[datetime | None]


class EvidenceKey(Base):
    """The deployment's Ed25519 key that signs snapshot manifests.

    The private key is sealed like a tenant's signing key (envelope encryption under
    the master key, with associated data naming it as the evidence key); the public
    key is kept raw (32 bytes, RFC 8032) so that anyone can check a signature.
    """

    __tablename__ = "evidence_keys"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    algorithm: Mapped[str] = mapped_column(String(16))
    public_key: Mapped[bytes] = mapped_column(LargeBinary)
    wrapped_data_key: Mapped[bytes] = mapped_column(LargeBinary)
    private_key_ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class EvidenceCollection(Base):
    """One collection of a snapshot (``users``, ``policies:OKTA_SIGN_ON``, ...).

    ``completeness`` is ``None`` while the collection is open, then one of
    ``complete``, ``partial``, ``failed`` or ``not_collected``.
    """

    __tablename__ = "evidence_collections"
    __table_args__ = (UniqueConstraint("snapshot_id", "name"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    snapshot_id: Mapped[str] = mapped_column(
        ForeignKey("snapshots.id", ondelete="CASCADE"), index=True
    )
    name: Mapped[str] = mapped_column(String(200))
    completeness: Mapped[str | None] = mapped_column(String(16))
    error: Mapped[str | None] = mapped_column(Text)
    retries: Mapped[int] = mapped_column(Integer, default=0)
    missing: Mapped[str | None] = mapped_column(String(200))
    page_count: Mapped[int] = mapped_column(Integer, default=0)
    object_count: Mapped[int | None] = mapped_column(Integer)
    started_at: Mapped[datetime] = mapped_column(default=utcnow)
    finished_at: Mapped[datetime | None]


class EvidencePage(Base):
    """One API response page as read, its body kept in the evidence store by hash."""

    __tablename__ = "evidence_pages"
    __table_args__ = (UniqueConstraint("collection_id", "sequence"),)

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    collection_id: Mapped[str] = mapped_column(
        ForeignKey("evidence_collections.id", ondelete="CASCADE"), index=True
    )
    sequence: Mapped[int] = mapped_column(Integer)
    request: Mapped[str] = mapped_column(Text)
    next_request: Mapped[str | None] = mapped_column(Text)
    fetched_at: Mapped[datetime]
    status: Mapped[int] = mapped_column(Integer)
    rate_limit: Mapped[dict[str, Any]]
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    size: Mapped[int] = mapped_column(BigInteger)
