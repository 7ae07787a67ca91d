"""Custom authorization servers with policies, rules, scopes and claims.

Shapes follow the spec's ``AuthorizationServer``, ``AuthorizationServerPolicy``,
``AuthorizationServerPolicyRule``, ``OAuth2Scope`` and ``OAuth2Claim``. The typical
profile plants a manual key rotation, token lifetimes past checks.md §11 and a
permissive ALL_CLIENTS rule allowing the implicit grant with every scope.
"""

from __future__ import annotations

from typing import Any

from atomation.simulator.generator._common import Context

__all__ = ["AuthServers"]


class AuthServers:
    """Authorization servers and their children, keyed by server id."""

    def __init__(self, ctx: Context, *, everyone: str, client_ids: list[str]) -> None:
        self.ctx = ctx
        self.servers: list[dict[str, Any]] = []
        self.policies: dict[str, list[dict[str, Any]]] = {}
        self.rules: dict[tuple[str, str], list[dict[str, Any]]] = {}
        self.scopes: dict[str, list[dict[str, Any]]] = {}
        self.claims: dict[str, list[dict[str, Any]]] = {}
        for index, (name, audience) in enumerate(
            (
                ("default", "api://default"),
                ("Partner API", f"api://partners.{ctx.domain}"),
            )
        ):
            self._server(index, name, audience, everyone, client_ids)

    def _server(
        self, index: int, name: str, audience: str, everyone: str, client_ids: list[str]
    ) -> None:
        ctx = self.ctx
        server_id = "default" if index == 0 else ctx.okta_id("aus", "as", index)
        rng = ctx.rng("as", index)
        created = rng.uniform(200, 1000)
        manual = ctx.typical and index == 1
        base = f"/api/v1/authorizationServers/{server_id}"
        server = {
            "id": server_id,
            "name": name,
            "description": f"{name} authorization server",
            "audiences": [audience],
            "issuer": ctx.href(f"/oauth2/{server_id}"),
            "issuerMode": "DYNAMIC",
            "status": "ACTIVE",
            "created": ctx.stamp(days=created),
            "lastUpdated": ctx.stamp(days=rng.uniform(1, created)),
            "credentials": {
                "signing": {
                    "rotationMode": "MANUAL" if manual else "AUTO",
                    "lastRotated": ctx.stamp(
                        days=500 if manual else rng.uniform(1, 80)
                    ),
                    "nextRotation": ctx.stamp(days=-(rng.uniform(10, 80))),
                    "kid": ctx.uuid("as-key", index).replace("-", "")[:32],
                    "use": "sig",
                }
            },
            "_links": {
                "scopes": ctx.link(f"{base}/scopes"),
                "claims": ctx.link(f"{base}/claims"),
                "policies": ctx.link(f"{base}/policies"),
                "self": ctx.link(base),
                "metadata": [
                    ctx.link(
                        f"/oauth2/{server_id}/.well-known/oauth-authorization-server"
                    )
                ],
                "keys": ctx.link(f"{base}/credentials/keys"),
            },
        }
        self.servers.append(server)
        scope_names = (
            ["read:reports", "write:reports"] if index == 0 else ["partner:orders"]
        )
        self.scopes[server_id] = [
            {
                "id": ctx.okta_id("scp", f"scope-{index}", k),
                "name": scope,
                "displayName": scope,
                "description": f"Allows {scope}",
                "system": False,
                "metadataPublish": "NO_CLIENTS",
                "consent": "IMPLICIT",
                "default": False,
                "optional": False,
                "_links": {
                    "self": ctx.link(
                        f"{base}/scopes/{ctx.okta_id('scp', f'scope-{index}', k)}"
                    )
                },
            }
            for k, scope in enumerate(scope_names)
        ]
        self.claims[server_id] = [
            {
                "id": ctx.okta_id("ocl", f"claim-{index}", k),
                "name": claim,
                "status": "ACTIVE",
                "claimType": "RESOURCE",
                "valueType": "EXPRESSION",
                "value": expression,
                "alwaysIncludeInToken": True,
                "conditions": {"scopes": []},
                "system": False,
                "_links": {
                    "self": ctx.link(
                        f"{base}/claims/{ctx.okta_id('ocl', f'claim-{index}', k)}"
                    )
                },
            }
            for k, (claim, expression) in enumerate(
                (("department", "user.department"), ("employee", "user.employeeNumber"))
            )
        ]
        policy_id = ctx.okta_id("00p", "as-policy", index)
        permissive = ctx.typical and index == 0
        policy = {
            "id": policy_id,
            "type": "OAUTH_AUTHORIZATION_POLICY",
            "name": "Default Policy" if index == 0 else "Partner clients",
            "description": "Default policy for the authorization server",
            "priority": 1,
            "status": "ACTIVE",
            "system": index == 0,
            "conditions": {
                "clients": {
                    "include": ["ALL_CLIENTS"]
                    if permissive or not client_ids
                    else client_ids[:1]
                }
            },
            "created": ctx.stamp(days=created),
            "lastUpdated": ctx.stamp(days=rng.uniform(1, created)),
            "_links": {
                "self": ctx.link(f"{base}/policies/{policy_id}"),
                "rules": ctx.link(f"{base}/policies/{policy_id}/rules"),
                "deactivate": ctx.link(
                    f"{base}/policies/{policy_id}/lifecycle/deactivate"
                ),
            },
        }
        self.policies[server_id] = [policy]
        long_tokens = ctx.typical and index == 0
        grants = (
            ["authorization_code", "implicit"]
            if permissive
            else ["authorization_code", "client_credentials"]
        )
        rule_id = ctx.okta_id("0pr", "as-rule", index)
        rule = {
            "id": rule_id,
            "type": "RESOURCE_ACCESS",
            "name": "Default Policy Rule" if index == 0 else "Partner access",
            "priority": 1,
            "status": "ACTIVE",
            "system": False,
            "created": ctx.stamp(days=created),
            "lastUpdated": ctx.stamp(days=rng.uniform(1, created)),
            "conditions": {
                "people": {"groups": {"include": [everyone]}},
                "grantTypes": {"include": grants},
                "scopes": {"include": ["*"] if permissive else scope_names},
            },
            "actions": {
                "token": {
                    "accessTokenLifetimeMinutes": 1440 if long_tokens else 60,
                    "refreshTokenLifetimeMinutes": 0 if long_tokens else 129600,
                    "refreshTokenWindowMinutes": 43200 if long_tokens else 10080,
                }
            },
            "_links": {
                "self": ctx.link(f"{base}/policies/{policy_id}/rules/{rule_id}")
            },
        }
        self.rules[(server_id, policy_id)] = [rule]
        if manual:
            ctx.plant(
                "as-manual-rotation",
                "as.key_rotation",
                ("AuthorizationServer", server_id, name),
                "credentials.signing.rotationMode is MANUAL, last rotated 500 "
                "days ago; AUTO is required",
            )
        if long_tokens:
            ctx.plant(
                "as-token-lifetime",
                "as.token_lifetimes",
                ("AuthorizationServer", server_id, name),
                "accessTokenLifetimeMinutes 1440 (max 60), refresh tokens "
                "unlimited, refreshTokenWindowMinutes 43200 (max 10080)",
            )
            ctx.plant(
                "as-permissive-rule",
                "as.permissive_rules",
                ("AuthorizationServer", server_id, name),
                "an ALL_CLIENTS policy allows the implicit grant with scope *",
            )
