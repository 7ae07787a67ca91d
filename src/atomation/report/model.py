"""The one model of a report that every format renders.

It is built from three stored things only: an assessment run
(:class:`~atomation.assessment.results.AssessmentResult`), the catalogue's
metadata for the checks it ran (:class:`~atomation.assessment.catalogue.CheckMeta`)
and the snapshot's manifest facts (:class:`~atomation.report.manifest.SnapshotFacts`).
Nothing here reads Okta or the evidence pages.

Posture score
-------------
The score is the share of assessed checks that pass, each check weighted by its
severity (critical 10, high 5, medium 3, low 1)::

    score = 100 * sum(weight of checks that pass)
                / sum(weight of checks that pass or fail)

rounded to one decimal. A check that is *not assessed*, *error* or *not
applicable* is left out of both sums, because its outcome is unknown or void;
the report prints beside the score how many checks were assessed, so that a high
score over few checks cannot pass for a high score over all. When no check
passed or failed there is no score (``None``), never 100.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from atomation.assessment.catalogue import (
    AREAS,
    Check,
    CheckMeta,
    Severity,
    ThresholdValue,
)
from atomation.assessment.frameworks import FRAMEWORKS
from atomation.assessment.results import AssessmentResult, CheckStatus, Finding
from atomation.assessment.views import FrameworkView, framework_view
from atomation.report.errors import ReportInputError
from atomation.report.manifest import SnapshotFacts

__all__ = [
    "SEVERITIES",
    "SEVERITY_WEIGHTS",
    "AreaSection",
    "CheckSection",
    "NotAssessed",
    "PostureScore",
    "Report",
    "build_report",
    "posture_score",
]

SEVERITIES: tuple[Severity, ...] = ("critical", "high", "medium", "low")
SEVERITY_WEIGHTS: Mapping[str, int] = {"critical": 10, "high": 5, "medium": 3, "low": 1}


@dataclass(frozen=True)
class PostureScore:
    value: float | None
    """0-100, or ``None`` when no check passed or failed."""
    passed_weight: int
    assessed_weight: int
    assessed_checks: int
    total_checks: int


@dataclass(frozen=True)
class CheckSection:
    """A check as the report shows it: its metadata, status and findings."""

    meta: CheckMeta
    status: CheckStatus
    thresholds: Mapping[str, ThresholdValue]
    findings: tuple[Finding, ...]

    @property
    def failing(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.status == "fail")

    @property
    def counts(self) -> dict[str, int]:
        counted = Counter(f.status for f in self.findings)
        return {s: counted.get(s, 0) for s in ("pass", "fail", "not_assessed", "error")}


@dataclass(frozen=True)
class AreaSection:
    id: str
    title: str
    checks: tuple[CheckSection, ...]

    @property
    def failing_checks(self) -> int:
        return sum(1 for c in self.checks if c.status == "fail")


@dataclass(frozen=True)
class NotAssessed:
    """Why a check has no verdict: a missing scope or role, or a failed call."""

    check_id: str
    title: str
    status: str
    """``not_assessed`` or ``error``."""
    reason: str


@dataclass(frozen=True)
class Report:
    tenant: str
    org_url: str
    snapshot_id: str
    captured_at: datetime
    profile: str
    catalogue_version: str
    assessed_at: datetime
    generated_at: datetime
    score: PostureScore
    check_counts: Mapping[str, int]
    """Checks per status."""
    failing_by_severity: Mapping[str, int]
    """Failing findings per check severity, every severity present."""
    areas: tuple[AreaSection, ...]
    frameworks: tuple[FrameworkView, ...]
    """The coverage matrix per framework, as the assessment's views compute it."""
    not_assessed: tuple[NotAssessed, ...]
    snapshot: SnapshotFacts

    def checks(self) -> list[CheckSection]:
        return [check for area in self.areas for check in area.checks]


def posture_score(sections: Sequence[CheckSection]) -> PostureScore:
    """The severity-weighted pass rate of the assessed checks (module docstring)."""
    passed = assessed = count = 0
    for section in sections:
        if section.status not in ("pass", "fail"):
            continue
        weight = SEVERITY_WEIGHTS[section.meta.severity]
        count += 1
        assessed += weight
        if section.status == "pass":
            passed += weight
    value = None if assessed == 0 else round(100 * passed / assessed, 1)
    return PostureScore(value, passed, assessed, count, len(sections))


def build_report(
    result: AssessmentResult,
    catalogue: Sequence[Check],
    snapshot: SnapshotFacts,
    *,
    generated_at: datetime,
) -> Report:
    """The report of one stored run; refuses a run the catalogue cannot describe."""
    if snapshot.snapshot_id != result.snapshot_id:
        raise ReportInputError(
            f"run of snapshot {result.snapshot_id} given with the manifest of "
            f"snapshot {snapshot.snapshot_id}",
            hint="report a run together with the snapshot it assessed.",
        )
    metas = {check.meta.id: check.meta for check in catalogue}
    sections: list[CheckSection] = []
    for check in result.results:
        meta = metas.get(check.check_id)
        if meta is None:
            raise ReportInputError(
                f"run of snapshot {result.snapshot_id} holds check {check.check_id}, "
                f"which catalogue version {result.catalogue_version} is not",
                hint="assess the snapshot again with this version of Atomation.",
            )
        sections.append(
            CheckSection(meta, check.status, dict(check.thresholds), check.findings)
        )
    areas = tuple(
        AreaSection(area, title, tuple(s for s in sections if s.meta.area == area))
        for area, title in AREAS.items()
        if any(s.meta.area == area for s in sections)
    )
    failing = Counter(
        section.meta.severity for section in sections for _ in section.failing
    )
    return Report(
        tenant=snapshot.tenant,
        org_url=result.org_url,
        snapshot_id=result.snapshot_id,
        captured_at=result.captured_at,
        profile=result.profile,
        catalogue_version=result.catalogue_version,
        assessed_at=result.finished_at,
        generated_at=generated_at,
        score=posture_score(sections),
        check_counts=result.summary(),
        failing_by_severity={s: failing.get(s, 0) for s in SEVERITIES},
        areas=areas,
        frameworks=tuple(
            framework_view(result, framework, catalogue) for framework in FRAMEWORKS
        ),
        not_assessed=tuple(
            NotAssessed(s.meta.id, s.meta.title, f.status, f.message)
            for s in sections
            for f in s.findings
            if f.status in ("not_assessed", "error")
        ),
        snapshot=snapshot,
    )


def plain(value: Any) -> Any:
    """A measured or required value as JSON-ready data (tuples and sets as lists)."""
    if isinstance(value, Mapping):
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        items = [plain(v) for v in value]
        return sorted(items, key=str) if isinstance(value, set | frozenset) else items
    if isinstance(value, datetime):
        return value.isoformat()
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
