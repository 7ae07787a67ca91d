"""Authentication policies as apps use them: factors, zones, catch-all rules.

These checks read every ACTIVE authentication policy (and, for the app checks,
which apps map to it), not only the first-party ones; see :mod:`.authn` for the
rule fields they read (checks.md §3).
"""

from __future__ import annotations

from collections.abc import Iterator

from atomation.assessment.catalogue import CheckList
from atomation.assessment.checks.authn import (
    POLICY_KINDS,
    POLICY_STEPS,
    allow_rules,
    verification_method,
)
from atomation.assessment.context import CheckContext, rule_label
from atomation.assessment.results import Finding
from atomation.snapshot.data import Resource

__all__ = ["checks"]

checks = CheckList("authn")


def _no_device(rule: Resource) -> bool:
    device = (rule.data.get("conditions") or {}).get("device") or {}
    return not (device.get("managed") or device.get("registered"))


def _anywhere(rule: Resource) -> bool:
    network = (rule.data.get("conditions") or {}).get("network") or {}
    return bool(network.get("connection", "ANYWHERE") == "ANYWHERE")


@checks.add(
    "authn.single_factor_apps",
    title="No app can be reached with one factor from anywhere",
    severity="high",
    rationale="A policy rule that accepts a password alone from any network, on "
    "any device, makes every app mapped to it a password-spray target.",
    remediation=(
        *POLICY_STEPS,
        "Open each policy mapped to apps; edit rules with 'Any 1 factor type' / "
        "'Password' to require two factors, or restrict them to a network zone "
        "and a managed device.",
    ),
    kinds=(*POLICY_KINDS, "policy_mapping"),
    nist=("IA-2(1)", "IA-2(2)"),
    soc2=("CC6.1",),
    source="checks.md §3 OKTA.AUTHN.SINGLE_FACTOR_APPS",
)
def single_factor_apps(ctx: CheckContext) -> Iterator[Finding]:
    active_apps = {a.id for a in ctx.facts.apps if a.data.get("status") == "ACTIVE"}
    for policy in ctx.facts.policies("ACCESS_POLICY"):
        apps = [a for a in ctx.facts.mapped_app_ids(policy.id) if a in active_apps]
        if not apps:
            continue
        for rule in allow_rules(ctx, policy):
            mode = verification_method(rule).get("factorMode")
            exposed = mode == "1FA" and _anywhere(rule) and _no_device(rule)
            yield ctx.finding(
                not exposed,
                rule,
                rule_label(policy, rule),
                f"factorMode {mode} from "
                f"{'anywhere' if _anywhere(rule) else 'named zones'}; "
                f"{len(apps)} active app(s) mapped",
                measured={"factorMode": mode, "anywhere": _anywhere(rule)},
                required="2FA, or a zone and device condition",
                evidence=[policy.evidence],
            )


@checks.add(
    "authn.app_network_zones",
    title="Every app's authentication policy restricts access by network zone",
    severity="medium",
    rationale="Zone conditions let an org deny or step up sign-ins from networks "
    "it does not trust; a policy with none treats the internet as the office.",
    remediation=(
        *POLICY_STEPS,
        "For each policy used by apps, add a rule whose 'User's IP' condition "
        "names network zones (allow from trusted zones, deny or step up elsewhere).",
    ),
    kinds=(*POLICY_KINDS, "zone"),
    stig=("OKTA-APP-003244",),
    nist=("AC-4", "SC-7"),
    soc2=("CC6.6",),
    source="checks.md §3 OKTA.AUTHN.APP_NETWORK_ZONES",
)
def app_network_zones(ctx: CheckContext) -> Iterator[Finding]:
    for app in ctx.facts.apps:
        if app.data.get("status") != "ACTIVE":
            continue
        oauth = app.data.get("settings", {}).get("oauthClient", {})
        if oauth.get("application_type") == "service":
            continue  # a service app signs no user in: it has no sign-in policy
        policy = ctx.facts.access_policy_of(app)
        label = app.data["label"]
        if policy is None:
            yield ctx.finding(
                False,
                app,
                label,
                "no authentication policy is linked to the app",
                measured=None,
                required="a policy with a network zone rule",
            )
            continue
        zoned = [
            r.data["name"]
            for r in ctx.facts.rules(policy.id)
            if (r.data.get("conditions") or {}).get("network", {}).get("connection")
            == "ZONE"
        ]
        yield ctx.finding(
            bool(zoned),
            app,
            label,
            f"policy '{policy.data['name']}' has "
            + (f"zone rules ({', '.join(zoned)})" if zoned else "no zone rule"),
            measured=len(zoned),
            required=">= 1 rule with a network zone",
            evidence=[policy.evidence],
        )


@checks.add(
    "authn.catch_all_deny",
    title="Authentication policies end in a catch-all rule that denies access",
    severity="medium",
    rationale="The catch-all rule decides every sign-in no other rule matched; "
    "allowing there grants access to situations nobody planned for.",
    remediation=(
        *POLICY_STEPS,
        "Open each policy, edit its 'Catch-all Rule' and set 'Access is' to Denied "
        "(add explicit rules for the cases that should be allowed).",
    ),
    kinds=("policy", "policy_rule"),
    nist=("AC-3",),
    soc2=("CC6.1",),
    source="checks.md §3 (strict mode: every rule that allows access)",
)
def catch_all_deny(ctx: CheckContext) -> Iterator[Finding]:
    for policy in ctx.facts.policies("ACCESS_POLICY"):
        rules = ctx.facts.rules(policy.id)
        if not rules:
            continue
        last = rules[-1]
        access = last.data["actions"]["appSignOn"]["access"]
        yield ctx.finding(
            access == "DENY",
            last,
            rule_label(policy, last),
            f"the last rule's access is {access}; DENY is required",
            measured=access,
            required="DENY",
            evidence=[policy.evidence],
        )


@checks.add(
    "authn.keep_me_signed_in",
    title="No authentication policy offers 'Keep me signed in' after sign-in",
    severity="low",
    rationale="'Keep me signed in' lets a device skip later factor prompts; on "
    "a shared or stolen device it keeps the door open.",
    remediation=(
        *POLICY_STEPS,
        "Edit each rule that allows access and set 'Show Keep me signed in' "
        "(post-authentication) to not allowed.",
    ),
    kinds=("policy", "policy_rule"),
    nist=("AC-12",),
    soc2=("CC6.1",),
    source="checks.md §3 OKTA.AUTHN.ADMIN_CONSOLE_CONTEXT (keepMeSignedIn)",
)
def keep_me_signed_in(ctx: CheckContext) -> Iterator[Finding]:
    for policy in ctx.facts.policies("ACCESS_POLICY"):
        for rule in allow_rules(ctx, policy):
            keep = rule.data["actions"]["appSignOn"].get("keepMeSignedIn", {})
            offered = keep.get("postAuth") == "ALLOWED"
            yield ctx.finding(
                not offered,
                rule,
                rule_label(policy, rule),
                f"keepMeSignedIn.postAuth is {keep.get('postAuth', 'not set')}",
                measured=keep.get("postAuth"),
                required="NOT_ALLOWED",
                evidence=[policy.evidence],
            )
