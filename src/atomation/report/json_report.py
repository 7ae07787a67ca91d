"""The report as JSON, in the versioned shape of ``schema/report-v1.schema.json``.

``format`` names the schema version; a change that removes or retypes a field
makes a new version (``report-v2``) and a new schema file beside the old one, so
that a consumer can tell which shape it holds.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any

from atomation.assessment.results import Finding
from atomation.report.manifest import SnapshotFacts
from atomation.report.model import CheckSection, Report, plain

__all__ = [
    "REPORT_FORMAT",
    "finding_json",
    "render_json",
    "report_json",
    "report_schema",
    "snapshot_json",
]

REPORT_FORMAT = "atomation-report/1"


@cache
def report_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of :func:`report_json`'s output."""
    text = (
        resources.files("atomation.report")
        .joinpath("schema/report-v1.schema.json")
        .read_text("utf-8")
    )
    schema: dict[str, Any] = json.loads(text)
    return schema


def report_json(report: Report) -> dict[str, Any]:
    score = report.score
    return {
        "format": REPORT_FORMAT,
        "tenant": report.tenant,
        "org_url": report.org_url,
        "snapshot_id": report.snapshot_id,
        "captured_at": report.captured_at.isoformat(),
        "profile": report.profile,
        "catalogue_version": report.catalogue_version,
        "assessed_at": report.assessed_at.isoformat(),
        "generated_at": report.generated_at.isoformat(),
        "score": {
            "value": score.value,
            "passed_weight": score.passed_weight,
            "assessed_weight": score.assessed_weight,
            "assessed_checks": score.assessed_checks,
            "total_checks": score.total_checks,
        },
        "check_counts": dict(report.check_counts),
        "failing_by_severity": dict(report.failing_by_severity),
        "checks": [_check_json(c) for c in report.checks()],
        "frameworks": [
            {
                "id": view.framework,
                "name": view.name,
                "controls": [
                    {
                        "control": control.control,
                        "title": control.title,
                        "status": control.status,
                        "checks": list(control.checks),
                        "needs": control.needs,
                    }
                    for control in view.controls
                ],
            }
            for view in report.frameworks
        ],
        "not_assessed": [
            {
                "check_id": item.check_id,
                "title": item.title,
                "status": item.status,
                "reason": item.reason,
            }
            for item in report.not_assessed
        ],
        "snapshot": snapshot_json(report.snapshot),
    }


def _check_json(check: CheckSection) -> dict[str, Any]:
    meta = check.meta
    return {
        "id": meta.id,
        "title": meta.title,
        "area": meta.area,
        "severity": meta.severity,
        "status": check.status,
        "rationale": meta.rationale,
        "remediation": list(meta.remediation),
        "thresholds": plain(check.thresholds),
        "frameworks": {
            "stig": list(meta.stig),
            "nist": list(meta.nist),
            "soc2": list(meta.soc2),
        },
        "findings": [finding_json(f) for f in check.findings],
    }


def finding_json(finding: Finding) -> dict[str, Any]:
    return {
        "status": finding.status,
        "resource_kind": finding.resource_kind,
        "resource_id": finding.resource_id,
        "resource_label": finding.resource_label,
        "message": finding.message,
        "measured": plain(finding.measured),
        "required": plain(finding.required),
        "evidence": [
            {
                "collection": ref.collection,
                "sequence": ref.sequence,
                "request": ref.request,
                "sha256": ref.sha256,
            }
            for ref in finding.evidence
        ],
    }


def snapshot_json(facts: SnapshotFacts) -> dict[str, Any]:
    return {
        "id": facts.snapshot_id,
        "started_at": facts.started_at,
        "finished_at": facts.finished_at,
        "root_hash": facts.root_hash,
        "signature": facts.signature,
        "evidence_key": {"id": facts.key_id, "fingerprint": facts.key_fingerprint},
        "collections": [
            {
                "name": c.name,
                "completeness": c.completeness,
                "objects": c.objects,
                "pages": c.pages,
                "error": c.error,
                "missing": c.missing,
            }
            for c in facts.collections
        ],
        "verify": list(facts.verify_steps()),
    }


def render_json(report: Report) -> bytes:
    return (
        json.dumps(report_json(report), indent=2, ensure_ascii=False) + "\n"
    ).encode()
