"""Administrators, roles and privilege paths.

The admin set is every user listed by ``/api/v1/iam/assignees/users`` with the
roles ``/api/v1/users/{id}/roles`` returns for them, which include roles held
through a group (``assignmentType`` GROUP). Service apps hold roles of their own
(``/oauth2/v1/clients/{id}/roles``, ``assignmentType`` CLIENT). Custom roles are
judged by their permissions (``/api/v1/iam/roles/{id}/permissions``) (checks.md
§7; role types from the spec's ``RoleType``).
"""

from __future__ import annotations

from collections.abc import Iterator

from atomation.assessment.catalogue import CheckList, Threshold
from atomation.assessment.checks.users import second_factors
from atomation.assessment.context import (
    PHISHING_RESISTANT_FACTORS,
    CheckContext,
    age_days,
)
from atomation.assessment.results import Finding
from atomation.snapshot.data import Kind, Resource

__all__ = ["checks"]

checks = CheckList("admins")

_ADMINS: tuple[Kind, ...] = ("role_assignee", "user_role", "user")
_ROLES_STEP = "In the Admin Console, go to Security > Administrators."
# Roles that can change anything in the org (checks.md §7).
_BROAD_ROLES = frozenset({"SUPER_ADMIN", "ORG_ADMIN"})
# Custom-role permissions that amount to taking over accounts or the org's
# security configuration (checks.md §7 OKTA.ADMIN.CUSTOM_ROLE_RISK).
_TAKEOVER_PERMISSIONS = (
    "okta.users.credentials.",
    "okta.users.lifecycle.",
    "okta.users.manage",
    "okta.groups.members.manage",
    "okta.groups.manage",
    "okta.apps.manage",
    "okta.policies.manage",
    "okta.idps.manage",
    "okta.authzServers.manage",
)


def _admins(ctx: CheckContext) -> Iterator[tuple[Resource, set[str]]]:
    for user_id, roles in sorted(ctx.facts.admin_roles.items()):
        user = ctx.facts.user(user_id)
        if user is not None:
            yield user, roles


def _label(user: Resource, roles: set[str]) -> str:
    return f"{user.data['profile']['login']} ({', '.join(sorted(roles))})"


