"""Framework views: which controls an assessment evaluated, passed, failed or could not.

A control's status follows from the checks mapped to it: ``failing`` if any of
them failed, else ``not_assessed`` if any lacked data or raised, else
``passing`` if at least one passed, else ``not_applicable`` (the org has none of
what the checks look at). A control no check maps to is ``not_evaluable`` when
the framework table says what it would need (the STIG rules outside the ten
scopes), and ``not_evaluated`` otherwise.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Literal

from atomation.assessment.catalogue import Check, load_catalogue
from atomation.assessment.frameworks import FRAMEWORKS, STIG_RULES, FrameworkId
from atomation.assessment.results import AssessmentResult

__all__ = [
    "CONTROL_STATUSES",
    "ControlStatus",
    "ControlView",
    "FrameworkView",
    "framework_view",
]

ControlStatus = Literal[
    "passing",
    "failing",
    "not_assessed",
    "not_applicable",
    "not_evaluable",
    "not_evaluated",
]
CONTROL_STATUSES: tuple[ControlStatus, ...] = (
    "passing",
    "failing",
    "not_assessed",
    "not_applicable",
    "not_evaluable",
    "not_evaluated",
)


@dataclass(frozen=True)
class ControlView:
    control: str
    title: str
    status: ControlStatus
    checks: tuple[str, ...]
    needs: str | None = None


@dataclass(frozen=True)
class FrameworkView:
    framework: FrameworkId
    name: str
    controls: tuple[ControlView, ...]

    def counts(self) -> dict[str, int]:
        """Controls per status, plus ``evaluated`` (passing, failing or n/a)."""
        counted = Counter(c.status for c in self.controls)
        counts: dict[str, int] = {s: counted.get(s, 0) for s in CONTROL_STATUSES}
        counts["evaluated"] = (
            counts["passing"] + counts["failing"] + counts["not_applicable"]
        )
        return counts


def _mapped(check: Check, framework: FrameworkId) -> tuple[str, ...]:
    meta = check.meta
    return {"stig": meta.stig, "nist": meta.nist, "soc2": meta.soc2}[framework]


def framework_view(
    result: AssessmentResult,
    framework: FrameworkId,
    checks: Sequence[Check] | None = None,
) -> FrameworkView:
    """Per control of ``framework``, its status in ``result``."""
    catalogue = load_catalogue() if checks is None else checks
    statuses = {r.check_id: r.status for r in result.results}
    table = FRAMEWORKS[framework]
    by_control: dict[str, list[str]] = {control: [] for control in table.controls}
    for check in catalogue:
        if check.meta.id not in statuses:
            continue
        for control in _mapped(check, framework):
            by_control[control].append(check.meta.id)
    views = []
    for control, title in table.controls.items():
        ids = tuple(by_control[control])
        found = {statuses[i] for i in ids}
        needs = STIG_RULES[control].needs if framework == "stig" else None
        status: ControlStatus
        if not ids:
            status = "not_evaluable" if needs else "not_evaluated"
        elif "fail" in found:
            status = "failing"
        elif found & {"error", "not_assessed"}:
            status = "not_assessed"
        elif "pass" in found:
            status = "passing"
        else:
            status = "not_applicable"
        views.append(ControlView(control, title, status, ids, needs))
    return FrameworkView(framework, table.name, tuple(views))
