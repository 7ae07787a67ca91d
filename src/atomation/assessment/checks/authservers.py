"""Custom authorization servers: key rotation, token lifetimes, permissive rules.

Servers carry ``credentials.signing.{rotationMode, lastRotated}``; their policies
``conditions.clients.include`` (client ids or ``ALL_CLIENTS``) and their rules
``conditions.grantTypes.include``, ``conditions.scopes.include`` and
``actions.token.{accessTokenLifetimeMinutes, refreshTokenLifetimeMinutes,
refreshTokenWindowMinutes}`` (0 meaning unlimited) (checks.md §11).
"""

from __future__ import annotations

from collections.abc import Iterator

from atomation.assessment.catalogue import CheckList, Threshold
from atomation.assessment.context import CheckContext
from atomation.assessment.results import Finding
from atomation.snapshot.data import Kind, Resource

__all__ = ["checks"]

checks = CheckList("authservers")

_STEP = "In the Admin Console, go to Security > API > Authorization Servers."
_KINDS: tuple[Kind, ...] = (
    "authorization_server",
    "authz_policy",
    "authz_policy_rule",
)


def _rules(ctx: CheckContext) -> Iterator[tuple[Resource, Resource, Resource]]:
    for server in ctx.data.resources("authorization_server"):
        for policy in ctx.data.resources("authz_policy", parent_id=server.id):
            if policy.data.get("status") != "ACTIVE":
                continue
            for rule in ctx.data.resources("authz_policy_rule", parent_id=policy.id):
                if rule.data.get("status") == "ACTIVE":
                    yield server, policy, rule


def _label(server: Resource, policy: Resource, rule: Resource) -> str:
    return f"{server.data['name']} / {policy.data['name']} / {rule.data['name']}"


@checks.add(
    "as.key_rotation",
    title="Authorization servers rotate their signing keys automatically",
    severity="medium",
    rationale="A signing key that is never rotated stays useful to whoever copies "
    "it, for every token it ever signs.",
    remediation=(
        _STEP,
        "Open the server; on Settings set Signing Key Rotation to Automatic.",
    ),
    kinds=("authorization_server",),
    nist=("SC-12",),
    soc2=("CC6.7",),
    source="checks.md §11 OKTA.AS.KEY_ROTATION",
)
def key_rotation(ctx: CheckContext) -> Iterator[Finding]:
    for server in ctx.data.resources("authorization_server"):
        signing = server.data["credentials"]["signing"]
        mode = signing.get("rotationMode")
        yield ctx.finding(
            mode == "AUTO",
            server,
            server.data["name"],
            f"rotationMode is {mode}, "
            f"last rotated {signing.get('lastRotated', 'never')}",
            measured=mode,
            required="AUTO",
        )


@checks.add(
    "as.token_lifetimes",
    title="Access tokens last at most an hour and refresh tokens are bounded",
    severity="medium",
    rationale="A long-lived or unlimited token outlives the session and the "
    "revocation of the user it was issued to.",
    remediation=(
        _STEP,
        "Open the server's Access Policies, edit each rule: access token lifetime "
        "at most the required minutes, refresh token lifetime not unlimited and "
        "its idle window bounded.",
    ),
    kinds=_KINDS,
    thresholds=(
        Threshold("max_access_minutes", 60, 60, "minutes", "access token lifetime"),
        Threshold(
            "max_refresh_minutes", 129600, 129600, "minutes", "refresh token lifetime"
        ),
        Threshold(
            "max_refresh_window_minutes", 10080, 10080, "minutes", "refresh idle window"
        ),
    ),
    nist=("AC-12", "SC-23"),
    soc2=("CC6.1",),
    source="checks.md §11 OKTA.AS.TOKEN_LIFETIMES",
)
def token_lifetimes(ctx: CheckContext) -> Iterator[Finding]:
    limits = {
        "accessTokenLifetimeMinutes": ctx.int_param("max_access_minutes"),
        "refreshTokenLifetimeMinutes": ctx.int_param("max_refresh_minutes"),
        "refreshTokenWindowMinutes": ctx.int_param("max_refresh_window_minutes"),
    }
    for server, policy, rule in _rules(ctx):
        token = rule.data["actions"]["token"]
        over = {
            name: token.get(name)
            for name, limit in limits.items()
            if name in token and not 0 < token[name] <= limit
        }
        yield ctx.finding(
            not over,
            rule,
            _label(server, policy, rule),
            ", ".join(
                f"{k} {'unlimited' if v == 0 else v} (max {limits[k]})"
                for k, v in over.items()
            )
            or "lifetimes within limits",
            measured={k: token.get(k) for k in limits},
            required=limits,
            evidence=[server.evidence, policy.evidence],
        )


@checks.add(
    "as.permissive_rules",
    title="No authorization server rule gives every client the implicit or "
    "password grant, or every scope",
    severity="medium",
    rationale="A rule for ALL_CLIENTS applies to every app created later; with "
    "legacy grants or scope '*' it hands out tokens nobody scoped.",
    remediation=(
        _STEP,
        "Open the server's Access Policies; assign policies to named clients, and "
        "remove Implicit and Resource Owner Password grants and the '*' scope.",
    ),
    kinds=_KINDS,
    nist=("AC-3", "CM-6"),
    soc2=("CC6.1",),
    source="checks.md §11 OKTA.AS.PERMISSIVE_RULES",
)
def permissive_rules(ctx: CheckContext) -> Iterator[Finding]:
    for server, policy, rule in _rules(ctx):
        clients = (
            policy.data.get("conditions", {}).get("clients", {}).get("include", [])
        )
        conditions = rule.data.get("conditions", {})
        grants = set(conditions.get("grantTypes", {}).get("include", []))
        scopes = conditions.get("scopes", {}).get("include", [])
        problems = []
        if "ALL_CLIENTS" in clients:
            legacy = sorted(grants & {"implicit", "password"})
            if legacy:
                problems.append(f"allows {', '.join(legacy)} to ALL_CLIENTS")
            if "*" in scopes:
                problems.append("grants every scope ('*') to ALL_CLIENTS")
        yield ctx.finding(
            not problems,
            rule,
            _label(server, policy, rule),
            "; ".join(problems) if problems else "scoped to named clients or grants",
            measured={"clients": clients, "grants": sorted(grants), "scopes": scopes},
            required="no legacy grant or '*' scope for ALL_CLIENTS",
            evidence=[server.evidence, policy.evidence],
        )
