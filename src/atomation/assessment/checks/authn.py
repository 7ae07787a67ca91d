"""Authentication policies (``ACCESS_POLICY``), Admin Console and Dashboard first.

Every app signs in through one authentication policy; its rules are tried in
priority order and the first match decides. A rule that allows access says how
with ``actions.appSignOn.verificationMethod``: ``factorMode`` (``1FA``/``2FA``),
``constraints[]`` on ``knowledge`` and ``possession`` (``phishingResistant``,
``deviceBound``, ``methods``, ``types``), ``reauthenticateIn`` (ISO 8601
duration). The first-party apps are found by their ``_links.accessPolicy`` or,
when hidden from the service app's role, by policy name (checks.md §0.2-0.3, §3).

The STIG reads only the top active rule; these checks read every active rule
that allows access ("strict mode", checks.md §3), since a weaker lower rule is
reachable by whoever it matches.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from atomation.assessment.catalogue import CheckList, Threshold
from atomation.assessment.context import (
    ADMIN_CONSOLE_APP,
    DASHBOARD_APP,
    CheckContext,
    rule_label,
)
from atomation.assessment.results import Finding
from atomation.snapshot.data import Kind, Resource

__all__ = [
    "POLICY_KINDS",
    "POLICY_STEPS",
    "allow_rules",
    "checks",
    "duration_minutes",
    "verification_method",
]

checks = CheckList("authn")

POLICY_KINDS: tuple[Kind, ...] = ("app", "policy", "policy_rule")
POLICY_STEPS = ("In the Admin Console, go to Security > Authentication Policies.",)
# Methods an attacker can phish or intercept (checks.md §3 ADMIN_CONSOLE_WEAK_METHODS).
_WEAK_METHODS = frozenset({"sms", "voice", "email", "security_question"})
_DURATION = re.compile(r"^P(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+)S)?)?$")


def duration_minutes(text: str) -> float:
    """An ISO 8601 duration such as ``PT12H`` or ``P1DT30M`` in minutes."""
    match = _DURATION.match(text)
    if match is None:
        raise ValueError(f"not an ISO 8601 duration: {text!r}")
    days, hours, minutes, seconds = (int(g) if g else 0 for g in match.groups())
    return days * 1440 + hours * 60 + minutes + seconds / 60


def allow_rules(ctx: CheckContext, policy: Resource) -> list[Resource]:
    return [
        r
        for r in ctx.facts.rules(policy.id)
        if r.data["actions"]["appSignOn"]["access"] == "ALLOW"
    ]


def verification_method(rule: Resource) -> dict[str, Any]:
    method: dict[str, Any] = rule.data["actions"]["appSignOn"].get(
        "verificationMethod", {}
    )
    return method


def _possession(rule: Resource) -> list[dict[str, Any]]:
    return [
        c["possession"]
        for c in verification_method(rule).get("constraints", [])
        if "possession" in c
    ]


def _first_party(
    ctx: CheckContext, app_name: str
) -> Iterator[tuple[Resource, Resource, str]]:
    policy, how = ctx.facts.first_party_policy(app_name)
    if policy is None:
        return
    for rule in allow_rules(ctx, policy):
        yield policy, rule, how


def _mfa(ctx: CheckContext, app_name: str) -> Iterator[Finding]:
    policy, how = ctx.facts.first_party_policy(app_name)
    if policy is None:
        return
    rules = allow_rules(ctx, policy)
    if not rules:
        yield ctx.finding(
            True,
            policy,
            policy.data["name"],
            "no active rule allows access",
            measured="deny",
            required="2FA",
        )
    for rule in rules:
        mode = verification_method(rule).get("factorMode")
        yield ctx.finding(
            mode == "2FA",
            rule,
            rule_label(policy, rule),
            f"factorMode is {mode} ({how}); 2FA is required",
            measured=mode,
            required="2FA",
            evidence=[policy.evidence],
        )


def _phishing_resistant(ctx: CheckContext, app_name: str) -> Iterator[Finding]:
    for policy, rule, how in _first_party(ctx, app_name):
        required = any(
            p.get("phishingResistant") == "REQUIRED" for p in _possession(rule)
        )
        yield ctx.finding(
            required,
            rule,
            rule_label(policy, rule),
            "a possession constraint with phishingResistant REQUIRED is "
            + ("present" if required else f"missing ({how})"),
            measured=required,
            required=True,
            evidence=[policy.evidence],
        )


_MFA_REMEDIATION = (
    *POLICY_STEPS,
    "Open the policy, edit each rule that allows access and set 'User must "
    "authenticate with' to 'Password / IdP + Another factor' or 'Any 2 factor "
    "types'; save.",
)
_PR_REMEDIATION = (
    *POLICY_STEPS,
    "Open the policy, edit each rule that allows access; under 'Possession factor "
    "constraints are' tick 'Phishing resistant'; save.",
)


@checks.add(
    "authn.admin_console_mfa",
    title="The Okta Admin Console requires two factors",
    severity="critical",
    rationale="The Admin Console controls every identity in the org; a password "
    "alone must never open it.",
    remediation=(
        _MFA_REMEDIATION[0],
        "Choose the 'Okta Admin Console' policy. " + _MFA_REMEDIATION[1],
    ),
    kinds=POLICY_KINDS,
    stig=("OKTA-APP-000560",),
    nist=("IA-2(1)",),
    soc2=("CC6.1",),
    source="checks.md §3 OKTA.AUTHN.ADMIN_CONSOLE_MFA",
)
def admin_console_mfa(ctx: CheckContext) -> Iterator[Finding]:
    yield from _mfa(ctx, ADMIN_CONSOLE_APP)


@checks.add(
    "authn.dashboard_mfa",
    title="The Okta Dashboard requires two factors",
    severity="high",
    rationale="The Dashboard opens every assigned app; single-factor access to it "
    "is single-factor access to all of them.",
    remediation=(
        _MFA_REMEDIATION[0],
        "Choose the 'Okta Dashboard' policy. " + _MFA_REMEDIATION[1],
    ),
    kinds=POLICY_KINDS,
    stig=("OKTA-APP-000570",),
    nist=("IA-2(2)",),
    soc2=("CC6.1",),
    source="checks.md §3 OKTA.AUTHN.DASHBOARD_MFA",
)
def dashboard_mfa(ctx: CheckContext) -> Iterator[Finding]:
    yield from _mfa(ctx, DASHBOARD_APP)


@checks.add(
    "authn.admin_console_phishing_resistant",
    title="The Okta Admin Console accepts only phishing-resistant authenticators",
    severity="high",
    rationale="Push, OTP and SMS can be relayed by a phishing proxy; FIDO2 and "
    "Okta FastPass bind the sign-in to the real Okta origin.",
    remediation=(
        _PR_REMEDIATION[0],
        "Choose the 'Okta Admin Console' policy. " + _PR_REMEDIATION[1],
    ),
    kinds=POLICY_KINDS,
    stig=("OKTA-APP-000190",),
    nist=("IA-2(1)", "IA-2(8)", "AC-7"),
    soc2=("CC6.1",),
    source="checks.md §3 OKTA.AUTHN.ADMIN_CONSOLE_PHISHING_RESISTANT",
)
def admin_console_phishing_resistant(ctx: CheckContext) -> Iterator[Finding]:
    yield from _phishing_resistant(ctx, ADMIN_CONSOLE_APP)


@checks.add(
    "authn.dashboard_phishing_resistant",
    title="The Okta Dashboard accepts only phishing-resistant authenticators",
    severity="medium",
    rationale="A relayed Dashboard sign-in hands the attacker a session for every "
    "app the user holds.",
    remediation=(
        _PR_REMEDIATION[0],
        "Choose the 'Okta Dashboard' policy. " + _PR_REMEDIATION[1],
    ),
    kinds=POLICY_KINDS,
    stig=("OKTA-APP-000180",),
    nist=("IA-2(2)", "IA-2(8)", "AC-7"),
    soc2=("CC6.1",),
    source="checks.md §3 OKTA.AUTHN.DASHBOARD_PHISHING_RESISTANT",
)
def dashboard_phishing_resistant(ctx: CheckContext) -> Iterator[Finding]:
    yield from _phishing_resistant(ctx, DASHBOARD_APP)


@checks.add(
    "authn.admin_console_weak_methods",
    title="The Okta Admin Console excludes phone, email and security questions",
    severity="high",
    rationale="SMS, voice and email codes can be intercepted or SIM-swapped, and a "
    "security question is a second password; none belongs on admin access.",
    remediation=(
        *POLICY_STEPS,
        "Choose the 'Okta Admin Console' policy; in each rule that allows access, "
        "restrict possession factors to FIDO2 (WebAuthn) and Okta Verify and "
        "remove the security question from knowledge factors; save.",
    ),
    kinds=POLICY_KINDS,
    nist=("IA-2(8)",),
    soc2=("CC6.1",),
    source="checks.md §3 OKTA.AUTHN.ADMIN_CONSOLE_WEAK_METHODS",
)
def admin_console_weak_methods(ctx: CheckContext) -> Iterator[Finding]:
    for policy, rule, _how in _first_party(ctx, ADMIN_CONSOLE_APP):
        allowed: set[str] = set()
        restricted = False
        for constraint in verification_method(rule).get("constraints", []):
            allowed.update(constraint.get("knowledge", {}).get("types", []))
            possession = constraint.get("possession")
            if possession is None:
                continue
            listed = set(possession.get("methods", [])) | set(
                possession.get("types", [])
            )
            excluded = {
                m.get("key", m.get("method", ""))
                for m in possession.get("excludedAuthenticationMethods", [])
                if isinstance(m, dict)
            }
            allowed.update(listed)
            if (
                listed
                or possession.get("phishingResistant") == "REQUIRED"
                or {"phone_number", "okta_email"} <= excluded
            ):
                restricted = True
        weak = sorted(allowed & _WEAK_METHODS)
        ok = restricted and not weak
        problems = []
        if weak:
            problems.append(f"allows {', '.join(weak)}")
        if not restricted:
            problems.append("does not restrict possession authenticators")
        yield ctx.finding(
            ok,
            rule,
            rule_label(policy, rule),
            "; ".join(problems) if problems else "only strong methods are allowed",
            measured={"weak": weak, "possession_restricted": restricted},
            required="no sms, voice, email or security_question; possession restricted",
            evidence=[policy.evidence],
        )


@checks.add(
    "authn.admin_console_context",
    title="Admin Console rules require a managed device and re-authentication "
    "within 12 hours",
    severity="medium",
    rationale="Binding admin access to managed devices and a bounded "
    "re-authentication interval limits what a stolen session cookie is worth.",
    remediation=(
        *POLICY_STEPS,
        "Choose the 'Okta Admin Console' policy; in each rule that allows access set "
        "'Device state is' to Registered and 'Device management is' to Managed, set "
        "re-authentication frequency to the required hours or less, and do not "
        "show 'Keep me signed in' after authentication.",
    ),
    kinds=POLICY_KINDS,
    thresholds=(
        Threshold(
            "max_reauthenticate_hours",
            12,
            12,
            "hours",
            "longest time before an admin must authenticate again",
        ),
    ),
    nist=("AC-12", "IA-11"),
    soc2=("CC6.1",),
    source="checks.md §3 OKTA.AUTHN.ADMIN_CONSOLE_CONTEXT",
)
def admin_console_context(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.int_param("max_reauthenticate_hours")
    for policy, rule, _how in _first_party(ctx, ADMIN_CONSOLE_APP):
        problems = []
        reauth = verification_method(rule).get("reauthenticateIn")
        if reauth is None or duration_minutes(reauth) > limit * 60:
            problems.append(f"reauthenticateIn is {reauth} (more than PT{limit}H)")
        device = (rule.data.get("conditions") or {}).get("device") or {}
        if not (device.get("managed") or device.get("registered")):
            problems.append("no device condition is set")
        keep = rule.data["actions"]["appSignOn"].get("keepMeSignedIn", {})
        if keep.get("postAuth") == "ALLOWED":
            problems.append("'keep me signed in' is offered after authentication")
        yield ctx.finding(
            not problems,
            rule,
            rule_label(policy, rule),
            "; ".join(problems) if problems else "device and re-authentication bound",
            measured={"reauthenticateIn": reauth, "device": device or None},
            required=f"re-authentication within PT{limit}H on a managed device",
            evidence=[policy.evidence],
        )
