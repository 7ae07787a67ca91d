"""Network zones: blocklists, anonymisers, over-broad trust, dangling references.

Zones (``/api/v1/zones``) have ``type`` IP, DYNAMIC or DYNAMIC_V2, ``usage``
POLICY or BLOCKLIST, ``status``, ``gateways[] {type CIDR|RANGE, value}``,
``useAsExemptList`` (the ThreatInsight exemption) and, for DYNAMIC_V2,
``ipServiceCategories.include`` (spec ``IPServiceCategory``) (checks.md §9).
"""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator

from atomation.assessment.catalogue import CheckList, Threshold
from atomation.assessment.context import CheckContext
from atomation.assessment.results import Finding
from atomation.snapshot.data import Resource

__all__ = ["checks", "gateway_size"]

checks = CheckList("network")

_ZONES_STEP = "In the Admin Console, go to Security > Networks."
# The IPServiceCategory values that cover anonymising services (checks.md §9).
_ANONYMIZER_CATEGORIES = frozenset(
    {"ALL_ANONYMIZERS", "ANONYMIZER_TOR", "ALL_PROXIES_VPNS"}
)


def gateway_size(gateway: dict[str, str]) -> int:
    """How many addresses a zone gateway (CIDR or ``first-last`` RANGE) covers."""
    value = gateway["value"]
    if gateway["type"] == "RANGE":
        first, _, last = value.partition("-")
        return int(ipaddress.ip_address(last)) - int(ipaddress.ip_address(first)) + 1
    return ipaddress.ip_network(value, strict=False).num_addresses


def _blocklist_check(
    ctx: CheckContext, candidates: list[Resource], what: str
) -> Iterator[Finding]:
    active = [z for z in candidates if z.data["status"] == "ACTIVE"]
    if active:
        for zone in active:
            yield ctx.finding(
                True,
                zone,
                zone.data["name"],
                f"an ACTIVE {what}",
                measured="ACTIVE",
                required="ACTIVE",
            )
        return
    if not candidates:
        yield ctx.summary(
            False,
            "population",
            "network zones",
            f"no {what} exists",
            measured=None,
            required=f"an ACTIVE {what}",
            evidence=[z.evidence for z in ctx.facts.zones.values()],
        )
    for zone in candidates:
        yield ctx.finding(
            False,
            zone,
            zone.data["name"],
            f"the {what} is {zone.data['status']}; it must be ACTIVE",
            measured=zone.data["status"],
            required="ACTIVE",
        )


@checks.add(
    "net.blocklist_present",
    title="An active IP blocklist zone lists at least one address",
    severity="low",
    rationale="A blocklist stops known-bad addresses before they reach a sign-in "
    "form; HealthInsight recommends one.",
    remediation=(
        _ZONES_STEP,
        "Edit BlockedIpZone (or add an IP zone with usage 'Block list'), add the "
        "addresses to block and activate it.",
    ),
    kinds=("zone",),
    nist=("SC-7",),
    soc2=("CC6.6",),
    source="checks.md §9 OKTA.NET.BLOCKLIST_PRESENT",
)
def blocklist_present(ctx: CheckContext) -> Iterator[Finding]:
    zones = [
        z
        for z in ctx.facts.zones.values()
        if z.data["type"] == "IP" and z.data.get("usage") == "BLOCKLIST"
    ]
    usable = [z for z in zones if z.data.get("gateways")]
    yield from _blocklist_check(
        ctx, usable or zones, "IP blocklist zone with addresses"
    )


@checks.add(
    "net.anonymizer_block",
    title="Anonymising proxies and Tor are blocked by an active zone",
    severity="medium",
    rationale="Attackers hide behind anonymisers; blocking them removes a cheap "
    "cover and is a STIG requirement.",
    remediation=(
        _ZONES_STEP,
        "Add (or edit) an Enhanced dynamic zone with usage 'Block list' whose IP "
        "service categories include all anonymizers; activate it.",
    ),
    kinds=("zone",),
    stig=("OKTA-APP-003243",),
    nist=("AC-4", "SC-7"),
    soc2=("CC6.6",),
    source="checks.md §9 OKTA.NET.ANONYMIZER_BLOCK",
)
def anonymizer_block(ctx: CheckContext) -> Iterator[Finding]:
    zones = [
        z
        for z in ctx.facts.zones.values()
        if z.data["type"] == "DYNAMIC_V2"
        and z.data.get("usage") == "BLOCKLIST"
        and set(z.data.get("ipServiceCategories", {}).get("include", []))
        & _ANONYMIZER_CATEGORIES
    ]
    yield from _blocklist_check(ctx, zones, "anonymizer blocklist zone")


