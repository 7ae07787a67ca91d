"""Connections in the store: save the Client ID, run a verification, keep its result.

A run is persisted twice over: the whole run in ``verifications`` (the four items
as JSON), and what it taught about the connection in ``connections`` —
``dpop_required`` as the token endpoint showed it, and ``verified_at`` only when
the run passed, so a failed run keeps the last successful time.
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import get_args

import httpx
from sqlalchemy import select
from sqlalchemy.orm import Session

from atomation.connection.errors import InvalidClientId, InvalidDPoPMode, NotConnected
from atomation.connection.items import (
    VERIFIED_TIMESTAMP,
    VerificationItem,
    VerificationResult,
)
from atomation.connection.verify import failed_items, verify_connection
from atomation.keys import signer_for
from atomation.okta import SYSTEM_CLOCK, Clock, DPoPMode, JwsSigner, OktaClient, OrgUrl
from atomation.settings import Settings
from atomation.store import Connection, Store, Tenant, Verification
from atomation.tenants.org_url import InvalidOrgUrl
from atomation.tenants.service import get_tenant

__all__ = [
    "VERIFY_RETRY_BUDGET",
    "ConnectionSettings",
    "check_client_id",
    "check_dpop_mode",
    "last_verification",
    "save_connection",
    "verify_tenant",
]

logger = logging.getLogger(__name__)

# A verification is interactive: wait out a short rate-limit pause, but report
# "rate limited" rather than keep the admin waiting for a whole window.
VERIFY_RETRY_BUDGET = 15.0

# Okta client ids are 20 characters of letters and digits ("0oa..."); allow some
# room, but refuse spaces, quotes and paths, which only come from a bad paste.
_CLIENT_ID = re.compile(r"[A-Za-z0-9_-]{1,100}")


def check_client_id(raw: str) -> str:
    value = raw.strip()
    if _CLIENT_ID.fullmatch(value) is None:
        shown = value if len(value) <= 40 else value[:40] + "…"
        raise InvalidClientId(
            f"'{shown}' is not an Okta Client ID",
            hint="copy the Client ID from the app's General tab in the Okta Admin "
            "Console (it starts with 0oa).",
        )
    return value


def check_dpop_mode(raw: str) -> DPoPMode:
    for mode in get_args(DPoPMode):
        if raw == mode:
            return mode  # type: ignore[no-any-return]
    raise InvalidDPoPMode(
        f"'{raw}' is not a DPoP mode", hint="use one of: auto, on, off."
    )


@dataclass(frozen=True)
class ConnectionSettings:
    """What a verification needs from the store, read in one session."""

    tenant: Tenant
    org_url: str
    client_id: str
    dpop_mode: DPoPMode
    dpop_required: bool | None
    verified_at: datetime | None


def save_connection(
    session: Session, tenant: Tenant, *, client_id: str, dpop_mode: str, now: datetime
) -> Connection:
    """Store (or replace) the tenant's Client ID and DPoP mode.

    A new Client ID is a new app: what was learned about the old one (DPoP
    requirement, verification time) no longer holds and is cleared.
    """
    client_id = check_client_id(client_id)
    mode = check_dpop_mode(dpop_mode)
    connection = session.get(Connection, tenant.id)
    if connection is None:
        connection = Connection(
            tenant_id=tenant.id, client_id=client_id, created_at=now
        )
        session.add(connection)
    elif connection.client_id != client_id:
        connection.client_id = client_id
        connection.dpop_required = None
        connection.verified_at = None
    connection.dpop_mode = mode
    connection.updated_at = now
    session.flush()
    logger.info("connection of tenant %s saved (DPoP %s)", tenant.subdomain, mode)
    return connection


def _load(session: Session, subdomain: str) -> ConnectionSettings:
    tenant = get_tenant(session, subdomain)
    connection = session.get(Connection, tenant.id)
    if connection is None:
        raise NotConnected(
            f"tenant '{subdomain}' has no Client ID yet",
            hint=f"store it with: atomation connect {subdomain} --client-id ID",
        )
    return ConnectionSettings(
        tenant=tenant,
        org_url=tenant.okta_org_url,
        client_id=connection.client_id,
        dpop_mode=check_dpop_mode(connection.dpop_mode),
        dpop_required=connection.dpop_required,
        verified_at=connection.verified_at,
    )


async def verify_tenant(
    store: Store,
    settings: Settings,
    subdomain: str,
    *,
    clock: Clock = SYSTEM_CLOCK,
    signer: JwsSigner | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
) -> VerificationResult:
    """Verify the tenant's connection and store the run; returns the result.

    ``signer`` defaults to the tenant's own (:func:`atomation.keys.signer_for`).
    Raises only for what stops a run before it starts (unknown tenant, no Client
    ID, no signing key); everything the org answers becomes an item.
    """
    with store.session() as session:
        stored = _load(session, subdomain)
    if signer is None:
        signer = signer_for(store, settings, stored.tenant)

    def now() -> datetime:
        return datetime.fromtimestamp(clock.now(), UTC)

    started_at = now()
    try:
        org_url = OrgUrl(stored.org_url, allowed=settings.allowed_org_urls)
    except InvalidOrgUrl as exc:
        result = _refused_before_any_request(exc, stored, started_at)
    else:
        async with OktaClient(
            org_url,
            stored.client_id,
            signer,
            dpop=stored.dpop_mode,
            dpop_required=stored.dpop_required,
            clock=clock,
            retry_budget=VERIFY_RETRY_BUDGET,
            transport=transport,
        ) as client:
            result = await verify_connection(
                client, last_verified_at=stored.verified_at, now=now
            )
    _record(store, stored, result)
    return result


def _refused_before_any_request(
    exc: InvalidOrgUrl, stored: ConnectionSettings, at: datetime
) -> VerificationResult:
    last = (
        stored.verified_at.isoformat(timespec="seconds")
        if stored.verified_at
        else "never"
    )
    items = [
        *failed_items(exc),
        VerificationItem(
            VERIFIED_TIMESTAMP,
            "fail",
            f"this run failed; last successful verification: {last}",
            "fix the failed items above, then verify again.",
        ),
    ]
    return VerificationResult(
        items=tuple(items),
        started_at=at,
        finished_at=at,
        verified_at=stored.verified_at,
        dpop_required=stored.dpop_required,
    )


def _record(
    store: Store, stored: ConnectionSettings, result: VerificationResult
) -> None:
    with store.session() as session:
        session.add(
            Verification(
                tenant_id=stored.tenant.id,
                started_at=result.started_at,
                finished_at=result.finished_at,
                passed=result.passed,
                items=result.as_dict(),
            )
        )
        connection = session.get(Connection, stored.tenant.id)
        if connection is None or connection.client_id != stored.client_id:
            return  # the Client ID changed during the run; the result is stale
        if result.dpop_required is not None:
            connection.dpop_required = result.dpop_required
        if result.passed:
            connection.verified_at = result.verified_at
        connection.updated_at = result.finished_at


def last_verification(session: Session, tenant: Tenant) -> Verification | None:
    """The most recent stored run for ``tenant``."""
    return session.scalars(
        select(Verification)
        .where(Verification.tenant_id == tenant.id)
        .order_by(Verification.started_at.desc())
        .limit(1)
    ).first()
