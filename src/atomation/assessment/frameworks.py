"""The frameworks a check maps to: the DISA Okta IDaaS STIG, NIST SP 800-53, SOC 2.

Each framework is a table of the controls our checks may name; the catalogue
refuses a mapping to an id that is not here, so a typo cannot create a control.

The STIG table holds all 29 rules of the Okta IDaaS STIG V1R2 (24 from V1R1,
V-273186 to V-273209, plus five added in V1R2, V-279689 to V-279693), with the
vulnerability number beside each rule id so that the number is written once
(checks.md §15). A rule that the ten read scopes cannot evaluate carries
``needs``: the scope or attestation it would take. NIST SP 800-53 rev. 5 control
names and the SOC 2 Trust Services Criteria are the published titles, shortened.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Literal

__all__ = [
    "FRAMEWORKS",
    "NIST_CONTROLS",
    "SOC2_CRITERIA",
    "STIG_RULES",
    "Framework",
    "FrameworkId",
    "StigRule",
]

FrameworkId = Literal["stig", "nist", "soc2"]


@dataclass(frozen=True)
class StigRule:
    """One rule of the Okta IDaaS STIG and whether our snapshot can evaluate it."""

    rule: str
    """The STIG id, e.g. ``OKTA-APP-000020``."""
    vuln: str
    """The vulnerability number, e.g. ``V-273186``."""
    cat: Literal["I", "II"]
    requirement: str
    needs: str | None = None
    """For a rule the ten read scopes cannot evaluate: what it would take."""


STIG_RULES: Mapping[str, StigRule] = {
    r.rule: r
    for r in (
        StigRule("OKTA-APP-000020", "V-273186", "II", "Global session idle 15 min"),
        StigRule(
            "OKTA-APP-000025",
            "V-273187",
            "II",
            "Admin Console session idle 15 min",
            needs="GET /api/v1/first-party-app-settings/admin-console, which only a "
            "Super Administrator may read; a read-only service app cannot "
            "(attest the Admin Console session settings instead)",
        ),
        StigRule(
            "OKTA-APP-000090", "V-273188", "II", "Accounts disabled after 35 days idle"
        ),
        StigRule("OKTA-APP-000170", "V-273189", "II", "Lockout after 3 attempts"),
        StigRule(
            "OKTA-APP-000180", "V-273190", "II", "Dashboard: phishing-resistant only"
        ),
        StigRule(
            "OKTA-APP-000190",
            "V-273191",
            "II",
            "Admin Console: phishing-resistant only",
        ),
        StigRule(
            "OKTA-APP-000200",
            "V-273192",
            "II",
            "DoD notice and consent banner",
            needs="okta.brands.read (the customised sign-in page), or an "
            "attestation with a screenshot of the sign-in page",
        ),
        StigRule("OKTA-APP-000560", "V-273193", "I", "Admin Console requires MFA"),
        StigRule("OKTA-APP-000570", "V-273194", "I", "Dashboard requires MFA"),
        StigRule("OKTA-APP-000650", "V-273195", "II", "Password length 15"),
        StigRule("OKTA-APP-000670", "V-273196", "II", "Password upper-case"),
        StigRule("OKTA-APP-000680", "V-273197", "II", "Password lower-case"),
        StigRule("OKTA-APP-000690", "V-273198", "II", "Password number"),
        StigRule("OKTA-APP-000700", "V-273199", "II", "Password symbol"),
        StigRule("OKTA-APP-000740", "V-273200", "II", "Password minimum age 24 h"),
        StigRule("OKTA-APP-000745", "V-273201", "II", "Password maximum age 60 days"),
        StigRule(
            "OKTA-APP-001430",
            "V-273202",
            "I",
            "Audit records off-loaded",
            needs="okta.logStreams.read (log stream status), or an attestation "
            "that a SIEM pulls the System Log through the API",
        ),
        StigRule("OKTA-APP-001665", "V-273203", "II", "Global session lifetime 18 h"),
        StigRule(
            "OKTA-APP-001670",
            "V-273204",
            "II",
            "PIV credentials accepted (Smart Card authenticator)",
            needs="okta.authenticators.read (the Smart Card authenticator's "
            "status), or an attestation",
        ),
        StigRule(
            "OKTA-APP-001700",
            "V-273205",
            "II",
            "Okta Verify limited to FIPS-compliant devices",
            needs="okta.authenticators.read (Okta Verify's compliance.fips setting)",
        ),
        StigRule(
            "OKTA-APP-001710", "V-273206", "II", "No persistent global session cookie"
        ),
        StigRule(
            "OKTA-APP-001920",
            "V-273207",
            "II",
            "Smart-card IdP trusts DoD-approved CAs only",
            needs="the IdP certificates (GET /api/v1/idps/credentials/keys/{kid}, "
            "not part of a snapshot) and the customer's approved-CA list as an "
            "attestation",
        ),
        StigRule("OKTA-APP-002980", "V-273208", "II", "Common passwords refused"),
        StigRule("OKTA-APP-003010", "V-273209", "II", "Password history 5"),
        StigRule(
            "OKTA-APP-003240",
            "V-279689",
            "II",
            "API tokens restricted to network zones",
            needs="okta.apiTokens.read (each token's network condition)",
        ),
        StigRule(
            "OKTA-APP-003241",
            "V-279690",
            "II",
            "API tokens on dedicated, non-Super-Admin accounts",
        ),
        StigRule(
            "OKTA-APP-003242", "V-279691", "II", "Global session policy uses IP zones"
        ),
        StigRule("OKTA-APP-003243", "V-279692", "II", "Anonymising proxies blocked"),
        StigRule(
            "OKTA-APP-003244", "V-279693", "II", "Network zones in every app's policy"
        ),
    )
}

NIST_CONTROLS: Mapping[str, str] = {
    "AC-2": "Account Management",
    "AC-2(3)": "Disable Accounts",
    "AC-2(4)": "Automated Audit Actions",
    "AC-2(7)": "Privileged User Accounts",
    "AC-3": "Access Enforcement",
    "AC-4": "Information Flow Enforcement",
    "AC-5": "Separation of Duties",
    "AC-6": "Least Privilege",
    "AC-6(5)": "Privileged Accounts",
    "AC-6(7)": "Review of User Privileges",
    "AC-6(9)": "Log Use of Privileged Functions",
    "AC-7": "Unsuccessful Logon Attempts",
    "AC-11": "Device Lock",
    "AC-12": "Session Termination",
    "AU-6": "Audit Record Review, Analysis, and Reporting",
    "CM-3": "Configuration Change Control",
    "CM-5": "Access Restrictions for Change",
    "CM-6": "Configuration Settings",
    "CM-7": "Least Functionality",
    "IA-2": "Identification and Authentication (Organizational Users)",
    "IA-2(1)": "Multi-factor Authentication to Privileged Accounts",
    "IA-2(2)": "Multi-factor Authentication to Non-privileged Accounts",
    "IA-2(8)": "Access to Accounts — Replay Resistant",
    "IA-4": "Identifier Management",
    "IA-5": "Authenticator Management",
    "IA-5(1)": "Password-based Authentication",
    "IA-5(13)": "Expiration of Cached Authenticators",
    "IA-8": "Identification and Authentication (Non-organizational Users)",
    "IA-9": "Service Identification and Authentication",
    "IA-11": "Re-authentication",
    "IR-6": "Incident Reporting",
    "MA-4": "Nonlocal Maintenance",
    "SC-7": "Boundary Protection",
    "SC-8": "Transmission Confidentiality and Integrity",
    "SC-10": "Network Disconnect",
    "SC-12": "Cryptographic Key Establishment and Management",
    "SC-13": "Cryptographic Protection",
    "SC-23": "Session Authenticity",
    "SI-4": "System Monitoring",
}

SOC2_CRITERIA: Mapping[str, str] = {
    "CC6.1": "Logical access security software, infrastructure and architectures",
    "CC6.2": "User registration, authorisation and removal",
    "CC6.3": "Role-based access, least privilege and segregation of duties",
    "CC6.6": "Protection against threats from outside system boundaries",
    "CC6.7": "Restriction of transmission and movement of information",
    "CC7.2": "Monitoring of system components for anomalies",
    "CC7.3": "Evaluation of security events",
    "CC8.1": "Change management",
}


@dataclass(frozen=True)
class Framework:
    id: FrameworkId
    name: str
    controls: Mapping[str, str]
    """Control id to its title."""


FRAMEWORKS: Mapping[FrameworkId, Framework] = {
    "stig": Framework(
        "stig",
        "DISA Okta IDaaS STIG V1R2",
        {r.rule: f"{r.vuln} {r.requirement}" for r in STIG_RULES.values()},
    ),
    "nist": Framework("nist", "NIST SP 800-53 rev. 5", NIST_CONTROLS),
    "soc2": Framework("soc2", "SOC 2 Trust Services Criteria", SOC2_CRITERIA),
}
