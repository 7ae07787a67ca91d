"""Running the catalogue over a snapshot.

For each check the engine first asks the snapshot whether everything the check
reads was collected: every kind it declares must have complete coverage, the
System Log must have been read (and not filtered away from the event types the
check reads), and a check over every user's factors needs a snapshot that read
them for every user. Otherwise the check is *not assessed*, with one finding
naming each shortfall (the collection and its recorded reason: the missing scope
or role, or the error) — it never passes or fails on data that was not read.

A check that raises is recorded as *error* with the exception's type and text;
the other checks go on.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Callable, Mapping, Sequence
from datetime import datetime

from atomation.assessment.catalogue import (
    Check,
    Profile,
    ThresholdValue,
    load_catalogue,
    resolve_thresholds,
)
from atomation.assessment.context import CheckContext, Facts
from atomation.assessment.results import (
    AssessmentResult,
    CheckResult,
    Finding,
    check_status,
)
from atomation.snapshot.data import Kind, SnapshotData
from atomation.store.types import utcnow

__all__ = ["assess", "catalogue_version", "data_gaps"]

logger = logging.getLogger(__name__)

# An exception's text is kept short in a finding: it names a field or a value,
# never a page, and a long text would only be a stack of library detail.
ERROR_TEXT_LIMIT = 300


def assess(
    data: SnapshotData,
    *,
    profile: Profile = "stig",
    overrides: Mapping[str, object] | None = None,
    checks: Sequence[Check] | None = None,
    clock: Callable[[], datetime] = utcnow,
) -> AssessmentResult:
    """Evaluate every check (or ``checks``) over ``data``; nothing is stored."""
    catalogue = load_catalogue() if checks is None else tuple(checks)
    values = resolve_thresholds(catalogue, profile, overrides)
    info = data.info
    started = clock()
    logger.info(
        "assessing snapshot %s with %d checks (profile %s)",
        info.snapshot_id,
        len(catalogue),
        profile,
    )
    facts = Facts(data)
    coverage: dict[Kind, list[str]] = {}
    results = tuple(
        _run(check, data, values[check.meta.id], facts, coverage) for check in catalogue
    )
    finished = clock()
    logger.info(
        "assessed snapshot %s in %.1f s",
        info.snapshot_id,
        (finished - started).total_seconds(),
    )
    return AssessmentResult(
        snapshot_id=info.snapshot_id,
        tenant_id=info.tenant_id,
        org_url=info.org_url,
        captured_at=info.captured_at,
        profile=profile,
        started_at=started,
        finished_at=finished,
        catalogue_version=catalogue_version(catalogue),
        results=results,
    )


def catalogue_version(checks: Sequence[Check]) -> str:
    """A short digest of the catalogue's ids, thresholds and mappings.

    Two runs with the same version evaluated the same checks with the same
    metadata, so their results can be compared check by check.
    """
    digest = hashlib.sha256()
    for check in checks:
        digest.update(repr(check.meta).encode())
    return digest.hexdigest()[:16]


def data_gaps(
    check: Check, data: SnapshotData, coverage: dict[Kind, list[str]] | None = None
) -> list[str]:
    """Why ``check`` cannot be evaluated on ``data``: one line per gap, or none."""
    cache = {} if coverage is None else coverage
    gaps: list[str] = []
    for kind in check.meta.kinds:
        if kind not in cache:
            cache[kind] = [
                f"collection {s.collection} is {s.completeness}: {s.reason}"
                for s in data.coverage(kind).shortfalls
            ]
        gaps.extend(cache[kind])
    info = data.info
    if "log_event" in check.meta.kinds:
        if info.log_since is None or info.log_until is None:
            gaps.append("the System Log was not read for this snapshot")
        elif info.log_event_types is not None:
            missing = sorted(
                set(check.meta.log_event_types) - set(info.log_event_types)
            )
            if missing:
                gaps.append(
                    "the System Log was read only for other event types; "
                    f"missing: {', '.join(missing)}"
                )
    if check.meta.all_user_factors and info.factors_for != "all":
        gaps.append(
            "factors were read for privileged users only; capture with factors "
            "for all users to evaluate this check"
        )
    return list(dict.fromkeys(gaps))


def _run(
    check: Check,
    data: SnapshotData,
    params: Mapping[str, ThresholdValue],
    facts: Facts,
    coverage: dict[Kind, list[str]],
) -> CheckResult:
    meta = check.meta
    gaps = data_gaps(check, data, coverage)
    if gaps:
        findings: tuple[Finding, ...] = tuple(
            Finding(
                check_id=meta.id,
                status="not_assessed",
                resource_kind="snapshot",
                resource_id=data.info.snapshot_id,
                resource_label="snapshot",
                message=f"not assessed: {gap}",
            )
            for gap in gaps
        )
        return CheckResult(meta.id, "not_assessed", dict(params), findings)
    try:
        findings = tuple(check.evaluate(CheckContext(data, meta, params, facts)))
    except Exception as exc:
        logger.warning("check %s raised %s", meta.id, type(exc).__name__)
        logger.debug("check %s failed", meta.id, exc_info=True)
        text = f"{type(exc).__name__}: {exc}"[:ERROR_TEXT_LIMIT]
        error = Finding(
            check_id=meta.id,
            status="error",
            resource_kind="snapshot",
            resource_id=data.info.snapshot_id,
            resource_label="snapshot",
            message=f"the check could not be evaluated ({text})",
        )
        return CheckResult(meta.id, "error", dict(params), (error,))
    return CheckResult(meta.id, check_status(findings), dict(params), findings)
