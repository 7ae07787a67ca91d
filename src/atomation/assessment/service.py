"""Assessing a tenant: pick its snapshot, read it offline, run the catalogue, store.

The default snapshot is the tenant's latest *sealed* one (state ``complete`` with
a signed manifest); a snapshot named explicitly must belong to the tenant and be
sealed too, since an unsealed capture may still be missing collections. The
snapshot is read through its normalised tables only — nothing here talks to
Okta. The threshold values are the profile's, then the tenant's standing
overrides, then the ones given for this run.
"""

from __future__ import annotations

import logging
from collections.abc import Mapping
from dataclasses import dataclass

from sqlalchemy import select

from atomation.assessment.catalogue import Profile
from atomation.assessment.engine import assess
from atomation.assessment.errors import SnapshotNotReady
from atomation.assessment.results import AssessmentResult
from atomation.assessment.storage import save_result, tenant_thresholds
from atomation.snapshot.evidence.writer import SNAPSHOT_COMPLETE
from atomation.snapshot.normalise import open_snapshot_data
from atomation.store import Store
from atomation.store.models import Snapshot
from atomation.tenants.service import get_tenant

__all__ = ["AssessmentRunSummary", "assess_tenant", "latest_sealed_snapshot"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class AssessmentRunSummary:
    run_id: str
    result: AssessmentResult
    overrides: Mapping[str, object]


def latest_sealed_snapshot(store: Store, tenant_id: str) -> str | None:
    with store.session() as session:
        return session.execute(
            select(Snapshot.id)
            .where(
                Snapshot.tenant_id == tenant_id,
                Snapshot.state == SNAPSHOT_COMPLETE,
                Snapshot.root_hash.is_not(None),
            )
            .order_by(Snapshot.started_at.desc())
            .limit(1)
        ).scalar_one_or_none()


def assess_tenant(
    store: Store,
    subdomain: str,
    *,
    snapshot_id: str | None = None,
    profile: Profile = "stig",
    overrides: Mapping[str, object] | None = None,
) -> AssessmentRunSummary:
    """Assess a tenant's snapshot and store the run."""
    with store.session() as session:
        tenant = get_tenant(session, subdomain)
        tenant_id = tenant.id
        standing = tenant_thresholds(session, tenant_id)
        if snapshot_id is not None:
            snapshot = session.get(Snapshot, snapshot_id)
            if snapshot is None or snapshot.tenant_id != tenant_id:
                raise SnapshotNotReady(
                    f"tenant {subdomain} has no snapshot {snapshot_id}",
                    hint="list its snapshots with "
                    f"'atomation snapshot list {subdomain}'.",
                )
            if snapshot.state != SNAPSHOT_COMPLETE or snapshot.root_hash is None:
                raise SnapshotNotReady(
                    f"snapshot {snapshot_id} is {snapshot.state}, not sealed",
                    hint="finish the capture (atomation snapshot "
                    f"{subdomain} --resume) or assess a sealed snapshot.",
                )
    if snapshot_id is None:
        snapshot_id = latest_sealed_snapshot(store, tenant_id)
        if snapshot_id is None:
            raise SnapshotNotReady(
                f"tenant {subdomain} has no sealed snapshot to assess",
                hint=f"capture one with 'atomation snapshot {subdomain}'.",
            )
    merged = {**standing, **(overrides or {})}
    data = open_snapshot_data(store, snapshot_id)
    result = assess(data, profile=profile, overrides=merged)
    run_id = save_result(store, result, overrides=merged)
    logger.info(
        "assessment %s of snapshot %s stored: %s", run_id, snapshot_id, result.summary()
    )
    return AssessmentRunSummary(run_id, result, merged)
