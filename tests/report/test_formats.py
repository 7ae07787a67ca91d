"""Every format rendered from a real assessment of the simulator's typical org."""

from __future__ import annotations

import csv
import io
import json
import re
import shutil
import subprocess
from dataclasses import replace
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import Any

import jsonschema  # type: ignore[import-untyped]
import pytest
from markupsafe import escape
from PIL import Image

from atomation.assessment.catalogue import load_catalogue
from atomation.assessment.results import AssessmentResult, CheckResult
from atomation.okta import OKTA_READ_SCOPES
from atomation.report.csv_report import CSV_COLUMNS, render_csv
from atomation.report.errors import ReportInputError
from atomation.report.html import render_html, render_pdf
from atomation.report.json_report import render_json, report_schema
from atomation.report.manifest import SnapshotFacts, load_snapshot_facts
from atomation.report.model import SEVERITY_WEIGHTS, Report, build_report
from atomation.report.ocsf import render_ocsf
from atomation.report.source import stored_report
from atomation.simulator.harness import SimulatorServer
from tests.report.conftest import Assessed, make_tenancy

NOW = datetime(2026, 12, 3, 12, 0, tzinfo=UTC)


@pytest.fixture(scope="module")
def facts(assessed: Assessed) -> SnapshotFacts:
    tenancy = assessed.tenancy
    return load_snapshot_facts(tenancy.store, tenancy.evidence, assessed.snapshot_id)


@pytest.fixture(scope="module")
def report(assessed: Assessed) -> Report:
    """The report as the CLI builds it: from the stored run, offline."""
    tenancy = assessed.tenancy
    return stored_report(tenancy.store, tenancy.evidence, "acme", generated_at=NOW)


@pytest.fixture(scope="module")
def manifest(assessed: Assessed, facts: SnapshotFacts) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(assessed.tenancy.evidence.get(facts.root_hash))
    return loaded


def _findings(result: AssessmentResult) -> int:
    return sum(len(check.findings) for check in result.results)


# JSON -----------------------------------------------------------------------------
def test_json_report_validates_against_its_schema(report: Report) -> None:
    document = json.loads(render_json(report))

    jsonschema.Draft202012Validator(
        report_schema(), format_checker=jsonschema.FormatChecker()
    ).validate(document)
    assert document["format"] == "atomation-report/1"


def test_json_schema_refuses_a_report_missing_a_field(report: Report) -> None:
    document = json.loads(render_json(report))
    del document["checks"][0]["findings"][0]["message"]

    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(document, report_schema())


def test_json_report_holds_every_check_and_finding_of_the_run(
    report: Report, assessed: Assessed
) -> None:
    document = json.loads(render_json(report))

    assert [c["id"] for c in document["checks"]] == [
        r.check_id for r in assessed.result.results
    ]
    assert sum(len(c["findings"]) for c in document["checks"]) == _findings(
        assessed.result
    )
    assert document["check_counts"] == assessed.result.summary()


def test_every_evidence_page_cited_is_a_page_of_the_signed_manifest(
    report: Report, manifest: dict[str, Any]
) -> None:
    pages = {
        (c["name"], p["sequence"]): p["sha256"]
        for c in manifest["collections"]
        for p in c["pages"]
    }
    cited = [
        ref
        for check in json.loads(render_json(report))["checks"]
        for finding in check["findings"]
        if finding["status"] == "fail"
        for ref in finding["evidence"]
    ]

    assert cited, "a typical org has failing findings with evidence"
    for ref in cited:
        assert pages[(ref["collection"], ref["sequence"])] == ref["sha256"]


def test_appendix_facts_are_the_manifest_and_its_signature(
    report: Report, manifest: dict[str, Any], assessed: Assessed
) -> None:
    snapshot = json.loads(render_json(report))["snapshot"]

    manifest_bytes = assessed.tenancy.evidence.get(snapshot["root_hash"])
    assert json.loads(manifest_bytes) == manifest
    assert (
        snapshot["evidence_key"]["fingerprint"]
        == (manifest["evidence_key"]["fingerprint"])
    )
    assert [c["name"] for c in snapshot["collections"]] == [
        c["name"] for c in manifest["collections"]
    ]
    assert any(assessed.snapshot_id in step for step in snapshot["verify"])


