"""Authenticator enrollment policies (``MFA_ENROLL``).

Identity Engine enrollment policies carry ``settings.type == "AUTHENTICATORS"``
and ``settings.authenticators[] = {key, enroll.self}`` with ``enroll.self`` one of
``REQUIRED``, ``OPTIONAL``, ``NOT_ALLOWED`` (spec
``AuthenticatorEnrollmentPolicyAuthenticatorType``). An older org may still hold
the Classic shape (``settings.factors``); these checks read the OIE shape and
report an error on the other rather than misread it (checks.md §5).
"""

from __future__ import annotations

from collections.abc import Iterator

from atomation.assessment.catalogue import CheckList, Threshold
from atomation.assessment.context import CheckContext
from atomation.assessment.results import Finding
from atomation.snapshot.data import Resource

__all__ = ["checks"]

checks = CheckList("enrollment")

_STEPS = (
    "In the Admin Console, go to Security > Authenticators > Enrollment and edit "
    "each active policy.",
)
_ENROLLABLE = frozenset({"REQUIRED", "OPTIONAL"})
# Authenticators that can be phished or intercepted (checks.md §5 WEAK_AUTHENTICATORS).
_WEAK = ("phone_number", "okta_email", "security_question")
# Enrollable phishing-resistant authenticators: FIDO2 and Okta Verify (FastPass).
_PHISHING_RESISTANT = ("webauthn", "okta_verify")


def _settings(policy: Resource) -> dict[str, str]:
    """Authenticator key to its ``enroll.self`` value, from the OIE shape."""
    settings = policy.data["settings"]
    if settings.get("type", "AUTHENTICATORS") != "AUTHENTICATORS":
        raise ValueError(
            f"policy {policy.id} uses the Classic enrollment shape "
            f"({settings.get('type')}), which these checks do not read"
        )
    return {a["key"]: a["enroll"]["self"] for a in settings["authenticators"]}


@checks.add(
    "mfa.weak_authenticators",
    title="Phone, email and security question cannot be enrolled as authenticators",
    severity="medium",
    rationale="SMS and voice can be SIM-swapped, email follows a compromised "
    "mailbox and a security question is a second password; offering them "
    "invites users to pick the weakest.",
    remediation=(
        *_STEPS,
        "Set Phone, Email and Security Question to 'Disabled' (NOT_ALLOWED); keep "
        "email for recovery only if needed.",
    ),
    kinds=("policy",),
    nist=("IA-2(8)", "IA-5"),
    soc2=("CC6.1",),
    source="checks.md §5 OKTA.MFA.WEAK_AUTHENTICATORS",
)
def weak_authenticators(ctx: CheckContext) -> Iterator[Finding]:
    for policy in ctx.facts.policies("MFA_ENROLL"):
        settings = _settings(policy)
        enrollable = [k for k in _WEAK if settings.get(k) in _ENROLLABLE]
        yield ctx.finding(
            not enrollable,
            policy,
            policy.data["name"],
            f"enrollable: {', '.join(enrollable)}; NOT_ALLOWED is required"
            if enrollable
            else "phone, email and security question are not enrollable",
            measured={k: settings.get(k, "absent") for k in _WEAK},
            required="NOT_ALLOWED",
        )


@checks.add(
    "mfa.phishing_resistant_enrollment",
    title="A phishing-resistant authenticator is required at enrollment",
    severity="high",
    rationale="Users enroll what the policy asks for; requiring FIDO2 or Okta "
    "Verify gives everyone a factor that resists real-time phishing.",
    remediation=(
        *_STEPS,
        "Set FIDO2 (WebAuthn) or Okta Verify to 'Required'.",
    ),
    kinds=("policy",),
    thresholds=(
        Threshold(
            "required",
            True,
            False,
            "",
            "true: must be REQUIRED; false: being enrollable (OPTIONAL) is enough",
        ),
    ),
    nist=("IA-2(1)", "IA-2(8)"),
    soc2=("CC6.1",),
    source="checks.md §5 OKTA.MFA.PHISHING_RESISTANT_AVAILABLE",
)
def phishing_resistant_enrollment(ctx: CheckContext) -> Iterator[Finding]:
    must_require = ctx.bool_param("required")
    accepted = {"REQUIRED"} if must_require else _ENROLLABLE
    for policy in ctx.facts.policies("MFA_ENROLL"):
        settings = _settings(policy)
        found = [k for k in _PHISHING_RESISTANT if settings.get(k) in accepted]
        wanted = "REQUIRED" if must_require else "OPTIONAL or REQUIRED"
        yield ctx.finding(
            bool(found),
            policy,
            policy.data["name"],
            f"{', '.join(found)} {wanted}"
            if found
            else f"neither webauthn nor okta_verify is {wanted}",
            measured={k: settings.get(k, "absent") for k in _PHISHING_RESISTANT},
            required=wanted,
        )


@checks.add(
    "mfa.enroll_second_factor",
    title="Enrollment requires an authenticator besides the password",
    severity="high",
    rationale="If no second authenticator is required at enrollment, users can "
    "stay password-only and MFA policies have nothing to ask for.",
    remediation=(*_STEPS, "Set at least one non-password authenticator to 'Required'."),
    kinds=("policy",),
    nist=("IA-2(1)", "IA-2(2)", "IA-5"),
    soc2=("CC6.1",),
    source="checks.md §5 OKTA.MFA.ENROLL_POLICY_COVERAGE",
)
def enroll_second_factor(ctx: CheckContext) -> Iterator[Finding]:
    for policy in ctx.facts.policies("MFA_ENROLL"):
        settings = _settings(policy)
        required = sorted(
            k for k, v in settings.items() if v == "REQUIRED" and k != "okta_password"
        )
        yield ctx.finding(
            bool(required),
            policy,
            policy.data["name"],
            f"required: {', '.join(required)}"
            if required
            else "no authenticator besides the password is REQUIRED",
            measured=required,
            required=">= 1 required non-password authenticator",
        )


@checks.add(
    "mfa.enroll_rule_not_never",
    title="No enrollment rule lets users skip enrollment",
    severity="medium",
    rationale="A rule with enrollment 'never' leaves the people it matches "
    "without the authenticators the policy requires.",
    remediation=(
        *_STEPS,
        "Edit each rule and set 'Enrollment is' to 'Allowed' (challenge) rather "
        "than 'Not allowed'.",
    ),
    kinds=("policy", "policy_rule"),
    nist=("IA-2(1)", "IA-5"),
    soc2=("CC6.1",),
    source="checks.md §5 OKTA.MFA.ENROLL_POLICY_COVERAGE",
)
def enroll_rule_not_never(ctx: CheckContext) -> Iterator[Finding]:
    for policy in ctx.facts.policies("MFA_ENROLL"):
        for rule in ctx.facts.rules(policy.id):
            action = rule.data.get("actions", {}).get("enroll", {}).get("self")
            yield ctx.finding(
                action != "NEVER",
                rule,
                f"{policy.data['name']} / {rule.data['name']}",
                f"enroll.self is {action}",
                measured=action,
                required="CHALLENGE or LOGIN",
                evidence=[policy.evidence],
            )
