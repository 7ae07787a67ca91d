"""System Log evidence over the review window.

Each check reads only its event types (``SnapshotData.log_events``), streaming, so
a million-event window is never held in memory. An event that breaks the rule is
one failing finding resting on the event's page; events that were reviewed and
found acceptable are passing findings; a window with no such event is one
passing finding over the window (it rests on the completeness of the log
collection, which the engine checked before the check ran). Event names and
fields follow Okta's event-type catalogue (okta-api.md §5; checks.md §13).
"""

from __future__ import annotations

from collections import deque
from collections.abc import Iterator
from datetime import datetime, timedelta

from atomation.assessment.catalogue import CheckList, Threshold
from atomation.assessment.context import ADMIN_CONSOLE_APP, CheckContext, parse_time
from atomation.assessment.results import Finding
from atomation.snapshot.data import Kind, Resource

__all__ = ["checks"]

checks = CheckList("logs")

_LOG_STEP = "In the Admin Console, go to Reports > System Log and search for the event."
_ADMINS: tuple[Kind, ...] = ("role_assignee", "user_role")

PRIVILEGE_GRANTS = (
    "user.account.privilege.grant",
    "group.privilege.grant",
    "app.oauth2.client.privilege.grant",
)
POLICY_CHANGES = (
    "policy.lifecycle.update",
    "policy.lifecycle.deactivate",
    "policy.lifecycle.delete",
    "policy.rule.update",
    "policy.rule.deactivate",
    "policy.rule.delete",
    "zone.update",
    "zone.delete",
)
_REMOVALS = frozenset(
    {
        "policy.lifecycle.deactivate",
        "policy.lifecycle.delete",
        "policy.rule.deactivate",
        "policy.rule.delete",
        "zone.delete",
    }
)
MFA_RESETS = ("user.mfa.factor.reset_all", "user.mfa.factor.deactivate")
IMPERSONATION = (
    "user.session.impersonation.grant",
    "user.session.impersonation.initiate",
)
SIGN_IN = "user.session.start"
APP_AND_IDP_CHANGES = (
    "system.idp.lifecycle.create",
    "app.oauth2.credentials.lifecycle.create",
    "app.oauth2.credentials.lifecycle.activate",
    "application.lifecycle.create",
    "application.lifecycle.update",
)
RATE_LIMIT_VIOLATIONS = (
    "system.org.rate_limit.violation",
    "core.concurrency.org.limit.violation",
)


def _window(ctx: CheckContext) -> str:
    info = ctx.data.info
    assert info.log_since is not None
    assert info.log_until is not None
    return f"{info.log_since:%Y-%m-%d} to {info.log_until:%Y-%m-%d}"


def _quiet(ctx: CheckContext, what: str) -> Finding:
    return ctx.summary(
        True,
        "log_window",
        f"System Log {_window(ctx)}",
        f"no {what} in the review window",
        measured=0,
        required=0,
    )


def _targets(event: Resource) -> list[str]:
    return [t["id"] for t in event.data.get("target") or []]


def _actor(event: Resource) -> str:
    actor = event.data["actor"]
    return str(actor.get("alternateId") or actor["id"])


def _label(event: Resource) -> str:
    return f"{event.data['eventType']} at {event.data['published']}"


