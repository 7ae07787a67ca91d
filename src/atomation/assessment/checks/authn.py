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

__all__ = ["checks", "duration_minutes"]

checks = CheckList("authn")

_KINDS: tuple[Kind, ...] = ("app", "policy", "policy_rule")
_POLICY_STEPS = ("In the Admin Console, go to Security > Authentication Policies.",)
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


def _allow_rules(ctx: CheckContext, policy: Resource) -> list[Resource]:
    return [
        r
        for r in ctx.facts.rules(policy.id)
        if r.data["actions"]["appSignOn"]["access"] == "ALLOW"
    ]


def _method(rule: Resource) -> dict[str, Any]:
    method: dict[str, Any] = rule.data["actions"]["appSignOn"].get(
        "verificationMethod", {}
    )
    return method


def _possession(rule: Resource) -> list[dict[str, Any]]:
    return [
        c["possession"]
        for c in _method(rule).get("constraints", [])
        if "possession" in c
    ]


def _first_party(
    ctx: CheckContext, app_name: str
) -> Iterator[tuple[Resource, Resource, str]]:
    policy, how = ctx.facts.first_party_policy(app_name)
    if policy is None:
        return
    for rule in _allow_rules(ctx, policy):
        yield policy, rule, how


def _mfa(ctx: CheckContext, app_name: str) -> Iterator[Finding]:
    policy, how = ctx.facts.first_party_policy(app_name)
    if policy is None:
        return
    rules = _allow_rules(ctx, policy)
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
        mode = _method(rule).get("factorMode")
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
    *_POLICY_STEPS,
    "Open the policy, edit each rule that allows access and set 'User must "
    "authenticate with' to 'Password / IdP + Another factor' or 'Any 2 factor "
    "types'; save.",
)
_PR_REMEDIATION = (
    *_POLICY_STEPS,
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
    kinds=_KINDS,
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
    kinds=_KINDS,
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
    kinds=_KINDS,
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
    kinds=_KINDS,
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
        *_POLICY_STEPS,
        "Choose the 'Okta Admin Console' policy; in each rule that allows access, "
        "restrict possession factors to FIDO2 (WebAuthn) and Okta Verify and "
        "remove the security question from knowledge factors; save.",
    ),
    kinds=_KINDS,
    nist=("IA-2(8)",),
    soc2=("CC6.1",),
    source="checks.md §3 OKTA.AUTHN.ADMIN_CONSOLE_WEAK_METHODS",
)
def admin_console_weak_methods(ctx: CheckContext) -> Iterator[Finding]:
    for policy, rule, _how in _first_party(ctx, ADMIN_CONSOLE_APP):
        allowed: set[str] = set()
        restricted = False
        for constraint in _method(rule).get("constraints", []):
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
        *_POLICY_STEPS,
        "Choose the 'Okta Admin Console' policy; in each rule that allows access set "
        "'Device state is' to Registered and 'Device management is' to Managed, set "
        "re-authentication frequency to the required hours or less, and do not "
        "show 'Keep me signed in' after authentication.",
    ),
    kinds=_KINDS,
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
        reauth = _method(rule).get("reauthenticateIn")
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


def _no_device(rule: Resource) -> bool:
    device = (rule.data.get("conditions") or {}).get("device") or {}
    return not (device.get("managed") or device.get("registered"))


def _anywhere(rule: Resource) -> bool:
    network = (rule.data.get("conditions") or {}).get("network") or {}
    return bool(network.get("connection", "ANYWHERE") == "ANYWHERE")


@checks.add(
    "authn.single_factor_apps",
    title="No app can be reached with one factor from anywhere",
    severity="high",
    rationale="A policy rule that accepts a password alone from any network, on "
    "any device, makes every app mapped to it a password-spray target.",
    remediation=(
        *_POLICY_STEPS,
        "Open each policy mapped to apps; edit rules with 'Any 1 factor type' / "
        "'Password' to require two factors, or restrict them to a network zone "
        "and a managed device.",
    ),
    kinds=(*_KINDS, "policy_mapping"),
    nist=("IA-2(1)", "IA-2(2)"),
    soc2=("CC6.1",),
    source="checks.md §3 OKTA.AUTHN.SINGLE_FACTOR_APPS",
)
def single_factor_apps(ctx: CheckContext) -> Iterator[Finding]:
    active_apps = {a.id for a in ctx.facts.apps if a.data.get("status") == "ACTIVE"}
    for policy in ctx.facts.policies("ACCESS_POLICY"):
        apps = [a for a in ctx.facts.mapped_app_ids(policy.id) if a in active_apps]
        if not apps:
            continue
        for rule in _allow_rules(ctx, policy):
            mode = _method(rule).get("factorMode")
            exposed = mode == "1FA" and _anywhere(rule) and _no_device(rule)
            yield ctx.finding(
                not exposed,
                rule,
                rule_label(policy, rule),
                f"factorMode {mode} from "
                f"{'anywhere' if _anywhere(rule) else 'named zones'}; "
                f"{len(apps)} active app(s) mapped",
                measured={"factorMode": mode, "anywhere": _anywhere(rule)},
                required="2FA, or a zone and device condition",
                evidence=[policy.evidence],
            )


