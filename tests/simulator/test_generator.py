"""The seeded org generator: determinism, counts, profiles and planted findings."""

from __future__ import annotations

import itertools
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest

from atomation.simulator.generator import GeneratorError, generate_org
from atomation.simulator.org import Org

NOW = datetime(2026, 6, 1, 12, 0, tzinfo=UTC)
BASE = "http://127.0.0.1:9999"


def _org(profile: str = "typical", users: int = 500, seed: int = 7) -> Org:
    return generate_org(
        seed=seed,
        users=users,
        profile=profile,  # type: ignore[arg-type]
        base_url=BASE,
        now=NOW,
    )


@pytest.fixture(scope="module")
def typical() -> Org:
    return _org("typical")


@pytest.fixture(scope="module")
def hardened() -> Org:
    return _org("hardened")


def _snapshot(org: Org) -> dict[str, Any]:
    return {
        "users": list(org.users),
        "factors": [org.user_factors(u["id"]) for u in org.users[:100]],
        "groups": list(org.groups),
        "members": [list(org.group_member_ids(g["id"])) for g in org.groups],
        "apps": org.apps,
        "policies": [org.policies(t) for t in ("OKTA_SIGN_ON", "ACCESS_POLICY")],
        "zones": org.zones,
        "log": list(
            itertools.islice(
                org.log.events(
                    since=org.log.anchor - timedelta(days=3), until=org.log.anchor
                ),
                2000,
            )
        ),
        "misconfigurations": org.misconfigurations,
    }


def test_same_seed_gives_the_same_org(typical: Org) -> None:
    assert _snapshot(_org("typical")) == _snapshot(typical)


def test_another_seed_gives_another_org(typical: Org) -> None:
    other = _org("typical", seed=8)
    assert [u["id"] for u in other.users[:10]] != [u["id"] for u in typical.users[:10]]


def test_log_uuids_do_not_depend_on_the_anchor_day(typical: Org) -> None:
    later = generate_org(
        seed=7, users=500, profile="typical", base_url=BASE, now=NOW + timedelta(days=1)
    )
    since, until = NOW - timedelta(days=2), NOW - timedelta(days=1)
    day = timedelta(days=1)
    ours = [e["uuid"] for e in typical.log.events(since=since, until=until)]
    theirs = [e["uuid"] for e in later.log.events(since=since + day, until=until + day)]
    assert ours
    assert ours == theirs


def test_users_are_ordered_by_id_and_found_by_id(typical: Org) -> None:
    ids = [u["id"] for u in typical.users]
    assert ids == sorted(ids)
    assert len(set(ids)) == len(ids) == 500
    assert typical.user(ids[123]) == typical.users[123]
    assert typical.user_index(ids[123]) == 123
    assert typical.user("00uNOTAUSER000000000") is None
    assert typical.users[-1] == typical.users[499]
    assert typical.users[10:13] == [typical.users[i] for i in (10, 11, 12)]


def test_every_lifecycle_state_and_factor_type_is_generated(typical: Org) -> None:
    counts = typical.counts()
    for status in (
        "ACTIVE",
        "STAGED",
        "PROVISIONED",
        "RECOVERY",
        "PASSWORD_EXPIRED",
        "LOCKED_OUT",
        "SUSPENDED",
        "DEPROVISIONED",
    ):
        assert counts[f"users.{status}"] > 0, status
    assert sum(counts[k] for k in counts if k.startswith("users.")) == 500
    assert {u["status"] for u in typical.users} == {
        k.split(".", 1)[1] for k in counts if k.startswith("users.")
    }
    types = {
        f["factorType"] for u in typical.users for f in typical.user_factors(u["id"])
    }
    assert types >= {
        "sms",
        "call",
        "email",
        "question",
        "token:software:totp",
        "push",
        "webauthn",
        "u2f",
        "token:hardware",
        "signed_nonce",
    }


def test_counts_match_what_the_read_api_returns(typical: Org) -> None:
    counts = typical.counts()
    assert counts["groups"] == len(typical.groups)
    assert counts["apps"] == len(typical.apps)
    assert counts["zones"] == len(typical.zones)
    assert counts["policies.ACCESS_POLICY"] == len(typical.policies("ACCESS_POLICY"))
    assert (
        counts["log_events"]
        == len(typical.log)
        == typical.log.count(since=typical.log.start, until=typical.log.anchor)
    )


def test_everyone_holds_every_user_and_memberships_agree(typical: Org) -> None:
    everyone = next(g for g in typical.groups if g["type"] == "BUILT_IN")
    assert everyone["profile"]["name"] == "Everyone"
    members = typical.group_member_ids(everyone["id"])
    assert len(members) == 500
    assert list(members) == sorted(members)
    user = typical.users[42]
    for group in typical.user_groups(user["id"]):
        assert user["id"] in typical.group_member_ids(group["id"])
    assert {g["type"] for g in typical.groups} == {
        "BUILT_IN",
        "OKTA_GROUP",
        "APP_GROUP",
    }


