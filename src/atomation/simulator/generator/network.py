"""Network zones and trusted origins.

Okta creates three system IP zones in every org (``LegacyIpZone``,
``BlockedIpZone`` with usage BLOCKLIST, and ``DefaultExemptIpZone``, the
ThreatInsight exempt list); admins add IP, DYNAMIC (geo/ASN/proxy) and DYNAMIC_V2
(enhanced dynamic) zones. Trusted origins carry CORS, REDIRECT or IFRAME_EMBED
scopes (okta-api.md §3.5; checks.md §9, §10).

ENHANCED_DYNAMIC zones are served with ``asns: {"include": [], "exclude": []}``,
the spec's shape, although the SDK's model rejects it (okta-api.md §9.3).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from atomation.simulator.generator._common import Context, without_nulls

__all__ = ["ZoneIds", "build_trusted_origins", "build_zones"]


@dataclass
class ZoneIds:
    """Ids of the zones policies refer to."""

    corporate: str
    legacy: str
    tor: str
    old_office: str | None = None


def _zone(
    ctx: Context,
    index: int,
    name: str,
    zone_type: str,
    usage: str,
    *,
    status: str = "ACTIVE",
    system: bool = False,
    **fields: Any,
) -> dict[str, Any]:
    zone_id = ctx.okta_id("nzo", "zone", index)
    rng = ctx.rng("zone", index)
    created = rng.uniform(300, 1200)
    return without_nulls(
        {
            "type": zone_type,
            "id": zone_id,
            "name": name,
            "status": status,
            "usage": usage,
            "created": ctx.stamp(days=created),
            "lastUpdated": ctx.stamp(days=rng.uniform(5, created)),
            "system": system,
            **fields,
            "_links": {
                "self": ctx.link(f"/api/v1/zones/{zone_id}"),
                "deactivate": ctx.link(
                    f"/api/v1/zones/{zone_id}/lifecycle/deactivate",
                    hints={"allow": ["POST"]},
                ),
            },
        }
    )


def _cidr(value: str) -> dict[str, str]:
    return {"type": "CIDR", "value": value}


def build_zones(ctx: Context) -> tuple[list[dict[str, Any]], ZoneIds]:
    zones = [
        _zone(
            ctx,
            0,
            "LegacyIpZone",
            "IP",
            "POLICY",
            system=True,
            gateways=[_cidr("192.0.2.0/24")],
            proxies=None,
        ),
    ]
    if ctx.typical:
        blocked = _zone(
            ctx,
            1,
            "BlockedIpZone",
            "IP",
            "BLOCKLIST",
            system=True,
            status="INACTIVE",
            gateways=[],
            proxies=None,
        )
        exempt_gateways = [{"type": "RANGE", "value": "0.0.0.0-255.255.255.255"}]
    else:
        blocked = _zone(
            ctx,
            1,
            "BlockedIpZone",
            "IP",
            "BLOCKLIST",
            system=True,
            gateways=[_cidr("198.51.100.0/24"), _cidr("100.64.13.0/24")],
            proxies=None,
        )
        exempt_gateways = []
    zones.append(blocked)
    exempt = _zone(
        ctx,
        2,
        "DefaultExemptIpZone",
        "IP",
        "POLICY",
        system=True,
        gateways=exempt_gateways,
        proxies=None,
        useAsExemptList=True,
    )
    zones.append(exempt)
    corporate = _zone(
        ctx,
        3,
        "Corporate HQ",
        "IP",
        "POLICY",
        gateways=[_cidr("203.0.113.0/24")],
        proxies=[_cidr("203.0.113.250/32")],
    )
    zones.append(corporate)
    tor = _zone(
        ctx,
        4,
        "Tor and anonymizers",
        "DYNAMIC",
        "POLICY",
        proxyType="Tor",
        locations=None,
        asns=None,
    )
    zones.append(tor)
    zones.append(
        _zone(
            ctx,
            5,
            "Block anonymizing services",
            "DYNAMIC_V2",
            "BLOCKLIST",
            status="INACTIVE" if ctx.typical else "ACTIVE",
            asns={"include": [], "exclude": []},
            locations={"include": [], "exclude": []},
            ipServiceCategories={"include": ["ALL_ANONYMIZERS"], "exclude": []},
        )
    )
    zones.append(
        _zone(
            ctx,
            6,
            "Operating countries",
            "DYNAMIC",
            "POLICY",
            locations=[
                {"country": "US", "region": None},
                {"country": "CA", "region": None},
            ],
            asns=None,
            proxyType=None,
        )
    )
    ids = ZoneIds(corporate=corporate["id"], legacy=zones[0]["id"], tor=tor["id"])
    if ctx.typical:
        old_office = _zone(
            ctx,
            7,
            "Old office (Austin)",
            "IP",
            "POLICY",
            status="INACTIVE",
            gateways=[_cidr("192.0.2.128/25")],
            proxies=None,
        )
        zones.append(old_office)
        ids.old_office = old_office["id"]
        ctx.plant(
            "blocklist-inactive",
            "net.blocklist_present",
            ("NetworkZone", blocked["id"], blocked["name"]),
            "the IP blocklist zone is INACTIVE with no gateways; an ACTIVE "
            "BLOCKLIST zone with at least one gateway is required",
        )
        ctx.plant(
            "exempt-zone-everything",
            "net.broad_trust_zone",
            ("NetworkZone", exempt["id"], exempt["name"]),
            "the ThreatInsight exempt zone covers 0.0.0.0-255.255.255.255; "
            "it should list only specific trusted addresses",
        )
        ctx.plant(
            "anonymizer-block-inactive",
            "net.anonymizer_block",
            ("NetworkZone", zones[5]["id"], zones[5]["name"]),
            "the anonymizer blocklist (ALL_ANONYMIZERS) is INACTIVE; it must be ACTIVE",
        )
    return zones, ids


def build_trusted_origins(ctx: Context) -> list[dict[str, Any]]:
    specs: list[tuple[str, str, list[dict[str, Any]]]] = [
        (
            "Customer portal",
            f"https://portal.{ctx.domain}",
            [{"type": "CORS"}, {"type": "REDIRECT"}],
        ),
    ]
    if ctx.typical:
        specs += [
            ("Intranet", f"http://intranet.{ctx.domain}", [{"type": "CORS"}]),
            ("Partner sites", "https://*.partner.example", [{"type": "REDIRECT"}]),
            (
                "Analytics widget",
                "https://widgets.analytics.example",
                [{"type": "IFRAME_EMBED", "allowedOktaApps": ["OKTA_ENDUSER"]}],
            ),
        ]
    origins: list[dict[str, Any]] = []
    for index, (name, origin, scopes) in enumerate(specs):
        origin_id = ctx.okta_id("tos", "origin", index)
        rng = ctx.rng("origin", index)
        created = rng.uniform(100, 900)
        admin = ctx.okta_id("00u", "user", 0)
        origins.append(
            {
                "id": origin_id,
                "name": name,
                "origin": origin,
                "scopes": scopes,
                "status": "ACTIVE",
                "created": ctx.stamp(days=created),
                "createdBy": admin,
                "lastUpdated": ctx.stamp(days=rng.uniform(1, created)),
                "lastUpdatedBy": admin,
                "_links": {
                    "self": ctx.link(f"/api/v1/trustedOrigins/{origin_id}"),
                    "deactivate": ctx.link(
                        f"/api/v1/trustedOrigins/{origin_id}/lifecycle/deactivate",
                        hints={"allow": ["POST"]},
                    ),
                },
            }
        )
    if ctx.typical:
        http, wildcard, iframe = origins[1], origins[2], origins[3]
        ctx.plant(
            "origin-http",
            "origin.http",
            ("TrustedOrigin", http["id"], http["name"]),
            f"ACTIVE origin {http['origin']} uses http; origins must be https",
        )
        ctx.plant(
            "origin-wildcard",
            "origin.wildcard",
            ("TrustedOrigin", wildcard["id"], wildcard["name"]),
            f"origin {wildcard['origin']} contains a wildcard; list exact origins",
        )
        ctx.plant(
            "origin-iframe",
            "origin.iframe_embed",
            ("TrustedOrigin", iframe["id"], iframe["name"]),
            f"{iframe['origin']} outside {ctx.domain} may embed the sign-in "
            "page (IFRAME_EMBED)",
        )
    return origins
