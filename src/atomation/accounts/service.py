"""Accounts in the store: create users, sign in with throttling, keep sessions.

Functions take an open :class:`~sqlalchemy.orm.Session`; the caller's block
commits. Sign-in failures are committed by the caller even when sign-in is
refused, so the throttle counts them (see :func:`record_failure`).
"""

from __future__ import annotations

import hashlib
import logging
import re
import secrets
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import InstrumentedAttribute, Session

from atomation.accounts.errors import (
    AccountExists,
    InvalidAccountField,
    LoginFailed,
    LoginThrottled,
)
from atomation.accounts.models import LoginFailure, User, WebSession
from atomation.accounts.passwords import (
    DUMMY_HASH,
    hash_password,
    needs_rehash,
    verify_password,
)
from atomation.store.models import Tenant
from atomation.tenants.service import get_tenant

__all__ = [
    "ACCOUNT_FAILURE_LIMIT",
    "ADDRESS_FAILURE_LIMIT",
    "FAILURE_WINDOW",
    "ROLES",
    "SESSION_LIFETIME",
    "Role",
    "SignedIn",
    "close_session",
    "create_user",
    "find_user",
    "open_session",
    "session_user",
    "sign_in",
]

logger = logging.getLogger(__name__)

Role = Literal["operator", "member"]
ROLES: tuple[Role, ...] = ("operator", "member")

# Throttling: a guesser gets 5 tries per account and 20 per address every 15
# minutes (OWASP's authentication cheat sheet suggests a small number per
# account); an address may hold several people behind one NAT, hence the larger
# budget. A locked account unlocks by itself when its failures age out.
FAILURE_WINDOW = timedelta(minutes=15)
ACCOUNT_FAILURE_LIMIT = 5
ADDRESS_FAILURE_LIMIT = 20
SESSION_LIFETIME = timedelta(hours=12)  # one working day; then sign in again
# RFC 5321 §4.5.3.1.3 bounds a path at 256 octets, so an address at 254.
_EMAIL = re.compile(r"[^@\s]{1,64}@[A-Za-z0-9.-]{1,189}\.[A-Za-z0-9-]{2,63}")


@dataclass(frozen=True)
class SignedIn:
    """A new session: the cookie value (only ever given to the browser) and user."""

    token: str
    user: User


def normalise_email(raw: str) -> str:
    email = raw.strip().lower()
    if len(email) > 254 or _EMAIL.fullmatch(email) is None:
        shown = email if len(email) <= 80 else email[:80] + "…"
        raise InvalidAccountField(
            f"'{shown}' is not an e-mail address",
            hint="give an address like ana@example.com.",
        )
    return email


def create_user(
    session: Session,
    *,
    email: str,
    role: str,
    password: str,
    tenant: str | None,
    now: datetime,
) -> User:
    """Check every value, then add the account. A member names its tenant."""
    email = normalise_email(email)
    if role not in ROLES:
        raise InvalidAccountField(
            f"'{role}' is not a role", hint="use --role operator or --role member."
        )
    tenant_row: Tenant | None = None
    if role == "member":
        if not tenant:
            raise InvalidAccountField(
                "a member needs a tenant",
                hint="name it with --tenant SUBDOMAIN (see: atomation tenant list).",
            )
        tenant_row = get_tenant(session, tenant)
    elif tenant:
        raise InvalidAccountField(
            "an operator sees every tenant and takes no --tenant",
            hint="drop --tenant, or use --role member.",
        )
    password_hash = hash_password(password)
    if find_user(session, email) is not None:
        raise _exists(email)
    user = User(
        email=email,
        role=role,
        tenant_id=tenant_row.id if tenant_row else None,
        password_hash=password_hash,
        created_at=now,
    )
    session.add(user)
    try:
        session.flush()
    except IntegrityError:
        raise _exists(email) from None
    logger.info("%s account created", role)
    return user


def _exists(email: str) -> AccountExists:
    return AccountExists(
        f"an account for {email} already exists",
        hint="sign in with it, or choose another address.",
    )


def find_user(session: Session, email: str) -> User | None:
    return session.scalars(select(User).where(User.email == email.lower())).first()


def _failures(
    session: Session, column: InstrumentedAttribute[str], value: str, since: datetime
) -> int:
    count = session.scalar(
        select(func.count())
        .select_from(LoginFailure)
        .where(column == value, LoginFailure.failed_at > since)
    )
    return int(count or 0)


def check_throttle(session: Session, email: str, address: str, now: datetime) -> None:
    """Raise :class:`LoginThrottled` when the account or the address is over its
    budget of failures in the last :data:`FAILURE_WINDOW`."""
    since = now - FAILURE_WINDOW
    account = email.strip().lower()[:254]
    over_account = (
        _failures(session, LoginFailure.account, account, since)
        >= ACCOUNT_FAILURE_LIMIT
    )
    over_address = (
        _failures(session, LoginFailure.address, address, since)
        >= ADDRESS_FAILURE_LIMIT
    )
    if over_account or over_address:
        minutes = int(FAILURE_WINDOW.total_seconds() // 60)
        raise LoginThrottled(
            "too many failed sign-ins "
            + ("for this account" if over_account else "from this address"),
            hint=f"wait {minutes} minutes, then try again.",
            retry_after=int(FAILURE_WINDOW.total_seconds()),
        )


def record_failure(session: Session, email: str, address: str, now: datetime) -> None:
    session.add(
        LoginFailure(
            account=email.strip().lower()[:254], address=address, failed_at=now
        )
    )
    # Old failures count for nothing; drop them as we go.
    session.execute(
        delete(LoginFailure).where(LoginFailure.failed_at < now - FAILURE_WINDOW)
    )


def sign_in(
    session: Session, *, email: str, password: str, address: str, now: datetime
) -> SignedIn:
    """Check the throttle, then the password; open a session on success.

    Raises :class:`LoginThrottled` or :class:`LoginFailed`; a failure has been
    added to ``session`` and must be committed for the throttle to count it.
    """
    check_throttle(session, email, address, now)
    user = find_user(session, email.strip())
    if user is None:
        verify_password(DUMMY_HASH, password)  # same cost as a wrong password
        ok = False
    else:
        ok = verify_password(user.password_hash, password)
    if not ok or user is None:
        record_failure(session, email, address, now)
        logger.warning("failed sign-in from %s", address)
        raise LoginFailed(
            "the e-mail address or password is wrong",
            hint="check both; after several failures sign-in pauses for a while.",
        )
    if needs_rehash(user.password_hash):
        user.password_hash = hash_password(password)
    user.last_login_at = now
    token = open_session(session, user, now)
    logger.info("%s signed in", user.role)
    return SignedIn(token=token, user=user)


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def open_session(session: Session, user: User, now: datetime) -> str:
    """A new random session token; only its digest is stored."""
    token = secrets.token_urlsafe(32)
    session.add(
        WebSession(
            id=_digest(token),
            user_id=user.id,
            created_at=now,
            expires_at=now + SESSION_LIFETIME,
        )
    )
    session.execute(delete(WebSession).where(WebSession.expires_at < now))
    return token


def session_user(session: Session, token: str, now: datetime) -> User | None:
    """The user of a live session, or None for an unknown or expired token."""
    if not token or len(token) > 100:
        return None
    row = session.get(WebSession, _digest(token))
    if row is None or row.expires_at <= now:
        return None
    return session.get(User, row.user_id)


def close_session(session: Session, token: str) -> None:
    session.execute(delete(WebSession).where(WebSession.id == _digest(token)))
