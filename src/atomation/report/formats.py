"""The report formats by name: renderer, media type and file name of each.

One table used by every entrance that writes a report (``atomation report``, the
demo, the workspace's downloads), so a format is named, rendered and served the
same way everywhere.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from enum import StrEnum

from atomation.report.csv_report import render_csv
from atomation.report.html import render_html, render_pdf
from atomation.report.json_report import render_json
from atomation.report.model import Report
from atomation.report.ocsf import render_ocsf

__all__ = ["FORMATS", "RENDERERS", "Format", "ReportFormat"]


class Format(StrEnum):
    html = "html"
    pdf = "pdf"
    json = "json"
    csv = "csv"
    ocsf = "ocsf"


@dataclass(frozen=True)
class ReportFormat:
    render: Callable[[Report], bytes]
    media_type: str
    file_name: str


FORMATS: dict[Format, ReportFormat] = {
    Format.html: ReportFormat(render_html, "text/html; charset=utf-8", "report.html"),
    Format.pdf: ReportFormat(
        lambda report: render_pdf(render_html(report)), "application/pdf", "report.pdf"
    ),
    Format.json: ReportFormat(render_json, "application/json", "report.json"),
    Format.csv: ReportFormat(render_csv, "text/csv; charset=utf-8", "findings.csv"),
    # OCSF events are JSON lines (one Compliance Finding per line).
    Format.ocsf: ReportFormat(
        render_ocsf, "application/x-ndjson", "findings.ocsf.jsonl"
    ),
}

RENDERERS: dict[Format, Callable[[Report], bytes]] = {
    name: entry.render for name, entry in FORMATS.items()
}
