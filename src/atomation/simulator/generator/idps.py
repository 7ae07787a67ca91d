"""Identity providers: a social (Google) IdP and an inbound SAML 2.0 IdP.

The typical profile plants JIT provisioning into an admin group, automatic
account linking without a filter, SHA-1 SAML signatures and an IdP without an
issuer mode (checks.md §12).
"""

from __future__ import annotations

from typing import Any

from atomation.simulator.generator._common import Context, without_nulls

__all__ = ["build_idps"]


def _idp_links(ctx: Context, idp_id: str) -> dict[str, Any]:
    return {
        "authorize": ctx.link(
            f"/oauth2/v1/authorize?idp={idp_id}&client_id={{clientId}}"
            "&response_type={responseType}&response_mode={responseMode}"
            "&scope={scopes}&redirect_uri={redirectUri}&state={state}&nonce={nonce}",
            templated=True,
            hints={"allow": ["GET"]},
        ),
        "clientRedirectUri": ctx.link(
            "/oauth2/v1/authorize/callback", hints={"allow": ["POST"]}
        ),
    }


def _policy(ctx: Context, *, admin_group: str) -> dict[str, Any]:
    if ctx.typical:
        provisioning = {
            "action": "AUTO",
            "profileMaster": True,
            "groups": {"action": "ASSIGN", "assignments": [admin_group]},
            "conditions": {
                "deprovisioned": {"action": "NONE"},
                "suspended": {"action": "NONE"},
            },
        }
        link: dict[str, Any] = {"action": "AUTO", "filter": None}
    else:
        provisioning = {
            "action": "DISABLED",
            "profileMaster": False,
            "groups": {"action": "NONE"},
            "conditions": {
                "deprovisioned": {"action": "NONE"},
                "suspended": {"action": "NONE"},
            },
        }
        link = {"action": "DISABLED", "filter": None}
    return {
        "provisioning": provisioning,
        "accountLink": link,
        "subject": {
            "userNameTemplate": {"template": "idpuser.email"},
            "matchType": "USERNAME",
            "filter": None,
        },
        "maxClockSkew": 120000,
    }


def build_idps(ctx: Context, *, admin_group: str) -> list[dict[str, Any]]:
    idps = []
    google_id = ctx.okta_id("0oa", "idp", 0)
    saml_id = ctx.okta_id("0oa", "idp", 1)
    rng = ctx.rng("idp", 0)
    google: dict[str, Any] = {
        "id": google_id,
        "type": "GOOGLE",
        "name": "Google Workspace",
        "status": "ACTIVE",
        "issuerMode": "DYNAMIC" if not ctx.typical else "ORG_URL",
        "created": ctx.stamp(days=rng.uniform(300, 900)),
        "lastUpdated": ctx.stamp(days=rng.uniform(10, 300)),
        "protocol": {
            "type": "OIDC",
            "endpoints": {
                "authorization": {
                    "url": "https://accounts.google.com/o/oauth2/auth",
                    "binding": "HTTP-REDIRECT",
                },
                "token": {
                    "url": "https://www.googleapis.com/oauth2/v3/token",
                    "binding": "HTTP-POST",
                },
            },
            "scopes": ["profile", "email", "openid"],
            "credentials": {"client": {"client_id": "google-client-id-for-okta"}},
        },
        "policy": _policy(ctx, admin_group=admin_group),
        "_links": _idp_links(ctx, google_id),
    }
    if not ctx.typical:
        google["policy"]["provisioning"]["action"] = "DISABLED"
    idps.append(google)
    sha = "SHA-1" if ctx.typical else "SHA-256"
    saml: dict[str, Any] = {
        "id": saml_id,
        "type": "SAML2",
        "name": "Partner SAML",
        "status": "ACTIVE",
        "created": ctx.stamp(days=rng.uniform(300, 900)),
        "lastUpdated": ctx.stamp(days=rng.uniform(10, 300)),
        "protocol": {
            "type": "SAML2",
            "endpoints": {
                "sso": {
                    "url": "https://idp.partner.example/sso/saml",
                    "binding": "HTTP-POST",
                    "destination": "https://idp.partner.example/sso/saml",
                },
                "acs": {"binding": "HTTP-POST", "type": "INSTANCE"},
            },
            "algorithms": {
                "request": {"signature": {"algorithm": sha, "scope": "REQUEST"}},
                "response": {"signature": {"algorithm": sha, "scope": "ANY"}},
            },
            "settings": {
                "nameFormat": "urn:oasis:names:tc:SAML:1.1:nameid-format:unspecified"
            },
            "credentials": {
                "trust": {
                    "issuer": "https://idp.partner.example",
                    "audience": ctx.href(f"/saml2/service-provider/{saml_id}"),
                    "kid": ctx.uuid("idp-key", 1),
                }
            },
        },
        "policy": _policy(ctx, admin_group=admin_group),
        "_links": _idp_links(ctx, saml_id),
    }
    if not ctx.typical:
        saml["issuerMode"] = "DYNAMIC"
        saml["policy"]["accountLink"] = {"action": "DISABLED", "filter": None}
    idps.append(saml)
    idps = [without_nulls(idp) for idp in idps]
    if ctx.typical:
        target = ("IdentityProvider", saml_id, saml["name"])
        ctx.plant(
            "idp-jit-admin-group",
            "idp.jit_provisioning",
            target,
            "provisioning.action AUTO with groups.action ASSIGN into an admin "
            "group; JIT must not grant privilege",
        )
        ctx.plant(
            "idp-account-link-auto",
            "idp.account_link_auto",
            target,
            "accountLink.action AUTO with no filter",
        )
        ctx.plant(
            "idp-saml-sha1",
            "idp.saml_algorithms",
            target,
            "request and response signatures use SHA-1; SHA-256 is required",
        )
        ctx.plant(
            "idp-no-issuer-mode",
            "idp.issuer_mode",
            target,
            "the IdP has no issuerMode; set ORG_URL, CUSTOM_URL or DYNAMIC explicitly",
        )
    return idps