# Score ------------------------------------------------------------------------------
def test_posture_score_is_the_severity_weighted_share_of_assessed_checks_passing(
    report: Report,
) -> None:
    passed = assessed = 0
    for check in report.checks():
        if check.status in ("pass", "fail"):
            assessed += SEVERITY_WEIGHTS[check.meta.severity]
            passed += SEVERITY_WEIGHTS[check.meta.severity] * (check.status == "pass")

    assert report.score.value == round(100 * passed / assessed, 1)
    assert 0 < report.score.value < 100  # the typical org passes some, fails some


def test_a_run_with_nothing_assessed_has_no_score(
    assessed: Assessed, facts: SnapshotFacts
) -> None:
    unassessed = replace(
        assessed.result,
        results=tuple(
            CheckResult(r.check_id, "not_assessed", r.thresholds, ())
            for r in assessed.result.results
        ),
    )

    report = build_report(unassessed, load_catalogue(), facts, generated_at=NOW)

    assert report.score.value is None
    assert "no score" in render_html(report).decode()


def test_a_run_of_another_snapshot_is_refused(
    assessed: Assessed, facts: SnapshotFacts
) -> None:
    other = replace(assessed.result, snapshot_id="0" * 32)

    with pytest.raises(ReportInputError, match="manifest of snapshot"):
        build_report(other, load_catalogue(), facts, generated_at=NOW)


# CSV --------------------------------------------------------------------------------
def test_csv_has_one_row_per_finding_per_resource(
    report: Report, assessed: Assessed
) -> None:
    rows = list(csv.DictReader(io.StringIO(render_csv(report).decode("utf-8"))))

    assert tuple(rows[0]) == CSV_COLUMNS
    assert len(rows) == _findings(assessed.result)
    failing = [r for r in rows if r["status"] == "fail"]
    assert failing
    assert all(r["resource_id"] and r["message"] for r in failing)
    assert all(re.search(r"[0-9a-f]{64}", r["evidence"]) for r in failing)


