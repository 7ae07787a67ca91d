"""The commands as mounted on ``atomation``: catalogue listing, one-line errors."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from atomation.assessment.catalogue import load_catalogue
from atomation.cli import run


def test_checks_list_prints_the_catalogue_as_json(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = run(["checks", "list", "--json"])

    listed = json.loads(capsys.readouterr().out)
    assert code == 0
    assert [c["id"] for c in listed] == [c.meta.id for c in load_catalogue()]
    idle = next(c for c in listed if c["id"] == "session.idle_timeout")
    assert idle["stig"] == ["OKTA-APP-000020"]
    assert idle["thresholds"][0]["stig"] == 15
    assert idle["remediation"]


def test_checks_list_filters_by_area(capsys: pytest.CaptureFixture[str]) -> None:
    code = run(["checks", "list", "--area", "idps"])

    out = capsys.readouterr().out
    assert code == 0
    assert "idp.account_link_auto" in out
    assert "session.idle_timeout" not in out


def test_assess_of_an_unknown_tenant_is_one_error_line(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code = run(["--data-dir", str(data_dir), "assess", "nobody"])

    err = capsys.readouterr().err
    assert code == 1
    assert err.startswith("Error: no tenant has the subdomain 'nobody'")
    assert "Traceback" not in err


def test_assess_refuses_an_unknown_profile(
    capsys: pytest.CaptureFixture[str], data_dir: Path
) -> None:
    code = run(["--data-dir", str(data_dir), "assess", "acme", "--profile", "hipaa"])

    err = capsys.readouterr().err
    assert code == 1
    assert "unknown profile 'hipaa'" in err
    assert "stig, baseline" in err
