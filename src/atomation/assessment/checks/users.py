"""User lifecycle hygiene: stale, unused, pending, suspended and unprotected accounts.

Dates come from the user object (``status``, ``created``, ``activated``,
``statusChanged``, ``lastLogin``) and ages are measured from the snapshot's
``captured_at`` (checks.md §6). Each offending user is one failing finding; the
users that pass are summarised in one finding over the population, resting on
the pages they were read from, so a 100,000-user org does not store 100,000
passing rows per check.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator

from atomation.assessment.catalogue import CheckList, Severity, Threshold
from atomation.assessment.context import (
    KNOWLEDGE_FACTORS,
    PHISHING_RESISTANT_FACTORS,
    CheckContext,
    age_days,
)
from atomation.assessment.results import Finding
from atomation.snapshot.data import EvidenceRef, Kind, Resource

__all__ = ["checks", "second_factors"]

checks = CheckList("users")

_PEOPLE = "In the Admin Console, go to Directory > People."

# A verdict on one user: None when the check does not apply to the user, else
# (passes, message, measured).
Verdict = tuple[bool, str, object] | None


def second_factors(types: set[str]) -> set[str]:
    """Factor types that count as a second factor (not password or question)."""
    return types - KNOWLEDGE_FACTORS


def _population(
    ctx: CheckContext,
    judge: Callable[[Resource], Verdict],
    *,
    population: str,
    required: object,
) -> Iterator[Finding]:
    passed = 0
    judged = 0
    refs: dict[EvidenceRef, None] = {}
    for user in ctx.data.resources("user"):
        verdict = judge(user)
        if verdict is None:
            continue
        judged += 1
        refs[user.evidence] = None
        ok, message, measured = verdict
        if ok:
            passed += 1
            continue
        yield ctx.finding(
            False,
            user,
            user.data["profile"]["login"],
            message,
            measured=measured,
            required=required,
        )
    if judged:
        yield ctx.summary(
            passed == judged,
            "population",
            population,
            f"{passed} of {judged} pass",
            measured={"passing": passed, "evaluated": judged},
            required=required,
            evidence=refs,
        )


def _user_check(
    id: str,
    *,
    title: str,
    severity: Severity,
    rationale: str,
    remediation: str,
    population: str,
    required: str,
    thresholds: tuple[Threshold, ...] = (),
    kinds: tuple[Kind, ...] = ("user",),
    stig: tuple[str, ...] = (),
    nist: tuple[str, ...] = ("AC-2",),
    soc2: tuple[str, ...] = ("CC6.2",),
    all_user_factors: bool = False,
    source: str,
) -> Callable[[Callable[[CheckContext], Callable[[Resource], Verdict]]], None]:
    """Register a population check from a function that builds a per-user judge."""

    def register(
        make_judge: Callable[[CheckContext], Callable[[Resource], Verdict]],
    ) -> None:
        @checks.add(
            id,
            title=title,
            severity=severity,
            rationale=rationale,
            remediation=(_PEOPLE, remediation),
            kinds=kinds,
            thresholds=thresholds,
            stig=stig,
            nist=nist,
            soc2=soc2,
            all_user_factors=all_user_factors,
            source=source,
        )
        def evaluate(ctx: CheckContext) -> Iterator[Finding]:
            yield from _population(
                ctx, make_judge(ctx), population=population, required=required
            )

    return register


@_user_check(
    "user.stale_active",
    title="Active users have signed in within the last 35 days",
    severity="medium",
    rationale="An account nobody uses is an account nobody notices being used; "
    "the STIG disables accounts after 35 days without a sign-in.",
    remediation="Filter Active people by last sign-in; suspend or deactivate those "
    "past the limit, and automate it (Workflows > Automations, user inactivity).",
    population="active users who have signed in",
    required="lastLogin within the limit",
    thresholds=(Threshold("max_days", 35, 90, "days", "longest time since sign-in"),),
    stig=("OKTA-APP-000090",),
    nist=("AC-2(3)",),
    source="checks.md §6 OKTA.USER.STALE_ACTIVE (outcome of OKTA-APP-000090)",
)
def _stale(ctx: CheckContext) -> Callable[[Resource], Verdict]:
    limit = ctx.int_param("max_days")

    def judge(user: Resource) -> Verdict:
        if user.data["status"] != "ACTIVE" or not user.data.get("lastLogin"):
            return None
        days = age_days(user.data["lastLogin"], ctx.now) or 0.0
        return (
            days <= limit,
            f"last signed in {days:.0f} days ago; at most {limit} is allowed",
            round(days),
        )

    return judge


@_user_check(
    "user.never_logged_in",
    title="No active account has gone unused for 30 days since activation",
    severity="medium",
    rationale="An activated account that was never used is either unneeded or "
    "waiting for someone else to claim it.",
    remediation="Filter Active people with no last sign-in; confirm with their "
    "manager and deactivate those not needed.",
    population="active users activated more than the limit ago",
    required="a sign-in since activation",
    thresholds=(
        Threshold("grace_days", 30, 30, "days", "time allowed before first sign-in"),
    ),
    source="checks.md §6 OKTA.USER.NEVER_LOGGED_IN",
)
def _never(ctx: CheckContext) -> Callable[[Resource], Verdict]:
    grace = ctx.int_param("grace_days")

    def judge(user: Resource) -> Verdict:
        data = user.data
        since = data.get("activated") or data["created"]
        days = age_days(since, ctx.now) or 0.0
        if data["status"] != "ACTIVE" or days <= grace:
            return None
        used = bool(data.get("lastLogin"))
        return (
            used,
            f"activated {days:.0f} days ago and never signed in",
            None if used else round(days),
        )

    return judge


@_user_check(
    "user.pending_activation",
    title="No account waits for activation longer than 14 days (staged: 90 days)",
    severity="low",
    rationale="A PROVISIONED account has a live activation link; a long-STAGED one "
    "is clutter that can be activated by mistake.",
    remediation="Filter people by status Pending user action / Staged; resend or "
    "deactivate the old ones.",
    population="provisioned and staged users",
    required="waiting less than the limit",
    thresholds=(
        Threshold("max_provisioned_days", 14, 30, "days", "PROVISIONED at most"),
        Threshold("max_staged_days", 90, 180, "days", "STAGED at most"),
    ),
    nist=("AC-2", "IA-5"),
    source="checks.md §6 OKTA.USER.PENDING_ACTIVATION",
)
def _pending(ctx: CheckContext) -> Callable[[Resource], Verdict]:
    limits = {
        "PROVISIONED": ctx.int_param("max_provisioned_days"),
        "STAGED": ctx.int_param("max_staged_days"),
    }

    def judge(user: Resource) -> Verdict:
        status = user.data["status"]
        if status not in limits:
            return None
        since = user.data.get("statusChanged") or user.data["created"]
        days = age_days(since, ctx.now) or 0.0
        return (
            days <= limits[status],
            f"{status} for {days:.0f} days; at most {limits[status]} is allowed",
            round(days),
        )

    return judge


@_user_check(
    "user.long_suspended",
    title="No account stays suspended longer than 90 days",
    severity="low",
    rationale="Suspension is a pause; an account suspended for months should be "
    "deactivated so it cannot be quietly unsuspended.",
    remediation="Filter Suspended people; deactivate those suspended past the limit.",
    population="suspended users",
    required="suspended less than the limit",
    thresholds=(Threshold("max_days", 90, 180, "days", "longest suspension"),),
    nist=("AC-2(3)",),
    source="checks.md §6 OKTA.USER.LONG_SUSPENDED",
)
def _suspended(ctx: CheckContext) -> Callable[[Resource], Verdict]:
    limit = ctx.int_param("max_days")

    def judge(user: Resource) -> Verdict:
        if user.data["status"] != "SUSPENDED":
            return None
        days = age_days(user.data.get("statusChanged") or user.data["created"], ctx.now)
        days = days or 0.0
        return (days <= limit, f"suspended for {days:.0f} days", round(days))

    return judge


@_user_check(
    "user.admin_locked_out",
    title="No administrator account is locked out",
    severity="medium",
    rationale="A locked-out admin is either under attack or unable to respond; "
    "both need attention.",
    remediation="Open each locked admin, confirm with the person, review the System "
    "Log for failed sign-ins, then unlock.",
    population="administrators",
    required="not LOCKED_OUT",
    kinds=("user", "role_assignee", "user_role"),
    nist=("AC-7",),
    soc2=("CC6.1",),
    source="checks.md §6 OKTA.USER.LOCKED_OR_EXPIRED",
)
def _locked(ctx: CheckContext) -> Callable[[Resource], Verdict]:
    admins = ctx.facts.admin_roles

    def judge(user: Resource) -> Verdict:
        if user.id not in admins:
            return None
        status = user.data["status"]
        return (status != "LOCKED_OUT", f"status is {status}", status)

    return judge


@_user_check(
    "user.no_mfa",
    title="Every active user has an active second factor",
    severity="high",
    rationale="A user with only a password falls to the first phish or spray.",
    remediation="Require a second authenticator in the enrollment policy, then "
    "follow up with the users listed (Reports > MFA usage).",
    population="active users with a second factor",
    required="an ACTIVE factor besides password and security question",
    kinds=("user", "user_factor"),
    nist=("IA-2(1)", "IA-2(2)"),
    soc2=("CC6.1",),
    all_user_factors=True,
    source="checks.md §6 OKTA.USER.NO_MFA",
)
def _no_mfa(ctx: CheckContext) -> Callable[[Resource], Verdict]:
    factors = ctx.facts.factor_types

    def judge(user: Resource) -> Verdict:
        if user.data["status"] != "ACTIVE":
            return None
        second = sorted(second_factors(factors.get(user.id, set())))
        return (
            bool(second),
            "no active second factor" if not second else ", ".join(second),
            second,
        )

    return judge


@_user_check(
    "user.phishing_resistant",
    title="Every active user holds a phishing-resistant factor",
    severity="medium",
    rationale="Only FIDO2/WebAuthn, U2F and Okta FastPass stop real-time phishing "
    "proxies; users without one can be phished whatever the policy says.",
    remediation="Roll out FIDO2 security keys, platform authenticators or Okta "
    "FastPass and require them in the enrollment policy.",
    population="active users with a phishing-resistant factor",
    required="an ACTIVE webauthn, u2f or signed_nonce factor",
    kinds=("user", "user_factor"),
    nist=("IA-2(8)", "IA-2(2)"),
    soc2=("CC6.1",),
    all_user_factors=True,
    source="checks.md §5 OKTA.MFA.POPULATION_COVERAGE",
)
def _phishing_resistant(ctx: CheckContext) -> Callable[[Resource], Verdict]:
    factors = ctx.facts.factor_types

    def judge(user: Resource) -> Verdict:
        if user.data["status"] != "ACTIVE":
            return None
        strong = sorted(factors.get(user.id, set()) & PHISHING_RESISTANT_FACTORS)
        return (
            bool(strong),
            "no phishing-resistant factor" if not strong else ", ".join(strong),
            strong,
        )

    return judge
