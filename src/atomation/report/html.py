"""The report as one self-contained HTML file, and as PDF from the same HTML.

Templates live in ``templates/`` and are rendered with autoescaping on, so no
value from Okta (a policy name, a user's display name) can become markup. The
file references nothing outside itself: the style sheet is inlined and the
severity chart, drawn by pygal, is embedded as a ``data:`` URI with pygal's
remote tooltip script switched off. The PDF is WeasyPrint's rendering of exactly
that HTML, with the print rules of the style sheet (A4 pages, numbered).
"""

from __future__ import annotations

import base64
import json
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from functools import cache
from typing import Any

import jinja2
import pygal
from pygal.style import Style

from atomation.report.manifest import CollectionFact, format_instant
from atomation.report.model import SEVERITIES, Report, plain

__all__ = ["render_html", "render_pdf", "severity_chart", "template_environment"]

STATUS_LABELS: Mapping[str, str] = {
    "pass": "pass",
    "fail": "fail",
    "not_assessed": "not assessed",
    "error": "error",
    "not_applicable": "not applicable",
    "passing": "passing",
    "failing": "failing",
    "not_evaluable": "not evaluable with the read scopes",
    "not_evaluated": "no check",
}
SEVERITY_COLOURS = ("#7a271a", "#b42318", "#dc6803", "#fdb022")
# Findings listed per check in HTML and PDF. A check over every user of a large
# org can fail thousands of resources; a document of that many rows is neither
# read nor quickly laid out, so the rest are counted and left to JSON and CSV.
FINDINGS_SHOWN = 100


@cache
def template_environment() -> jinja2.Environment:
    environment = jinja2.Environment(
        loader=jinja2.PackageLoader("atomation.report", "templates"),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    environment.globals.update(instant=format_instant, label=_label, value=_value)
    return environment


def severity_chart(failing_by_severity: Mapping[str, int]) -> str:
    """Failing findings per severity as a pygal bar chart, a ``data:`` URI."""
    style = Style(
        background="white",
        plot_background="white",
        colors=SEVERITY_COLOURS,
        font_family="DejaVu Sans, Arial, sans-serif",
    )
    chart = pygal.Bar(
        js=[],  # pygal's default loads a tooltip script from the web
        style=style,
        width=600,
        height=300,
        show_legend=False,
        title="Failing findings by severity",
        print_values=True,
        disable_xml_declaration=True,
    )
    chart.x_labels = list(SEVERITIES)
    chart.add(
        "failing findings",
        [
            {"value": failing_by_severity.get(s, 0), "color": colour}
            for s, colour in zip(SEVERITIES, SEVERITY_COLOURS, strict=True)
        ],
    )
    svg = chart.render(is_unicode=True)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode()).decode()


@dataclass(frozen=True)
class FamilyRow:
    name: str
    collections: int
    complete: int
    objects: int
    pages: int


def _families(collections: tuple[CollectionFact, ...]) -> list[FamilyRow]:
    """Collections summed per family: a large org has one per user for factors."""
    rows: dict[str, list[CollectionFact]] = {}
    for collection in collections:
        rows.setdefault(collection.name.partition(":")[0], []).append(collection)
    return [
        FamilyRow(
            name,
            len(group),
            sum(1 for c in group if c.completeness == "complete"),
            sum(c.objects or 0 for c in group),
            sum(c.pages for c in group),
        )
        for name, group in sorted(rows.items())
    ]


def render_html(report: Report, *, findings_shown: int = FINDINGS_SHOWN) -> bytes:
    failing = sorted(
        (c for c in report.checks() if c.status == "fail"),
        key=lambda c: (SEVERITIES.index(c.meta.severity), c.meta.id),
    )
    template = template_environment().get_template("report.html.jinja")
    html = template.render(
        report=report,
        chart=severity_chart(report.failing_by_severity),
        failing=failing,
        families=_families(report.snapshot.collections),
        findings_shown=findings_shown,
    )
    return html.encode("utf-8")


def render_pdf(html: bytes) -> bytes:
    """The PDF of a rendered report or comparison (WeasyPrint, no network access).

    The fetcher allows ``data:`` URIs only, and fails on any other reference,
    so a PDF can never be made from something fetched elsewhere.
    """
    import weasyprint  # imported here: loading Pango takes a moment

    fetcher = weasyprint.urls.URLFetcher(
        allowed_protocols=["data"], fail_on_errors=True
    )
    document = weasyprint.HTML(string=html.decode("utf-8"), url_fetcher=fetcher)
    pdf: bytes = document.write_pdf()
    return pdf


def _label(status: str) -> str:
    return STATUS_LABELS.get(status, status)


def _value(value: Any) -> str:
    if value is None:
        return ""
    data = plain(value)
    if isinstance(data, str):
        return data
    if isinstance(data, datetime):
        return format_instant(data)
    return json.dumps(data, ensure_ascii=False)
