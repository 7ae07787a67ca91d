"""Planted System Log incidents of the typical profile.

Each incident is a handful of events at a fixed offset before the anchor, merged
into the lazy stream, with one planted finding pointing at its first event
(checks.md §13): a password spray from one IP followed by a success, privilege
grants (a user, a group and a client), a help-desk MFA reset of a super admin
followed by re-enrolment and sign-in, Okta support impersonation, an SSWS API
token created by a super admin, a privileged lockout, threats, a rate-limit
violation, policy and zone changes, a new IdP and an end-user suspicious-activity
report.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from atomation.simulator.generator._common import Context
from atomation.simulator.generator.log import SPRAY_IP, LogStream

__all__ = ["plant_incidents"]

_OKTA_SUPPORT = {
    "id": "system@okta.com",
    "type": "SystemPrincipal",
    "alternateId": "system@okta.com",
    "displayName": "Okta System",
}


def _target(
    object_id: str, kind: str, name: str, alternate: str = "unknown"
) -> dict[str, Any]:
    return {
        "id": object_id,
        "type": kind,
        "alternateId": alternate,
        "displayName": name,
    }


def plant_incidents(ctx: Context, log: LogStream, objects: dict[str, Any]) -> None:
    if not ctx.typical:
        return
    users = log.users
    rng = ctx.rng("incidents")
    counter = [0]

    def emit(
        days: float,
        event_type: str,
        message: str,
        actor: dict[str, Any],
        targets: list[dict[str, Any]],
        *,
        result: str = "SUCCESS",
        reason: str | None = None,
        severity: str = "INFO",
        ip: str | None = None,
        proxy: bool = False,
    ) -> dict[str, Any]:
        moment = ctx.anchor - timedelta(days=days)
        moment = moment.replace(microsecond=(moment.microsecond // 1000) * 1000)
        counter[0] += 1
        event = log.build(
            uuid=ctx.uuid("incident", counter[0]),
            moment=moment,
            event_type=event_type,
            severity=severity,
            message=message,
            actor=actor,
            targets=targets,
            result=result,
            reason=reason,
            rng=rng,
            ip=ip,
            is_proxy=proxy,
        )
        log.add_event(event, moment)
        return event

    def user_target(i: int) -> dict[str, Any]:
        return {**log.actor_user(i), "type": "User"}

    def plant(key: str, check: str, event: dict[str, Any], detail: str) -> None:
        ctx.plant(key, check, ("LogEvent", event["uuid"], event["eventType"]), detail)

    # Password spray: one IP, 30 users, four minutes, then one success.
    victims = list(range(30, 60))  # regular users; every org has at least 60
    first = None
    for k, i in enumerate(victims):
        event = emit(
            20 - k * 8 / 86400,
            "user.session.start",
            "User login to Okta",
            log.actor_user(i),
            [user_target(i)],
            result="FAILURE",
            reason="INVALID_CREDENTIALS",
            severity="WARN",
            ip=SPRAY_IP,
        )
        first = first or event
    emit(
        20 - 250 / 86400,
        "user.session.start",
        "User login to Okta",
        log.actor_user(victims[-1]),
        [user_target(victims[-1])],
        ip=SPRAY_IP,
    )
    assert first is not None
    plant(
        "log-password-spray",
        "log.password_spray",
        first,
        f"{SPRAY_IP} failed sign-in for {len(victims)} users within 4 minutes, "
        "then signed one in",
    )
    threat = emit(
        20 - 300 / 86400,
        "security.threat.detected",
        "Request from suspicious actor",
        {
            **_OKTA_SUPPORT,
            "id": "unknown",
            "alternateId": "unknown",
            "displayName": "unknown",
        },
        [],
        result="ALLOW",  # ThreatInsight in log-only mode lets the request through
        reason="Password Spray",
        severity="WARN",
        ip=SPRAY_IP,
    )
    plant(
        "log-threat-detected",
        "log.threats_detected",
        threat,
        f"ThreatInsight flagged {SPRAY_IP} but the spray was not blocked",
    )

    admin = log.actor_user(0)
    grant = emit(
        12,
        "user.account.privilege.grant",
        "Grant user privilege",
        admin,
        [user_target(16)],
    )
    grant["debugContext"]["debugData"]["privilegeGranted"] = "Super administrator"
    plant(
        "log-privilege-grant",
        "log.privilege_grants",
        grant,
        "SUPER_ADMIN granted to a user in the window",
    )
    groups = objects["groups"]
    emit(
        11.5,
        "group.privilege.grant",
        "Grant group privilege",
        admin,
        [_target(groups.help_desk_id, "UserGroup", "Help Desk Admins")],
    )
    sync = objects["apps"].service_apps.get("Legacy Directory Sync")
    if sync:
        client_grant = emit(
            11,
            "app.oauth2.client.privilege.grant",
            "Grant client privilege",
            admin,
            [_target(sync, "PublicClientApp", "Legacy Directory Sync")],
        )
        plant(
            "log-client-privilege-grant",
            "log.privilege_grants",
            client_grant,
            "SUPER_ADMIN granted to a service app (API client)",
        )

    helpdesk = log.actor_user(20)
    reset = emit(
        8,
        "user.mfa.factor.reset_all",
        "Reset all factors for user",
        helpdesk,
        [user_target(4)],
    )
    emit(
        8 - 0.02,
        "user.mfa.factor.activate",
        "Activate factor or authenticator",
        log.actor_user(4),
        [user_target(4)],
    )
    emit(
        8 - 0.03,
        "user.session.start",
        "User login to Okta",
        log.actor_user(4),
        [user_target(4)],
    )
    plant(
        "log-mfa-reset-admin",
        "log.mfa_resets",
        reset,
        "a help-desk admin reset a super admin's factors; new enrolment and "
        "sign-in followed within an hour",
    )

    support_grant = emit(
        15,
        "user.session.impersonation.grant",
        "Grant Okta Support access",
        admin,
        [user_target(0)],
    )
    emit(
        14.9,
        "user.session.impersonation.initiate",
        "Okta Support session started",
        _OKTA_SUPPORT,
        [user_target(0)],
    )
    plant(
        "log-support-impersonation",
        "log.support_impersonation",
        support_grant,
        "Okta Support was granted access and started an impersonation session",
    )

    token = emit(
        30,
        "system.api_token.create",
        "Create API token",
        log.actor_user(1),
        [_target(ctx.okta_id("00T", "api-token", 0), "Token", "ci-automation")],
    )
    plant(
        "log-api-token-super-admin",
        "log.api_token_activity",
        token,
        "an SSWS API token was created by a SUPER_ADMIN",
    )

    lock = emit(
        5,
        "user.account.lock",
        "Max sign in attempts exceeded",
        log.actor_user(22),
        [user_target(22)],
        severity="WARN",
    )
    plant(
        "log-admin-lockout", "log.lockouts", lock, "a privileged account was locked out"
    )

    limit = emit(
        33,
        "system.org.rate_limit.violation",
        "Rate limit violation",
        {**_OKTA_SUPPORT},
        [],
        severity="WARN",
    )
    plant(
        "log-rate-limit",
        "log.rate_limit",
        limit,
        "the org-wide rate limit of an API endpoint was exceeded",
    )

    policies = objects["policies"]
    admin_policy = policies.access["admin_console"]
    change = emit(
        9,
        "policy.rule.update",
        "Update policy rule",
        admin,
        [
            _target(
                policies.rules[admin_policy["id"]][0]["id"],
                "PolicyRule",
                "Admin access",
            )
        ],
    )
    plant(
        "log-admin-policy-change",
        "log.policy_zone_changes",
        change,
        "the Admin Console policy's rule was changed",
    )
    zones = objects["zones"]
    emit(
        9.5,
        "zone.update",
        "Update network zone",
        admin,
        [_target(zones[2]["id"], "NetworkZone", zones[2]["name"])],
    )

    idp = objects["idps"][1]
    created_idp = emit(
        40,
        "system.idp.lifecycle.create",
        "Create IdP",
        admin,
        [_target(idp["id"], "IdentityProvider", idp["name"])],
    )
    plant(
        "log-new-idp",
        "log.app_and_idp_changes",
        created_idp,
        "a new SAML identity provider was created in the window",
    )
    payroll = next(a for a in objects["apps"].apps if a["label"] == "Payroll")
    emit(
        18,
        "application.lifecycle.update",
        "Update application",
        admin,
        [_target(payroll["id"], "AppInstance", payroll["label"])],
    )
    emit(
        33 - 0.01,
        "core.concurrency.org.limit.violation",
        "Concurrency limit violation",
        {**_OKTA_SUPPORT},
        [],
        severity="WARN",
    )

    report = emit(
        3,
        "user.account.report_suspicious_activity_by_enduser",
        "User report suspicious activity",
        log.actor_user(59),
        [user_target(59)],
        severity="WARN",
    )
    plant(
        "log-suspicious-report",
        "log.suspicious_activity_reports",
        report,
        "an end user reported suspicious activity; no session clear followed",
    )

    proxy = emit(
        users.seats[2].last_login_days + 0.01,
        "user.session.access_admin_app",
        "User accessing Okta admin app",
        log.actor_user(2),
        [user_target(2)],
        ip="104.28.50.3",
        proxy=True,
    )
    plant(
        "log-admin-via-proxy",
        "log.admin_console_access",
        proxy,
        "the Admin Console was accessed through an anonymising proxy",
    )