@checks.add(
    "log.privilege_grants",
    title="No Super Admin role and no admin role for an API client was granted "
    "in the review window",
    severity="high",
    rationale="New Super Admins and privileged API clients are the first thing an "
    "intruder creates to keep access; each grant needs a reviewed reason.",
    remediation=(
        _LOG_STEP,
        "Confirm each grant with its approver; revoke it under Security > "
        "Administrators (or the app's Admin roles tab) if unapproved.",
    ),
    kinds=("log_event", *_ADMINS),
    log_event_types=PRIVILEGE_GRANTS,
    nist=("AU-6", "AC-2(4)", "AC-6(9)"),
    soc2=("CC6.3", "CC7.2"),
    source="checks.md §13 OKTA.LOG.PRIVILEGE_GRANTS",
)
def privilege_grants(ctx: CheckContext) -> Iterator[Finding]:
    # The role granted is in debugData.privilegeGranted when Okta records it;
    # a grantee who holds SUPER_ADMIN now counts as a Super Admin grant either way.
    admins = ctx.facts.admin_roles
    seen = False
    for event in ctx.data.log_events(PRIVILEGE_GRANTS):
        seen = True
        granted = (
            (event.data.get("debugContext") or {})
            .get("debugData", {})
            .get("privilegeGranted", "")
        )
        to_client = event.data["eventType"] == "app.oauth2.client.privilege.grant"
        super_admin = "super" in granted.lower() or any(
            "SUPER_ADMIN" in admins.get(t, set()) for t in _targets(event)
        )
        ok = not (to_client or super_admin)
        reason = (
            "an admin role granted to an API client"
            if to_client
            else "Super Administrator granted"
            if super_admin
            else f"role granted ({granted or 'role not recorded'})"
        )
        yield ctx.finding(
            ok,
            event,
            _label(event),
            f"{reason} to {', '.join(_targets(event))} by {event.data['actor']['id']}",
            measured=granted or event.data["eventType"],
            required="no Super Admin or client grant",
        )
    if not seen:
        yield _quiet(ctx, "privilege grant")


@checks.add(
    "log.policy_zone_changes",
    title="The Admin Console and global session policies were not changed, and no "
    "policy or zone was removed, in the review window",
    severity="medium",
    rationale="Weakening the admin sign-in policy or deleting a zone is how an "
    "intruder quietly lowers the bar; such changes need a change record.",
    remediation=(
        _LOG_STEP,
        "Match each change to a change request; revert unapproved ones.",
    ),
    kinds=("log_event", "app", "policy", "policy_rule"),
    log_event_types=POLICY_CHANGES,
    nist=("CM-3", "CM-5", "AU-6"),
    soc2=("CC8.1",),
    source="checks.md §13 OKTA.LOG.POLICY_ZONE_CHANGES",
)
def policy_zone_changes(ctx: CheckContext) -> Iterator[Finding]:
    sensitive: set[str] = set()
    admin_policy, _how = ctx.facts.first_party_policy(ADMIN_CONSOLE_APP)
    watched = [p for p in ctx.facts.policies("OKTA_SIGN_ON", active=False)]
    if admin_policy is not None:
        watched.append(admin_policy)
    for policy in watched:
        sensitive.add(policy.id)
        sensitive.update(r.id for r in ctx.facts.rules(policy.id, active=False))
    seen = False
    for event in ctx.data.log_events(POLICY_CHANGES):
        seen = True
        kind = event.data["eventType"]
        touched = sorted(set(_targets(event)) & sensitive)
        removal = kind in _REMOVALS
        ok = not touched and not removal
        what = (
            f"changed sensitive policy objects {', '.join(touched)}"
            if touched
            else "removed or deactivated a policy, rule or zone"
            if removal
            else f"changed {', '.join(_targets(event))}"
        )
        yield ctx.finding(
            ok,
            event,
            _label(event),
            f"{event.data['actor']['id']} {what}",
            measured=kind,
            required="no change to the Admin Console or global session policy",
        )
    if not seen:
        yield _quiet(ctx, "policy or zone change")


@checks.add(
    "log.mfa_resets",
    title="No administrator's factors were reset by someone else in the review window",
    severity="high",
    rationale="A help-desk factor reset followed by a new enrollment is the "
    "classic path to taking over an admin account.",
    remediation=(
        _LOG_STEP,
        "Confirm each reset with the admin in person; require identity "
        "verification for resets of privileged users.",
    ),
    kinds=("log_event", *_ADMINS),
    log_event_types=MFA_RESETS,
    nist=("IA-5", "AU-6"),
    soc2=("CC7.2",),
    source="checks.md §13 OKTA.LOG.MFA_RESETS",
)
def mfa_resets(ctx: CheckContext) -> Iterator[Finding]:
    admins = ctx.facts.admin_roles
    seen = False
    for event in ctx.data.log_events(MFA_RESETS):
        seen = True
        actor = event.data["actor"]["id"]
        victims = [t for t in _targets(event) if t in admins and t != actor]
        yield ctx.finding(
            not victims,
            event,
            _label(event),
            f"{actor} reset the factors of admin(s) {', '.join(victims)}"
            if victims
            else f"{actor} reset factors of a non-admin or their own",
            measured=victims,
            required="no admin's factors reset by another user",
        )
    if not seen:
        yield _quiet(ctx, "factor reset")


