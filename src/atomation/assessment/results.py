"""What an assessment produces: findings per resource, results per check, one run.

A :class:`Finding` is one evaluated resource (a policy, a rule, an app, a user,
an admin, a log event, or a population such as "active users") with its status,
the measured and required values, and the evidence pages it rests on. A
:class:`CheckResult` gathers a check's findings with the threshold values used;
its status is the worst of its findings, or ``not_applicable`` when the org has
nothing the check applies to (no SAML app, no X.509 IdP). docs/assessment.md
describes the stored form that the report reads.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Literal

from atomation.assessment.catalogue import Profile, ThresholdValue
from atomation.snapshot.data import EvidenceRef

__all__ = [
    "FINDING_STATUSES",
    "AssessmentResult",
    "CheckResult",
    "CheckStatus",
    "Finding",
    "FindingStatus",
    "check_status",
]

FindingStatus = Literal["pass", "fail", "not_assessed", "error"]
CheckStatus = Literal["pass", "fail", "not_assessed", "error", "not_applicable"]
FINDING_STATUSES: tuple[FindingStatus, ...] = ("pass", "fail", "not_assessed", "error")

# A check's status is its worst finding's: an error or a gap in the data outranks
# a pass, and a fail outranks both because it is true whatever else went wrong.
_RANK: Mapping[str, int] = {"fail": 3, "error": 2, "not_assessed": 1, "pass": 0}


@dataclass(frozen=True)
class Finding:
    """One evaluated resource."""

    check_id: str
    status: FindingStatus
    resource_kind: str
    """A snapshot kind (``policy_rule``, ``user``, ...), or ``population``,
    ``log_window`` or ``snapshot`` for findings about a whole set."""
    resource_id: str
    resource_label: str
    message: str
    """One sentence naming the resource with the measured and required values."""
    measured: Any = None
    required: Any = None
    evidence: tuple[EvidenceRef, ...] = field(default=(), repr=False)


def check_status(findings: Sequence[Finding]) -> CheckStatus:
    if not findings:
        return "not_applicable"
    worst = max(findings, key=lambda f: _RANK[f.status])
    return worst.status


@dataclass(frozen=True)
class CheckResult:
    check_id: str
    status: CheckStatus
    thresholds: Mapping[str, ThresholdValue]
    findings: tuple[Finding, ...]

    def counts(self) -> dict[str, int]:
        counted = Counter(f.status for f in self.findings)
        return {status: counted.get(status, 0) for status in FINDING_STATUSES}


@dataclass(frozen=True)
class AssessmentResult:
    """One run of the catalogue over one snapshot."""

    snapshot_id: str
    tenant_id: str
    org_url: str
    captured_at: datetime
    profile: Profile
    started_at: datetime
    finished_at: datetime
    catalogue_version: str
    results: tuple[CheckResult, ...]

    def result(self, check_id: str) -> CheckResult:
        for result in self.results:
            if result.check_id == check_id:
                return result
        raise KeyError(check_id)

    def summary(self) -> dict[str, int]:
        """Checks per status."""
        counted: Counter[str] = Counter(r.status for r in self.results)
        return {
            status: counted.get(status, 0)
            for status in (*FINDING_STATUSES, "not_applicable")
        }

    def thresholds(self) -> dict[str, dict[str, ThresholdValue]]:
        return {r.check_id: dict(r.thresholds) for r in self.results if r.thresholds}
