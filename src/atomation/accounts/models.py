"""The workspace's tables: users, their sessions, sign-in failures, handoff links.

Created by migration ``0005``. Secrets are never stored in clear: a session
cookie and a handoff link are kept as SHA-256 digests or signatures only, and
the key that signs links and CSRF tokens is sealed under the master key.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, LargeBinary, String
from sqlalchemy.orm import Mapped, mapped_column

from atomation.store.models import Base
from atomation.store.types import new_id, utcnow

__all__ = ["HandoffLink", "LoginFailure", "User", "WebSecret", "WebSession"]


class User(Base):
    """A workspace account; ``tenant_id`` is set for members and None for operators."""

    __tablename__ = "users"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    email: Mapped[str] = mapped_column(String(254), unique=True)
    role: Mapped[str] = mapped_column(String(16))
    tenant_id: Mapped[str | None] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )
    password_hash: Mapped[str] = mapped_column(String(255))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    last_login_at: Mapped[datetime | None]


class WebSession(Base):
    """A signed-in browser; ``id`` is the SHA-256 of the cookie's value."""

    __tablename__ = "web_sessions"

    id: Mapped[str] = mapped_column(String(64), primary_key=True)
    user_id: Mapped[str] = mapped_column(
        ForeignKey("users.id", ondelete="CASCADE"), index=True
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]


class LoginFailure(Base):
    """One failed sign-in, counted per account and per address for throttling."""

    __tablename__ = "login_failures"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    account: Mapped[str] = mapped_column(String(254), index=True)
    address: Mapped[str] = mapped_column(String(64), index=True)
    failed_at: Mapped[datetime] = mapped_column(index=True)


class HandoffLink(Base):
    """A link that opens one tenant's setup guide until it expires or is revoked."""

    __tablename__ = "handoff_links"

    id: Mapped[str] = mapped_column(String(32), primary_key=True, default=new_id)
    tenant_id: Mapped[str] = mapped_column(
        ForeignKey("tenants.id", ondelete="CASCADE"), index=True
    )
    created_by: Mapped[str | None] = mapped_column(
        ForeignKey("users.id", ondelete="SET NULL")
    )
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    expires_at: Mapped[datetime]
    revoked_at: Mapped[datetime | None]


class WebSecret(Base):
    """A key of the web app, sealed under the master key like a signing key."""

    __tablename__ = "web_secrets"

    name: Mapped[str] = mapped_column(String(32), primary_key=True)
    wrapped_data_key: Mapped[bytes] = mapped_column(LargeBinary)
    ciphertext: Mapped[bytes] = mapped_column(LargeBinary)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