def test_first_party_apps_link_to_their_access_policies(typical: Org) -> None:
    by_name = {a["name"]: a for a in typical.apps}
    for name, label in (
        ("saasure", "Okta Admin Console"),
        ("okta_enduser", "Okta Dashboard"),
    ):
        app = by_name[name]
        policy_id = app["_links"]["accessPolicy"]["href"].rsplit("/", 1)[-1]
        policy = typical.policy(policy_id)
        assert policy is not None
        assert policy["type"] == "ACCESS_POLICY"
        assert policy["name"] == label
        assert app["id"] in [m["id"] for m in typical.policy_mappings(policy_id)]


def test_access_policy_constraints_are_lowercase(typical: Org) -> None:
    values = []
    for policy in typical.policies("ACCESS_POLICY"):
        for rule in typical.policy_rules(policy["id"]):
            method = rule["actions"]["appSignOn"].get("verificationMethod", {})
            for constraint in method.get("constraints", []):
                for part in constraint.values():
                    values += part.get("types", []) + part.get("methods", [])
    assert values
    assert all(v == v.lower() for v in values)


def test_idp_discovery_default_rule_routes_to_okta(typical: Org) -> None:
    (policy,) = typical.policies("IDP_DISCOVERY")
    providers = [
        p["type"]
        for r in typical.policy_rules(policy["id"])
        for p in r["actions"]["idp"]["providers"]
    ]
    assert "OKTA" in providers


def _resolve(org: Org, resource: dict[str, str]) -> dict[str, Any] | None:
    kind, object_id = resource["type"], resource["id"]
    if kind == "User":
        return org.user(object_id)
    if kind == "Application":
        return org.app(object_id)
    if kind == "Policy":
        return org.policy(object_id)
    if kind == "PolicyRule":
        rules = [
            r
            for t in (
                "OKTA_SIGN_ON",
                "PASSWORD",
                "MFA_ENROLL",
                "ACCESS_POLICY",
                "IDP_DISCOVERY",
            )
            for p in org.policies(t)
            for r in org.policy_rules(p["id"])
        ]
        return next((r for r in rules if r["id"] == object_id), None)
    if kind == "GroupRule":
        return next((r for r in org.group_rules if r["id"] == object_id), None)
    collections = {
        "NetworkZone": org.zones,
        "TrustedOrigin": org.trusted_origins,
        "IdentityProvider": org.idps,
        "AuthorizationServer": org.authorization_servers,
        "CustomRole": org.custom_roles,
    }
    if kind in collections:
        return next((o for o in collections[kind] if o["id"] == object_id), None)
    if kind == "LogEvent":
        events = org.log.events(
            since=org.log.start,
            until=org.log.anchor,
            event_types=frozenset({resource["name"]}),
        )
        return next((e for e in events if e["uuid"] == object_id), None)
    raise AssertionError(f"unknown resource type {kind}")


def test_typical_plants_misconfigurations_that_point_at_real_objects(
    typical: Org,
) -> None:
    planted = typical.misconfigurations
    assert len(planted) >= 40
    assert len({m["id"] for m in planted}) == len(planted)
    for finding in planted:
        assert finding["id"].startswith("typical-")
        assert finding["check"]
        assert finding["detail"]
        assert _resolve(typical, finding["resource"]) is not None, finding


def test_typical_covers_the_main_check_areas(typical: Org) -> None:
    checks = {m["check"] for m in typical.misconfigurations}
    assert {
        "session.idle_timeout",
        "session.persistent_cookie",
        "pwd.min_length",
        "pwd.lockout",
        "authn.single_factor_apps",
        "authn.admin_console_phishing_resistant",
        "user.no_mfa",
        "user.stale_active",
        "admin.super_admin_count",
        "admin.service_app_roles",
        "app.everyone_assigned",
        "net.blocklist_present",
        "origin.wildcard",
        "origin.http",
        "idp.jit_provisioning",
        "as.token_lifetimes",
        "log.privilege_grants",
        "log.mfa_resets",
        "log.support_impersonation",
        "log.password_spray",
    } <= checks


@pytest.mark.parametrize(("users", "seed"), [(60, 1), (61, 2), (2000, 7)])
def test_misconfiguration_ids_are_stable_across_sizes_and_seeds(
    typical: Org, users: int, seed: int
) -> None:
    other = _org("typical", users=users, seed=seed)
    assert {m["id"] for m in other.misconfigurations} == {
        m["id"] for m in typical.misconfigurations
    }


