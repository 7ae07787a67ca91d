"""The report as CSV: one row per finding per resource, for spreadsheets.

Every finding of every check is a row, passes included, so that a filter on
``status`` gives what a reader wants; measured and required values are JSON so
that a list or a mapping survives a round trip. Evidence pages are written as
``collection#sequence sha256`` separated by ``;``.
"""

from __future__ import annotations

import csv
import io
import json

from atomation.report.model import Report, plain

__all__ = ["CSV_COLUMNS", "render_csv"]

CSV_COLUMNS = (
    "check_id",
    "check_title",
    "area",
    "severity",
    "check_status",
    "status",
    "resource_kind",
    "resource_id",
    "resource_label",
    "message",
    "measured",
    "required",
    "remediation",
    "evidence",
    "snapshot_id",
)

# A cell that a spreadsheet would run as a formula starts with one of these;
# such a cell gets a leading apostrophe (OWASP, "CSV Injection").
_FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def render_csv(report: Report) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_COLUMNS)
    for check in report.checks():
        meta = check.meta
        for finding in check.findings:
            row = (
                meta.id,
                meta.title,
                meta.area,
                meta.severity,
                check.status,
                finding.status,
                finding.resource_kind,
                finding.resource_id,
                finding.resource_label,
                finding.message,
                json.dumps(plain(finding.measured), ensure_ascii=False),
                json.dumps(plain(finding.required), ensure_ascii=False),
                " | ".join(meta.remediation),
                "; ".join(
                    f"{ref.collection}#{ref.sequence} {ref.sha256}"
                    for ref in finding.evidence
                ),
                report.snapshot_id,
            )
            writer.writerow([_cell(value) for value in row])
    return out.getvalue().encode("utf-8")


def _cell(value: str) -> str:
    return "'" + value if value.startswith(_FORMULA_STARTS) else value
