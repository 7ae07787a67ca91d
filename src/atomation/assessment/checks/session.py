"""Global session policy (``OKTA_SIGN_ON``): idle time, lifetime, cookies, zones, MFA.

Okta evaluates the global session policies in priority order and, inside one, its
rules in priority order; the first rule that matches decides the session. Every
ACTIVE rule that allows access therefore sets the session for someone, so each
is evaluated (checks.md §2; field names from the spec's ``OktaSignOnPolicyRule``:
``actions.signon.session.{maxSessionIdleMinutes, maxSessionLifetimeMinutes,
usePersistentCookie}``, ``actions.signon.requireFactor``, ``conditions.network``).
"""

from __future__ import annotations

from collections.abc import Iterator

from atomation.assessment.catalogue import CheckList, Threshold
from atomation.assessment.context import CheckContext, rule_label
from atomation.assessment.results import Finding
from atomation.snapshot.data import Resource

__all__ = ["checks"]

checks = CheckList("session")

_GSP_STEPS = ("In the Admin Console, go to Security > Global Session Policy.",)


def _allow_rules(ctx: CheckContext) -> Iterator[tuple[Resource, Resource]]:
    for policy in ctx.facts.policies("OKTA_SIGN_ON"):
        for rule in ctx.facts.rules(policy.id):
            if rule.data["actions"]["signon"].get("access") == "ALLOW":
                yield policy, rule


def _default_policy(ctx: CheckContext) -> Resource | None:
    for policy in ctx.facts.policies("OKTA_SIGN_ON"):
        if policy.data.get("system"):
            return policy
    return None


