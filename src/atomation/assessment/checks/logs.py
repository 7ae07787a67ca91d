"""System Log evidence over the review window: privilege and configuration changes.

Each check reads only its event types (``SnapshotData.log_events``), streaming, so
a million-event window is never held in memory. An event that breaks the rule is
one failing finding resting on the event's page; events that were reviewed and
found acceptable are passing findings; a window with no such event is one
passing finding over the window (it rests on the completeness of the log
collection, which the engine checked before the check ran). Event names and
fields follow Okta's event-type catalogue (okta-api.md §5; checks.md §13).
"""

from __future__ import annotations

from collections.abc import Iterator

from atomation.assessment.catalogue import CheckList
from atomation.assessment.checks._log import (
    ADMIN_KINDS,
    LOG_STEP,
    event_label,
    quiet,
    targets,
)
from atomation.assessment.context import ADMIN_CONSOLE_APP, CheckContext
from atomation.assessment.results import Finding

__all__ = ["checks"]

checks = CheckList("logs")

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
APP_AND_IDP_CHANGES = (
    "system.idp.lifecycle.create",
    "app.oauth2.credentials.lifecycle.create",
    "app.oauth2.credentials.lifecycle.activate",
    "application.lifecycle.create",
    "application.lifecycle.update",
)


@checks.add(
    "log.privilege_grants",
    title="No Super Admin role and no admin role for an API client was granted "
    "in the review window",
    severity="high",
    rationale="New Super Admins and privileged API clients are the first thing an "
    "intruder creates to keep access; each grant needs a reviewed reason.",
    remediation=(
        LOG_STEP,
        "Confirm each grant with its approver; revoke it under Security > "
        "Administrators (or the app's Admin roles tab) if unapproved.",
    ),
    kinds=("log_event", *ADMIN_KINDS),
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
            "SUPER_ADMIN" in admins.get(t, set()) for t in targets(event)
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
            event_label(event),
            f"{reason} to {', '.join(targets(event))} by {event.data['actor']['id']}",
            measured=granted or event.data["eventType"],
            required="no Super Admin or client grant",
        )
    if not seen:
        yield quiet(ctx, "privilege grant")


@checks.add(
    "log.policy_zone_changes",
    title="The Admin Console and global session policies were not changed, and no "
    "policy or zone was removed, in the review window",
    severity="medium",
    rationale="Weakening the admin sign-in policy or deleting a zone is how an "
    "intruder quietly lowers the bar; such changes need a change record.",
    remediation=(
        LOG_STEP,
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
        touched = sorted(set(targets(event)) & sensitive)
        removal = kind in _REMOVALS
        ok = not touched and not removal
        what = (
            f"changed sensitive policy objects {', '.join(touched)}"
            if touched
            else "removed or deactivated a policy, rule or zone"
            if removal
            else f"changed {', '.join(targets(event))}"
        )
        yield ctx.finding(
            ok,
            event,
            event_label(event),
            f"{event.data['actor']['id']} {what}",
            measured=kind,
            required="no change to the Admin Console or global session policy",
        )
    if not seen:
        yield quiet(ctx, "policy or zone change")


@checks.add(
    "log.mfa_resets",
    title="No administrator's factors were reset by someone else in the review window",
    severity="high",
    rationale="A help-desk factor reset followed by a new enrollment is the "
    "classic path to taking over an admin account.",
    remediation=(
        LOG_STEP,
        "Confirm each reset with the admin in person; require identity "
        "verification for resets of privileged users.",
    ),
    kinds=("log_event", *ADMIN_KINDS),
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
        victims = [t for t in targets(event) if t in admins and t != actor]
        yield ctx.finding(
            not victims,
            event,
            event_label(event),
            f"{actor} reset the factors of admin(s) {', '.join(victims)}"
            if victims
            else f"{actor} reset factors of a non-admin or their own",
            measured=victims,
            required="no admin's factors reset by another user",
        )
    if not seen:
        yield quiet(ctx, "factor reset")


@checks.add(
    "log.api_token_activity",
    title="No SSWS API token was created by a Super Admin in the review window",
    severity="medium",
    rationale="An API token acts with its creator's privileges; one made by a "
    "Super Admin is a Super Admin credential in a config file (the STIG wants "
    "tokens on dedicated, non-Super-Admin accounts).",
    remediation=(
        LOG_STEP,
        "Under Security > API > Tokens, revoke the token and recreate it from a "
        "dedicated service account with a narrow role.",
    ),
    kinds=("log_event", *ADMIN_KINDS),
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
            event_label(event),
            f"token created by {event.data['actor'].get('alternateId', actor)} "
            f"holding {', '.join(roles) or 'no admin role'}",
            measured=roles,
            required="creator without SUPER_ADMIN",
        )
    if not seen:
        yield quiet(ctx, "API token creation")


@checks.add(
    "log.support_impersonation",
    title="Okta Support was not granted access to the org in the review window",
    severity="medium",
    rationale="Support impersonation is full access by a third party; each grant "
    "must match a support case the org opened.",
    remediation=(
        LOG_STEP,
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
            event_label(event),
            f"Okta Support access ({event.data['eventType'].rsplit('.', 1)[-1]}) by "
            f"{event.data['actor']['id']}",
            measured=event.data["eventType"],
            required="no support access without a recorded case",
        )
    if not seen:
        yield quiet(ctx, "Okta Support access")


@checks.add(
    "log.app_and_idp_changes",
    title="No identity provider was added and no admin-holding client got new "
    "credentials in the review window",
    severity="high",
    rationale="A new IdP or a new secret on a privileged client is a backdoor "
    "that survives password resets.",
    remediation=(
        LOG_STEP,
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
        touched = targets(event)
        new_idp = kind == "system.idp.lifecycle.create"
        new_secret = kind.startswith("app.oauth2.credentials") and bool(
            set(touched) & privileged
        )
        yield ctx.finding(
            not (new_idp or new_secret),
            event,
            event_label(event),
            "a new identity provider was created"
            if new_idp
            else "new credentials for a client holding an admin role"
            if new_secret
            else f"change to {', '.join(touched)}",
            measured=kind,
            required="no new IdP, no new credentials on admin clients",
        )
    if not seen:
        yield quiet(ctx, "app or IdP change")