@checks.add(
    "admin.super_admin_count",
    title="At most 15 users, and at most half of all admins, are Super Admins",
    severity="high",
    rationale="Every Super Admin can undo every control; HealthInsight flags more "
    "than 15, or more than half of all admins, as a critical task.",
    remediation=(
        _ROLES_STEP,
        "Review the Super Administrator holders and move each to the narrowest "
        "standard or custom role that covers their work.",
    ),
    kinds=_ADMINS,
    thresholds=(
        Threshold("max_count", 15, 15, "users", "most Super Admins"),
        Threshold("max_share", 0.5, 0.5, "fraction", "largest share of all admins"),
    ),
    nist=("AC-6(5)", "AC-2(7)"),
    soc2=("CC6.3",),
    source="checks.md §7 OKTA.ADMIN.SUPER_ADMIN_COUNT",
)
def super_admin_count(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.int_param("max_count")
    share = ctx.float_param("max_share")
    admins = ctx.facts.admin_roles
    supers = sorted(u for u, roles in admins.items() if "SUPER_ADMIN" in roles)
    if not admins:
        return
    fraction = len(supers) / len(admins)
    refs = [ref for u in supers for ref in ctx.facts.admin_role_refs[u]]
    yield ctx.summary(
        len(supers) <= limit and fraction <= share,
        "population",
        "Super Administrators",
        f"{len(supers)} of {len(admins)} admins hold SUPER_ADMIN "
        f"({fraction:.0%}); at most {limit} and {share:.0%} are allowed",
        measured={"count": len(supers), "share": round(fraction, 3)},
        required={"count": limit, "share": share},
        evidence=refs,
    )


@checks.add(
    "admin.org_admin_count",
    title="At most 5 users are Org Admins",
    severity="medium",
    rationale="Org Admins manage users, groups, apps and most settings; the role "
    "should be as rare as Super Admin.",
    remediation=(_ROLES_STEP, "Review Organization Administrator holders."),
    kinds=_ADMINS,
    thresholds=(Threshold("max_count", 5, 10, "users", "most Org Admins"),),
    nist=("AC-6(5)",),
    soc2=("CC6.3",),
    source="checks.md §7 OKTA.ADMIN.ORG_ADMIN_COUNT",
)
def org_admin_count(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.int_param("max_count")
    admins = ctx.facts.admin_roles
    if not admins:
        return
    holders = sorted(u for u, roles in admins.items() if "ORG_ADMIN" in roles)
    yield ctx.summary(
        len(holders) <= limit,
        "population",
        "Organization Administrators",
        f"{len(holders)} users hold ORG_ADMIN; at most {limit} are allowed",
        measured=len(holders),
        required=limit,
        evidence=[r for u in holders for r in ctx.facts.admin_role_refs[u]],
    )


@checks.add(
    "admin.no_mfa",
    title="Every administrator has an active second factor",
    severity="critical",
    rationale="An admin with only a password is the cheapest way to own the org.",
    remediation=(
        _ROLES_STEP,
        "For each admin listed, have them enroll FIDO2 or Okta Verify (Directory > "
        "People > the user > Reset Multifactor if a reset is needed).",
    ),
    kinds=(*_ADMINS, "user_factor"),
    nist=("IA-2(1)",),
    soc2=("CC6.1",),
    source="checks.md §7 OKTA.ADMIN.NO_MFA",
)
def no_mfa(ctx: CheckContext) -> Iterator[Finding]:
    for user, roles in _admins(ctx):
        factors = ctx.facts.active_factors(user.id)
        second = sorted(second_factors({f.data["factorType"] for f in factors}))
        yield ctx.finding(
            bool(second),
            user,
            _label(user, roles),
            f"second factors: {', '.join(second)}"
            if second
            else "no active second factor",
            measured=second,
            required="an ACTIVE factor besides password and security question",
            evidence=[f.evidence for f in factors] + ctx.facts.admin_role_refs[user.id],
        )


@checks.add(
    "admin.phishing_resistant_factor",
    title="Every administrator holds a phishing-resistant factor",
    severity="high",
    rationale="Admins are the target of real-time phishing kits; only FIDO2/U2F "
    "or Okta FastPass resist them.",
    remediation=(
        _ROLES_STEP,
        "Have each admin listed enroll a FIDO2 key or Okta FastPass, then require "
        "phishing resistance in the Admin Console policy.",
    ),
    kinds=(*_ADMINS, "user_factor"),
    nist=("IA-2(1)", "IA-2(8)"),
    soc2=("CC6.1",),
    source="checks.md §7 OKTA.ADMIN.PHISHING_RESISTANT_FACTOR",
)
def phishing_resistant_factor(ctx: CheckContext) -> Iterator[Finding]:
    for user, roles in _admins(ctx):
        factors = ctx.facts.active_factors(user.id)
        types = {f.data["factorType"] for f in factors}
        strong = sorted(types & PHISHING_RESISTANT_FACTORS)
        yield ctx.finding(
            bool(strong),
            user,
            _label(user, roles),
            f"phishing-resistant: {', '.join(strong)}"
            if strong
            else "no phishing-resistant factor (has: "
            f"{', '.join(sorted(types)) or 'none'})",
            measured=sorted(types),
            required="an ACTIVE webauthn, u2f or signed_nonce factor",
            evidence=[f.evidence for f in factors] + ctx.facts.admin_role_refs[user.id],
        )


@checks.add(
    "admin.dormant",
    title="Every administrator has signed in within the last 30 days",
    severity="high",
    rationale="An admin role on an unused account is standing privilege nobody "
    "watches.",
    remediation=(_ROLES_STEP, "Remove the roles of admins who no longer use them."),
    kinds=_ADMINS,
    thresholds=(Threshold("max_days", 30, 45, "days", "longest time since sign-in"),),
    nist=("AC-2(3)", "AC-6(7)"),
    soc2=("CC6.3",),
    source="checks.md §7 OKTA.ADMIN.DORMANT",
)
def dormant(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.int_param("max_days")
    for user, roles in _admins(ctx):
        days = age_days(user.data.get("lastLogin"), ctx.now)
        ok = days is not None and days <= limit
        yield ctx.finding(
            ok,
            user,
            _label(user, roles),
            "never signed in"
            if days is None
            else f"last signed in {days:.0f} days ago; at most {limit} is allowed",
            measured=None if days is None else round(days),
            required=limit,
            evidence=ctx.facts.admin_role_refs[user.id],
        )


@checks.add(
    "admin.role_on_disabled_user",
    title="No admin role is held by a suspended or deactivated account",
    severity="medium",
    rationale="A role left on a disabled account comes back the moment the "
    "account is reactivated.",
    remediation=(_ROLES_STEP, "Remove the roles from the accounts listed."),
    kinds=_ADMINS,
    nist=("AC-2",),
    soc2=("CC6.2",),
    source="checks.md §7 OKTA.ADMIN.ROLE_ON_DISABLED_USER",
)
def role_on_disabled_user(ctx: CheckContext) -> Iterator[Finding]:
    for user, roles in _admins(ctx):
        status = user.data["status"]
        yield ctx.finding(
            status not in ("SUSPENDED", "DEPROVISIONED"),
            user,
            _label(user, roles),
            f"account status is {status}",
            measured=status,
            required="not SUSPENDED or DEPROVISIONED",
            evidence=ctx.facts.admin_role_refs[user.id],
        )


@checks.add(
    "admin.role_group_hygiene",
    title="Groups that carry admin roles are small, Okta-mastered and not Everyone",
    severity="high",
    rationale="Whoever can join a role-holding group gets the role: Everyone gives "
    "it to all, a directory-mastered group to whoever edits the directory.",
    remediation=(
        _ROLES_STEP,
        "Move roles off Everyone and off imported (AD/LDAP) groups to small Okta "
        "groups; trim their membership.",
    ),
    kinds=("group", "group_role", "group_member"),
    thresholds=(Threshold("max_members", 10, 25, "users", "largest admin group"),),
    nist=("AC-6", "AC-2(7)"),
    soc2=("CC6.3",),
    source="checks.md §7 OKTA.ADMIN.ROLE_GROUP_HYGIENE",
)
def role_group_hygiene(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.int_param("max_members")
    for group_id, roles in sorted(ctx.facts.group_roles.items()):
        group = ctx.data.resource("group", group_id)
        if group is None:
            continue
        members = ctx.data.count("group_member", parent_id=group_id)
        problems = []
        if group.data["type"] == "BUILT_IN":
            problems.append("it is the built-in Everyone group")
        if group.data["type"] == "APP_GROUP":
            problems.append("its membership is mastered outside Okta")
        if members > limit:
            problems.append(f"{members} members (at most {limit})")
        name = group.data["profile"]["name"]
        yield ctx.finding(
            not problems,
            group,
            f"{name} ({', '.join(sorted(roles))})",
            "; ".join(problems) if problems else f"{members} members, Okta-mastered",
            measured={"type": group.data["type"], "members": members},
            required={"type": "OKTA_GROUP", "members": limit},
        )


@checks.add(
    "admin.group_rule_escalation",
    title="No group rule adds users to a group that holds an admin role",
    severity="critical",
    rationale="A group rule evaluates profile attributes that users, HR feeds or "
    "directories can change, which turns an attribute edit into an admin grant.",
    remediation=(
        "In the Admin Console, go to Directory > Groups > Rules.",
        "Deactivate or retarget each rule listed; grant admin groups by hand.",
    ),
    kinds=("group_rule", "group_role"),
    nist=("AC-6", "CM-5"),
    soc2=("CC6.3",),
    source="checks.md §7 OKTA.ADMIN.GROUP_RULE_ESCALATION",
)
def group_rule_escalation(ctx: CheckContext) -> Iterator[Finding]:
    admin_groups = ctx.facts.group_roles
    for rule in ctx.data.resources("group_rule"):
        if rule.data.get("status") != "ACTIVE":
            continue
        targets = rule.data["actions"]["assignUserToGroups"]["groupIds"]
        hits = sorted(g for g in targets if g in admin_groups)
        yield ctx.finding(
            not hits,
            rule,
            rule.data["name"],
            f"adds users to admin group(s) {', '.join(hits)}"
            if hits
            else "targets no admin group",
            measured=hits,
            required="no target group holding a role",
        )


@checks.add(
    "admin.service_app_roles",
    title="No service app holds Super Admin or Org Admin",
    severity="high",
    rationale="A service app's credentials sit in some other system; with a broad "
    "role, whoever reads them owns the org.",
    remediation=(
        "In the Admin Console, go to Applications, open the service app, tab "
        "Admin roles.",
        "Replace Super/Org Administrator with Read-Only Administrator or a custom "
        "role scoped to what the integration needs.",
    ),
    kinds=("app", "client_role"),
    nist=("AC-6(5)", "IA-9"),
    soc2=("CC6.3",),
    source="checks.md §7 OKTA.ADMIN.SERVICE_APP_ROLES",
)
def service_app_roles(ctx: CheckContext) -> Iterator[Finding]:
    for app in ctx.facts.apps:
        client_id = (
            app.data.get("credentials", {}).get("oauthClient", {}).get("client_id")
        )
        roles = ctx.facts.client_roles.get(client_id or "", [])
        if not roles:
            continue
        types = sorted({r.data["type"] for r in roles})
        broad = sorted(set(types) & _BROAD_ROLES)
        yield ctx.finding(
            not broad,
            app,
            app.data["label"],
            f"holds {', '.join(types)}",
            measured=types,
            required="no SUPER_ADMIN or ORG_ADMIN",
            evidence=[r.evidence for r in roles],
        )


@checks.add(
    "admin.custom_role_risk",
    title="No custom role grants credential resets, lifecycle or security "
    "configuration changes",
    severity="high",
    rationale="Resetting another user's password or factors is account takeover; "
    "such permissions belong in a small, watched standard role.",
    remediation=(
        "In the Admin Console, go to Security > Administrators > Roles.",
        "Remove the permissions listed from the custom role, or bind it to a "
        "resource set that excludes administrators.",
    ),
    kinds=("iam_role", "iam_role_permission"),
    nist=("AC-6", "AC-5"),
    soc2=("CC6.3",),
    source="checks.md §7 OKTA.ADMIN.CUSTOM_ROLE_RISK",
)
def custom_role_risk(ctx: CheckContext) -> Iterator[Finding]:
    for role in ctx.data.resources("iam_role"):
        permissions = list(ctx.data.resources("iam_role_permission", parent_id=role.id))
        names = [p.data.get("label", p.id) for p in permissions]
        risky = sorted(n for n in names if n.startswith(_TAKEOVER_PERMISSIONS))
        yield ctx.finding(
            not risky,
            role,
            role.data["label"],
            f"grants {', '.join(risky)}" if risky else "no takeover-grade permission",
            measured=risky,
            required="none of the takeover-grade permissions",
            evidence=[p.evidence for p in permissions],
        )