@checks.add(
    "authn.app_network_zones",
    title="Every app's authentication policy restricts access by network zone",
    severity="medium",
    rationale="Zone conditions let an org deny or step up sign-ins from networks "
    "it does not trust; a policy with none treats the internet as the office.",
    remediation=(
        *_POLICY_STEPS,
        "For each policy used by apps, add a rule whose 'User's IP' condition "
        "names network zones (allow from trusted zones, deny or step up elsewhere).",
    ),
    kinds=(*_KINDS, "zone"),
    stig=("OKTA-APP-003244",),
    nist=("AC-4", "SC-7"),
    soc2=("CC6.6",),
    source="checks.md §3 OKTA.AUTHN.APP_NETWORK_ZONES",
)
def app_network_zones(ctx: CheckContext) -> Iterator[Finding]:
    for app in ctx.facts.apps:
        if app.data.get("status") != "ACTIVE":
            continue
        oauth = app.data.get("settings", {}).get("oauthClient", {})
        if oauth.get("application_type") == "service":
            continue  # a service app signs no user in: it has no sign-in policy
        policy = ctx.facts.access_policy_of(app)
        label = app.data["label"]
        if policy is None:
            yield ctx.finding(
                False,
                app,
                label,
                "no authentication policy is linked to the app",
                measured=None,
                required="a policy with a network zone rule",
            )
            continue
        zoned = [
            r.data["name"]
            for r in ctx.facts.rules(policy.id)
            if (r.data.get("conditions") or {}).get("network", {}).get("connection")
            == "ZONE"
        ]
        yield ctx.finding(
            bool(zoned),
            app,
            label,
            f"policy '{policy.data['name']}' has "
            + (f"zone rules ({', '.join(zoned)})" if zoned else "no zone rule"),
            measured=len(zoned),
            required=">= 1 rule with a network zone",
            evidence=[policy.evidence],
        )


@checks.add(
    "authn.catch_all_deny",
    title="Authentication policies end in a catch-all rule that denies access",
    severity="medium",
    rationale="The catch-all rule decides every sign-in no other rule matched; "
    "allowing there grants access to situations nobody planned for.",
    remediation=(
        *_POLICY_STEPS,
        "Open each policy, edit its 'Catch-all Rule' and set 'Access is' to Denied "
        "(add explicit rules for the cases that should be allowed).",
    ),
    kinds=("policy", "policy_rule"),
    nist=("AC-3",),
    soc2=("CC6.1",),
    source="checks.md §3 (strict mode: every rule that allows access)",
)
def catch_all_deny(ctx: CheckContext) -> Iterator[Finding]:
    for policy in ctx.facts.policies("ACCESS_POLICY"):
        rules = ctx.facts.rules(policy.id)
        if not rules:
            continue
        last = rules[-1]
        access = last.data["actions"]["appSignOn"]["access"]
        yield ctx.finding(
            access == "DENY",
            last,
            rule_label(policy, last),
            f"the last rule's access is {access}; DENY is required",
            measured=access,
            required="DENY",
            evidence=[policy.evidence],
        )


@checks.add(
    "authn.keep_me_signed_in",
    title="No authentication policy offers 'Keep me signed in' after sign-in",
    severity="low",
    rationale="'Keep me signed in' lets a device skip later factor prompts; on "
    "a shared or stolen device it keeps the door open.",
    remediation=(
        *_POLICY_STEPS,
        "Edit each rule that allows access and set 'Show Keep me signed in' "
        "(post-authentication) to not allowed.",
    ),
    kinds=("policy", "policy_rule"),
    nist=("AC-12",),
    soc2=("CC6.1",),
    source="checks.md §3 OKTA.AUTHN.ADMIN_CONSOLE_CONTEXT (keepMeSignedIn)",
)
def keep_me_signed_in(ctx: CheckContext) -> Iterator[Finding]:
    for policy in ctx.facts.policies("ACCESS_POLICY"):
        for rule in _allow_rules(ctx, policy):
            keep = rule.data["actions"]["appSignOn"].get("keepMeSignedIn", {})
            offered = keep.get("postAuth") == "ALLOWED"
            yield ctx.finding(
                not offered,
                rule,
                rule_label(policy, rule),
                f"keepMeSignedIn.postAuth is {keep.get('postAuth', 'not set')}",
                measured=keep.get("postAuth"),
                required="NOT_ALLOWED",
                evidence=[policy.evidence],
            )