@checks.add(
    "session.idle_timeout",
    title="Global sessions end after at most 15 idle minutes",
    severity="medium",
    rationale="An unattended signed-in browser is an open door; a short idle "
    "timeout closes it before someone else walks up.",
    remediation=(
        *_GSP_STEPS,
        "Edit each active rule that allows access; under 'Expire session after "
        "being idle for', enter the required minutes; save.",
    ),
    kinds=("policy", "policy_rule"),
    thresholds=(
        Threshold("max_idle_minutes", 15, 30, "minutes", "longest idle time allowed"),
    ),
    stig=("OKTA-APP-000020",),
    nist=("AC-11", "SC-10"),
    soc2=("CC6.1",),
    source="checks.md §2 OKTA.SESSION.GLOBAL_IDLE",
)
def idle_timeout(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.int_param("max_idle_minutes")
    for policy, rule in _allow_rules(ctx):
        idle = rule.data["actions"]["signon"]["session"].get("maxSessionIdleMinutes")
        ok = isinstance(idle, int) and 0 < idle <= limit
        yield ctx.finding(
            ok,
            rule,
            rule_label(policy, rule),
            f"maxSessionIdleMinutes is {idle}; at most {limit} is required",
            measured=idle,
            required=limit,
            evidence=[policy.evidence],
        )


@checks.add(
    "session.lifetime",
    title="Global sessions last at most 18 hours",
    severity="medium",
    rationale="A session without an end outlives the person's shift, device and "
    "sometimes employment; a bounded lifetime forces a fresh sign-in.",
    remediation=(
        *_GSP_STEPS,
        "Edit each active rule that allows access; set 'Maximum Okta global "
        "session lifetime' to the required hours (never 'no limit'); save.",
    ),
    kinds=("policy", "policy_rule"),
    thresholds=(
        Threshold(
            "max_lifetime_minutes", 1080, 1440, "minutes", "longest session allowed"
        ),
    ),
    stig=("OKTA-APP-001665",),
    nist=("AC-12", "IA-11"),
    soc2=("CC6.1",),
    source="checks.md §2 OKTA.SESSION.GLOBAL_LIFETIME",
)
def lifetime(ctx: CheckContext) -> Iterator[Finding]:
    limit = ctx.int_param("max_lifetime_minutes")
    for policy, rule in _allow_rules(ctx):
        life = rule.data["actions"]["signon"]["session"].get(
            "maxSessionLifetimeMinutes"
        )
        ok = isinstance(life, int) and 0 < life <= limit
        shown = "0 (unlimited)" if life == 0 else life
        yield ctx.finding(
            ok,
            rule,
            rule_label(policy, rule),
            f"maxSessionLifetimeMinutes is {shown}; at most {limit} is required",
            measured=life,
            required=limit,
            evidence=[policy.evidence],
        )


@checks.add(
    "session.persistent_cookie",
    title="Global session cookies do not persist across browser restarts",
    severity="medium",
    rationale="A persistent session cookie survives closing the browser, so the "
    "next person to open it on a shared device is signed in.",
    remediation=(
        *_GSP_STEPS,
        "Edit each active rule that allows access; set 'Okta global session "
        "cookies persist across browser sessions' to Disabled; save.",
    ),
    kinds=("policy", "policy_rule"),
    stig=("OKTA-APP-001710",),
    nist=("IA-5(13)", "SC-23"),
    soc2=("CC6.1",),
    source="checks.md §2 OKTA.SESSION.PERSISTENT_COOKIE",
)
def persistent_cookie(ctx: CheckContext) -> Iterator[Finding]:
    for policy, rule in _allow_rules(ctx):
        persistent = rule.data["actions"]["signon"]["session"].get(
            "usePersistentCookie", False
        )
        yield ctx.finding(
            persistent is False,
            rule,
            rule_label(policy, rule),
            f"usePersistentCookie is {str(persistent).lower()}; false is required",
            measured=persistent,
            required=False,
            evidence=[policy.evidence],
        )


@checks.add(
    "session.default_rule_not_top",
    title="The Default global session policy starts with an explicit rule",
    severity="low",
    rationale="The STIG's session settings are checked on the Default Policy's "
    "priority-1 rule; leaving the built-in 'Default Rule' first means nobody "
    "chose the values it applies to everyone.",
    remediation=(
        *_GSP_STEPS,
        "Open the Default Policy, add a rule with the required session settings, "
        "and make it priority 1 above 'Default Rule'.",
    ),
    kinds=("policy", "policy_rule"),
    stig=("OKTA-APP-000020", "OKTA-APP-001665", "OKTA-APP-001710"),
    nist=("CM-6",),
    soc2=("CC6.1",),
    source="checks.md §2 OKTA.SESSION.DEFAULT_RULE_NOT_TOP",
)
def default_rule_not_top(ctx: CheckContext) -> Iterator[Finding]:
    policy = _default_policy(ctx)
    if policy is None:
        return
    rules = ctx.facts.rules(policy.id)
    if not rules:
        yield ctx.finding(
            False,
            policy,
            policy.data["name"],
            "the Default Policy has no active rule; an explicit priority-1 rule "
            "is required",
            measured=None,
            required="an explicit priority-1 rule",
        )
        return
    top = rules[0]
    built_in = bool(top.data.get("system")) or top.data["name"] == "Default Rule"
    yield ctx.finding(
        not built_in,
        top,
        rule_label(policy, top),
        f"the priority-1 rule is '{top.data['name']}'"
        + ("; an explicit rule must come first" if built_in else ""),
        measured=top.data["name"],
        required="a rule other than the built-in Default Rule",
        evidence=[policy.evidence],
    )


def _zone_ids(rule: Resource) -> list[str]:
    network = rule.data.get("conditions", {}).get("network") or {}
    if network.get("connection") != "ZONE":
        return []
    return [*network.get("include", []), *network.get("exclude", [])]


@checks.add(
    "session.network_zone_rule",
    title="The Default global session policy allows or denies by network zone",
    severity="medium",
    rationale="Without a zone condition a session is granted the same way from "
    "a corporate office and from any address on the internet.",
    remediation=(
        *_GSP_STEPS,
        "Open the Default Policy and add (or edit) a rule whose 'IF User's IP "
        "is' condition names active network zones (In zone / Not in zone).",
    ),
    kinds=("policy", "policy_rule", "zone"),
    stig=("OKTA-APP-003242",),
    nist=("AC-3", "SC-7"),
    soc2=("CC6.6",),
    source="checks.md §2 OKTA.SESSION.NETWORK_ZONE_RULE",
)
def network_zone_rule(ctx: CheckContext) -> Iterator[Finding]:
    policy = _default_policy(ctx)
    if policy is None:
        return
    zoned = []
    refs = []
    for rule in ctx.facts.rules(policy.id):
        refs.append(rule.evidence)
        active = [
            z
            for z in _zone_ids(rule)
            if z in ctx.facts.zones and ctx.facts.zones[z].data["status"] == "ACTIVE"
        ]
        if active:
            zoned.append(rule.data["name"])
    message = (
        f"rules using active network zones: {', '.join(zoned)}"
        if zoned
        else "no active rule uses a network zone (all are ANYWHERE); at least one "
        "zone rule is required"
    )
    yield ctx.finding(
        bool(zoned),
        policy,
        policy.data["name"],
        message,
        measured=len(zoned),
        required=">= 1 rule with an active network zone",
        evidence=refs,
    )


@checks.add(
    "session.require_factor",
    title="No global session rule grants a session with one factor from anywhere",
    severity="medium",
    rationale="A rule that allows access from any network without a second "
    "factor lets a stolen password alone open a session.",
    remediation=(
        *_GSP_STEPS,
        "Edit each rule whose 'IF User's IP is' is 'Anywhere' and set "
        "'Secondary factor' to required (or restrict the rule to a zone).",
    ),
    kinds=("policy", "policy_rule"),
    nist=("IA-2(1)", "IA-2(2)"),
    soc2=("CC6.1",),
    source="checks.md §2 OKTA.SESSION.REQUIRE_FACTOR",
)
def require_factor(ctx: CheckContext) -> Iterator[Finding]:
    for policy, rule in _allow_rules(ctx):
        signon = rule.data["actions"]["signon"]
        network = (rule.data.get("conditions") or {}).get("network") or {}
        anywhere = network.get("connection", "ANYWHERE") == "ANYWHERE"
        requires = bool(signon.get("requireFactor"))
        yield ctx.finding(
            requires or not anywhere,
            rule,
            rule_label(policy, rule),
            f"requireFactor is {str(requires).lower()} from "
            f"{'anywhere' if anywhere else 'named zones'}",
            measured={"requireFactor": requires, "anywhere": anywhere},
            required="requireFactor true, or a zone condition",
            evidence=[policy.evidence],
        )
