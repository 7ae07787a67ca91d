"""The System Log event types a security review reads by default.

A full pull of the System Log is what makes a snapshot of a large org take hours
(``rate-limits.md`` §1.7, lever 1: a 100,000-user org's raw 90 days run to millions
of events on a 120/min bucket), so by default a capture asks only for the event
types below, with ``filter=eventType eq "…" or …``; ``--logs all`` reads everything.

Every name was checked against Okta's event-type catalogue (``okta-api.md`` §5,
[ET] ``data/event-types.json``) and the checks that read them are in
``reference/checks.md`` §13. Okta's rate-limit violation event is
``system.org.rate_limit.violation`` in the catalogue, although some prose in the
docs calls it ``system.rate.limit.violation`` (``okta-api.md`` §5).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

__all__ = [
    "MAX_FILTER_TYPES",
    "SECURITY_EVENT_TYPES",
    "event_type_filters",
]

SECURITY_EVENT_TYPES: Mapping[str, frozenset[str]] = {
    "sign_in": frozenset(
        {
            "user.session.start",
            "user.session.access_admin_app",
            "user.authentication.auth_via_mfa",
            "policy.evaluate_sign_on",
            "security.session.detect_client_roaming",
        }
    ),
    "account_protection": frozenset(
        {
            "user.account.lock",
            "user.account.report_suspicious_activity_by_enduser",
            "user.mfa.okta_verify.deny_push",
            "user.mfa.attempt_bypass",
            "user.risk.change",
            "user.session.clear",
        }
    ),
    "threats": frozenset(
        {
            "security.threat.detected",
            "security.request.blocked",
            "security.breached_credential.detected",
            "security.attack.start",
            "security.attack.end",
        }
    ),
    "privilege": frozenset(
        {
            "user.account.privilege.grant",
            "user.account.privilege.revoke",
            "group.privilege.grant",
            "group.privilege.revoke",
            "app.oauth2.client.privilege.grant",
            "app.oauth2.client.privilege.revoke",
            "iam.resourceset.bindings.add",
            "iam.role.create",
            "iam.role.permissions.add",
        }
    ),
    "support_access": frozenset(
        {
            "user.session.impersonation.grant",
            "user.session.impersonation.initiate",
            "user.session.impersonation.end",
        }
    ),
    "credentials": frozenset(
        {
            "user.mfa.factor.reset_all",
            "user.mfa.factor.deactivate",
            "user.account.reset_password",
            "system.api_token.create",
            "system.api_token.revoke",
            "app.oauth2.credentials.lifecycle.create",
            "app.oauth2.credentials.lifecycle.activate",
        }
    ),
    "configuration": frozenset(
        {
            "policy.lifecycle.create",
            "policy.lifecycle.update",
            "policy.lifecycle.activate",
            "policy.lifecycle.deactivate",
            "policy.lifecycle.delete",
            "policy.rule.add",
            "policy.rule.update",
            "policy.rule.activate",
            "policy.rule.deactivate",
            "policy.rule.delete",
            "zone.create",
            "zone.update",
            "zone.delete",
            "security.trusted_origin.create",
            "security.trusted_origin.update",
            "security.trusted_origin.delete",
            "system.idp.lifecycle.create",
            "system.idp.lifecycle.update",
            "system.idp.lifecycle.delete",
            "application.lifecycle.create",
            "application.lifecycle.update",
            "application.lifecycle.delete",
            "app.oauth2.client.lifecycle.create",
            "app.oauth2.client.lifecycle.update",
        }
    ),
    "rate_limits": frozenset(
        {
            "system.org.rate_limit.warning",
            "system.org.rate_limit.violation",
            "core.concurrency.org.limit.violation",
        }
    ),
}
"""Event types read by default, grouped by what the review looks for."""

# Okta does not document a maximum filter length; a few dozen ``or`` terms per
# query keeps each request URL well under common 8 KiB proxy limits, and the
# capture runs one bounded query per group anyway.
MAX_FILTER_TYPES = 25


def event_type_filters(event_types: Iterable[str]) -> list[str]:
    """SCIM filters (``eventType eq "a" or eventType eq "b"``), in sorted chunks."""
    ordered = sorted(set(event_types))
    chunks = [
        ordered[start : start + MAX_FILTER_TYPES]
        for start in range(0, len(ordered), MAX_FILTER_TYPES)
    ]
    return [" or ".join(f'eventType eq "{name}"' for name in chunk) for chunk in chunks]