def test_hardened_plants_nothing(hardened: Org) -> None:
    assert hardened.misconfigurations == []


def test_hardened_users_are_active_with_phishing_resistant_factors(
    hardened: Org,
) -> None:
    strong = {"webauthn", "u2f", "signed_nonce"}
    for user in hardened.users:
        if user["status"] != "ACTIVE":
            continue
        types = {f["factorType"] for f in hardened.user_factors(user["id"])}
        assert types & strong, user["id"]
        assert user["lastLogin"] is not None
        last = datetime.fromisoformat(user["lastLogin"].replace("Z", "+00:00"))
        assert NOW - last < timedelta(days=35)


def test_hardened_session_and_password_policies_meet_stig(hardened: Org) -> None:
    for policy in hardened.policies("OKTA_SIGN_ON"):
        for rule in hardened.policy_rules(policy["id"]):
            session = rule["actions"]["signon"]["session"]
            assert 0 < session["maxSessionIdleMinutes"] <= 15
            assert 0 < session["maxSessionLifetimeMinutes"] <= 1080
            assert session["usePersistentCookie"] is False
    for policy in hardened.policies("PASSWORD"):
        password = policy["settings"]["password"]
        assert password["complexity"]["minLength"] >= 15
        assert 0 < password["lockout"]["maxAttempts"] <= 3
        assert password["age"]["historyCount"] >= 5
    blocklists = [z for z in hardened.zones if z["usage"] == "BLOCKLIST"]
    assert any(z["status"] == "ACTIVE" and z.get("gateways") for z in blocklists)


def test_too_few_users_is_refused_with_a_hint() -> None:
    with pytest.raises(GeneratorError) as caught:
        _org(users=10)
    assert "10 users" in caught.value.message
    assert caught.value.hint


def test_unknown_profile_is_refused() -> None:
    with pytest.raises(GeneratorError, match="profile"):
        _org(profile="lax")


def test_mutations_change_what_is_read(typical: Org) -> None:
    org = _org("typical", users=100)
    app = dict(org.apps[2], id="0oaNEWAPP00000000000", label="Added")
    org.add_app(app)
    assert org.app("0oaNEWAPP00000000000") is not None
    assert [a["id"] for a in org.apps] == sorted(a["id"] for a in org.apps)
    org.update_app(app["id"], dict(app, label="Renamed"))
    assert org.app(app["id"])["label"] == "Renamed"  # type: ignore[index]
    policy = org.policies("OKTA_SIGN_ON")[0]
    rule = dict(
        org.policy_rules(policy["id"])[0], id="0prNEWRULE0000000000", priority=5
    )
    org.add_policy_rule(policy["id"], rule)
    assert rule in org.policy_rules(policy["id"])
    org.update_policy_rule(policy["id"], dict(rule, name="Changed"))
    assert org.policy_rules(policy["id"])[-1]["name"] == "Changed"
    user_id = org.users[70]["id"]
    assert org.user_roles(user_id) == []
    org.add_user_role(user_id, {"id": "ra1NEW", "type": "READ_ONLY_ADMIN"})
    assert org.user_roles(user_id)[0]["type"] == "READ_ONLY_ADMIN"
    assert user_id in org.role_assignee_user_ids


def _events(org: Org, *types: str) -> list[dict[str, Any]]:
    return list(
        org.log.events(
            since=org.log.start, until=org.log.anchor, event_types=frozenset(types)
        )
    )


def test_every_active_admin_visits_the_admin_console_until_their_last_login(
    hardened: Org,
) -> None:
    visits = _events(hardened, "user.session.access_admin_app")
    for user_id in hardened.role_assignee_user_ids:
        user = hardened.user(user_id)
        assert user is not None
        mine = [e["published"] for e in visits if e["actor"]["id"] == user_id]
        assert mine, user_id
        assert max(mine) <= user["lastLogin"]
        assert NOW - datetime.fromisoformat(max(mine)) < timedelta(days=30)


def test_dormant_admin_has_no_recent_admin_console_visit(typical: Org) -> None:
    (dormant,) = [m for m in typical.misconfigurations if m["check"] == "admin.dormant"]
    visits = [
        e
        for e in _events(typical, "user.session.access_admin_app")
        if e["actor"]["id"] == dormant["resource"]["id"]
    ]
    assert visits
    assert all(
        NOW - datetime.fromisoformat(e["published"]) > timedelta(days=30)
        for e in visits
    )


def test_hardened_log_has_no_admin_lockouts_or_unblocked_threats(hardened: Org) -> None:
    admins = set(hardened.role_assignee_user_ids)
    locks = _events(hardened, "user.account.lock")
    assert locks
    assert not [e for e in locks if e["actor"]["id"] in admins]
    assert _events(hardened, "security.threat.detected") == []


