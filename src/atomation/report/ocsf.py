"""The report as OCSF Compliance Finding events, one JSON object per line.

OCSF (the Open Cybersecurity Schema Framework, schema 1.x) defines class 2003,
*Compliance Finding*, in the *Findings* category (uid 2). The facts relied on,
from the OCSF schema sources (docs/report.md, "OCSF"):

- every event requires ``activity_id``, ``category_uid``, ``class_uid``,
  ``metadata`` (itself requiring ``product`` and the schema ``version``),
  ``severity_id``, ``time`` and ``type_uid`` (base event);
- a finding requires ``finding_info``, whose ``uid`` is required;
- a compliance finding requires ``compliance``, whose ``standards`` is required;
  ``compliance.status_id`` is 1 Pass, 2 Warning (no result for lack of
  information), 3 Fail;
- ``type_uid`` is ``class_uid * 100 + activity_id``; activity 1 is *Create*;
- ``severity_id`` is 1 Informational, 2 Low, 3 Medium, 4 High, 5 Critical;
- ``time`` is milliseconds since the Unix epoch.

One event is written per finding, that is per evaluated resource; a check's
*not assessed* and *error* findings become status Warning with the reason in
``status_detail``, never Pass or Fail.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime
from typing import Any

from atomation import __version__
from atomation.assessment.frameworks import FRAMEWORKS, FrameworkId
from atomation.assessment.results import Finding
from atomation.report.model import CheckSection, Report, plain

__all__ = [
    "OCSF_REQUIRED",
    "OCSF_VERSION",
    "ocsf_events",
    "render_ocsf",
]

OCSF_VERSION = "1.3.0"
CLASS_UID = 2003
CATEGORY_UID = 2  # Findings
ACTIVITY_CREATE = 1
SEVERITY_IDS = {"low": 2, "medium": 3, "high": 4, "critical": 5}
COMPLIANCE_STATUS = {
    "pass": (1, "Pass"),
    "fail": (3, "Fail"),
    "not_assessed": (2, "Warning"),
    "error": (2, "Warning"),
}

OCSF_REQUIRED: dict[str, tuple[str, ...]] = {
    "": (
        "activity_id",
        "category_uid",
        "class_uid",
        "metadata",
        "severity_id",
        "time",
        "type_uid",
        "finding_info",
        "compliance",
    ),
    "metadata": ("product", "version"),
    "finding_info": ("uid",),
    "compliance": ("standards",),
}
"""Required attributes of class 2003, by object path ("" is the event)."""


def ocsf_events(report: Report) -> Iterator[dict[str, Any]]:
    for check in report.checks():
        for index, finding in enumerate(check.findings):
            yield _event(report, check, finding, index)


def _event(
    report: Report, check: CheckSection, finding: Finding, index: int
) -> dict[str, Any]:
    meta = check.meta
    status_id, status = COMPLIANCE_STATUS[finding.status]
    mapped: tuple[tuple[FrameworkId, tuple[str, ...]], ...] = (
        ("stig", meta.stig),
        ("nist", meta.nist),
        ("soc2", meta.soc2),
    )
    standards = [FRAMEWORKS[framework].name for framework, ids in mapped if ids]
    requirements = [*meta.stig, *meta.nist, *meta.soc2]
    resource: dict[str, Any] = {
        "uid": finding.resource_id,
        "name": finding.resource_label,
        "type": finding.resource_kind,
        "data": {
            "measured": plain(finding.measured),
            "required": plain(finding.required),
        },
    }
    return {
        "activity_id": ACTIVITY_CREATE,
        "activity_name": "Create",
        "category_uid": CATEGORY_UID,
        "category_name": "Findings",
        "class_uid": CLASS_UID,
        "class_name": "Compliance Finding",
        "type_uid": CLASS_UID * 100 + ACTIVITY_CREATE,
        "type_name": "Compliance Finding: Create",
        "severity_id": SEVERITY_IDS[meta.severity],
        "severity": meta.severity.capitalize(),
        "time": _millis(report.assessed_at),
        "message": finding.message,
        "status_id": 1,
        "status": "New",
        "metadata": {
            "version": OCSF_VERSION,
            "product": {
                "name": "Atomation",
                "vendor_name": "Atomation",
                "version": __version__,
            },
            "uid": f"{report.snapshot_id}:{meta.id}:{index}",
            "original_time": report.captured_at.isoformat(),
        },
        "finding_info": {
            "uid": f"{meta.id}:{finding.resource_kind}:{finding.resource_id}",
            "title": meta.title,
            "desc": meta.rationale,
            "types": [meta.area],
            "created_time": _millis(report.assessed_at),
            "data_sources": [
                f"{ref.collection}#{ref.sequence} {ref.request} sha256:{ref.sha256}"
                for ref in finding.evidence
            ],
        },
        "compliance": {
            "control": meta.id,
            "standards": standards,
            "requirements": requirements,
            "status_id": status_id,
            "status": status,
            "status_detail": finding.message,
        },
        "remediation": {"desc": " ".join(meta.remediation)},
        "resources": [resource],
        "unmapped": {
            "org_url": report.org_url,
            "snapshot_id": report.snapshot_id,
            "snapshot_root_hash": report.snapshot.root_hash,
        },
    }


def _millis(moment: datetime) -> int:
    return int(moment.timestamp() * 1000)


def render_ocsf(report: Report) -> bytes:
    lines = (
        json.dumps(event, ensure_ascii=False, sort_keys=True)
        for event in ocsf_events(report)
    )
    return "".join(line + "\n" for line in lines).encode("utf-8")
