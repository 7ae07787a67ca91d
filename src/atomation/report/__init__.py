"""Reports of a stored assessment run, and the comparison of two snapshots.

:func:`build_report` makes the one :class:`Report` model from a run, the
catalogue's metadata and the snapshot's signed manifest; the renderers write it
as HTML (:func:`render_html`), PDF (:func:`render_pdf`), JSON
(:func:`render_json`, schema in ``schema/``), CSV (:func:`render_csv`) and OCSF
Compliance Finding lines (:func:`render_ocsf`). :func:`compare_snapshots` says
what changed between two snapshots and who changed it. docs/report.md describes
each format. Errors are drawn in :mod:`.errors`.
"""

from atomation.report.compare import Comparison, compare_snapshots
from atomation.report.csv_report import render_csv
from atomation.report.errors import ReportError, ReportInputError, UnsupportedFormat
from atomation.report.html import render_html, render_pdf
from atomation.report.json_report import render_json, report_schema
from atomation.report.manifest import SnapshotFacts, load_snapshot_facts
from atomation.report.model import Report, build_report
from atomation.report.ocsf import render_ocsf

__all__ = [
    "Comparison",
    "Report",
    "ReportError",
    "ReportInputError",
    "SnapshotFacts",
    "UnsupportedFormat",
    "build_report",
    "compare_snapshots",
    "load_snapshot_facts",
    "render_csv",
    "render_html",
    "render_json",
    "render_ocsf",
    "render_pdf",
    "report_schema",
]