def test_sign_ins_name_only_active_apps_people_sign_in_to(typical: Org) -> None:
    targets = {
        t["id"]
        for e in _events(typical, "user.authentication.sso")
        for t in e["target"]
    }
    for app_id in targets:
        app = typical.app(app_id)
        assert app is not None
        assert app["status"] == "ACTIVE"
        assert (
            app["settings"].get("oauthClient", {}).get("application_type") != "service"
        )


def _days_ago(stamp: str) -> float:
    return (NOW - datetime.fromisoformat(stamp)) / timedelta(days=1)


def test_population_findings_count_what_the_users_show(typical: Org) -> None:
    details = {m["check"]: m["detail"] for m in typical.misconfigurations}
    admins = set(typical.role_assignee_user_ids)
    active = [
        u for u in typical.users if u["status"] == "ACTIVE" and u["id"] not in admins
    ]
    stale = [u for u in active if u["lastLogin"] and _days_ago(u["lastLogin"]) > 90]
    assert details["user.stale_active"].startswith(f"{len(stale)} ACTIVE users")
    no_mfa = [
        u
        for u in active
        if not {f["factorType"] for f in typical.user_factors(u["id"])} - {"question"}
    ]
    assert details["user.no_mfa"].startswith(f"{len(no_mfa)} ACTIVE users")


def test_every_active_app_people_sign_in_to_has_sign_ins_even_when_small() -> None:
    small = _org("hardened", users=60, seed=9)
    signed_in = {
        t["id"] for e in _events(small, "user.authentication.sso") for t in e["target"]
    }
    for app in small.apps:
        client = app["settings"].get("oauthClient", {})
        if app["status"] == "ACTIVE" and client.get("application_type") != "service":
            assert app["id"] in signed_in, app["label"]


def test_hardened_apps_origins_idps_and_servers_meet_the_checks(hardened: Org) -> None:
    everyone = next(g["id"] for g in hardened.groups if g["type"] == "BUILT_IN")
    for app in hardened.apps:
        assert app["status"] == "ACTIVE"
        client = app["settings"].get("oauthClient", {})
        assert not {"implicit", "password"} & set(client.get("grant_types", []))
        sign_on = app["settings"].get("signOn", {})
        assert sign_on.get("signatureAlgorithm", "RSA_SHA256") == "RSA_SHA256"
        assert everyone not in [g["id"] for g in hardened.app_groups(app["id"])]
        method = (
            app["credentials"].get("oauthClient", {}).get("token_endpoint_auth_method")
        )
        assert not (method or "").startswith("client_secret"), app["label"]
    for origin in hardened.trusted_origins:
        assert origin["origin"].startswith("https://")
        assert "*" not in origin["origin"]
    for idp in hardened.idps:
        assert idp["policy"]["provisioning"]["action"] != "AUTO"
        assert idp["policy"]["accountLink"]["action"] != "AUTO"
    for server in hardened.authorization_servers:
        assert server["credentials"]["signing"]["rotationMode"] == "AUTO"
        for policy in hardened.as_policies(server["id"]):
            assert "ALL_CLIENTS" not in policy["conditions"]["clients"]["include"]
            for rule in hardened.as_policy_rules(server["id"], policy["id"]):
                token = rule["actions"]["token"]
                assert token["accessTokenLifetimeMinutes"] <= 60
                assert 0 < token["refreshTokenLifetimeMinutes"] <= 129600
                assert token["refreshTokenWindowMinutes"] <= 10080
    supers = [
        u
        for u in hardened.role_assignee_user_ids
        if any(r["type"] == "SUPER_ADMIN" for r in hardened.user_roles(u))
    ]
    assert 2 <= len(supers) <= 5


def test_hardened_access_policies_require_phishing_resistance_everywhere(
    hardened: Org,
) -> None:
    for policy in hardened.policies("ACCESS_POLICY"):
        rules = hardened.policy_rules(policy["id"])
        allowing = [r for r in rules if r["actions"]["appSignOn"]["access"] == "ALLOW"]
        assert allowing, policy["name"]
        for rule in allowing:
            method = rule["actions"]["appSignOn"]["verificationMethod"]
            assert method["factorMode"] == "2FA"
            assert all(
                c["possession"]["phishingResistant"] == "REQUIRED"
                for c in method["constraints"]
            )
            assert rule["conditions"]["network"]["connection"] == "ZONE"


def test_classic_org_reports_the_v1_pipeline(typical: Org) -> None:
    classic = generate_org(
        seed=7, users=100, profile="typical", base_url=BASE, classic=True, now=NOW
    )
    assert classic.pipeline == "v1"
    assert typical.pipeline == "idx"
