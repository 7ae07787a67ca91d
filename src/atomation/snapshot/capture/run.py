"""Capturing a tenant's org into a snapshot: start, or resume, then seal.

Before a snapshot exists the org must answer as an Identity Engine org and the
token endpoint must issue a token, so a connection that does not work leaves no
empty snapshot behind. The snapshot is sealed (:meth:`EvidenceWriter.finalise`
with every planned collection as expected) only once each has its verdict; a
capture stopped by anything else — a refusal of the connection, a crash, a kill —
leaves it ``capturing``, and ``resume=True`` goes on with the tenant's latest
such snapshot, with the options it was started with.
"""

from __future__ import annotations

import importlib.util
import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import httpx
from sqlalchemy import select

from atomation.connection.errors import NotConnected
from atomation.connection.service import check_dpop_mode
from atomation.keys import signer_for
from atomation.okta import SYSTEM_CLOCK, Clock, JwsSigner, OktaClient, OrgUrl
from atomation.settings import Settings
from atomation.snapshot.capture.collection import CollectionReader, CountingTransport
from atomation.snapshot.capture.errors import CaptureIncomplete, NothingToResume
from atomation.snapshot.capture.options import CaptureOptions, resolve, stored_options
from atomation.snapshot.capture.plan import Plan
from atomation.snapshot.capture.progress import CaptureProgress, NullProgress
from atomation.snapshot.capture.recorder import Recorder
from atomation.snapshot.evidence import (
    EvidenceReader,
    SnapshotNotSealable,
    open_evidence_store,
    open_evidence_writer,
)
from atomation.snapshot.evidence.writer import SNAPSHOT_CAPTURING
from atomation.store import Connection, Snapshot, Store
from atomation.tenants.service import get_tenant

__all__ = ["capture_snapshot", "unfinished_snapshot"]

logger = logging.getLogger(__name__)


async def capture_snapshot(
    store: Store,
    settings: Settings,
    subdomain: str,
    options: CaptureOptions,
    *,
    clock: Clock = SYSTEM_CLOCK,
    signer: JwsSigner | None = None,
    transport: httpx.AsyncBaseTransport | None = None,
    resume: bool = False,
    progress: CaptureProgress | None = None,
) -> str:
    """Capture (or with ``resume``, finish) a snapshot of the tenant's org; its id.

    ``options`` are ignored when resuming: the snapshot's recorded ones apply.
    """
    with store.session() as session:
        tenant = get_tenant(session, subdomain)
        connection = session.get(Connection, tenant.id)
        if connection is None:
            raise NotConnected(
                f"tenant '{subdomain}' has no Client ID yet",
                hint=f"store it with: atomation connect {subdomain} --client-id ID",
            )
        tenant_id = tenant.id
        org_url = OrgUrl(tenant.okta_org_url, allowed=settings.allowed_org_urls)
        client_id = connection.client_id
        dpop_mode = check_dpop_mode(connection.dpop_mode)
        dpop_required = connection.dpop_required
        if signer is None:
            signer = signer_for(store, settings, tenant)

    resumed: tuple[str, dict[str, Any]] | None = None
    if resume:
        snapshot_id, recorded = unfinished_snapshot(store, tenant_id, subdomain)
        resumed = snapshot_id, stored_options(recorded)
    share = (resumed[1] if resumed else {"share_percent": options.share_percent})[
        "share_percent"
    ] / 100
    progress = progress or NullProgress()
    writer = open_evidence_writer(settings, store)
    writer.clock = _datetime_clock(clock)
    reader = EvidenceReader(store, open_evidence_store(settings))
    counter = CountingTransport(transport or httpx.AsyncHTTPTransport())

    async with OktaClient(
        org_url,
        client_id,
        signer,
        dpop=dpop_mode,
        dpop_required=dpop_required,
        clock=clock,
        target_share=share,
        transport=counter,
    ) as client:
        await client.organization()
        await client.access_token()
        if resumed is None:
            resolved = resolve(options, _datetime_clock(clock)())
            snapshot_id = writer.begin_snapshot(tenant_id, resolved)
        else:
            snapshot_id, resolved = resumed
            logger.info("resuming snapshot %s of %s", snapshot_id, subdomain)
        recorder = Recorder(writer, reader, snapshot_id)
        try:
            await recorder.load_known()
            progress.start(snapshot_id, client, share)
            plan = Plan(
                CollectionReader(client, recorder, counter, progress),
                resolved,
                progress,
            )
            try:
                await plan.run()
            finally:
                progress.finish()
            try:
                sealed = await recorder.call(
                    writer.finalise, snapshot_id, expected=sorted(plan.planned)
                )
            except SnapshotNotSealable as exc:
                raise CaptureIncomplete(
                    exc.message,
                    hint=f"run 'atomation snapshot {subdomain} --resume' to finish it.",
                ) from None
        finally:
            recorder.close()
    logger.info(
        "snapshot %s of %s sealed: %d collections, %d pages",
        snapshot_id,
        subdomain,
        sealed.collections,
        sealed.pages,
    )
    _normalise(store, settings, snapshot_id)
    return snapshot_id


def unfinished_snapshot(
    store: Store, tenant_id: str, subdomain: str
) -> tuple[str, dict[str, Any]]:
    """The tenant's latest snapshot still capturing, and its recorded options."""
    with store.session() as session:
        snapshot = session.scalars(
            select(Snapshot)
            .where(Snapshot.tenant_id == tenant_id)
            .order_by(Snapshot.started_at.desc(), Snapshot.id.desc())
            .limit(1)
        ).first()
        if snapshot is None or snapshot.state != SNAPSHOT_CAPTURING:
            raise NothingToResume(
                f"tenant '{subdomain}' has no unfinished snapshot to resume",
                hint=f"start a new one with: atomation snapshot {subdomain}",
            )
        return snapshot.id, dict(snapshot.options)


def _datetime_clock(clock: Clock) -> Callable[[], datetime]:
    return lambda: datetime.fromtimestamp(clock.now(), UTC)


def _normalise(store: Store, settings: Settings, snapshot_id: str) -> None:
    """Derive the normalised tables, when this build has the normaliser."""
    if importlib.util.find_spec("atomation.snapshot.normalise") is None:
        return
    from atomation.snapshot import normalise

    normalise_snapshot = getattr(normalise, "normalise_snapshot", None)
    if normalise_snapshot is not None:
        normalise_snapshot(store, settings, snapshot_id)
