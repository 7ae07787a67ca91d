"""Finding what a report reads: a tenant's stored run and its snapshot's manifest.

Offline and read-only: the run comes from the assessment's stored form
(:func:`~atomation.assessment.storage.load_result`, docs/assessment.md), the
appendix facts from the sealed manifest in the evidence store, the check texts
from the catalogue, and for a comparison the two normalised snapshots. Nothing
here talks to Okta or runs a check.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select

from atomation.assessment.catalogue import load_catalogue
from atomation.assessment.results import AssessmentResult
from atomation.assessment.storage import load_result
from atomation.assessment.tables import AssessmentRun
from atomation.report.compare import Comparison, compare_snapshots
from atomation.report.errors import ReportInputError
from atomation.report.manifest import load_snapshot_facts
from atomation.report.model import Report, build_report
from atomation.snapshot.evidence import EvidenceStore
from atomation.snapshot.normalise import open_snapshot_data
from atomation.store import Store
from atomation.tenants.service import get_tenant

__all__ = ["stored_comparison", "stored_report", "stored_run"]


def stored_run(
    store: Store, subdomain: str, snapshot_id: str | None = None
) -> AssessmentResult:
    """The latest stored run of the tenant, or of its snapshot ``snapshot_id``."""
    with store.session() as session:
        tenant_id = get_tenant(session, subdomain).id
        query = select(AssessmentRun.id).where(AssessmentRun.tenant_id == tenant_id)
        if snapshot_id is not None:
            query = query.where(AssessmentRun.snapshot_id == snapshot_id)
        run_id = (
            session.execute(
                query.order_by(AssessmentRun.stored_at.desc(), AssessmentRun.id.desc())
            )
            .scalars()
            .first()
        )
    if run_id is None:
        what = f"snapshot {snapshot_id}" if snapshot_id else f"tenant {subdomain}"
        raise ReportInputError(
            f"{what} has no stored assessment run to report on",
            hint=f"run 'atomation assess {subdomain}"
            + (f" --snapshot {snapshot_id}'" if snapshot_id else "'")
            + " first.",
        )
    return load_result(store, run_id)


def stored_report(
    store: Store,
    evidence: EvidenceStore,
    subdomain: str,
    *,
    snapshot_id: str | None = None,
    generated_at: datetime,
) -> Report:
    result = stored_run(store, subdomain, snapshot_id)
    facts = load_snapshot_facts(store, evidence, result.snapshot_id)
    return build_report(result, load_catalogue(), facts, generated_at=generated_at)


def stored_comparison(
    store: Store, subdomain: str, old_snapshot: str, new_snapshot: str
) -> Comparison:
    if old_snapshot == new_snapshot:
        raise ReportInputError(
            f"--compare names snapshot {old_snapshot} twice",
            hint="give two different snapshots of the tenant, the older first.",
        )
    old = stored_run(store, subdomain, old_snapshot)
    new = stored_run(store, subdomain, new_snapshot)
    return compare_snapshots(
        old,
        new,
        open_snapshot_data(store, old_snapshot),
        open_snapshot_data(store, new_snapshot),
        load_catalogue(),
    )
