"""Global session, password and authenticator enrollment policies.

The typical profile's values are the ones checks.md §2, §4 and §5 flag (two-hour
idle, unlimited lifetime, persistent cookies, 8-character passwords without
history, lockout after 10 attempts or never, SMS/e-mail recovery, phone and
security question enrollable); the hardened values meet the STIG thresholds there
(15-minute idle, 18-hour lifetime, 15 characters, history 24, three attempts).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from atomation.simulator.generator._common import anywhere

if TYPE_CHECKING:
    from atomation.simulator.generator.policies import PolicySet

__all__ = ["build_enrollment", "build_global_session", "build_password"]


def _signon(
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


def build_global_session(ps: PolicySet) -> None:
    ctx = ps.ctx
    contractors = ps.add_policy(
        "OKTA_SIGN_ON",
        "Contractor sessions",
        priority=1,
        description="Shorter sessions for contractors",
        conditions=ps.people(ps.everyone),
    )
    default = ps.add_policy(
        "OKTA_SIGN_ON",
        "Default Policy",
        priority=2,
        system=True,
        description="The default policy applies in all situations if no other "
        "policy applies.",
        conditions=ps.people(ps.everyone),
    )
    if ctx.typical:
        ps.add_rule(
            contractors,
            "Contractor rule",
            priority=1,
            conditions={"network": anywhere()},
            actions=_signon(idle=60, lifetime=720, persistent=False, factor=True),
        )
        rule = ps.add_rule(
            default,
            "Default Rule",
            priority=1,
            system=True,
            conditions={"network": anywhere()},
            actions=_signon(idle=120, lifetime=0, persistent=True, factor=False),
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
    ps.add_rule(
        contractors,
        "Contractor rule",
        priority=1,
        conditions={"network": anywhere()},
        actions=_signon(idle=15, lifetime=720, persistent=False, factor=True),
    )
    ps.add_rule(
        default,
        "Corporate network",
        priority=1,
        conditions={"network": {"connection": "ZONE", "include": [ps.zones.corporate]}},
        actions=_signon(**safe),
    )
    ps.add_rule(
        default,
        "Remote with MFA",
        priority=2,
        conditions={"network": anywhere()},
        actions=_signon(**safe),
    )
    ps.add_rule(
        default,
        "Default Rule",
        priority=3,
        system=True,
        conditions={"network": anywhere()},
        actions=_signon(**safe),
    )


def _password_settings(
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


def _password_rule_actions(strong: bool) -> dict[str, Any]:
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


def build_password(ps: PolicySet) -> None:
    ctx = ps.ctx
    conditions = {
        **ps.people(ps.everyone),
        "authProvider": {"provider": "OKTA"},
    }
    if ctx.typical:
        contractors = ps.add_policy(
            "PASSWORD",
            "Contractor passwords",
            priority=1,
            conditions=conditions,
            settings=_password_settings(
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
        default = ps.add_policy(
            "PASSWORD",
            "Default Policy",
            priority=2,
            system=True,
            description="The default policy applies in all situations if no "
            "other policy applies.",
            conditions=conditions,
            settings=_password_settings(
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
            ps.add_rule(
                policy,
                "Default Rule",
                priority=1,
                system=True,
                conditions={
                    "people": {"users": {"exclude": []}},
                    "network": anywhere(),
                },
                actions=_password_rule_actions(False),
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
    strong = _password_settings(
        length=15,
        upper=1,
        symbol=1,
        history=24,
        attempts=3,
        max_age=60,
        min_age=1440,
        common=True,
    )
    default = ps.add_policy(
        "PASSWORD",
        "Default Policy",
        priority=1,
        system=True,
        description="The default policy applies in all situations if no other "
        "policy applies.",
        conditions=conditions,
        settings=strong,
    )
    ps.add_rule(
        default,
        "Default Rule",
        priority=1,
        system=True,
        conditions={"people": {"users": {"exclude": []}}, "network": anywhere()},
        actions=_password_rule_actions(True),
    )


def build_enrollment(ps: PolicySet) -> None:
    ctx = ps.ctx
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
    policy = ps.add_policy(
        "MFA_ENROLL",
        "Default Policy",
        priority=1,
        system=True,
        description="The default policy applies in all situations if no other "
        "policy applies.",
        conditions=ps.people(ps.everyone),
        settings=settings,
    )
    ps.add_rule(
        policy,
        "Default Rule",
        priority=1,
        system=True,
        conditions={"people": {"users": {"exclude": []}}, "network": anywhere()},
        actions={"enroll": {"self": "CHALLENGE"}},
    )
    ctx.plant(
        "enroll-weak-authenticators",
        "mfa.weak_authenticators",
        ("Policy", policy["id"], policy["name"]),
        "phone_number and security_question are enrollable (OPTIONAL); "
        "they should be NOT_ALLOWED",
    )
