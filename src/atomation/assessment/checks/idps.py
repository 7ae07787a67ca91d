"""Identity providers and IdP routing.

IdPs (``/api/v1/idps``) carry ``policy.provisioning.{action, groups.{action,
assignments}}``, ``policy.accountLink.{action, filter}``, ``issuerMode`` and, for
SAML, ``protocol.algorithms.{request,response}.signature.algorithm``. Routing
rules are ``IDP_DISCOVERY`` policy rules whose ``actions.idp.providers[]`` name
where a matching user signs in (checks.md §12).
"""

from __future__ import annotations

from collections.abc import Iterator

from atomation.assessment.catalogue import CheckList
from atomation.assessment.context import CheckContext
from atomation.assessment.results import Finding

__all__ = ["checks"]

checks = CheckList("idps")

_STEP = "In the Admin Console, go to Security > Identity Providers and edit the IdP."
_GROUP_ASSIGNING = frozenset({"ASSIGN", "APPEND", "SYNC"})


@checks.add(
    "idp.jit_provisioning",
    title="No identity provider's JIT provisioning places users in admin groups",
    severity="high",
    rationale="Whoever controls the external IdP (or an account in it) would be "
    "made an Okta admin on first sign-in.",
    remediation=(
        _STEP,
        "Under Group assignments choose none, or only groups without admin roles.",
    ),
    kinds=("idp", "group_role"),
    nist=("AC-2", "IA-8"),
    soc2=("CC6.2",),
    source="checks.md §12 OKTA.IDP.JIT_PROVISIONING",
)
def jit_provisioning(ctx: CheckContext) -> Iterator[Finding]:
    admin_groups = ctx.facts.group_roles
    for idp in ctx.data.resources("idp"):
        provisioning = idp.data.get("policy", {}).get("provisioning", {})
        groups = provisioning.get("groups", {})
        hits: list[str] = []
        if groups.get("action") in _GROUP_ASSIGNING:
            hits = sorted(g for g in groups.get("assignments", []) if g in admin_groups)
        yield ctx.finding(
            not hits,
            idp,
            idp.data["name"],
            f"provisioning {provisioning.get('action')} with groups "
            f"{groups.get('action')} into admin group(s) {', '.join(hits)}"
            if hits
            else f"provisioning {provisioning.get('action')}, no admin group assigned",
            measured=hits,
            required="no admin group in JIT group assignments",
        )


@checks.add(
    "idp.account_link_auto",
    title="No identity provider links accounts automatically without a filter",
    severity="high",
    rationale="Automatic linking by email or username lets an account at the "
    "external IdP take over the Okta account with the same name.",
    remediation=(
        _STEP,
        "Set Account link policy to Disabled, or keep Automatic only with a group "
        "filter that excludes administrators.",
    ),
    kinds=("idp",),
    nist=("IA-8", "IA-2"),
    soc2=("CC6.1",),
    source="checks.md §12 OKTA.IDP.ACCOUNT_LINK_AUTO",
)
def account_link_auto(ctx: CheckContext) -> Iterator[Finding]:
    for idp in ctx.data.resources("idp"):
        link = idp.data.get("policy", {}).get("accountLink", {})
        unfiltered = link.get("action") == "AUTO" and not link.get("filter")
        yield ctx.finding(
            not unfiltered,
            idp,
            idp.data["name"],
            f"accountLink.action {link.get('action')}"
            + (" with no filter" if unfiltered else ""),
            measured=link.get("action"),
            required="DISABLED, or AUTO with a filter",
        )


@checks.add(
    "idp.saml_algorithms",
    title="Inbound SAML identity providers sign with SHA-256",
    severity="medium",
    rationale="A SHA-1 signature on an inbound assertion can be forged with a "
    "practical collision attack.",
    remediation=(
        _STEP,
        "Under Advanced settings set request and response signature algorithms "
        "to SHA-256.",
    ),
    kinds=("idp",),
    nist=("SC-13",),
    soc2=("CC6.7",),
    source="checks.md §12 OKTA.IDP.SAML_ALGORITHMS",
)
def saml_algorithms(ctx: CheckContext) -> Iterator[Finding]:
    for idp in ctx.data.resources("idp"):
        protocol = idp.data.get("protocol", {})
        if protocol.get("type") != "SAML2":
            continue
        algorithms = protocol.get("algorithms", {})
        used = {
            side: algorithms.get(side, {}).get("signature", {}).get("algorithm")
            for side in ("request", "response")
        }
        weak = sorted(side for side, alg in used.items() if alg == "SHA-1")
        yield ctx.finding(
            not weak,
            idp,
            idp.data["name"],
            f"request {used['request']}, response {used['response']}",
            measured=used,
            required="SHA-256",
        )


@checks.add(
    "idp.issuer_mode",
    title="Every identity provider sets its issuer mode explicitly",
    severity="low",
    rationale="The issuer mode decides which domain Okta presents to the IdP; left "
    "unset it changes with the org's domains and can break or widen trust.",
    remediation=(
        _STEP,
        "Set 'IdP Usage' / Issuer mode to the org URL or the custom domain.",
    ),
    kinds=("idp",),
    nist=("IA-8", "CM-6"),
    soc2=("CC6.1",),
    source="spec IdentityProvider.issuerMode; docs/simulator.md "
    "(typical-idp-no-issuer-mode)",
)
def issuer_mode(ctx: CheckContext) -> Iterator[Finding]:
    for idp in ctx.data.resources("idp"):
        mode = idp.data.get("issuerMode")
        yield ctx.finding(
            mode in ("ORG_URL", "CUSTOM_URL", "DYNAMIC"),
            idp,
            idp.data["name"],
            f"issuerMode is {mode or 'not set'}",
            measured=mode,
            required="ORG_URL, CUSTOM_URL or DYNAMIC",
        )


@checks.add(
    "idp.routing_admins",
    title="No routing rule sends administrators to an external identity provider",
    severity="medium",
    rationale="An admin who signs in through another IdP inherits that IdP's "
    "security, and Okta's protected actions do not fully apply to them.",
    remediation=(
        "In the Admin Console, go to Security > Identity Providers > Routing rules.",
        "Exclude admin users and groups from rules that route to external IdPs.",
    ),
    kinds=("policy", "policy_rule", "group_role", "role_assignee", "user_role"),
    nist=("IA-8", "AC-6"),
    soc2=("CC6.1",),
    source="checks.md §12 OKTA.IDP.ROUTING_ADMINS",
)
def routing_admins(ctx: CheckContext) -> Iterator[Finding]:
    admin_groups = ctx.facts.group_roles
    admins = ctx.facts.admin_roles
    for policy in ctx.facts.policies("IDP_DISCOVERY"):
        for rule in ctx.facts.rules(policy.id):
            providers = rule.data.get("actions", {}).get("idp", {}).get("providers", [])
            external = [p for p in providers if p.get("type") != "OKTA"]
            if not external:
                continue
            people = (rule.data.get("conditions") or {}).get("people") or {}
            groups = sorted(
                g
                for g in people.get("groups", {}).get("include", [])
                if g in admin_groups
            )
            users = sorted(
                u for u in people.get("users", {}).get("include", []) if u in admins
            )
            routed = groups + users
            yield ctx.finding(
                not routed,
                rule,
                f"{policy.data['name']} / {rule.data['name']}",
                f"routes admin group(s)/user(s) {', '.join(routed)} to "
                f"{', '.join(p.get('type', '?') for p in external)}"
                if routed
                else "routes no admin to an external IdP",
                measured=routed,
                required="no admin routed outside Okta",
                evidence=[policy.evidence],
            )
