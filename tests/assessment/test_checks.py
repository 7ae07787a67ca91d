"""Every check on both sides (a passing and a failing org) and without its data."""

from __future__ import annotations

from collections.abc import Mapping

import pytest

from atomation.assessment.catalogue import Check, load_catalogue
from atomation.assessment.engine import assess
from atomation.assessment.results import CheckResult
from tests.assessment.memory import MemorySnapshot, org_snapshot
from tests.assessment.states import FAILING, PASSING, PASSING_OVERRIDES

CATALOGUE = load_catalogue()
IDS = [c.meta.id for c in CATALOGUE]


def _check(check_id: str) -> Check:
    return next(c for c in CATALOGUE if c.meta.id == check_id)


def _run(
    snapshot: MemorySnapshot,
    check_id: str,
    overrides: Mapping[str, object] | None = None,
) -> CheckResult:
    result = assess(snapshot, checks=[_check(check_id)], overrides=overrides)
    return result.result(check_id)


@pytest.mark.parametrize("check_id", IDS)
def test_check_passes_on_a_secure_org(check_id: str) -> None:
    snapshot = org_snapshot("hardened")
    if check_id in PASSING:
        PASSING[check_id](snapshot)
    result = _run(snapshot, check_id, PASSING_OVERRIDES.get(check_id))

    assert result.status == "pass", [f.message for f in result.findings]
    assert result.findings
    assert all(f.status == "pass" for f in result.findings)


@pytest.mark.parametrize("check_id", IDS)
def test_check_fails_on_a_misconfigured_org(check_id: str) -> None:
    if check_id in FAILING:
        snapshot = org_snapshot("hardened")
        FAILING[check_id](snapshot)
    else:
        snapshot = org_snapshot("typical")
    result = _run(snapshot, check_id)

    assert result.status == "fail", [f.message for f in result.findings]
    failures = [f for f in result.findings if f.status == "fail"]
    for finding in failures:
        assert finding.check_id == check_id
        assert finding.resource_label in finding.message
        assert finding.evidence, f"{finding.message} rests on no evidence"
        assert finding.required is not None


@pytest.mark.parametrize("check_id", IDS)
def test_check_is_not_assessed_when_a_kind_was_not_collected(check_id: str) -> None:
    check = _check(check_id)
    base = org_snapshot("typical")
    for kind in check.meta.kinds:
        snapshot = base.short_of(kind, f"role too narrow to read {kind}")
        result = _run(snapshot, check_id)

        assert result.status == "not_assessed"
        assert all(f.status == "not_assessed" for f in result.findings)
        assert any(
            f"role too narrow to read {kind}" in f.message for f in result.findings
        )


def test_log_checks_are_not_assessed_when_their_event_types_were_filtered_out() -> None:
    snapshot = org_snapshot("typical")
    snapshot.set_info(log_event_types=("user.session.start",))

    result = _run(snapshot, "log.privilege_grants")

    assert result.status == "not_assessed"
    assert "user.account.privilege.grant" in result.findings[0].message
    assert _run(snapshot, "log.password_spray").status == "fail"


def test_log_checks_are_not_assessed_when_the_log_was_not_read() -> None:
    snapshot = org_snapshot("hardened")
    snapshot.set_info(log_since=None, log_until=None)

    result = _run(snapshot, "log.lockouts")

    assert result.status == "not_assessed"
    assert "System Log was not read" in result.findings[0].message


def test_population_factor_checks_need_every_users_factors() -> None:
    snapshot = org_snapshot("typical")
    snapshot.set_info(factors_for="privileged")

    assert _run(snapshot, "user.no_mfa").status == "not_assessed"
    assert _run(snapshot, "admin.no_mfa").status == "fail"


def test_a_check_that_raises_is_an_error_and_the_others_still_run() -> None:
    snapshot = org_snapshot("typical")
    for _parent, _id, rule in snapshot.rows["policy_rule"]:
        if rule["type"] == "SIGN_ON":
            del rule["actions"]

    result = assess(snapshot)

    broken = result.result("session.idle_timeout")
    assert broken.status == "error"
    assert "KeyError" in broken.findings[0].message
    assert result.result("pwd.min_length").status == "fail"
    assert result.result("authn.admin_console_mfa").status == "pass"


def test_thresholds_change_the_verdict_and_are_recorded() -> None:
    snapshot = org_snapshot("typical")

    strict = _run(snapshot, "session.idle_timeout")
    relaxed = _run(
        snapshot, "session.idle_timeout", {"session.idle_timeout.max_idle_minutes": 120}
    )

    assert strict.status == "fail"
    assert strict.thresholds == {"max_idle_minutes": 15}
    assert relaxed.status == "pass"
    assert relaxed.thresholds == {"max_idle_minutes": 120}


def test_the_baseline_profile_uses_its_own_values() -> None:
    snapshot = org_snapshot("typical")

    result = assess(snapshot, profile="baseline", checks=[_check("pwd.min_length")])

    assert result.profile == "baseline"
    assert result.result("pwd.min_length").thresholds == {"min_length": 12}
    contractor = [
        f for f in result.result("pwd.min_length").findings if "Contractor" in f.message
    ]
    assert contractor[0].status == "pass"  # 12 characters meet the baseline


def test_a_grant_to_a_current_super_admin_fails_without_the_role_in_the_event() -> None:
    snapshot = org_snapshot("hardened")
    supers = [
        parent
        for parent, _id, role in snapshot.rows["user_role"]
        if role["type"] == "SUPER_ADMIN"
    ]
    snapshot.add(
        "log_event",
        {
            "uuid": "grant-without-debug-data",
            "published": "2026-11-20T10:00:00.000Z",
            "eventType": "user.account.privilege.grant",
            "actor": {"id": supers[1], "type": "User"},
            "target": [{"id": supers[0], "type": "User"}],
            "debugContext": {"debugData": {}},
            "outcome": {"result": "SUCCESS"},
        },
    )

    result = _run(snapshot, "log.privilege_grants")

    assert result.status == "fail"
    assert "Super Administrator granted" in result.findings[0].message
