"""Handoff links: one tenant's setup guide for the customer's Okta admin, no account.

A link is ``/h/<token>`` with ``token = <link id>.<expiry>.<signature>``; the
signature (HMAC-SHA256, :mod:`atomation.accounts.signing`) covers the id and the
expiry, so neither can be altered. The row in ``handoff_links`` is what makes a
link revocable: a link opens only while its row exists, is not revoked and has
not expired, and its signature checks. Nothing about the link is secret in the
store: the signature is recomputed, never kept.

A link opens that tenant's setup guide, its Client ID form and Verify, and
nothing else (the routes in :mod:`atomation.web.handoff`).
"""

from __future__ import annotations

import logging
import re
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from atomation.accounts.errors import InvalidAccountField
from atomation.accounts.models import HandoffLink, User
from atomation.accounts.signing import Signer
from atomation.store.models import Tenant

__all__ = [
    "DEFAULT_LIFETIME",
    "MAX_LIFETIME",
    "issue_link",
    "list_links",
    "open_link",
    "revoke_link",
    "token_of",
]

logger = logging.getLogger(__name__)

PURPOSE = "handoff"
# Long enough for an admin to find 15 minutes in a busy week; an operator can
# issue a shorter or longer one (up to a month) and revoke any at once.
DEFAULT_LIFETIME = timedelta(days=7)
MAX_LIFETIME = timedelta(days=30)
_TOKEN = re.compile(r"([0-9a-f]{32})\.([0-9]{1,12})\.([A-Za-z0-9_-]{43})")


def token_of(signer: Signer, link: HandoffLink) -> str:
    expiry = str(int(link.expires_at.timestamp()))
    return f"{link.id}.{expiry}.{signer.sign(PURPOSE, f'{link.id}.{expiry}')}"


def issue_link(
    session: Session,
    tenant: Tenant,
    *,
    created_by: User | None,
    now: datetime,
    lifetime: timedelta = DEFAULT_LIFETIME,
) -> HandoffLink:
    if not timedelta(minutes=1) <= lifetime <= MAX_LIFETIME:
        raise InvalidAccountField(
            f"a handoff link may last from one minute to {MAX_LIFETIME.days} days, "
            f"not {lifetime}",
            hint=f"choose a lifetime of at most {MAX_LIFETIME.days} days.",
        )
    link = HandoffLink(
        tenant_id=tenant.id,
        created_by=created_by.id if created_by else None,
        created_at=now,
        # Whole seconds, so the expiry in the token is exactly the stored one.
        expires_at=(now + lifetime).replace(microsecond=0),
    )
    session.add(link)
    session.flush()
    logger.info("handoff link issued for tenant %s", tenant.subdomain)
    return link


def open_link(
    session: Session, signer: Signer, token: str, now: datetime
) -> tuple[HandoffLink, Tenant] | None:
    """The link and its tenant when ``token`` is valid now, else None (no reason
    is given to the holder: a bad, expired and revoked link look the same)."""
    match = _TOKEN.fullmatch(token)
    if match is None:
        return None
    link_id, expiry, signature = match.groups()
    if not signer.check(PURPOSE, f"{link_id}.{expiry}", signature):
        return None
    if datetime.fromtimestamp(int(expiry), UTC) <= now:
        return None
    link = session.get(HandoffLink, link_id)
    if link is None or link.revoked_at is not None or link.expires_at <= now:
        return None
    if int(link.expires_at.timestamp()) != int(expiry):
        return None
    tenant = session.get(Tenant, link.tenant_id)
    if tenant is None:
        return None
    return link, tenant


def list_links(session: Session, tenant: Tenant) -> list[HandoffLink]:
    return list(
        session.scalars(
            select(HandoffLink)
            .where(HandoffLink.tenant_id == tenant.id)
            .order_by(HandoffLink.created_at.desc())
        ).all()
    )


def revoke_link(session: Session, tenant: Tenant, link_id: str, now: datetime) -> bool:
    """Revoke one of ``tenant``'s links; False if it has no such link."""
    link = session.get(HandoffLink, link_id)
    if link is None or link.tenant_id != tenant.id:
        return False
    if link.revoked_at is None:
        link.revoked_at = now
        logger.info("handoff link revoked for tenant %s", tenant.subdomain)
    return True