@checks.add(
    "log.api_token_activity",
    title="No SSWS API token was created by a Super Admin in the review window",
    severity="medium",
    rationale="An API token acts with its creator's privileges; one made by a "
    "Super Admin is a Super Admin credential in a config file (the STIG wants "
    "tokens on dedicated, non-Super-Admin accounts).",
    remediation=(
        _LOG_STEP,
        "Under Security > API > Tokens, revoke the token and recreate it from a "
        "dedicated service account with a narrow role.",
    ),
    kinds=("log_event", *_ADMINS),
    log_event_types=("system.api_token.create",),
    stig=("OKTA-APP-003241",),
    nist=("IA-5", "AU-6"),
    soc2=("CC6.1",),
    source="checks.md §13 OKTA.LOG.API_TOKEN_ACTIVITY (partial evidence for "
    "OKTA-APP-003241; the token list itself needs okta.apiTokens.read)",
)
def api_token_activity(ctx: CheckContext) -> Iterator[Finding]:
    admins = ctx.facts.admin_roles
    seen = False
    for event in ctx.data.log_events(["system.api_token.create"]):
        seen = True
        actor = event.data["actor"]["id"]
        roles = sorted(admins.get(actor, set()))
        yield ctx.finding(
            "SUPER_ADMIN" not in roles,
            event,
            _label(event),
            f"token created by {event.data['actor'].get('alternateId', actor)} "
            f"holding {', '.join(roles) or 'no admin role'}",
            measured=roles,
            required="creator without SUPER_ADMIN",
        )
    if not seen:
        yield _quiet(ctx, "API token creation")


@checks.add(
    "log.support_impersonation",
    title="Okta Support was not granted access to the org in the review window",
    severity="medium",
    rationale="Support impersonation is full access by a third party; each grant "
    "must match a support case the org opened.",
    remediation=(
        _LOG_STEP,
        "Match each grant to a support case; revoke access under Settings > "
        "Account > Okta Support access if it is still open.",
    ),
    kinds=("log_event",),
    log_event_types=IMPERSONATION,
    nist=("AC-2(4)", "MA-4"),
    soc2=("CC6.1",),
    source="checks.md §13 OKTA.LOG.SUPPORT_IMPERSONATION",
)
def support_impersonation(ctx: CheckContext) -> Iterator[Finding]:
    seen = False
    for event in ctx.data.log_events(IMPERSONATION):
        seen = True
        yield ctx.finding(
            False,
            event,
            _label(event),
            f"Okta Support access ({event.data['eventType'].rsplit('.', 1)[-1]}) by "
            f"{event.data['actor']['id']}",
            measured=event.data["eventType"],
            required="no support access without a recorded case",
        )
    if not seen:
        yield _quiet(ctx, "Okta Support access")


