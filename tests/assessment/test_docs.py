"""docs/checks.md is the catalogue's own rendering, not a copy kept by hand."""

from __future__ import annotations

from pathlib import Path

from atomation.assessment.catalogue import load_catalogue
from atomation.assessment.docs import render_checks

DOCS = Path(__file__).resolve().parents[2] / "docs" / "checks.md"


def test_docs_checks_md_is_fresh() -> None:
    assert DOCS.read_text(encoding="utf-8") == render_checks(), (
        "docs/checks.md is stale: run python -m atomation.assessment.docs"
    )


def test_every_check_and_stig_rule_is_documented() -> None:
    text = render_checks()

    for check in load_catalogue():
        assert f"### `{check.meta.id}`" in text
    assert text.count("| OKTA-APP-") == 29
    assert text.count("not evaluable:") == 7