def _referenced_by_allow_rules(ctx: CheckContext) -> set[str]:
    referenced: set[str] = set()
    for rule in ctx.data.resources("policy_rule"):
        if rule.data.get("status") != "ACTIVE":
            continue
        network = (rule.data.get("conditions") or {}).get("network") or {}
        referenced.update(network.get("include", []))
    return referenced


@checks.add(
    "net.broad_trust_zone",
    title="No trusted or exempt zone covers more than a /16 of addresses",
    severity="high",
    rationale="A zone that matches most of the internet turns 'trusted network' "
    "rules and the ThreatInsight exemption into rules for everyone.",
    remediation=(
        _ZONES_STEP,
        "Edit the zone listed and replace the broad range with the specific "
        "gateway addresses of trusted networks.",
    ),
    kinds=("zone", "policy_rule"),
    thresholds=(
        Threshold("max_addresses", 65536, 16777216, "addresses", "largest gateway"),
    ),
    nist=("SC-7", "SI-4"),
    soc2=("CC6.6",),
    source="checks.md §9 OKTA.NET.BROAD_TRUST_ZONE",
)
def broad_trust_zone(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.int_param("max_addresses")
    referenced = _referenced_by_allow_rules(ctx)
    for zone in ctx.facts.zones.values():
        data = zone.data
        if (
            data["type"] != "IP"
            or data.get("usage") != "POLICY"
            or data["status"] != "ACTIVE"
        ):
            continue
        trusted = data.get("useAsExemptList") is True or zone.id in referenced
        if not trusted:
            continue
        largest = max((gateway_size(g) for g in data.get("gateways") or []), default=0)
        broad = [
            g["value"] for g in data.get("gateways") or [] if gateway_size(g) > limit
        ]
        role = (
            "ThreatInsight exempt zone"
            if data.get("useAsExemptList")
            else "policy zone"
        )
        yield ctx.finding(
            not broad,
            zone,
            data["name"],
            f"{role} covers {', '.join(broad)}"
            if broad
            else f"{role}, largest gateway {largest} addresses",
            measured=largest,
            required=limit,
        )


@checks.add(
    "net.zone_reference_integrity",
    title="Policy rules reference only existing, active zones",
    severity="medium",
    rationale="A rule naming a deleted or inactive zone silently stops meaning "
    "what its author intended.",
    remediation=(
        "In the Admin Console, open the policy rule listed (Security > "
        "Authentication Policies or Global Session Policy).",
        "Replace the inactive or missing zone, or reactivate it under "
        "Security > Networks.",
    ),
    kinds=("zone", "policy", "policy_rule"),
    nist=("CM-6",),
    soc2=("CC8.1",),
    source="checks.md §9 OKTA.NET.ZONE_REFERENCE_INTEGRITY",
)
def zone_reference_integrity(ctx: CheckContext) -> Iterator[Finding]:
    zones = ctx.facts.zones
    for rule in ctx.data.resources("policy_rule"):
        if rule.data.get("status") != "ACTIVE":
            continue
        network = (rule.data.get("conditions") or {}).get("network") or {}
        named = [*network.get("include", []), *network.get("exclude", [])]
        if not named:
            continue
        broken = [
            z for z in named if z not in zones or zones[z].data["status"] != "ACTIVE"
        ]
        policy = ctx.facts.policy(rule.parent_id or "")
        label = (
            f"{policy.data['name'] if policy else rule.parent_id} / {rule.data['name']}"
        )
        yield ctx.finding(
            not broken,
            rule,
            label,
            f"references missing or inactive zone(s) {', '.join(broken)}"
            if broken
            else f"references {len(named)} active zone(s)",
            measured=broken,
            required="only ACTIVE zones",
            evidence=[zones[z].evidence for z in named if z in zones],
        )