@checks.add(
    "log.threats_detected",
    title="Every threat ThreatInsight detected was blocked",
    severity="medium",
    rationale="ThreatInsight in log-only mode records attacks it could have "
    "stopped; a detected threat that was let through needs follow-up.",
    remediation=(
        "In the Admin Console, go to Security > General > Okta ThreatInsight "
        "settings and choose 'Log and enforce security based on threat level'.",
        _LOG_STEP,
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
            _label(event),
            f"threat from {event.data.get('client', {}).get('ipAddress')} "
            f"({outcome.get('reason', 'no reason')}) was "
            + ("blocked" if blocked else f"not blocked ({outcome.get('result')})"),
            measured=outcome.get("result"),
            required="DENY",
        )
    if not seen:
        yield _quiet(ctx, "threat detection")


@checks.add(
    "log.lockouts",
    title="No administrator account was locked out in the review window",
    severity="medium",
    rationale="Lockouts of admin accounts are a sign of targeted guessing.",
    remediation=(
        _LOG_STEP,
        "Investigate the failed sign-ins before each admin lockout.",
    ),
    kinds=("log_event", *_ADMINS),
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
        hit = [t for t in _targets(event) if t in admins]
        if not hit:
            others += 1
            continue
        locked_admins += 1
        yield ctx.finding(
            False,
            event,
            _label(event),
            f"admin account {', '.join(hit)} was locked out",
            measured=hit,
            required="no admin lockout",
        )
    if not locked_admins:
        yield ctx.summary(
            True,
            "log_window",
            f"System Log {_window(ctx)}",
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
        _LOG_STEP,
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
                    f"{_actor(event)} signed in",
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
        yield _quiet(ctx, "password spray")


@checks.add(
    "log.admin_console_access",
    title="Nobody reached the Admin Console through an anonymising proxy",
    severity="medium",
    rationale="Admin access through a proxy or anonymiser hides where the admin "
    "really is and is a common sign of a stolen session.",
    remediation=(
        _LOG_STEP,
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
                _label(event),
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
            f"System Log {_window(ctx)}",
            f"{direct} Admin Console accesses, none through a proxy",
            measured=0,
            required=0,
        )


@checks.add(
    "log.app_and_idp_changes",
    title="No identity provider was added and no admin-holding client got new "
    "credentials in the review window",
    severity="high",
    rationale="A new IdP or a new secret on a privileged client is a backdoor "
    "that survives password resets.",
    remediation=(
        _LOG_STEP,
        "Match each change to a change request; remove unknown IdPs and credentials.",
    ),
    kinds=("log_event", "app", "client_role"),
    log_event_types=APP_AND_IDP_CHANGES,
    nist=("CM-3", "IA-5", "AU-6"),
    soc2=("CC8.1",),
    source="checks.md §13 OKTA.LOG.APP_AND_IDP_CHANGES",
)
def app_and_idp_changes(ctx: CheckContext) -> Iterator[Finding]:
    privileged = set(ctx.facts.client_roles)
    seen = False
    for event in ctx.data.log_events(APP_AND_IDP_CHANGES):
        seen = True
        kind = event.data["eventType"]
        targets = _targets(event)
        new_idp = kind == "system.idp.lifecycle.create"
        new_secret = kind.startswith("app.oauth2.credentials") and bool(
            set(targets) & privileged
        )
        yield ctx.finding(
            not (new_idp or new_secret),
            event,
            _label(event),
            "a new identity provider was created"
            if new_idp
            else "new credentials for a client holding an admin role"
            if new_secret
            else f"change to {', '.join(targets)}",
            measured=kind,
            required="no new IdP, no new credentials on admin clients",
        )
    if not seen:
        yield _quiet(ctx, "app or IdP change")


@checks.add(
    "log.suspicious_activity_reports",
    title="Every end-user report of suspicious activity was followed by clearing "
    "the user's sessions within 24 hours",
    severity="medium",
    rationale="A user who reports activity they did not perform may have a "
    "stolen session; clearing sessions is the first response.",
    remediation=(
        _LOG_STEP,
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
            for target in _targets(event):
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
            _label(report),
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
        yield _quiet(ctx, "suspicious-activity report")


@checks.add(
    "log.rate_limit",
    title="No org-wide rate or concurrency limit was exceeded in the review window",
    severity="low",
    rationale="Exceeding an org limit blocks sign-ins and integrations for "
    "everyone; it points at a runaway or abusive client.",
    remediation=(
        _LOG_STEP,
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
            _label(event),
            "an org-wide limit was exceeded",
            measured=event.data["eventType"],
            required="no violation",
        )
    if not seen:
        yield _quiet(ctx, "rate-limit violation")


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
        f"System Log {_window(ctx)}",
        f"the window read covers {days:.1f} days; {required} are required",
        measured=round(days, 1),
        required=required,
        evidence=refs,
    )
