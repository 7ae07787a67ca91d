"""Against the simulator's orgs: every planted misconfiguration is found, and a
hardened org yields no failure."""

from __future__ import annotations

from typing import Any

import pytest

from atomation.assessment.engine import assess
from atomation.assessment.results import AssessmentResult, Finding
from atomation.snapshot.data import Kind, SnapshotData
from tests.assessment.memory import org_of, org_snapshot

# Where a finding's resource sits below a planted one (a rule in a policy, an
# authorization-server rule in its server).
_PARENT_KIND: dict[str, Kind] = {
    "policy_rule": "policy",
    "authz_policy_rule": "authz_policy",
    "authz_policy": "authorization_server",
}


def _ancestors(snapshot: SnapshotData, finding: Finding) -> set[str]:
    found = {finding.resource_id}
    kind, object_id = finding.resource_kind, finding.resource_id
    while kind in _PARENT_KIND:
        resource = snapshot.resource(kind, object_id)  # type: ignore[arg-type]
        if resource is None or resource.parent_id is None:
            break
        kind, object_id = _PARENT_KIND[kind], resource.parent_id
        found.add(object_id)
    return found


def found_by_its_check(
    snapshot: SnapshotData, result: AssessmentResult, plant: dict[str, Any]
) -> bool:
    """Whether the plant's check failed on the planted resource (or on a rule or
    object below it, or on the population the plant names one member of)."""
    failures = [f for f in result.result(plant["check"]).findings if f.status == "fail"]
    planted = plant["resource"]["id"]
    for finding in failures:
        if finding.resource_kind == "population":
            return True  # a count over the population (e.g. too many Super Admins)
        if planted in _ancestors(snapshot, finding):
            return True
    return False


@pytest.mark.parametrize("users", [200, 2500])
def test_every_planted_misconfiguration_is_found_by_its_check(users: int) -> None:
    org = org_of("typical", users)
    snapshot = org_snapshot("typical", users)

    result = assess(snapshot)

    missed = [
        (m["id"], m["check"])
        for m in org.misconfigurations
        if not found_by_its_check(snapshot, result, m)
    ]
    assert not missed
    assert len(org.misconfigurations) >= 60


def test_a_hardened_org_has_no_failure() -> None:
    result = assess(org_snapshot("hardened"))

    failing = [
        f.message for r in result.results for f in r.findings if f.status != "pass"
    ]
    assert not failing
    assert result.summary()["pass"] >= 80
