"""Policies of every type, with rules and app mappings.

The shapes follow the spec's ``Policy``/``PolicyRule`` subtypes (okta-api.md §7):
global session (OKTA_SIGN_ON, rules of type ``SIGN_ON``), PASSWORD, MFA_ENROLL
(OIE ``AUTHENTICATORS`` settings), ACCESS_POLICY (authentication policies, with
constraint ``types``/``methods`` in lowercase as the live API sends them),
PROFILE_ENROLLMENT, IDP_DISCOVERY (one policy, whose default rule routes to
``OKTA``), POST_AUTH_SESSION and ENTITY_RISK. The settings of the typical profile
are the ones checks.md flags; the hardened ones meet its STIG thresholds.
"""

from __future__ import annotations

from typing import Any

from atomation.simulator.generator._common import Context, without_nulls

__all__ = ["PolicySet"]

_PREFIX = {
    "OKTA_SIGN_ON": "00p",
    "PASSWORD": "00p",
    "MFA_ENROLL": "00p",
    "IDP_DISCOVERY": "00p",
    "ACCESS_POLICY": "rst",
    "PROFILE_ENROLLMENT": "rst",
    "POST_AUTH_SESSION": "rst",
    "ENTITY_RISK": "rst",
}
_RULE_TYPE = {"OKTA_SIGN_ON": "SIGN_ON"}


def _anywhere() -> dict[str, Any]:
    return {"connection": "ANYWHERE"}


