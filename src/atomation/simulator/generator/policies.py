"""Policies of every type, with rules and app mappings.

``PolicySet`` holds every policy by type and id, its rules and (for authentication
policies) the apps mapped to it; the builders live in ``signon_policies`` (global
session, password, authenticator enrollment) and ``access_policies``
(authentication, profile enrollment, IdP routing, session protection, entity
risk). Shapes follow the spec's ``Policy``/``PolicyRule`` subtypes (okta-api.md
§7); global-session rules have type ``SIGN_ON``.
"""

from __future__ import annotations

from typing import Any

from atomation.simulator.generator._common import Context, without_nulls
from atomation.simulator.generator.access_policies import (
    build_access_policies,
    build_idp_discovery,
    build_post_auth_and_risk,
    build_profile_enrollment,
)
from atomation.simulator.generator.network import ZoneIds
from atomation.simulator.generator.signon_policies import (
    build_enrollment,
    build_global_session,
    build_password,
)

__all__ = ["PolicySet"]

_PREFIX = {
    "OKTA_SIGN_ON": "00p",
    "PASSWORD": "00p",
    "MFA_ENROLL": "00p",
    "IDP_DISCOVERY": "00p",
    "ACCESS_POLICY": "rst",
    "PROFILE_ENROLLMENT": "rst",
    "POST_AUTH_SESSION": "rst",
    "ENTITY_RISK": "rst",
}
_RULE_TYPE = {"OKTA_SIGN_ON": "SIGN_ON"}


class PolicySet:
    """Every policy by type and id, with its rules and its app mappings."""

    def __init__(
        self,
        ctx: Context,
        *,
        everyone_id: str,
        help_desk_id: str,
        zones: ZoneIds,
        saml_idp_id: str,
    ) -> None:
        self.ctx = ctx
        self.by_type: dict[str, list[dict[str, Any]]] = {}
        self.by_id: dict[str, dict[str, Any]] = {}
        self.rules: dict[str, list[dict[str, Any]]] = {}
        self.mappings: dict[str, list[dict[str, Any]]] = {}
        self._rule_count = 0
        self.everyone = everyone_id
        self.help_desk = help_desk_id
        self.zones = zones
        self.saml_idp = saml_idp_id
        self.access: dict[str, dict[str, Any]] = {}  # key -> ACCESS_POLICY
        build_global_session(self)
        build_password(self)
        build_enrollment(self)
        build_access_policies(self)
        build_profile_enrollment(self)
        build_idp_discovery(self)
        build_post_auth_and_risk(self)

    def people(self, *group_ids: str) -> dict[str, Any]:
        return {"people": {"groups": {"include": list(group_ids or [self.everyone])}}}

    def add_policy(
        self,
        policy_type: str,
        name: str,
        *,
        priority: int,
        system: bool = False,
        status: str = "ACTIVE",
        description: str | None = None,
        conditions: dict[str, Any] | None = None,
        settings: dict[str, Any] | None = None,
    ) -> dict[str, Any]:
        ctx = self.ctx
        index = len(self.by_id)
        policy_id = ctx.okta_id(_PREFIX[policy_type], "policy", index)
        rng = ctx.rng("policy", index)
        created = rng.uniform(200, 1200)
        links = {
            "self": ctx.link(
                f"/api/v1/policies/{policy_id}",
                hints={"allow": ["GET", "PUT", "DELETE"]},
            ),
            "rules": ctx.link(
                f"/api/v1/policies/{policy_id}/rules", hints={"allow": ["GET", "POST"]}
            ),
            "deactivate": ctx.link(
                f"/api/v1/policies/{policy_id}/lifecycle/deactivate",
                hints={"allow": ["POST"]},
            ),
        }
        if policy_type == "ACCESS_POLICY":
            links["mappings"] = ctx.link(
                f"/api/v1/policies/{policy_id}/mappings",
                hints={"allow": ["GET", "POST"]},
            )
        policy: dict[str, Any] = {
            "id": policy_id,
            "status": status,
            "name": name,
            "description": description,
            "priority": priority,
            "system": system,
            "conditions": conditions,
            "created": ctx.stamp(days=created),
            "lastUpdated": ctx.stamp(days=rng.uniform(2, created)),
            "_links": links,
            "type": policy_type,
        }
        if settings is not None:
            policy["settings"] = settings
        policy = without_nulls(policy)
        self.by_type.setdefault(policy_type, []).append(policy)
        self.by_id[policy_id] = policy
        self.rules[policy_id] = []
        self.mappings[policy_id] = []
        return policy

    def add_rule(
        self,
        policy: dict[str, Any],
        name: str,
        *,
        priority: int,
        actions: dict[str, Any],
        conditions: dict[str, Any] | None = None,
        system: bool = False,
        status: str = "ACTIVE",
    ) -> dict[str, Any]:
        ctx = self.ctx
        index = self._rule_count
        self._rule_count += 1
        prefix = "rul" if policy["type"] == "ACCESS_POLICY" else "0pr"
        rule_id = ctx.okta_id(prefix, "policy-rule", index)
        rng = ctx.rng("policy-rule", index)
        created = rng.uniform(100, 1000)
        base = f"/api/v1/policies/{policy['id']}/rules/{rule_id}"
        rule: dict[str, Any] = {
            "id": rule_id,
            "status": status,
            "name": name,
            "priority": priority,
            "created": ctx.stamp(days=created),
            "lastUpdated": ctx.stamp(days=rng.uniform(1, created)),
            "system": system,
            "conditions": conditions,
            "actions": actions,
            "_links": {
                "self": ctx.link(base, hints={"allow": ["GET", "PUT", "DELETE"]}),
                "deactivate": ctx.link(
                    f"{base}/lifecycle/deactivate", hints={"allow": ["POST"]}
                ),
            },
            "type": _RULE_TYPE.get(policy["type"], policy["type"]),
        }
        rule = without_nulls(rule)
        self.rules[policy["id"]].append(rule)
        return rule

    def map_app(self, policy_id: str, app_id: str) -> None:
        self.mappings[policy_id].append(
            {
                "id": app_id,
                "_links": {
                    "application": self.ctx.link(f"/api/v1/apps/{app_id}"),
                    "self": self.ctx.link(
                        f"/api/v1/policies/{policy_id}/mappings/{app_id}"
                    ),
                },
            }
        )
