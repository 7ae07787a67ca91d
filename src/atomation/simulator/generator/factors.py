"""Factors (``/api/v1/users/{id}/factors``) of each user, built on demand.

A user's MFA class (kept by ``UserDirectory``) decides what is enrolled: nothing,
only weak factors (``sms``, ``call``, ``email``, ``question``), one-time codes or
push, or a phishing-resistant factor (``webauthn``, ``u2f``, Okta FastPass
``signed_nonce``, with ``token:hardware`` beside WebAuthn). Types and providers
follow the spec's ``UserFactor`` subtypes. Hardened users enroll only WebAuthn or
Okta Verify with FastPass.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from atomation.simulator.generator.users import UserDirectory

__all__ = [
    "MFA_NONE",
    "MFA_OTP",
    "MFA_STRONG",
    "MFA_WEAK",
    "QUESTIONS",
    "build_factors",
    "factor_types",
]

QUESTIONS = (
    ("disliked_food", "What is the food you least liked as a child?"),
    ("favorite_toy", "What was your favorite toy as a child?"),
    ("first_award", "What was the first award you received?"),
)
# MFA classes, as UserDirectory stores them.
MFA_NONE, MFA_WEAK, MFA_OTP, MFA_STRONG = range(4)
# Okta's id prefix for each factor type, as seen in its examples.
_FACTOR_PREFIX = {
    "sms": "mbl",
    "call": "clf",
    "email": "emf",
    "question": "ufs",
    "token:software:totp": "ost",
    "push": "opf",
    "signed_nonce": "crp",
    "webauthn": "fwf",
    "u2f": "fuf",
    "token:hardware": "ykf",
}
_PROVIDER = {
    "webauthn": "FIDO",
    "u2f": "FIDO",
    "token:hardware": "YUBICO",
}


def _weak_factor_types(users: UserDirectory, i: int) -> list[str]:
    d = users.ctx.digest("user-factors", i)
    choices = ("sms", "call", "email", "question")
    first = choices[d[0] % 4]
    if d[1] < 100:
        second = choices[(d[0] + 1 + d[1] % 3) % 4]
        return [first, second]
    return [first]


def factor_types(users: UserDirectory, i: int) -> list[str]:
    status = users.status[i]
    if status in (1, 2, 7):  # STAGED, PROVISIONED, DEPROVISIONED
        return []
    mfa = users.mfa[i]
    d = users.ctx.digest("user-factors", i)
    seat = users.seats.get(i)
    if seat and seat.strength == "weak":
        return ["sms"]
    if mfa == MFA_NONE:
        return []
    if mfa == MFA_WEAK:
        return _weak_factor_types(users, i)
    if mfa == MFA_OTP:
        base = ["token:software:totp"] if d[2] < 128 else ["push"]
        return [*base, "sms"] if d[3] < 80 else base
    if not users.ctx.typical:
        return ["webauthn"] if d[2] < 128 else ["push", "signed_nonce"]
    options = (
        ["webauthn"],
        ["push", "signed_nonce"],
        ["u2f"],
        ["token:hardware", "webauthn"],
    )
    chosen = list(options[d[2] % len(options)])
    return [*chosen, "sms"] if d[3] < 60 else chosen


def build_factors(users: UserDirectory, i: int) -> list[dict[str, Any]]:
    ctx = users.ctx
    user_id = users.user_id(i)
    login = users.login(i)
    rng = ctx.rng("user-factor-detail", i)
    factors = []
    for position, factor_type in enumerate(factor_types(users, i)):
        factor_id = ctx.okta_id(_FACTOR_PREFIX[factor_type], "factor", i * 8 + position)
        enrolled = ctx.stamp(days=rng.uniform(1, 30))
        provider = _PROVIDER.get(factor_type, "OKTA")
        if factor_type == "token:software:totp" and rng.random() < 0.5:
            provider = "GOOGLE"
        factor: dict[str, Any] = {
            "id": factor_id,
            "factorType": factor_type,
            "provider": provider,
            "vendorName": provider,
            "status": "ACTIVE",
            "created": enrolled,
            "lastUpdated": enrolled,
            "profile": _factor_profile(factor_type, i, login, rng.random()),
            "_links": {
                "self": ctx.link(f"/api/v1/users/{user_id}/factors/{factor_id}"),
                "user": ctx.link(f"/api/v1/users/{user_id}"),
            },
        }
        factors.append(factor)
    return factors


def _factor_profile(
    factor_type: str, i: int, login: str, draw: float
) -> dict[str, Any]:
    phone = f"+1415555{1000 + i % 9000:04d}"
    if factor_type in ("sms", "call"):
        return {"phoneNumber": phone}
    if factor_type == "email":
        return {"email": login}
    if factor_type == "question":
        key, text = QUESTIONS[i % len(QUESTIONS)]
        return {"question": key, "questionText": text}
    if factor_type == "push":
        platform = "IOS" if draw < 0.6 else "ANDROID"
        return {
            "credentialId": login,
            "deviceType": "SmartPhone_IPhone"
            if platform == "IOS"
            else "SmartPhone_Android",
            "name": "Work phone",
            "platform": platform,
            "version": "9.31.0",
        }
    if factor_type == "webauthn":
        name = "MacBook Touch ID" if draw < 0.5 else "YubiKey 5 NFC"
        return {"authenticatorName": name, "credentialId": f"cred{i:x}w"}
    if factor_type == "signed_nonce":
        return {"credentialId": login, "name": "Okta FastPass", "platform": "MACOS"}
    return {"credentialId": login}