class PolicySet:
    """Every policy by type and id, with its rules and its app mappings."""

    def __init__(
        self,
        ctx: Context,
        *,
        everyone_id: str,
        help_desk_id: str,
        zones: Any,
        saml_idp_id: str,
    ) -> None:
        self.ctx = ctx
        self.by_type: dict[str, list[dict[str, Any]]] = {}
        self.by_id: dict[str, dict[str, Any]] = {}
        self.rules: dict[str, list[dict[str, Any]]] = {}
        self.mappings: dict[str, list[dict[str, Any]]] = {}
        self._rule_count = 0
        self.everyone = everyone_id
        self.help_desk = help_desk_id
        self.zones = zones
        self.saml_idp = saml_idp_id
        self._global_session()
        self._password()
        self._enrollment()
        self.access: dict[str, dict[str, Any]] = {}
        self._access_policies()
        self._profile_enrollment()
        self._idp_discovery()
        self._post_auth_and_risk()

    # Builders shared by every type.
    def _people(self, *group_ids: str) -> dict[str, Any]:
        return {"people": {"groups": {"include": list(group_ids or [self.everyone])}}}

    def add_policy(
        self,
        policy_type: str,
        name: str,
        *,
        priority: int,
        system: bool = False,
        status: str = "ACTIVE",
        description: str | None = None,
        conditions: dict[str, Any] | None = None,
        settings: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        ctx = self.ctx
        index = len(self.by_id)
        policy_id = ctx.okta_id(_PREFIX[policy_type], "policy", index)
        rng = ctx.rng("policy", index)
        created = rng.uniform(200, 1200)
        links = {
            "self": ctx.link(
                f"/api/v1/policies/{policy_id}",
                hints={"allow": ["GET", "PUT", "DELETE"]},
            ),
            "rules": ctx.link(
                f"/api/v1/policies/{policy_id}/rules", hints={"allow": ["GET", "POST"]}
            ),
            "deactivate": ctx.link(
                f"/api/v1/policies/{policy_id}/lifecycle/deactivate",
                hints={"allow": ["POST"]},
            ),
        }
        if policy_type == "ACCESS_POLICY":
            links["mappings"] = ctx.link(
                f"/api/v1/policies/{policy_id}/mappings",
                hints={"allow": ["GET", "POST"]},
            )
        policy: dict[str, Any] = {
            "id": policy_id,
            "status": status,
            "name": name,
            "description": description,
            "priority": priority,
            "system": system,
            "conditions": conditions,
            "created": ctx.stamp(days=created),
            "lastUpdated": ctx.stamp(days=rng.uniform(2, created)),
            "_links": links,
            "type": policy_type,
        }
        if settings is not None:
            policy["settings"] = settings
        policy = without_nulls(policy)
        self.by_type.setdefault(policy_type, []).append(policy)
        self.by_id[policy_id] = policy
        self.rules[policy_id] = []
        self.mappings[policy_id] = []
        return policy

    def add_rule(
        self,
        policy: dict[str, Any],
        name: str,
        *,
        priority: int,
        actions: dict[str, Any],
        conditions: dict[str, Any] | None = None,
        system: bool = False,
        status: str = "ACTIVE",
    ) -> dict[str, Any]:
        ctx = self.ctx
        index = self._rule_count
        self._rule_count += 1
        prefix = "rul" if policy["type"] == "ACCESS_POLICY" else "0pr"
        rule_id = ctx.okta_id(prefix, "policy-rule", index)
        rng = ctx.rng("policy-rule", index)
        created = rng.uniform(100, 1000)
        base = f"/api/v1/policies/{policy['id']}/rules/{rule_id}"
        rule: dict[str, Any] = {
            "id": rule_id,
            "status": status,
            "name": name,
            "priority": priority,
            "created": ctx.stamp(days=created),
            "lastUpdated": ctx.stamp(days=rng.uniform(1, created)),
            "system": system,
            "conditions": conditions,
            "actions": actions,
            "_links": {
                "self": ctx.link(base, hints={"allow": ["GET", "PUT", "DELETE"]}),
                "deactivate": ctx.link(
                    f"{base}/lifecycle/deactivate", hints={"allow": ["POST"]}
                ),
            },
            "type": _RULE_TYPE.get(policy["type"], policy["type"]),
        }
        rule = without_nulls(rule)
        self.rules[policy["id"]].append(rule)
        return rule

    def map_app(self, policy_id: str, app_id: str) -> None:
        self.mappings[policy_id].append(
            {
                "id": app_id,
                "_links": {
                    "application": self.ctx.link(f"/api/v1/apps/{app_id}"),
                    "self": self.ctx.link(
                        f"/api/v1/policies/{policy_id}/mappings/{app_id}"
                    ),
                },
            }
        )

    # Global session policy.
    def _signon(
        self,
        *,
        access: str = "ALLOW",
        idle: int,
        lifetime: int,
        persistent: bool,
        factor: bool,
    ) -> dict[str, Any]:
        signon: dict[str, Any] = {
            "access": access,
            "requireFactor": factor,
            "primaryFactor": "PASSWORD_IDP_ANY_FACTOR",
            "rememberDeviceByDefault": False,
            "session": {
                "maxSessionIdleMinutes": idle,
                "maxSessionLifetimeMinutes": lifetime,
                "usePersistentCookie": persistent,
            },
        }
        if factor:
            signon["factorPromptMode"] = "ALWAYS"
        return {"signon": signon}

    def _global_session(self) -> None:
        ctx = self.ctx
        contractors = self.add_policy(
            "OKTA_SIGN_ON",
            "Contractor sessions",
            priority=1,
            description="Shorter sessions for contractors",
            conditions=self._people(self.everyone),
        )
        default = self.add_policy(
            "OKTA_SIGN_ON",
            "Default Policy",
            priority=2,
            system=True,
            description="The default policy applies in all situations if no other "
            "policy applies.",
            conditions=self._people(self.everyone),
        )
        if ctx.typical:
            self.add_rule(
                contractors,
                "Contractor rule",
                priority=1,
                conditions={"network": _anywhere()},
                actions=self._signon(
                    idle=60, lifetime=720, persistent=False, factor=True
                ),
            )
            rule = self.add_rule(
                default,
                "Default Rule",
                priority=1,
                system=True,
                conditions={"network": _anywhere()},
                actions=self._signon(
                    idle=120, lifetime=0, persistent=True, factor=False
                ),
            )
            target = ("PolicyRule", rule["id"], f"{default['name']} / {rule['name']}")
            ctx.plant(
                "session-idle",
                "session.idle_timeout",
                target,
                "maxSessionIdleMinutes is 120; at most 15 is required",
            )
            ctx.plant(
                "session-lifetime",
                "session.lifetime",
                target,
                "maxSessionLifetimeMinutes is 0 (unlimited); at most 1080 is required",
            )
            ctx.plant(
                "session-persistent-cookie",
                "session.persistent_cookie",
                target,
                "usePersistentCookie is true; it must be false",
            )
            ctx.plant(
                "session-default-rule-top",
                "session.default_rule_not_top",
                target,
                "the Default Policy's priority-1 rule is 'Default Rule'; an "
                "explicit rule must come first",
            )
            ctx.plant(
                "session-no-zone",
                "session.network_zone_rule",
                ("Policy", default["id"], default["name"]),
                "no global session rule uses a network zone; all are ANYWHERE",
            )
            ctx.plant(
                "session-no-factor",
                "session.require_factor",
                target,
                "an ALLOW rule for Everyone has requireFactor false from anywhere",
            )
            return
        safe: dict[str, Any] = {
            "idle": 15,
            "lifetime": 1080,
            "persistent": False,
            "factor": True,
        }
        self.add_rule(
            contractors,
            "Contractor rule",
            priority=1,
            conditions={"network": _anywhere()},
            actions=self._signon(idle=15, lifetime=720, persistent=False, factor=True),
        )
        self.add_rule(
            default,
            "Corporate network",
            priority=1,
            conditions={
                "network": {"connection": "ZONE", "include": [self.zones.corporate]}
            },
            actions=self._signon(**safe),
        )
        self.add_rule(
            default,
            "Remote with MFA",
            priority=2,
            conditions={"network": _anywhere()},
            actions=self._signon(**safe),
        )
        self.add_rule(
            default,
            "Default Rule",
            priority=3,
            system=True,
            conditions={"network": _anywhere()},
            actions=self._signon(**safe),
        )

    # Password policies.
    def _password_settings(
        self,
        *,
        length: int,
        upper: int,
        symbol: int,
        history: int,
        attempts: int,
        max_age: int,
        min_age: int,
        common: bool,
    ) -> dict[str, Any]:
        return {
            "password": {
                "complexity": {
                    "minLength": length,
                    "minLowerCase": 1,
                    "minUpperCase": upper,
                    "minNumber": 1,
                    "minSymbol": symbol,
                    "excludeUsername": True,
                    "excludeAttributes": ["firstName", "lastName"] if common else [],
                    "dictionary": {"common": {"exclude": common}},
                },
                "age": {
                    "maxAgeDays": max_age,
                    "expireWarnDays": 7 if max_age else 0,
                    "minAgeMinutes": min_age,
                    "historyCount": history,
                },
                "lockout": {
                    "maxAttempts": attempts,
                    "autoUnlockMinutes": 30 if common else 0,
                    "showLockoutFailures": common,
                    "userLockoutNotificationChannels": ["EMAIL"] if common else [],
                },
            },
            "recovery": {
                "factors": {
                    "okta_email": {
                        "status": "ACTIVE",
                        "properties": {"recoveryToken": {"tokenLifetimeMinutes": 60}},
                    },
                    "okta_sms": {"status": "ACTIVE" if not common else "INACTIVE"},
                    "okta_call": {"status": "INACTIVE"},
                    "recovery_question": {
                        "status": "INACTIVE" if common else "ACTIVE",
                        "properties": {"complexity": {"minLength": 4}},
                    },
                }
            },
            "delegation": {"options": {"skipUnlock": False}},
        }

    def _password_rule_actions(self, strong: bool) -> dict[str, Any]:
        methods = ["push"] if strong else ["sms", "email"]
        return {
            "passwordChange": {"access": "ALLOW"},
            "selfServicePasswordReset": {
                "access": "ALLOW",
                "requirement": {
                    "primary": {"methods": methods},
                    "stepUp": {"required": strong},
                },
            },
            "selfServiceUnlock": {"access": "ALLOW" if not strong else "DENY"},
        }

    def _password(self) -> None:
        ctx = self.ctx
        conditions = {
            **self._people(self.everyone),
            "authProvider": {"provider": "OKTA"},
        }
        if ctx.typical:
            contractors = self.add_policy(
                "PASSWORD",
                "Contractor passwords",
                priority=1,
                conditions=conditions,
                settings=self._password_settings(
                    length=12,
                    upper=1,
                    symbol=1,
                    history=4,
                    attempts=0,
                    max_age=90,
                    min_age=0,
                    common=False,
                ),
            )
            default = self.add_policy(
                "PASSWORD",
                "Default Policy",
                priority=2,
                system=True,
                description="The default policy applies in all situations if no "
                "other policy applies.",
                conditions=conditions,
                settings=self._password_settings(
                    length=8,
                    upper=0,
                    symbol=0,
                    history=0,
                    attempts=10,
                    max_age=0,
                    min_age=0,
                    common=False,
                ),
            )
            for policy in (contractors, default):
                self.add_rule(
                    policy,
                    "Default Rule",
                    priority=1,
                    system=True,
                    conditions={
                        "people": {"users": {"exclude": []}},
                        "network": _anywhere(),
                    },
                    actions=self._password_rule_actions(False),
                )
            target = ("Policy", default["id"], default["name"])
            for key, check, detail in (
                (
                    "min-length",
                    "pwd.min_length",
                    "minLength is 8; at least 15 is required",
                ),
                (
                    "uppercase",
                    "pwd.uppercase",
                    "minUpperCase is 0; at least 1 is required",
                ),
                ("symbol", "pwd.symbol", "minSymbol is 0; at least 1 is required"),
                ("history", "pwd.history", "historyCount is 0; at least 5 is required"),
                ("lockout", "pwd.lockout", "maxAttempts is 10; at most 3 is required"),
                (
                    "max-age",
                    "pwd.max_age",
                    "maxAgeDays is 0 (never expires); 60 is required",
                ),
                (
                    "min-age",
                    "pwd.min_age",
                    "minAgeMinutes is 0; at least 1440 is required",
                ),
                (
                    "common",
                    "pwd.common_password",
                    "dictionary.common.exclude is false; it must be true",
                ),
            ):
                ctx.plant(f"password-{key}", check, target, detail)
            ctx.plant(
                "password-lockout-off",
                "pwd.lockout",
                ("Policy", contractors["id"], contractors["name"]),
                "maxAttempts is 0 (lockout off); at most 3 is required",
            )
            ctx.plant(
                "password-weak-recovery",
                "pwd.weak_recovery",
                target,
                "self-service reset allows sms and email with no step-up",
            )
            return
        strong = self._password_settings(
            length=15,
            upper=1,
            symbol=1,
            history=24,
            attempts=3,
            max_age=60,
            min_age=1440,
            common=True,
        )
        default = self.add_policy(
            "PASSWORD",
            "Default Policy",
            priority=1,
            system=True,
            description="The default policy applies in all situations if no other "
            "policy applies.",
            conditions=conditions,
            settings=strong,
        )
        self.add_rule(
            default,
            "Default Rule",
            priority=1,
            system=True,
            conditions={"people": {"users": {"exclude": []}}, "network": _anywhere()},
            actions=self._password_rule_actions(True),
        )

    # Authenticator enrollment.
    def _enrollment(self) -> None:
        ctx = self.ctx
        if ctx.typical:
            levels = {
                "okta_password": "REQUIRED",
                "okta_email": "REQUIRED",
                "phone_number": "OPTIONAL",
                "security_question": "OPTIONAL",
                "okta_verify": "OPTIONAL",
                "webauthn": "OPTIONAL",
                "google_otp": "OPTIONAL",
            }
        else:
            levels = {
                "okta_password": "REQUIRED",
                "webauthn": "REQUIRED",
                "okta_verify": "OPTIONAL",
                "okta_email": "NOT_ALLOWED",
                "phone_number": "NOT_ALLOWED",
                "security_question": "NOT_ALLOWED",
            }
        settings = {
            "type": "AUTHENTICATORS",
            "authenticators": [
                {"key": key, "enroll": {"self": level}} for key, level in levels.items()
            ],
        }
        policy = self.add_policy(
            "MFA_ENROLL",
            "Default Policy",
            priority=1,
            system=True,
            description="The default policy applies in all situations if no other "
            "policy applies.",
            conditions=self._people(self.everyone),
            settings=settings,
        )
        self.add_rule(
            policy,
            "Default Rule",
            priority=1,
            system=True,
            conditions={"people": {"users": {"exclude": []}}, "network": _anywhere()},
            actions={"enroll": {"self": "CHALLENGE"}},
        )
        ctx.plant(
            "enroll-weak-authenticators",
            "mfa.weak_authenticators",
            ("Policy", policy["id"], policy["name"]),
            "phone_number and security_question are enrollable (OPTIONAL); "
            "they should be NOT_ALLOWED",
        )

    # Authentication (app sign-in) policies.
    def _verification(
        self, *, mode: str, strong: bool, reauth: str = "PT2H"
    ) -> dict[str, Any]:
        constraints: list[dict[str, Any]]
        if strong:
            constraints = [
                {
                    "possession": {
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
        self,
        *,
        access: str = "ALLOW",
        mode: str = "2FA",
        strong: bool,
        reauth: str = "PT2H",
        keep_signed_in: bool = False,
    ) -> dict[str, Any]:
        sign_on: dict[str, Any] = {"access": access}
        if access == "ALLOW":
            sign_on["verificationMethod"] = self._verification(
                mode=mode, strong=strong, reauth=reauth
            )
            sign_on["keepMeSignedIn"] = {
                "postAuth": "ALLOWED" if keep_signed_in else "NOT_ALLOWED",
            }
        return {"appSignOn": sign_on}

    def _access_conditions(
        self, *, zone: str | None = None, device: bool = False
    ) -> dict[str, Any]:
        network = {"connection": "ZONE", "include": [zone]} if zone else _anywhere()
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

    def _access_policy(self, key: str, name: str, description: str) -> dict[str, Any]:
        policy = self.add_policy(
            "ACCESS_POLICY",
            name,
            priority=len(self.access) + 1,
            system=key == "default",
            description=description,
        )
        self.access[key] = policy
        return policy

    def _catch_all(self, policy: dict[str, Any], actions: dict[str, Any]) -> None:
        self.add_rule(
            policy,
            "Catch-all Rule",
            priority=99,
            system=True,
            conditions=None,
            actions=actions,
        )

    def _access_policies(self) -> None:
        ctx = self.ctx
        zone = self.zones.corporate
        deny = self._app_signon(access="DENY", strong=False)
        admin = self._access_policy(
            "admin_console",
            "Okta Admin Console",
            "Sign-in requirements for the Okta Admin Console",
        )
        dashboard = self._access_policy(
            "dashboard", "Okta Dashboard", "Sign-in requirements for the Okta Dashboard"
        )
        default = self._access_policy(
            "default", "Default Policy", "The default authentication policy"
        )
        two_factor = self._access_policy(
            "two_factor", "Any two factors", "Password plus another factor"
        )
        if not ctx.typical:
            for policy in (admin, dashboard, default, two_factor):
                self.add_rule(
                    policy,
                    "Phishing-resistant from managed devices",
                    priority=1,
                    conditions=self._access_conditions(zone=zone, device=True),
                    actions=self._app_signon(strong=True),
                )
                self._catch_all(policy, deny)
            return
        admin_rule = self.add_rule(
            admin,
            "Admin access",
            priority=1,
            conditions=self._access_conditions(),
            actions=self._app_signon(strong=False, reauth="PT24H"),
        )
        self._catch_all(admin, deny)
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
            "reauthenticateIn is PT24H (more than PT12H) and no device "
            "condition is set",
        )
        if self.zones.old_office:
            office = self.add_rule(
                dashboard,
                "Office network",
                priority=1,
                conditions=self._access_conditions(zone=self.zones.old_office),
                actions=self._app_signon(strong=False),
            )
            ctx.plant(
                "zone-reference-inactive",
                "net.zone_reference_integrity",
                ("PolicyRule", office["id"], f"{dashboard['name']} / {office['name']}"),
                "the rule's network condition includes an INACTIVE zone",
            )
        self._catch_all(dashboard, self._app_signon(strong=False, keep_signed_in=True))
        ctx.plant(
            "dashboard-not-phishing-resistant",
            "authn.dashboard_phishing_resistant",
            ("Policy", dashboard["id"], dashboard["name"]),
            "the Okta Dashboard policy does not require a phishing-resistant "
            "authenticator",
        )
        self._catch_all(default, self._app_signon(strong=False))
        self._catch_all(two_factor, self._app_signon(strong=False))
        legacy = self._access_policy(
            "password_only",
            "Legacy apps - password only",
            "Single-factor access kept for an old HR app",
        )
        one_factor = self.add_rule(
            legacy,
            "Password only",
            priority=1,
            conditions=self._access_conditions(),
            actions=self._app_signon(mode="1FA", strong=False),
        )
        self._catch_all(legacy, deny)
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

    # Profile enrollment, IdP routing, session protection, entity risk.
    def _profile_enrollment(self) -> None:
        policy = self.add_policy(
            "PROFILE_ENROLLMENT",
            "Default Policy",
            priority=1,
            system=True,
            description="Default self-service registration policy",
        )
        self.add_rule(
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

    def _idp_discovery(self) -> None:
        ctx = self.ctx
        policy = self.add_policy(
            "IDP_DISCOVERY",
            "Idp Discovery Policy",
            priority=1,
            system=True,
            description="Default Identity Provider discovery policy",
        )
        conditions: dict[str, Any] = {
            "network": _anywhere(),
            "userIdentifier": {
                "type": "IDENTIFIER",
                "patterns": [{"matchType": "SUFFIX", "value": "partner.example"}],
            },
        }
        if ctx.typical:
            conditions["people"] = {"groups": {"include": [self.help_desk]}}
        partner = self.add_rule(
            policy,
            "Partner federation",
            priority=1,
            conditions=conditions,
            actions={
                "idp": {
                    "providers": [{"type": "SAML2", "id": self.saml_idp}],
                    "idpSelectionType": "SPECIFIC",
                }
            },
        )
        self.add_rule(
            policy,
            "Default Rule",
            priority=2,
            system=True,
            conditions={"network": _anywhere()},
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

    def _post_auth_and_risk(self) -> None:
        session = self.add_policy(
            "POST_AUTH_SESSION",
            "Default Post Auth Session Policy",
            priority=1,
            system=True,
            description="Session protection",
        )
        self.add_rule(
            session,
            "Catch-all Rule",
            priority=99,
            system=True,
            actions={
                "postAuthSession": {"failureActions": [{"action": "TERMINATE_SESSION"}]}
            },
        )
        risk = self.add_policy(
            "ENTITY_RISK",
            "Entity Risk Policy",
            priority=1,
            system=True,
            description="Responds to risky users",
        )
        self.add_rule(
            risk,
            "High risk users",
            priority=1,
            conditions={"riskScore": {"level": "HIGH"}},
            actions={"entityRisk": {"actions": [{"action": "TERMINATE_ALL_SESSIONS"}]}},
        )
        self.add_rule(
            risk,
            "Catch-all Rule",
            priority=99,
            system=True,
            actions={"entityRisk": {"actions": []}},
        )
