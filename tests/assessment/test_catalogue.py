"""The catalogue: complete, consistent, validated at load; thresholds by profile."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import replace

import pytest

from atomation.assessment.catalogue import (
    AREAS,
    Check,
    CheckMeta,
    Threshold,
    load_catalogue,
    resolve_thresholds,
    validate,
)
from atomation.assessment.context import CheckContext
from atomation.assessment.engine import assess
from atomation.assessment.errors import CatalogueError, ThresholdError
from atomation.assessment.frameworks import STIG_RULES
from atomation.assessment.results import Finding
from atomation.assessment.views import framework_view
from tests.assessment.memory import org_snapshot

CATALOGUE = load_catalogue()


def _nothing(ctx: CheckContext) -> Iterator[Finding]:
    yield from ()


def _meta(**changes: object) -> CheckMeta:
    meta = CheckMeta(
        id="test.check",
        title="A secure state",
        area="session",
        severity="low",
        rationale="Because.",
        remediation=("Do it.",),
        kinds=("policy",),
        nist=("AC-2",),
        soc2=("CC6.1",),
    )
    return replace(meta, **changes)  # type: ignore[arg-type]


def test_the_catalogue_has_at_least_sixty_checks_over_every_area() -> None:
    assert len(CATALOGUE) >= 60
    assert {c.meta.area for c in CATALOGUE} == set(AREAS)


def test_every_stig_rule_is_evaluated_or_says_what_it_would_need() -> None:
    evaluated = {rule for c in CATALOGUE for rule in c.meta.stig}

    assert len(STIG_RULES) == 29
    for rule in STIG_RULES.values():
        assert (rule.rule in evaluated) != (rule.needs is not None), rule.rule
    assert len(evaluated) == 22


@pytest.mark.parametrize(
    ("changes", "error"),
    [
        ({"kinds": ("policy", "policies")}, "unknown kind"),
        ({"nist": ("AC-99",)}, "unknown control AC-99"),
        ({"stig": ("OKTA-APP-001430",)}, "listed as not evaluable"),
        ({"soc2": ()}, "no NIST control or SOC 2"),
        ({"area": "elsewhere"}, "unknown area"),
        ({"log_event_types": ("user.session.start",)}, "not log_event"),
        (
            {"thresholds": (Threshold("limit", 15, "15", "minutes", "limit"),)},
            "differ in type",
        ),
    ],
)
def test_an_inconsistent_check_is_refused_at_load(
    changes: dict[str, object], error: str
) -> None:
    with pytest.raises(CatalogueError, match=error):
        validate([Check(_meta(**changes), _nothing)])


def test_a_duplicate_check_id_is_refused() -> None:
    with pytest.raises(CatalogueError, match="defined twice"):
        validate([Check(_meta(), _nothing), Check(_meta(), _nothing)])


def test_overrides_are_typed_and_must_name_a_parameter() -> None:
    values = resolve_thresholds(
        CATALOGUE,
        "stig",
        {
            "session.idle_timeout.max_idle_minutes": "120",
            "admin.super_admin_count.max_share": 1,
        },
    )
    assert values["session.idle_timeout"]["max_idle_minutes"] == 120
    assert values["admin.super_admin_count"]["max_share"] == 1.0

    with pytest.raises(ThresholdError, match="no check parameter"):
        resolve_thresholds(CATALOGUE, "stig", {"session.idle_timeout.idle": 1})
    with pytest.raises(ThresholdError, match="must be a int"):
        resolve_thresholds(CATALOGUE, "stig", {"pwd.min_length.min_length": "long"})
    with pytest.raises(ThresholdError, match="unknown profile"):
        resolve_thresholds(CATALOGUE, "hipaa", {})  # type: ignore[arg-type]


def test_framework_views_count_controls_per_status() -> None:
    result = assess(org_snapshot("typical"))

    stig = framework_view(result, "stig")
    counts = stig.counts()
    assert counts["not_evaluable"] == 7
    assert counts["failing"] > 0
    assert (
        sum(
            counts[s]
            for s in (
                "passing",
                "failing",
                "not_assessed",
                "not_applicable",
                "not_evaluable",
            )
        )
        == 29
    )
    by_rule = {c.control: c for c in stig.controls}
    assert by_rule["OKTA-APP-000020"].status == "failing"
    assert by_rule["OKTA-APP-000560"].status == "passing"
    assert by_rule["OKTA-APP-001430"].needs is not None

    nist = framework_view(result, "nist").counts()
    soc2 = framework_view(result, "soc2").counts()
    assert nist["evaluated"] > 20
    assert soc2["failing"] > 0


def test_a_control_is_not_assessed_when_its_only_check_lacks_data() -> None:
    snapshot = org_snapshot("hardened").short_of("zone", "scope okta.networkZones.read")

    view = framework_view(assess(snapshot), "stig")

    by_rule = {c.control: c for c in view.controls}
    assert by_rule["OKTA-APP-003243"].status == "not_assessed"
    assert by_rule["OKTA-APP-000650"].status == "passing"
