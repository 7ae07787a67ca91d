"""Authentication (app sign-in) policies and the other OIE policy types.

Authentication policies carry ``verificationMethod`` constraints with ``types`` and
``methods`` in lowercase, as the live API returns them (okta-api.md §7). The
Admin Console and Dashboard policies are linked from the ``saasure`` and
``okta_enduser`` apps. The one IDP_DISCOVERY policy ends with a default rule
routing to ``OKTA`` (a shape the SDK rejects, okta-api.md §9.3).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from atomation.simulator.generator._common import anywhere

if TYPE_CHECKING:
    from atomation.simulator.generator.policies import PolicySet

__all__ = [
    "build_access_policies",
    "build_idp_discovery",
    "build_post_auth_and_risk",
    "build_profile_enrollment",
]


def _verification(*, mode: str, strong: bool, reauth: str = "PT2H") -> dict[str, Any]:
    constraints: list[dict[str, Any]]
    if strong:
        constraints = [
            {
                "possession": {
                    "methods": ["webauthn", "signed_nonce"],
                    "phishingResistant": "REQUIRED",
                    "deviceBound": "REQUIRED",
                    "userPresence": "REQUIRED",
                    "userVerification": "REQUIRED",
                }
            }
        ]
    elif mode == "1FA":
        constraints = [{"knowledge": {"types": ["password"]}}]
    else:
        constraints = [
            {
                "knowledge": {"types": ["password", "security_question"]},
                "possession": {"deviceBound": "OPTIONAL"},
            }
        ]
    method: dict[str, Any] = {
        "type": "ASSURANCE",
        "factorMode": mode,
        "constraints": constraints,
        "reauthenticateIn": reauth,
    }
    if strong:
        method["inactivityPeriod"] = "PT15M"
    return method


def _app_signon(
    *,
    access: str = "ALLOW",
    mode: str = "2FA",
    strong: bool,
    reauth: str = "PT2H",
    keep_signed_in: bool = False,
) -> dict[str, Any]:
    sign_on: dict[str, Any] = {"access": access}
    if access == "ALLOW":
        sign_on["verificationMethod"] = _verification(
            mode=mode, strong=strong, reauth=reauth
        )
        sign_on["keepMeSignedIn"] = {
            "postAuth": "ALLOWED" if keep_signed_in else "NOT_ALLOWED",
        }
    return {"appSignOn": sign_on}


def _access_conditions(
    *, zone: str | None = None, device: bool = False
) -> dict[str, Any]:
    network = {"connection": "ZONE", "include": [zone]} if zone else anywhere()
    conditions: dict[str, Any] = {
        "people": {"users": {"exclude": []}},
        "network": network,
        "riskScore": {"level": "ANY"},
    }
    if device:
        conditions["device"] = {
            "registered": True,
            "managed": True,
            "assurance": {"include": []},
        }
    return conditions


def _access_policy(
    ps: PolicySet, key: str, name: str, description: str
) -> dict[str, Any]:
    policy = ps.add_policy(
        "ACCESS_POLICY",
        name,
        priority=len(ps.access) + 1,
        system=key == "default",
        description=description,
    )
    ps.access[key] = policy
    return policy


def _catch_all(ps: PolicySet, policy: dict[str, Any], actions: dict[str, Any]) -> None:
    ps.add_rule(
        policy,
        "Catch-all Rule",
        priority=99,
        system=True,
        conditions=None,
        actions=actions,
    )


def build_access_policies(ps: PolicySet) -> None:
    ctx = ps.ctx
    zone = ps.zones.corporate
    deny = _app_signon(access="DENY", strong=False)
    admin = _access_policy(
        ps,
        "admin_console",
        "Okta Admin Console",
        "Sign-in requirements for the Okta Admin Console",
    )
    dashboard = _access_policy(
        ps, "dashboard", "Okta Dashboard", "Sign-in requirements for the Okta Dashboard"
    )
    default = _access_policy(
        ps, "default", "Default Policy", "The default authentication policy"
    )
    two_factor = _access_policy(
        ps, "two_factor", "Any two factors", "Password plus another factor"
    )
    if not ctx.typical:
        for policy in (admin, dashboard, default, two_factor):
            ps.add_rule(
                policy,
                "Phishing-resistant from managed devices",
                priority=1,
                conditions=_access_conditions(zone=zone, device=True),
                actions=_app_signon(strong=True),
            )
            _catch_all(ps, policy, deny)
        return
    admin_rule = ps.add_rule(
        admin,
        "Admin access",
        priority=1,
        conditions=_access_conditions(),
        actions=_app_signon(strong=False, reauth="PT24H"),
    )
    _catch_all(ps, admin, deny)
    target = (
        "PolicyRule",
        admin_rule["id"],
        f"{admin['name']} / {admin_rule['name']}",
    )
    ctx.plant(
        "admin-console-not-phishing-resistant",
        "authn.admin_console_phishing_resistant",
        target,
        "no possession.phishingResistant REQUIRED constraint on the top "
        "rule of the Admin Console policy",
    )
    ctx.plant(
        "admin-console-weak-methods",
        "authn.admin_console_weak_methods",
        target,
        "the 2FA rule allows security_question and does not "
        "restrict possession authenticators",
    )
    ctx.plant(
        "admin-console-context",
        "authn.admin_console_context",
        target,
        "reauthenticateIn is PT24H (more than PT12H) and no device condition is set",
    )
    if ps.zones.old_office:
        office = ps.add_rule(
            dashboard,
            "Office network",
            priority=1,
            conditions=_access_conditions(zone=ps.zones.old_office),
            actions=_app_signon(strong=False),
        )
        ctx.plant(
            "zone-reference-inactive",
            "net.zone_reference_integrity",
            ("PolicyRule", office["id"], f"{dashboard['name']} / {office['name']}"),
            "the rule's network condition includes an INACTIVE zone",
        )
    _catch_all(ps, dashboard, _app_signon(strong=False, keep_signed_in=True))
    ctx.plant(
        "dashboard-not-phishing-resistant",
        "authn.dashboard_phishing_resistant",
        ("Policy", dashboard["id"], dashboard["name"]),
        "the Okta Dashboard policy does not require a phishing-resistant authenticator",
    )
    _catch_all(ps, default, _app_signon(strong=False))
    _catch_all(ps, two_factor, _app_signon(strong=False))
    legacy = _access_policy(
        ps,
        "password_only",
        "Legacy apps - password only",
        "Single-factor access kept for an old HR app",
    )
    one_factor = ps.add_rule(
        legacy,
        "Password only",
        priority=1,
        conditions=_access_conditions(),
        actions=_app_signon(mode="1FA", strong=False),
    )
    _catch_all(ps, legacy, deny)
    ctx.plant(
        "single-factor-app-policy",
        "authn.single_factor_apps",
        (
            "PolicyRule",
            one_factor["id"],
            f"{legacy['name']} / {one_factor['name']}",
        ),
        "an ALLOW rule with factorMode 1FA from ANYWHERE; apps mapped to "
        "this policy accept a password alone",
    )


def build_profile_enrollment(ps: PolicySet) -> None:
    policy = ps.add_policy(
        "PROFILE_ENROLLMENT",
        "Default Policy",
        priority=1,
        system=True,
        description="Default self-service registration policy",
    )
    ps.add_rule(
        policy,
        "Catch-all Rule",
        priority=99,
        system=True,
        actions={
            "profileEnrollment": {
                "access": "ALLOW",
                "unknownUserAction": "DENY",
                "activationRequirements": {"emailVerification": True},
                "profileAttributes": [
                    {"name": "email", "label": "Email", "required": True}
                ],
                "preRegistrationInlineHooks": None,
                "targetGroupIds": None,
            }
        },
    )


def build_idp_discovery(ps: PolicySet) -> None:
    ctx = ps.ctx
    policy = ps.add_policy(
        "IDP_DISCOVERY",
        "Idp Discovery Policy",
        priority=1,
        system=True,
        description="Default Identity Provider discovery policy",
    )
    conditions: dict[str, Any] = {
        "network": anywhere(),
        "userIdentifier": {
            "type": "IDENTIFIER",
            "patterns": [{"matchType": "SUFFIX", "value": "partner.example"}],
        },
    }
    if ctx.typical:
        conditions["people"] = {"groups": {"include": [ps.help_desk]}}
    partner = ps.add_rule(
        policy,
        "Partner federation",
        priority=1,
        conditions=conditions,
        actions={
            "idp": {
                "providers": [{"type": "SAML2", "id": ps.saml_idp}],
                "idpSelectionType": "SPECIFIC",
            }
        },
    )
    ps.add_rule(
        policy,
        "Default Rule",
        priority=2,
        system=True,
        conditions={"network": anywhere()},
        actions={
            "idp": {"providers": [{"type": "OKTA"}], "idpSelectionType": "SPECIFIC"}
        },
    )
    ctx.plant(
        "idp-routing-admins",
        "idp.routing_admins",
        ("PolicyRule", partner["id"], f"{policy['name']} / {partner['name']}"),
        "members of an admin group are routed to an external SAML IdP",
    )


def build_post_auth_and_risk(ps: PolicySet) -> None:
    session = ps.add_policy(
        "POST_AUTH_SESSION",
        "Default Post Auth Session Policy",
        priority=1,
        system=True,
        description="Session protection",
    )
    ps.add_rule(
        session,
        "Catch-all Rule",
        priority=99,
        system=True,
        actions={
            "postAuthSession": {"failureActions": [{"action": "TERMINATE_SESSION"}]}
        },
    )
    risk = ps.add_policy(
        "ENTITY_RISK",
        "Entity Risk Policy",
        priority=1,
        system=True,
        description="Responds to risky users",
    )
    ps.add_rule(
        risk,
        "High risk users",
        priority=1,
        conditions={"riskScore": {"level": "HIGH"}},
        actions={"entityRisk": {"actions": [{"action": "TERMINATE_ALL_SESSIONS"}]}},
    )
    ps.add_rule(
        risk,
        "Catch-all Rule",
        priority=99,
        system=True,
        actions={"entityRisk": {"actions": []}},
    )
