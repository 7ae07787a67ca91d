"""Applications, their access-policy links and their assignments.

Besides customer apps (OIDC web, SPA and service clients, SAML 2.0, bookmark and,
in the typical profile, password-vaulted SWA apps) every org has Okta's own
first-party apps: ``saasure`` (Okta Admin Console) and ``okta_enduser`` (Okta
Dashboard), each linked to its authentication policy through
``_links.accessPolicy`` (okta-api.md §7). Okta serves these two as OIDC apps
under their own names rather than ``oidc_client``.

``app_users`` lists direct (``scope: USER``) assignments only; people who reach an
app through a group assignment are found through ``app_groups`` and the group's
members, which keeps an app assigned to Everyone cheap in a 100,000-user org.
"""

from __future__ import annotations

from typing import Any

from atomation.simulator.generator._common import Context, without_nulls
from atomation.simulator.generator.app_specs import AppSpec, app_specs
from atomation.simulator.generator.groups import GroupDirectory
from atomation.simulator.generator.policies import PolicySet

__all__ = ["AppCatalog"]

_EMAIL_NAME_ID = "urn:oasis:names:tc:SAML:1.1:nameid-format:emailAddress"
_AUTHN_CONTEXT = "urn:oasis:names:tc:SAML:2.0:ac:classes:PasswordProtectedTransport"


