"""System Log signals over the review window: attacks, lockouts, misuse, completeness.

Like :mod:`.logs`, each check streams only its event types; see that module for
how findings rest on events and on the window (checks.md §13).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from datetime import datetime, timedelta

from atomation.assessment.catalogue import CheckList, Threshold
from atomation.assessment.checks._log import (
    ADMIN_KINDS,
    LOG_STEP,
    actor_name,
    event_label,
    quiet,
    targets,
    window_label,
)
from atomation.assessment.context import CheckContext, parse_time
from atomation.assessment.results import Finding
from atomation.snapshot.data import Resource

__all__ = ["checks"]

checks = CheckList("logs")

SIGN_IN = "user.session.start"
RATE_LIMIT_VIOLATIONS = (
    "system.org.rate_limit.violation",
    "core.concurrency.org.limit.violation",
)


@checks.add(
    "log.threats_detected",
    title="Every threat ThreatInsight detected was blocked",
    severity="medium",
    rationale="ThreatInsight in log-only mode records attacks it could have "
    "stopped; a detected threat that was let through needs follow-up.",
    remediation=(
        "In the Admin Console, go to Security > General > Okta ThreatInsight "
        "settings and choose 'Log and enforce security based on threat level'.",
        LOG_STEP,
    ),
    kinds=("log_event",),
    log_event_types=("security.threat.detected",),
    nist=("SI-4",),
    soc2=("CC7.2",),
    source="checks.md §13 OKTA.LOG.THREATS_DETECTED",
)
def threats_detected(ctx: CheckContext) -> Iterator[Finding]:
    seen = False
    for event in ctx.data.log_events(["security.threat.detected"]):
        seen = True
        outcome = event.data.get("outcome", {})
        blocked = outcome.get("result") in ("DENY", "FAILURE")
        yield ctx.finding(
            blocked,
            event,
            event_label(event),
            f"threat from {event.data.get('client', {}).get('ipAddress')} "
            f"({outcome.get('reason', 'no reason')}) was "
            + ("blocked" if blocked else f"not blocked ({outcome.get('result')})"),
            measured=outcome.get("result"),
            required="DENY",
        )
    if not seen:
        yield quiet(ctx, "threat detection")


@checks.add(
    "log.lockouts",
    title="No administrator account was locked out in the review window",
    severity="medium",
    rationale="Lockouts of admin accounts are a sign of targeted guessing.",
    remediation=(
        LOG_STEP,
        "Investigate the failed sign-ins before each admin lockout.",
    ),
    kinds=("log_event", *ADMIN_KINDS),
    log_event_types=("user.account.lock",),
    nist=("AC-7", "SI-4"),
    soc2=("CC7.2",),
    source="checks.md §13 OKTA.LOG.LOCKOUTS",
)
def lockouts(ctx: CheckContext) -> Iterator[Finding]:
    admins = ctx.facts.admin_roles
    locked_admins = 0
    others = 0
    for event in ctx.data.log_events(["user.account.lock"]):
        hit = [t for t in targets(event) if t in admins]
        if not hit:
            others += 1
            continue
        locked_admins += 1
        yield ctx.finding(
            False,
            event,
            event_label(event),
            f"admin account {', '.join(hit)} was locked out",
            measured=hit,
            required="no admin lockout",
        )
    if not locked_admins:
        yield ctx.summary(
            True,
            "log_window",
            f"System Log {window_label(ctx)}",
            f"no admin lockout ({others} lockouts of other users)",
            measured=0,
            required=0,
        )


@checks.add(
    "log.password_spray",
    title="No password spray from one address was followed by a successful sign-in",
    severity="high",
    rationale="Many users failing from one address in minutes is a password "
    "spray; a success from the same address afterwards means it worked.",
    remediation=(
        LOG_STEP,
        "Block the address (Security > Networks, blocklist), reset the passwords "
        "and sessions of users who signed in from it, and require MFA.",
    ),
    kinds=("log_event",),
    log_event_types=(SIGN_IN,),
    thresholds=(
        Threshold("min_users", 10, 10, "users", "distinct users failing from one IP"),
        Threshold("window_minutes", 5, 5, "minutes", "time in which they fail"),
    ),
    nist=("SI-4", "AC-7"),
    soc2=("CC7.2",),
    source="checks.md §13 OKTA.LOG.PASSWORD_SPRAY",
)
def password_spray(ctx: CheckContext) -> Iterator[Finding]:
    needed = ctx.int_param("min_users")
    span = timedelta(minutes=ctx.int_param("window_minutes"))
    recent: dict[str, deque[tuple[datetime, str, Resource]]] = {}
    sprays: dict[str, tuple[Resource, int]] = {}
    reported: set[str] = set()
    for event in ctx.data.log_events([SIGN_IN]):
        ip = event.data.get("client", {}).get("ipAddress")
        if not ip:
            continue
        outcome = event.data.get("outcome", {}).get("result")
        if outcome == "SUCCESS":
            if ip in sprays and ip not in reported:
                reported.add(ip)
                first, users = sprays[ip]
                yield ctx.finding(
                    False,
                    first,
                    f"sign-ins from {ip}",
                    f"{users} users failed within {span.seconds // 60} minutes, then "
                    f"{actor_name(event)} signed in",
                    measured=users,
                    required=f"fewer than {needed} users, or no success after",
                    evidence=[event.evidence],
                )
            continue
        if outcome != "FAILURE":
            continue
        moment = parse_time(event.data["published"])
        queue = recent.setdefault(ip, deque())
        queue.append((moment, event.data["actor"]["id"], event))
        while queue and moment - queue[0][0] > span:
            queue.popleft()
        users = len({user for _, user, _ in queue})
        if ip in sprays:
            first, most = sprays[ip]
            sprays[ip] = (first, max(most, users))
        elif users >= needed:
            sprays[ip] = (queue[0][2], users)  # the spray's first failure
    for ip, (first, users) in sprays.items():
        if ip not in reported:
            yield ctx.finding(
                True,
                first,
                f"sign-ins from {ip}",
                f"{users} users failed within the window but no sign-in from the "
                "address succeeded afterwards",
                measured=users,
                required="no success after a spray",
            )
    if not sprays:
        yield quiet(ctx, "password spray")


@checks.add(
    "log.admin_console_access",
    title="Nobody reached the Admin Console through an anonymising proxy",
    severity="medium",
    rationale="Admin access through a proxy or anonymiser hides where the admin "
    "really is and is a common sign of a stolen session.",
    remediation=(
        LOG_STEP,
        "Confirm each access with the admin; revoke their sessions if unknown, and "
        "deny anonymizer zones in the Admin Console policy.",
    ),
    kinds=("log_event",),
    log_event_types=("user.session.access_admin_app",),
    nist=("AC-6(9)", "AU-6"),
    soc2=("CC7.2",),
    source="checks.md §13 OKTA.LOG.ADMIN_CONSOLE_ACCESS",
)
def admin_console_access(ctx: CheckContext) -> Iterator[Finding]:
    direct = 0
    proxied = 0
    for event in ctx.data.log_events(["user.session.access_admin_app"]):
        if (event.data.get("securityContext") or {}).get("isProxy") is True:
            proxied += 1
            yield ctx.finding(
                False,
                event,
                event_label(event),
                f"{event.data['actor'].get('alternateId')} from "
                f"{event.data.get('client', {}).get('ipAddress')} through a proxy",
                measured=True,
                required="isProxy false",
            )
        else:
            direct += 1
    if not proxied:
        yield ctx.summary(
            True,
            "log_window",
            f"System Log {window_label(ctx)}",
            f"{direct} Admin Console accesses, none through a proxy",
            measured=0,
            required=0,
        )


@checks.add(
    "log.suspicious_activity_reports",
    title="Every end-user report of suspicious activity was followed by clearing "
    "the user's sessions within 24 hours",
    severity="medium",
    rationale="A user who reports activity they did not perform may have a "
    "stolen session; clearing sessions is the first response.",
    remediation=(
        LOG_STEP,
        "For each report, clear the user's sessions (Directory > People > the user "
        "> Clear user sessions) and investigate.",
    ),
    kinds=("log_event",),
    log_event_types=(
        "user.account.report_suspicious_activity_by_enduser",
        "user.session.clear",
    ),
    thresholds=(Threshold("max_hours", 24, 24, "hours", "time to clear sessions"),),
    nist=("IR-6", "SI-4"),
    soc2=("CC7.3",),
    source="checks.md §13 OKTA.LOG.SUSPICIOUS_ACTIVITY_REPORTS",
)
def suspicious_activity_reports(ctx: CheckContext) -> Iterator[Finding]:
    limit = timedelta(hours=ctx.int_param("max_hours"))
    report_type = "user.account.report_suspicious_activity_by_enduser"
    reports: list[Resource] = []
    clears: dict[str, list[datetime]] = {}
    for event in ctx.data.log_events([report_type, "user.session.clear"]):
        if event.data["eventType"] == report_type:
            reports.append(event)
        else:
            for target in targets(event):
                clears.setdefault(target, []).append(
                    parse_time(event.data["published"])
                )
    for report in reports:
        user = report.data["actor"]["id"]
        at = parse_time(report.data["published"])
        followed = any(at <= moment <= at + limit for moment in clears.get(user, []))
        yield ctx.finding(
            followed,
            report,
            event_label(report),
            f"{report.data['actor'].get('alternateId', user)} reported suspicious "
            "activity; sessions were "
            + (
                "cleared"
                if followed
                else f"not cleared within {limit.seconds // 3600 or 24} h"
            ),
            measured=followed,
            required=True,
        )
    if not reports:
        yield quiet(ctx, "suspicious-activity report")


@checks.add(
    "log.rate_limit",
    title="No org-wide rate or concurrency limit was exceeded in the review window",
    severity="low",
    rationale="Exceeding an org limit blocks sign-ins and integrations for "
    "everyone; it points at a runaway or abusive client.",
    remediation=(
        LOG_STEP,
        "Find the client in the violation events, slow it down or give it its own "
        "share (Reports > Rate Limits).",
    ),
    kinds=("log_event",),
    log_event_types=RATE_LIMIT_VIOLATIONS,
    nist=("SI-4",),
    soc2=("CC7.2",),
    source="log_events.py rate_limits; okta-api.md §5",
)
def rate_limit(ctx: CheckContext) -> Iterator[Finding]:
    seen = False
    for event in ctx.data.log_events(RATE_LIMIT_VIOLATIONS):
        seen = True
        yield ctx.finding(
            False,
            event,
            event_label(event),
            "an org-wide limit was exceeded",
            measured=event.data["eventType"],
            required="no violation",
        )
    if not seen:
        yield quiet(ctx, "rate-limit violation")


@checks.add(
    "log.window_complete",
    title="The System Log was read for the whole 90-day review window",
    severity="high",
    rationale="Log-based findings are only as good as the window they cover; Okta "
    "keeps 90 days, so a shorter read misses evidence that will not come back.",
    remediation=(
        "Capture a new snapshot with 'atomation snapshot TENANT --window 90d'.",
        "Keep each snapshot's log: Okta deletes events after 90 days.",
    ),
    kinds=("log_event",),
    thresholds=(Threshold("min_days", 90, 30, "days", "shortest review window"),),
    nist=("AU-6",),
    soc2=("CC7.2",),
    source="checks.md §13 OKTA.LOG.WINDOW_COMPLETE, §0.8",
)
def window_complete(ctx: CheckContext) -> Iterator[Finding]:
    info = ctx.data.info
    assert info.log_since is not None
    assert info.log_until is not None
    days = (info.log_until - info.log_since).total_seconds() / 86400
    required = ctx.int_param("min_days")
    # The window's extent rests on its oldest and newest events read.
    oldest = next(iter(ctx.data.log_events()), None)
    newest = None
    for event in ctx.data.log_events(since=info.log_until - timedelta(days=1)):
        newest = event
    refs = [e.evidence for e in (oldest, newest) if e is not None]
    # A day of slack: a 90-day window read a few seconds late is still 90 days.
    yield ctx.summary(
        days >= required - 1,
        "log_window",
        f"System Log {window_label(ctx)}",
        f"the window read covers {days:.1f} days; {required} are required",
        measured=round(days, 1),
        required=required,
        evidence=refs,
    )
