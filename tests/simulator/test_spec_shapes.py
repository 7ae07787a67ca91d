"""Every kind of object the generator makes validates against Okta's spec.

The product validates what it reads against the management OpenAPI spec and the
official SDK's models are strict, so a shape the spec rejects is a simulator bug.
Both profiles are checked, on a small org where every user is validated.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from atomation.simulator.generator import generate_org
from atomation.simulator.org import Org
from tests.simulator.openapi import SPEC_PATH, OpenApiSpec, load_spec

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
USERS = 300


@pytest.fixture(scope="module")
def spec() -> OpenApiSpec:
    loaded = load_spec()
    if loaded is None:
        pytest.skip(f"Okta OpenAPI spec not present at {SPEC_PATH}")
    return loaded


@pytest.fixture(scope="module", params=["typical", "hardened"])
def org(request: pytest.FixtureRequest) -> Org:
    return generate_org(
        seed=11,
        users=USERS,
        profile=request.param,
        base_url="http://127.0.0.1:8080",
        now=NOW,
    )


def _assert_valid(
    spec: OpenApiSpec, component: str, items: Iterable[dict[str, Any]]
) -> int:
    checked = 0
    for item in items:
        errors = spec.errors(component, item)
        assert not errors, f"{component} {item.get('id', item.get('uuid'))}: {errors}"
        checked += 1
    assert checked, f"no {component} objects were generated"
    return checked


def _role_component(assignment: dict[str, Any]) -> str:
    return "CustomRole" if assignment["type"] == "CUSTOM" else "StandardRole"


def test_users_and_factors_match_the_spec(spec: OpenApiSpec, org: Org) -> None:
    _assert_valid(spec, "User", org.users)
    factors = [f for user in org.users for f in org.user_factors(user["id"])]
    _assert_valid(spec, "UserFactor", factors)
    kinds = {f["factorType"] for f in factors}
    assert {"webauthn", "signed_nonce", "push"} <= kinds


def test_groups_and_group_rules_match_the_spec(spec: OpenApiSpec, org: Org) -> None:
    _assert_valid(spec, "Group", org.groups)
    _assert_valid(spec, "GroupRule", org.group_rules)
    _assert_valid(spec, "Group", org.user_groups(org.users[0]["id"]))


def test_apps_and_assignments_match_the_spec(spec: OpenApiSpec, org: Org) -> None:
    _assert_valid(spec, "Application", org.apps)
    _assert_valid(
        spec,
        "AppUser",
        itertools.chain.from_iterable(org.app_users(a["id"]) for a in org.apps),
    )
    _assert_valid(
        spec,
        "ApplicationGroupAssignment",
        itertools.chain.from_iterable(org.app_groups(a["id"]) for a in org.apps),
    )


def test_policies_rules_and_mappings_match_the_spec(
    spec: OpenApiSpec, org: Org
) -> None:
    types = [
        "OKTA_SIGN_ON",
        "PASSWORD",
        "MFA_ENROLL",
        "ACCESS_POLICY",
        "PROFILE_ENROLLMENT",
        "IDP_DISCOVERY",
        "POST_AUTH_SESSION",
        "ENTITY_RISK",
    ]
    for policy_type in types:
        policies = org.policies(policy_type)
        _assert_valid(spec, "Policy", policies)
        for policy in policies:
            _assert_valid(spec, "PolicyRule", org.policy_rules(policy["id"]))
    mappings = [
        m for p in org.policies("ACCESS_POLICY") for m in org.policy_mappings(p["id"])
    ]
    _assert_valid(spec, "PolicyMapping", mappings)


def test_zones_origins_and_idps_match_the_spec(spec: OpenApiSpec, org: Org) -> None:
    _assert_valid(spec, "NetworkZone", org.zones)
    assert {z["type"] for z in org.zones} == {"IP", "DYNAMIC", "DYNAMIC_V2"}
    _assert_valid(spec, "TrustedOrigin", org.trusted_origins)
    _assert_valid(spec, "IdentityProvider", org.idps)


def test_roles_match_the_spec(spec: OpenApiSpec, org: Org) -> None:
    _assert_valid(spec, "IamRole", org.custom_roles)
    _assert_valid(spec, "ResourceSet", org.resource_sets)
    assignments = [r for u in org.role_assignee_user_ids for r in org.user_roles(u)]
    assignments += [r for g in org.groups for r in org.group_roles(g["id"])]
    assignments += [r for roles in org.client_roles.values() for r in roles]
    for assignment in assignments:
        errors = spec.errors(_role_component(assignment), assignment)
        assert not errors, f"role assignment {assignment['id']}: {errors}"
    assert {"USER", "GROUP", "CLIENT"} <= {a["assignmentType"] for a in assignments}


def test_authorization_servers_match_the_spec(spec: OpenApiSpec, org: Org) -> None:
    _assert_valid(spec, "AuthorizationServer", org.authorization_servers)
    for server in org.authorization_servers:
        policies = org.as_policies(server["id"])
        _assert_valid(spec, "AuthorizationServerPolicy", policies)
        for policy in policies:
            _assert_valid(
                spec,
                "AuthorizationServerPolicyRule",
                org.as_policy_rules(server["id"], policy["id"]),
            )
        _assert_valid(spec, "OAuth2Scope", org.as_scopes(server["id"]))
        _assert_valid(spec, "OAuth2Claim", org.as_claims(server["id"]))


def test_log_events_match_the_spec(spec: OpenApiSpec, org: Org) -> None:
    log = org.log
    events = log.events(since=log.anchor - timedelta(days=3), until=log.anchor)
    _assert_valid(spec, "LogEvent", itertools.islice(events, 3000))
    # A few of every type, planted and scheduled events included.
    seen = {e["eventType"] for e in log.events(since=log.start, until=log.anchor)}
    assert len(seen) > 15
    for event_type in sorted(seen):
        of_type = log.events(
            since=log.start, until=log.anchor, event_types=frozenset({event_type})
        )
        _assert_valid(spec, "LogEvent", itertools.islice(of_type, 20))
