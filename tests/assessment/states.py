"""Org states that make one check pass or fail, built from the simulator's orgs.

The ``typical`` org fails most checks and the ``hardened`` org passes most; the
tables below hold the edits for the rest: ``FAILING`` turns a hardened snapshot
into one the check must fail, ``PASSING`` gives a check that has nothing to
evaluate in the hardened org something that passes. ``OVERRIDES`` holds the
threshold values a state is judged with.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import timedelta
from typing import Any

from tests.assessment.memory import NOW, MemorySnapshot

Edit = Callable[[MemorySnapshot], None]


def _policy(snapshot: MemorySnapshot, policy_type: str, name: str) -> dict[str, Any]:
    for _parent, _id, data in snapshot.rows["policy"]:
        if data["type"] == policy_type and data["name"] == name:
            return data
    raise KeyError(name)


def _rules(snapshot: MemorySnapshot, policy_id: str) -> list[dict[str, Any]]:
    return [d for parent, _id, d in snapshot.rows["policy_rule"] if parent == policy_id]


def _app(snapshot: MemorySnapshot, label: str) -> dict[str, Any]:
    for _parent, _id, data in snapshot.rows["app"]:
        if data["label"] == label:
            return data
    raise KeyError(label)


def _first_rule(snapshot: MemorySnapshot, policy: str) -> dict[str, Any]:
    rules = _rules(snapshot, _policy(snapshot, "ACCESS_POLICY", policy)["id"])
    return min(rules, key=lambda r: r["priority"])


def _admin_ids(snapshot: MemorySnapshot) -> list[str]:
    return [object_id for _parent, object_id, _data in snapshot.rows["role_assignee"]]


def _one_factor(policy: str) -> Edit:
    def edit(snapshot: MemorySnapshot) -> None:
        method = _first_rule(snapshot, policy)["actions"]["appSignOn"]
        method["verificationMethod"]["factorMode"] = "1FA"

    return edit


def _password_setting(section: str, name: str, value: int) -> Edit:
    def edit(snapshot: MemorySnapshot) -> None:
        policy = _policy(snapshot, "PASSWORD", "Default Policy")
        policy["settings"]["password"][section][name] = value

    return edit


def _no_second_factor(snapshot: MemorySnapshot) -> None:
    policy = _policy(snapshot, "MFA_ENROLL", "Default Policy")
    for authenticator in policy["settings"]["authenticators"]:
        if authenticator["key"] != "okta_password":
            authenticator["enroll"]["self"] = "OPTIONAL"


def _enroll_never(snapshot: MemorySnapshot) -> None:
    policy = _policy(snapshot, "MFA_ENROLL", "Default Policy")
    _rules(snapshot, policy["id"])[0]["actions"]["enroll"]["self"] = "NEVER"


def _admin_locked(snapshot: MemorySnapshot) -> None:
    snapshot.edit("user", _admin_ids(snapshot)[0])["status"] = "LOCKED_OUT"


def _many_org_admins(snapshot: MemorySnapshot) -> None:
    for user_id in _admin_ids(snapshot)[:6]:
        snapshot.add(
            "user_role",
            {"id": f"ra-org-{user_id}", "type": "ORG_ADMIN", "status": "ACTIVE"},
            parent_id=user_id,
        )


def _role_on_everyone(snapshot: MemorySnapshot) -> None:
    everyone = next(
        d for _p, _i, d in snapshot.rows["group"] if d["type"] == "BUILT_IN"
    )
    snapshot.add(
        "group_role",
        {"id": "ra-everyone", "type": "READ_ONLY_ADMIN", "status": "ACTIVE"},
        parent_id=everyone["id"],
    )


def _public_without_pkce(snapshot: MemorySnapshot) -> None:
    _app(snapshot, "Team Dashboard")["credentials"]["oauthClient"]["pkce_required"] = (
        False
    )


def _static_refresh(snapshot: MemorySnapshot) -> None:
    settings = _app(snapshot, "Expense Portal")["settings"]["oauthClient"]
    settings["refresh_token"]["rotation_type"] = "STATIC"


def _http_redirect(snapshot: MemorySnapshot) -> None:
    settings = _app(snapshot, "Expense Portal")["settings"]["oauthClient"]
    settings["redirect_uris"].append("http://expenses.example.com/callback")


def _short_window(snapshot: MemorySnapshot) -> None:
    snapshot.set_info(log_since=NOW - timedelta(days=30))


def _stale_provisioned_user(status: str, days: int) -> Edit:
    def edit(snapshot: MemorySnapshot) -> None:
        _parent, _id, template = snapshot.rows["user"][-1]
        user = {**template, "id": "00u-pending", "status": status}
        user["statusChanged"] = (NOW - timedelta(days=days)).strftime(
            "%Y-%m-%dT%H:%M:%S.000Z"
        )
        user["lastLogin"] = None
        snapshot.add("user", user)

    return edit


def _embedding_origin(snapshot: MemorySnapshot) -> None:
    _parent, _id, origin = snapshot.rows["trusted_origin"][0]
    origin["scopes"].append({"type": "IFRAME_EMBED", "allowedOktaApps": []})


FAILING: Mapping[str, Edit] = {
    "authn.admin_console_mfa": _one_factor("Okta Admin Console"),
    "authn.dashboard_mfa": _one_factor("Okta Dashboard"),
    "pwd.lowercase": _password_setting("complexity", "minLowerCase", 0),
    "pwd.number": _password_setting("complexity", "minNumber", 0),
    "mfa.enroll_second_factor": _no_second_factor,
    "mfa.enroll_rule_not_never": _enroll_never,
    "user.admin_locked_out": _admin_locked,
    "user.pending_activation": _stale_provisioned_user("PROVISIONED", 40),
    "admin.org_admin_count": _many_org_admins,
    "admin.role_group_hygiene": _role_on_everyone,
    "app.public_client_pkce": _public_without_pkce,
    "app.refresh_token_rotation": _static_refresh,
    "app.redirect_hygiene": _http_redirect,
    "origin.iframe_embed": _embedding_origin,
    "log.window_complete": _short_window,
}
"""Edits of the hardened org for checks the typical org passes or lacks data for."""

PASSING: Mapping[str, Edit] = {
    "user.pending_activation": _stale_provisioned_user("PROVISIONED", 3),
    "origin.iframe_embed": _embedding_origin,
}
"""Edits of the hardened org for checks with nothing to evaluate in it."""

PASSING_OVERRIDES: Mapping[str, Mapping[str, object]] = {
    "origin.iframe_embed": {
        "origin.iframe_embed.allowed_domains": "northwind7.example"
    },
}
