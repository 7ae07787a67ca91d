"""Trusted origins: wildcards, plain HTTP, and who may embed the sign-in page.

``/api/v1/trustedOrigins`` objects carry ``origin``, ``status`` and
``scopes[].type`` (CORS, REDIRECT, IFRAME_EMBED) (checks.md §10).
"""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import urlsplit

from atomation.assessment.catalogue import CheckList, Threshold
from atomation.assessment.context import CheckContext
from atomation.assessment.results import Finding
from atomation.snapshot.data import Resource

__all__ = ["checks"]

checks = CheckList("origins")

_STEP = "In the Admin Console, go to Security > API > Trusted Origins."
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})


def _active(ctx: CheckContext) -> Iterator[Resource]:
    for origin in ctx.data.resources("trusted_origin"):
        if origin.data.get("status") == "ACTIVE":
            yield origin


@checks.add(
    "origin.wildcard",
    title="No trusted origin uses a wildcard",
    severity="high",
    rationale="A wildcard origin trusts every subdomain, including ones an attacker "
    "can take over, for CORS calls and redirects.",
    remediation=(_STEP, "Replace the wildcard origin with the exact origins needed."),
    kinds=("trusted_origin",),
    nist=("AC-4", "SC-7"),
    soc2=("CC6.6",),
    source="checks.md §10 OKTA.ORIGIN.WILDCARD",
)
def wildcard(ctx: CheckContext) -> Iterator[Finding]:
    for origin in _active(ctx):
        value = origin.data["origin"]
        yield ctx.finding(
            "*" not in value,
            origin,
            origin.data["name"],
            f"origin {value}",
            measured=value,
            required="an exact origin",
        )


@checks.add(
    "origin.http",
    title="Trusted origins use HTTPS",
    severity="medium",
    rationale="An http origin can be impersonated by anyone on the network path.",
    remediation=(_STEP, "Change the origin to https:// (or remove it)."),
    kinds=("trusted_origin",),
    nist=("SC-8",),
    soc2=("CC6.7",),
    source="checks.md §10 OKTA.ORIGIN.HTTP",
)
def http(ctx: CheckContext) -> Iterator[Finding]:
    for origin in _active(ctx):
        parts = urlsplit(origin.data["origin"])
        plain = parts.scheme == "http" and parts.hostname not in _LOOPBACK
        yield ctx.finding(
            not plain,
            origin,
            origin.data["name"],
            f"origin {origin.data['origin']} uses {parts.scheme}",
            measured=parts.scheme,
            required="https",
        )


@checks.add(
    "origin.iframe_embed",
    title="Only the organisation's own sites may embed the Okta sign-in page",
    severity="low",
    rationale="An embedding site can overlay or capture the sign-in form "
    "(clickjacking); only sites the org controls should be allowed.",
    remediation=(_STEP, "Remove the Iframe embed scope from origins outside the org."),
    kinds=("trusted_origin",),
    thresholds=(
        Threshold(
            "allowed_domains",
            "",
            "",
            "domains",
            "comma-separated domains whose sites may embed the sign-in page",
        ),
    ),
    nist=("SC-7",),
    soc2=("CC6.6",),
    source="checks.md §10 OKTA.ORIGIN.IFRAME_EMBED",
)
def iframe_embed(ctx: CheckContext) -> Iterator[Finding]:
    allowed = [
        d.strip().lower()
        for d in ctx.str_param("allowed_domains").split(",")
        if d.strip()
    ]
    for origin in _active(ctx):
        scopes = {s["type"] for s in origin.data.get("scopes", [])}
        if "IFRAME_EMBED" not in scopes:
            continue
        host = (urlsplit(origin.data["origin"]).hostname or "").lower()
        own = any(host == d or host.endswith("." + d) for d in allowed)
        yield ctx.finding(
            own,
            origin,
            origin.data["name"],
            f"{origin.data['origin']} may embed the sign-in page"
            + ("" if own else " and is not in the allowed domains"),
            measured=host,
            required=allowed or "no embedding",
        )
