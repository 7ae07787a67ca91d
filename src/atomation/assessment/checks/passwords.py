"""Password policies (``PASSWORD``): complexity, age, history, lockout, recovery.

Every ACTIVE password policy is evaluated, not only the default one, so that a
weaker policy for some group cannot hide behind a compliant default (checks.md
§0.5, §4). Policies for users whose password lives in Active Directory or LDAP
(``conditions.authProvider.provider`` other than ``OKTA``) are left out: the
directory enforces those passwords, as the STIG text allows. Settings are read
from ``settings.password.{complexity, age, lockout}`` and
``settings.recovery.factors``; self-service reset from the rules'
``actions.selfServicePasswordReset`` (spec ``PasswordPolicy*``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from atomation.assessment.catalogue import CheckList, Severity, Threshold
from atomation.assessment.context import CheckContext
from atomation.assessment.results import Finding
from atomation.snapshot.data import Resource

__all__ = ["checks"]

checks = CheckList("password")

_STEPS = (
    "In the Admin Console, go to Security > Authenticators, open Password > "
    "Actions > Edit, and edit each active policy.",
)


def _okta_policies(ctx: CheckContext) -> Iterator[Resource]:
    for policy in ctx.facts.policies("PASSWORD"):
        provider = (
            (policy.data.get("conditions") or {})
            .get("authProvider", {})
            .get("provider", "OKTA")
        )
        if provider == "OKTA":
            yield policy


def _minimum(
    id: str,
    *,
    title: str,
    field: tuple[str, str],
    threshold: Threshold,
    severity: Severity,
    rationale: str,
    setting: str,
    stig: str,
) -> None:
    """Register a check that a numeric password setting is at least a threshold."""
    section, name = field

    @checks.add(
        id,
        title=title,
        severity=severity,
        rationale=rationale,
        remediation=(*_STEPS, f"Set '{setting}' to the required value; save."),
        kinds=("policy",),
        thresholds=(threshold,),
        stig=(stig,),
        nist=("IA-5(1)",),
        soc2=("CC6.1",),
        source=f"checks.md §4, settings.password.{section}.{name}",
    )
    def evaluate(ctx: CheckContext) -> Iterator[Finding]:
        required = ctx.int_param(threshold.name)
        for policy in _okta_policies(ctx):
            value = policy.data["settings"]["password"][section].get(name, 0)
            yield ctx.finding(
                value >= required,
                policy,
                policy.data["name"],
                f"{name} is {value}; at least {required} is required",
                measured=value,
                required=required,
            )


_minimum(
    "pwd.min_length",
    title="Passwords have at least 15 characters",
    field=("complexity", "minLength"),
    threshold=Threshold("min_length", 15, 12, "characters", "shortest password"),
    severity="medium",
    rationale="Length is what makes a password expensive to guess or crack.",
    setting="Minimum length",
    stig="OKTA-APP-000650",
)
_minimum(
    "pwd.uppercase",
    title="Passwords contain an upper-case letter",
    field=("complexity", "minUpperCase"),
    threshold=Threshold("min_upper", 1, 1, "characters", "upper-case letters"),
    severity="low",
    rationale="The STIG requires every character class to widen the search space.",
    setting="Upper case letter",
    stig="OKTA-APP-000670",
)
_minimum(
    "pwd.lowercase",
    title="Passwords contain a lower-case letter",
    field=("complexity", "minLowerCase"),
    threshold=Threshold("min_lower", 1, 1, "characters", "lower-case letters"),
    severity="low",
    rationale="The STIG requires every character class to widen the search space.",
    setting="Lower case letter",
    stig="OKTA-APP-000680",
)
_minimum(
    "pwd.number",
    title="Passwords contain a number",
    field=("complexity", "minNumber"),
    threshold=Threshold("min_number", 1, 1, "characters", "digits"),
    severity="low",
    rationale="The STIG requires every character class to widen the search space.",
    setting="Number (0-9)",
    stig="OKTA-APP-000690",
)
_minimum(
    "pwd.symbol",
    title="Passwords contain a symbol",
    field=("complexity", "minSymbol"),
    threshold=Threshold("min_symbol", 1, 1, "characters", "symbols"),
    severity="low",
    rationale="The STIG requires every character class to widen the search space.",
    setting="Symbol (e.g., !@#$%^&*)",
    stig="OKTA-APP-000700",
)
_minimum(
    "pwd.min_age",
    title="A password cannot be changed again for 24 hours",
    field=("age", "minAgeMinutes"),
    threshold=Threshold("min_age_minutes", 1440, 60, "minutes", "minimum age"),
    severity="low",
    rationale="Without a minimum age a user can cycle through the history at "
    "once and reuse the old password.",
    setting="Minimum password age",
    stig="OKTA-APP-000740",
)
_minimum(
    "pwd.history",
    title="The last 5 passwords cannot be reused",
    field=("age", "historyCount"),
    threshold=Threshold("min_history", 5, 24, "passwords", "passwords remembered"),
    severity="low",
    rationale="Reuse brings back passwords that may already be exposed.",
    setting="Enforce password history for last",
    stig="OKTA-APP-003010",
)


def _policy_check(
    id: str,
    *,
    title: str,
    severity: Severity,
    rationale: str,
    remediation: str,
    kinds: tuple[Any, ...] = ("policy",),
    thresholds: tuple[Threshold, ...] = (),
    stig: tuple[str, ...] = (),
    nist: tuple[str, ...] = ("IA-5(1)",),
    source: str,
) -> Callable[[Callable[[CheckContext, Resource], Finding]], None]:
    """Register a per-policy check given a function judging one policy."""

    def register(judge: Callable[[CheckContext, Resource], Finding]) -> None:
        @checks.add(
            id,
            title=title,
            severity=severity,
            rationale=rationale,
            remediation=(*_STEPS, remediation),
            kinds=kinds,
            thresholds=thresholds,
            stig=stig,
            nist=nist,
            soc2=("CC6.1",),
            source=source,
        )
        def evaluate(ctx: CheckContext) -> Iterator[Finding]:
            for policy in _okta_policies(ctx):
                yield judge(ctx, policy)

    return register


@_policy_check(
    "pwd.max_age",
    title="Passwords expire after at most 60 days",
    severity="medium",
    rationale="The STIG bounds how long a disclosed password stays useful; NIST "
    "SP 800-63B discourages forced rotation, so the baseline profile accepts "
    "no expiry.",
    remediation="Set 'Password expires after' to the required days or fewer.",
    thresholds=(
        Threshold("max_age_days", 60, 365, "days", "longest password lifetime"),
        Threshold(
            "expiry_required", True, False, "", "whether passwords must expire at all"
        ),
    ),
    stig=("OKTA-APP-000745",),
    source="checks.md §4 OKTA.PWD.MAX_AGE",
)
def _max_age(ctx: CheckContext, policy: Resource) -> Finding:
    limit = ctx.int_param("max_age_days")
    required = ctx.bool_param("expiry_required")
    days = policy.data["settings"]["password"]["age"].get("maxAgeDays", 0)
    ok = (0 < days <= limit) or (days == 0 and not required)
    shown = "0 (never expires)" if days == 0 else days
    return ctx.finding(
        ok,
        policy,
        policy.data["name"],
        f"maxAgeDays is {shown}; at most {limit} is required"
        + ("" if required else " (or no expiry)"),
        measured=days,
        required=limit,
    )


@_policy_check(
    "pwd.lockout",
    title="Accounts lock after 3 failed sign-in attempts",
    severity="medium",
    rationale="Lockout caps online guessing; without it a password can be tried "
    "without limit.",
    remediation="Set 'Lock out user after' to the required attempts or fewer.",
    thresholds=(
        Threshold("max_attempts", 3, 10, "attempts", "failed attempts before lockout"),
    ),
    stig=("OKTA-APP-000170",),
    nist=("AC-7",),
    source="checks.md §4 OKTA.PWD.LOCKOUT",
)
def _lockout(ctx: CheckContext, policy: Resource) -> Finding:
    limit = ctx.int_param("max_attempts")
    attempts = policy.data["settings"]["password"]["lockout"].get("maxAttempts", 0)
    shown = "0 (lockout off)" if attempts == 0 else attempts
    return ctx.finding(
        0 < attempts <= limit,
        policy,
        policy.data["name"],
        f"maxAttempts is {shown}; at most {limit} is required",
        measured=attempts,
        required=limit,
    )


@_policy_check(
    "pwd.common_password",
    title="Common passwords are refused",
    severity="medium",
    rationale="Attackers try the most common passwords first; Okta's dictionary "
    "check refuses them at the source.",
    remediation="Tick 'Restrict use of common passwords'.",
    stig=("OKTA-APP-002980",),
    source="checks.md §4 OKTA.PWD.COMMON_PASSWORD",
)
def _common(ctx: CheckContext, policy: Resource) -> Finding:
    complexity = policy.data["settings"]["password"]["complexity"]
    exclude = complexity.get("dictionary", {}).get("common", {}).get("exclude", False)
    return ctx.finding(
        exclude is True,
        policy,
        policy.data["name"],
        f"dictionary.common.exclude is {str(exclude).lower()}; true is required",
        measured=exclude,
        required=True,
    )


@_policy_check(
    "pwd.exclude_attributes",
    title="Passwords may not contain the username, first or last name",
    severity="low",
    rationale="Names are the first guesses of a targeted attack.",
    remediation="Tick 'Does not contain part of username', 'first name' and "
    "'last name'.",
    source="checks.md §4 OKTA.PWD.EXCLUDE_ATTRS",
)
def _exclude(ctx: CheckContext, policy: Resource) -> Finding:
    complexity = policy.data["settings"]["password"]["complexity"]
    username = complexity.get("excludeUsername", False) is True
    missing = sorted(
        {"firstName", "lastName"} - set(complexity.get("excludeAttributes", []))
    )
    problems = ([] if username else ["username"]) + missing
    return ctx.finding(
        not problems,
        policy,
        policy.data["name"],
        f"not excluded: {', '.join(problems)}" if problems else "all excluded",
        measured={"excludeUsername": username, "missing": missing},
        required="username, firstName and lastName excluded",
    )


# Recovery by something sent to a phone or mailbox can be intercepted; a security
# question is guessable (checks.md §4 OKTA.PWD.WEAK_RECOVERY).
_WEAK_RECOVERY_METHODS = frozenset({"sms", "voice", "email"})
_WEAK_RECOVERY_FACTORS = ("okta_sms", "okta_call", "recovery_question")


@_policy_check(
    "pwd.weak_recovery",
    title="Self-service password reset needs more than SMS, voice, email or a "
    "security question",
    severity="high",
    rationale="Account recovery is a sign-in path; if a phone number or mailbox "
    "alone resets the password, MFA on sign-in is bypassed.",
    remediation="In the policy's rules, set the reset authenticator to Okta Verify "
    "and require an additional verification step; in the policy, turn off SMS, "
    "voice call and security question as recovery factors.",
    kinds=("policy", "policy_rule"),
    nist=("IA-5", "IA-11"),
    source="checks.md §4 OKTA.PWD.WEAK_RECOVERY",
)
def _recovery(ctx: CheckContext, policy: Resource) -> Finding:
    problems = []
    refs = []
    for rule in ctx.facts.rules(policy.id):
        refs.append(rule.evidence)
        reset = rule.data.get("actions", {}).get("selfServicePasswordReset", {})
        if reset.get("access") != "ALLOW":
            continue
        requirement = reset.get("requirement", {})
        methods = set(requirement.get("primary", {}).get("methods", []))
        step_up = requirement.get("stepUp", {}).get("required") is True
        weak = sorted(methods & _WEAK_RECOVERY_METHODS)
        if weak and not step_up:
            problems.append(
                f"rule '{rule.data['name']}' resets with {', '.join(weak)} "
                "and no step-up"
            )
    factors = policy.data["settings"].get("recovery", {}).get("factors", {})
    active = [
        f
        for f in _WEAK_RECOVERY_FACTORS
        if factors.get(f, {}).get("status") == "ACTIVE"
    ]
    if active:
        problems.append(f"recovery factors active: {', '.join(active)}")
    return ctx.finding(
        not problems,
        policy,
        policy.data["name"],
        "; ".join(problems) if problems else "recovery needs a strong authenticator",
        measured=problems,
        required="no SMS/voice/email reset without step-up; no weak recovery factors",
        evidence=refs,
    )