# OCSF -------------------------------------------------------------------------------
# Required attributes of OCSF 1.x class 2003 (docs/report.md, "OCSF"): the base
# event's, the finding's finding_info, the compliance finding's compliance, and
# their required members.
OCSF_REQUIRED = {
    (): (
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
    ("metadata",): ("product", "version"),
    ("finding_info",): ("uid",),
    ("compliance",): ("standards",),
}


def test_ocsf_lines_are_compliance_findings_with_the_required_fields(
    report: Report, assessed: Assessed
) -> None:
    lines = render_ocsf(report).decode("utf-8").splitlines()

    assert len(lines) == _findings(assessed.result)
    statuses = set()
    for line in lines:
        event = json.loads(line)
        for path, names in OCSF_REQUIRED.items():
            holder = event
            for step in path:
                holder = holder[step]
            for name in names:
                assert holder.get(name) not in (None, "", []), (path, name)
        assert event["class_uid"] == 2003
        assert event["category_uid"] == 2
        assert event["type_uid"] == 2003 * 100 + event["activity_id"]
        assert event["severity_id"] in (1, 2, 3, 4, 5)
        assert isinstance(event["time"], int)
        statuses.add(event["compliance"]["status_id"])
    assert {1, 3} <= statuses  # passes and fails both present


# HTML -------------------------------------------------------------------------------
class _References(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.urls: list[str] = []
        self.tags: set[str] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            if name in ("src", "href", "srcset", "data", "poster", "action"):
                self.urls.append(value or "")


def test_html_refers_to_nothing_outside_itself(report: Report) -> None:
    html = render_html(report).decode("utf-8")
    parser = _References()
    parser.feed(html)

    assert parser.urls, "the chart is an embedded image"
    for url in parser.urls:
        assert url.startswith(("data:", "#")), url
    assert "@import" not in html
    assert not re.search(r"url\(\s*['\"]?(https?:)?//", html)
    assert "@font-face" not in html
    assert "script" not in parser.tags
    assert "link" not in parser.tags


def test_html_has_every_section_a_reader_needs(
    report: Report, facts: SnapshotFacts
) -> None:
    html = render_html(report).decode("utf-8")

    for heading in (
        "Executive summary",
        "Findings by area",
        "Framework coverage",
        "DISA Okta IDaaS STIG",
        "NIST SP 800-53",
        "SOC 2",
        "Not assessed",
        "How to verify the evidence",
    ):
        assert heading in html
    assert "data:image/svg+xml;base64," in html
    assert facts.root_hash in html
    assert facts.key_fingerprint in html
    for check in report.checks():
        if check.status == "fail":
            assert str(escape(check.meta.remediation[0])) in html


def test_html_escapes_what_okta_returned(
    assessed: Assessed, facts: SnapshotFacts
) -> None:
    first = assessed.result.results[0]
    hostile = replace(
        first.findings[0], resource_label="<img src=https://evil.example/x>"
    )
    result = replace(
        assessed.result,
        results=(replace(first, findings=(hostile,)), *assessed.result.results[1:]),
    )

    html = render_html(
        build_report(result, load_catalogue(), facts, generated_at=NOW)
    ).decode("utf-8")

    assert "<img src=https://evil.example/x>" not in html
    assert "&lt;img src=https://evil.example/x&gt;" in html


def test_html_lists_a_bounded_number_of_findings_per_check(report: Report) -> None:
    check = max(report.checks(), key=lambda c: len(c.failing))
    assert len(check.failing) > 2, "the typical org fails a check on many resources"

    html = render_html(report, findings_shown=2).decode("utf-8")

    section = html[html.index(f'id="{check.meta.id}"') :]
    section = section[: section.index("\n</div>")]  # the check's own end
    assert section.count('<tr class="finding">') == 2
    more = len([f for f in check.findings if f.status != "pass"]) - 2
    assert f"{more} more</strong>" in section


def test_not_assessed_section_names_why(report: Report) -> None:
    html = render_html(report).decode("utf-8")

    for item in report.not_assessed:
        assert str(escape(item.reason)) in html


def test_a_missing_scope_is_named_in_the_not_assessed_section(
    typical_org: SimulatorServer, tmp_path: Path
) -> None:
    scopes = [s for s in OKTA_READ_SCOPES if s != "okta.networkZones.read"]
    for tenancy in make_tenancy(typical_org, tmp_path / "data", scopes):
        tenancy.assess(tenancy.capture())
        report = stored_report(
            tenancy.store, tenancy.evidence, "acme", generated_at=NOW
        )

    zone_checks = {c.meta.id for c in report.checks() if "zone" in c.meta.kinds}
    assert zone_checks
    assert {item.check_id for item in report.not_assessed} >= zone_checks
    assert all(
        "okta.networkZones.read" in item.reason
        for item in report.not_assessed
        if item.check_id in zone_checks
    )
    (zones,) = [c for c in report.snapshot.shortfalls() if c.name == "zones"]
    assert zones.completeness == "not_collected"
    html = render_html(report).decode("utf-8")
    section = html[html.index('id="not-assessed"') : html.index('id="appendix"')]
    assert "okta.networkZones.read" in section
    assert all(
        c.status not in ("pass", "fail")
        for c in report.checks()
        if c.meta.id in zone_checks
    )


# PDF --------------------------------------------------------------------------------
def test_pdf_pages_render_and_are_not_blank(report: Report, tmp_path: Path) -> None:
    assert shutil.which("pdftoppm"), "install poppler-utils (make test does)"
    pdf = render_pdf(render_html(report))
    (tmp_path / "report.pdf").write_bytes(pdf)

    subprocess.run(
        ["pdftoppm", "-r", "30", "-l", "4", "-png", "report.pdf", "page"],
        cwd=tmp_path,
        check=True,
    )

    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == 4
    for page in pages:
        with Image.open(page) as image:
            grey = image.convert("L")
            dark = sum(grey.histogram()[:200])  # pixels darker than light grey
            assert dark / (grey.width * grey.height) > 0.005, page.name