class AppCatalog:
    """The org's apps with assignments, mapped to their access policies."""

    def __init__(
        self, ctx: Context, groups: GroupDirectory, policies: PolicySet
    ) -> None:
        self.ctx = ctx
        self.groups_dir = groups
        self.apps: list[dict[str, Any]] = []
        self.by_id: dict[str, dict[str, Any]] = {}
        self.users: dict[str, list[dict[str, Any]]] = {}
        self.groups: dict[str, list[dict[str, Any]]] = {}
        self.service_apps: dict[str, str] = {}  # label -> id
        self.specs = app_specs(ctx, extra=max(0, min(40, ctx.users // 5000)))
        for index, spec in enumerate(self.specs):
            app = self._build(index, spec, policies)
            self.add(app)
            self.groups[app["id"]] = self._group_assignments(app["id"], spec)
            self.users[app["id"]] = self._user_assignments(index, app["id"], spec)
            if spec.policy and spec.policy in policies.access:
                policies.map_app(policies.access[spec.policy]["id"], app["id"])
        self._plant(policies)

    def add(self, app: dict[str, Any]) -> None:
        self.apps.append(app)
        self.apps.sort(key=lambda a: a["id"])
        self.by_id[app["id"]] = app
        self.users.setdefault(app["id"], [])
        self.groups.setdefault(app["id"], [])

    def _group_key(self, key: str) -> str:
        groups = self.groups_dir
        if key == "everyone":
            return groups.everyone_id
        kind, _, number = key.partition(":")
        ids = groups.department_ids if kind == "dept" else groups.project_ids
        return ids[int(number) % len(ids)]

    def _build(self, index: int, spec: AppSpec, policies: PolicySet) -> dict[str, Any]:
        ctx = self.ctx
        app_id = ctx.okta_id("0oa", "app", index)
        rng = ctx.rng("app", index)
        created = rng.uniform(100, 1400)
        links: dict[str, Any] = {
            "appLinks": [
                {
                    "name": spec.kind,
                    "href": ctx.href(f"/home/{spec.kind}/{app_id}/1"),
                    "type": "text/html",
                }
            ],
            "groups": ctx.link(f"/api/v1/apps/{app_id}/groups"),
            "users": ctx.link(f"/api/v1/apps/{app_id}/users"),
            "logo": [
                {
                    "name": "medium",
                    "href": ctx.href("/assets/img/logos/default.png"),
                    "type": "image/png",
                }
            ],
            "self": ctx.link(f"/api/v1/apps/{app_id}"),
            "deactivate": ctx.link(f"/api/v1/apps/{app_id}/lifecycle/deactivate"),
        }
        if spec.policy and spec.policy in policies.access:
            links["accessPolicy"] = ctx.link(
                f"/api/v1/policies/{policies.access[spec.policy]['id']}"
            )
        org_id = ctx.okta_id("00o", "org", 0)
        app: dict[str, Any] = {
            "id": app_id,
            "orn": f"orn:okta:idp:{org_id}:apps:{spec.kind}:{app_id}",
            "label": spec.label,
            "status": spec.status,
            "created": ctx.stamp(days=created),
            "lastUpdated": ctx.stamp(days=rng.uniform(1, created)),
            "accessibility": {
                "selfService": False,
                "errorRedirectUrl": None,
                "loginRedirectUrl": None,
            },
            "visibility": {
                "autoSubmitToolbar": False,
                "hide": {"iOS": spec.kind == "service", "web": spec.kind == "service"},
            },
            "features": [],
            "_links": links,
        }
        slug = spec.label.lower().replace(" ", "")
        if spec.kind in (
            "saasure",
            "okta_enduser",
            "web",
            "browser",
            "service",
            "native",
        ):
            self._oidc(app, spec, slug)
        elif spec.kind == "saml":
            self._saml(app, spec, slug, index)
        elif spec.kind == "bookmark":
            app.update(
                {
                    "name": "bookmark",
                    "signOnMode": "BOOKMARK",
                    "credentials": {
                        "userNameTemplate": {
                            "template": "${source.login}",
                            "type": "BUILT_IN",
                        }
                    },
                    "settings": {
                        "app": {
                            "requestIntegration": False,
                            "url": f"https://{slug}.{ctx.domain}/",
                        }
                    },
                }
            )
        else:
            app.update(
                {
                    "name": "template_sps",
                    "signOnMode": "SECURE_PASSWORD_STORE",
                    "credentials": {
                        "scheme": "EDIT_USERNAME_AND_PASSWORD",
                        "userNameTemplate": {
                            "template": "${source.login}",
                            "type": "BUILT_IN",
                        },
                        "revealPassword": True,
                    },
                    "settings": {
                        "app": {
                            "url": f"https://{slug}.example/login",
                            "passwordField": "#password",
                            "usernameField": "#username",
                        }
                    },
                }
            )
        return without_nulls(app)

    def _oidc(self, app: dict[str, Any], spec: AppSpec, slug: str) -> None:
        ctx = self.ctx
        first_party = spec.kind in ("saasure", "okta_enduser")
        # Okta's own apps are public browser clients with PKCE, holding no secret.
        application_type = "browser" if first_party else spec.kind
        grants = spec.grant_types or ["authorization_code", "refresh_token"]
        auth_method = spec.auth_method or (
            "none" if first_party else "client_secret_basic"
        )
        client: dict[str, Any] = {
            "application_type": application_type,
            "grant_types": grants,
            "response_types": ["token"]
            if grants == ["client_credentials"]
            else (["code", "token", "id_token"] if "implicit" in grants else ["code"]),
            "consent_method": "REQUIRED" if not first_party else "TRUSTED",
            "issuer_mode": "DYNAMIC",
        }
        if application_type != "service":
            host = ctx.base_url if first_party else f"https://{slug}.{ctx.domain}"
            client["redirect_uris"] = [f"{host}/authorization-code/callback"]
            client["post_logout_redirect_uris"] = [f"{host}/"]
            client["initiate_login_uri"] = f"{host}/login"
            client["wildcard_redirect"] = "DISABLED"
        if "refresh_token" in grants:
            client["refresh_token"] = {"rotation_type": "ROTATE", "leeway": 30}
        if application_type == "service" and auth_method == "private_key_jwt":
            client["jwks_uri"] = f"https://keys.{ctx.domain}/{slug}/jwks.json"
        app.update(
            {
                "name": spec.kind if first_party else "oidc_client",
                "signOnMode": "OPENID_CONNECT",
                "credentials": {
                    "userNameTemplate": {
                        "template": "${source.login}",
                        "type": "BUILT_IN",
                    },
                    "oauthClient": {
                        "autoKeyRotation": True,
                        "client_id": app["id"],
                        "token_endpoint_auth_method": auth_method,
                        "pkce_required": auth_method == "none",
                    },
                },
                "settings": {
                    "app": {},
                    "notifications": {
                        "vpn": {
                            "network": {"connection": "DISABLED"},
                            "message": None,
                            "helpUrl": None,
                        }
                    },
                    "oauthClient": client,
                },
            }
        )
        if application_type == "service":
            self.service_apps[spec.label] = app["id"]

    def _saml(self, app: dict[str, Any], spec: AppSpec, slug: str, index: int) -> None:
        ctx = self.ctx
        algorithm = "RSA_SHA1" if spec.sha1 else "RSA_SHA256"
        digest = "SHA1" if spec.sha1 else "SHA256"
        app.update(
            {
                "name": f"{slug}_{index}",
                "signOnMode": "SAML_2_0",
                "credentials": {
                    "userNameTemplate": {
                        "template": "${source.login}",
                        "type": "BUILT_IN",
                    },
                    "signing": {
                        "kid": ctx.uuid("app-key", index)[:43].replace("-", "")
                    },
                },
                "settings": {
                    "app": {},
                    "signOn": {
                        "defaultRelayState": "",
                        "ssoAcsUrl": f"https://{slug}.example/saml/acs",
                        "recipient": f"https://{slug}.example/saml/acs",
                        "destination": f"https://{slug}.example/saml/acs",
                        "audience": f"https://{slug}.example",
                        "idpIssuer": "http://www.okta.com/${org.externalKey}",
                        "subjectNameIdTemplate": "${user.userName}",
                        "subjectNameIdFormat": _EMAIL_NAME_ID,
                        "responseSigned": True,
                        "assertionSigned": True,
                        "signatureAlgorithm": algorithm,
                        "digestAlgorithm": digest,
                        "honorForceAuthn": True,
                        "authnContextClassRef": _AUTHN_CONTEXT,
                        "requestCompressed": False,
                        "allowMultipleAcsEndpoints": False,
                        "samlAssertionLifetimeSeconds": 300,
                        "attributeStatements": [],
                    },
                },
            }
        )

    def _group_assignments(self, app_id: str, spec: AppSpec) -> list[dict[str, Any]]:
        ctx = self.ctx
        out = []
        for priority, key in enumerate(spec.groups):
            group_id = self._group_key(key)
            out.append(
                {
                    "id": group_id,
                    "priority": priority,
                    "lastUpdated": ctx.stamp(days=10 + priority),
                    "profile": {},
                    "_links": {
                        "app": ctx.link(f"/api/v1/apps/{app_id}"),
                        "group": ctx.link(f"/api/v1/groups/{group_id}"),
                        "self": ctx.link(f"/api/v1/apps/{app_id}/groups/{group_id}"),
                    },
                }
            )
        return sorted(out, key=lambda a: a["id"])

    def _user_assignments(
        self, index: int, app_id: str, spec: AppSpec
    ) -> list[dict[str, Any]]:
        ctx = self.ctx
        users = self.groups_dir.users
        rng = ctx.rng("app-users", index)
        chosen = sorted(
            {rng.randrange(30, users.count) for _ in range(spec.direct_users)}
        )
        out = []
        for i in chosen:
            user_id = users.user_id(i)
            login = users.login(i)
            stamp = ctx.stamp(days=rng.uniform(1, 300))
            out.append(
                {
                    "id": user_id,
                    "created": stamp,
                    "lastUpdated": stamp,
                    "scope": "USER",
                    "status": "ACTIVE"
                    if users.status_of(i) != "DEPROVISIONED"
                    else "INACTIVE",
                    "statusChanged": stamp,
                    "passwordChanged": None,
                    "syncState": "DISABLED",
                    "credentials": {"userName": login},
                    "profile": {"email": login},
                    "_links": {
                        "app": ctx.link(f"/api/v1/apps/{app_id}"),
                        "user": ctx.link(f"/api/v1/users/{user_id}"),
                    },
                }
            )
        return out

    def _plant(self, policies: PolicySet) -> None:
        ctx = self.ctx
        by_label = {a["label"]: a for a in self.apps}
        if not ctx.typical:
            return
        payroll = by_label["Payroll"]
        ctx.plant(
            "everyone-sensitive-app",
            "app.everyone_assigned",
            ("Application", payroll["id"], payroll["label"]),
            "the sensitive app is assigned to the Everyone group",
        )
        spa = by_label["Team Dashboard"]
        ctx.plant(
            "app-implicit-grant",
            "app.implicit_grant",
            ("Application", spa["id"], spa["label"]),
            "grant_types include implicit",
        )
        mobile = by_label["Legacy Mobile"]
        ctx.plant(
            "app-password-grant",
            "app.password_grant",
            ("Application", mobile["id"], mobile["label"]),
            "grant_types include password (resource-owner password grant)",
        )
        hr = by_label["Legacy HR"]
        ctx.plant(
            "app-saml-sha1",
            "app.saml_signing",
            ("Application", hr["id"], hr["label"]),
            "SAML signatureAlgorithm RSA_SHA1 and digestAlgorithm SHA1",
        )
        sync = by_label["Legacy Directory Sync"]
        ctx.plant(
            "service-app-client-secret",
            "app.client_auth_method",
            ("Application", sync["id"], sync["label"]),
            "a service client authenticates with client_secret_basic; "
            "private_key_jwt is expected",
        )
        vault = by_label["Vendor Portal"]
        ctx.plant(
            "app-password-vaulted",
            "app.password_vaulted_sso",
            ("Application", vault["id"], vault["label"]),
            "signOnMode SECURE_PASSWORD_STORE (password vaulting)",
        )
        inactive = by_label["Old Intranet"]
        ctx.plant(
            "app-inactive",
            "app.inactive_or_unused",
            ("Application", inactive["id"], inactive["label"]),
            "an INACTIVE app integration left in place",
        )
