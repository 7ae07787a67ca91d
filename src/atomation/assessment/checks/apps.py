"""Applications: OAuth grant types and client authentication, SAML signing, assignment.

OIDC apps carry ``settings.oauthClient.{application_type, grant_types,
redirect_uris, wildcard_redirect, refresh_token.rotation_type}`` and
``credentials.oauthClient.{token_endpoint_auth_method, pkce_required}``; SAML
apps ``settings.signOn.{signatureAlgorithm, digestAlgorithm, assertionSigned,
responseSigned}`` (spec ``OpenIdConnectApplication``, ``SamlApplication``;
checks.md §8).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any
from urllib.parse import urlsplit

from atomation.assessment.catalogue import CheckList
from atomation.assessment.context import ADMIN_CONSOLE_APP, DASHBOARD_APP, CheckContext
from atomation.assessment.results import Finding
from atomation.snapshot.data import Resource

__all__ = ["checks"]

checks = CheckList("apps")

_APPS_STEP = "In the Admin Console, go to Applications > Applications and open the app."
_FIRST_PARTY = frozenset({ADMIN_CONSOLE_APP, DASHBOARD_APP})
_LOOPBACK = frozenset({"localhost", "127.0.0.1", "::1"})
# Sign-on modes in which Okta stores and replays a password (checks.md §8).
_VAULTED = frozenset(
    {"AUTO_LOGIN", "BROWSER_PLUGIN", "BASIC_AUTH", "SECURE_PASSWORD_STORE"}
)
_SECRET_METHODS = frozenset(
    {"client_secret_basic", "client_secret_post", "client_secret_jwt"}
)


def _oidc(
    ctx: CheckContext,
) -> Iterator[tuple[Resource, dict[str, Any], dict[str, Any]]]:
    """Active OIDC apps with their settings and credentials ``oauthClient``."""
    for app in ctx.facts.apps:
        if app.data.get("status") != "ACTIVE":
            continue
        settings = app.data.get("settings", {}).get("oauthClient")
        if settings is None:
            continue
        credentials = app.data.get("credentials", {}).get("oauthClient", {})
        yield app, settings, credentials


def _grant_check(grant: str) -> Any:
    def evaluate(ctx: CheckContext) -> Iterator[Finding]:
        for app, settings, _credentials in _oidc(ctx):
            grants = settings.get("grant_types", [])
            yield ctx.finding(
                grant not in grants,
                app,
                app.data["label"],
                f"grant_types are {', '.join(grants)}",
                measured=grants,
                required=f"no {grant}",
            )

    return evaluate


checks.add(
    "app.implicit_grant",
    title="No OIDC app allows the implicit grant",
    severity="high",
    rationale="The implicit flow returns tokens in the browser's URL, where "
    "history, referrers and injected scripts can read them.",
    remediation=(
        _APPS_STEP,
        "On the General tab, untick Implicit (hybrid) under Grant type and use "
        "Authorization Code with PKCE.",
    ),
    kinds=("app",),
    nist=("SC-23", "IA-2"),
    soc2=("CC6.1",),
    source="checks.md §8 OKTA.APP.IMPLICIT_GRANT",
)(_grant_check("implicit"))

checks.add(
    "app.password_grant",
    title="No app uses the resource-owner password grant",
    severity="high",
    rationale="The password grant hands the user's password to the app and skips "
    "the authentication policy's MFA chain.",
    remediation=(
        _APPS_STEP,
        "On the General tab, untick Resource Owner Password and move the app to "
        "Authorization Code with PKCE.",
    ),
    kinds=("app",),
    nist=("IA-2(1)",),
    soc2=("CC6.1",),
    source="checks.md §8 OKTA.APP.PASSWORD_GRANT",
)(_grant_check("password"))


@checks.add(
    "app.client_auth_method",
    title="Web and service clients authenticate with private_key_jwt",
    severity="medium",
    rationale="A shared client secret travels with every token request and lives "
    "in config files; a private key never leaves its owner.",
    remediation=(
        _APPS_STEP,
        "Under Client Credentials choose 'Public key / Private key', add the "
        "client's public key (or JWKS URL), then retire the secret.",
    ),
    kinds=("app",),
    nist=("IA-9", "IA-5"),
    soc2=("CC6.1",),
    source="checks.md §8 OKTA.APP.CLIENT_AUTH_METHOD",
)
def client_auth_method(ctx: CheckContext) -> Iterator[Finding]:
    for app, settings, credentials in _oidc(ctx):
        if settings.get("application_type") not in ("web", "service"):
            continue
        method = credentials.get("token_endpoint_auth_method")
        yield ctx.finding(
            method not in _SECRET_METHODS,
            app,
            app.data["label"],
            f"a {settings['application_type']} client authenticates with {method}",
            measured=method,
            required="private_key_jwt",
        )


@checks.add(
    "app.public_client_pkce",
    title="Public clients require PKCE",
    severity="high",
    rationale="A browser or native client has no secret; PKCE is what stops an "
    "intercepted authorization code from being redeemed.",
    remediation=(_APPS_STEP, "Tick 'Require PKCE as additional verification'."),
    kinds=("app",),
    nist=("SC-23",),
    soc2=("CC6.1",),
    source="checks.md §8 OKTA.APP.PUBLIC_CLIENT_PKCE",
)
def public_client_pkce(ctx: CheckContext) -> Iterator[Finding]:
    for app, _settings, credentials in _oidc(ctx):
        if credentials.get("token_endpoint_auth_method") != "none":
            continue
        pkce = credentials.get("pkce_required") is True
        yield ctx.finding(
            pkce,
            app,
            app.data["label"],
            f"pkce_required is {str(pkce).lower()}",
            measured=pkce,
            required=True,
        )


@checks.add(
    "app.refresh_token_rotation",
    title="Refresh tokens rotate on use",
    severity="medium",
    rationale="A static refresh token stolen once works until it expires; a "
    "rotating one is invalidated by the next legitimate use.",
    remediation=(
        _APPS_STEP,
        "Under Refresh Token, choose 'Rotate token after every use'.",
    ),
    kinds=("app",),
    nist=("SC-23", "IA-5"),
    soc2=("CC6.1",),
    source="checks.md §8 OKTA.APP.REFRESH_TOKEN_ROTATION",
)
def refresh_token_rotation(ctx: CheckContext) -> Iterator[Finding]:
    for app, settings, _credentials in _oidc(ctx):
        if "refresh_token" not in settings.get("grant_types", []):
            continue
        rotation = settings.get("refresh_token", {}).get("rotation_type", "STATIC")
        yield ctx.finding(
            rotation == "ROTATE",
            app,
            app.data["label"],
            f"refresh_token.rotation_type is {rotation}",
            measured=rotation,
            required="ROTATE",
        )


@checks.add(
    "app.redirect_hygiene",
    title="Redirect URIs are exact and use HTTPS",
    severity="medium",
    rationale="An http:// or wildcard redirect lets a network attacker or a "
    "look-alike subdomain receive authorization codes.",
    remediation=(
        _APPS_STEP,
        "Replace http:// sign-in and sign-out redirect URIs with https:// ones and "
        "turn off wildcard (subdomain) redirects.",
    ),
    kinds=("app",),
    nist=("SC-23", "CM-6"),
    soc2=("CC6.6",),
    source="checks.md §8 OKTA.APP.REDIRECT_HYGIENE",
)
def redirect_hygiene(ctx: CheckContext) -> Iterator[Finding]:
    own = ctx.data.info.org_url.rstrip("/")
    for app, settings, _credentials in _oidc(ctx):
        uris = [
            *settings.get("redirect_uris", []),
            *settings.get("post_logout_redirect_uris", []),
        ]
        if not uris:
            continue
        plain = [
            u
            for u in uris
            if urlsplit(u).scheme == "http"
            and urlsplit(u).hostname not in _LOOPBACK
            and not u.startswith(own + "/")
        ]
        wildcard = settings.get("wildcard_redirect", "DISABLED") != "DISABLED"
        problems = [f"http redirect {u}" for u in plain]
        if wildcard:
            problems.append(f"wildcard_redirect {settings['wildcard_redirect']}")
        yield ctx.finding(
            not problems,
            app,
            app.data["label"],
            "; ".join(problems) if problems else f"{len(uris)} exact https redirects",
            measured={"http": plain, "wildcard": wildcard},
            required="https only, no wildcard",
        )


@checks.add(
    "app.saml_signing",
    title="SAML apps sign with SHA-256 and sign the response or assertion",
    severity="medium",
    rationale="SHA-1 signatures can be forged with practical collision attacks; an "
    "unsigned response can be altered in transit.",
    remediation=(
        _APPS_STEP,
        "On the Sign On tab, edit SAML settings: Signature Algorithm RSA-SHA256, "
        "Digest Algorithm SHA256, and sign the response and/or assertion.",
    ),
    kinds=("app",),
    nist=("SC-13", "SC-23"),
    soc2=("CC6.7",),
    source="checks.md §8 OKTA.APP.SAML_SIGNING",
)
def saml_signing(ctx: CheckContext) -> Iterator[Finding]:
    for app in ctx.facts.apps:
        if (
            app.data.get("signOnMode") != "SAML_2_0"
            or app.data.get("status") != "ACTIVE"
        ):
            continue
        sign_on = app.data["settings"]["signOn"]
        signature = sign_on.get("signatureAlgorithm")
        digest = sign_on.get("digestAlgorithm")
        signed = sign_on.get("assertionSigned") or sign_on.get("responseSigned")
        problems = []
        if signature == "RSA_SHA1" or digest == "SHA1":
            problems.append(f"signatureAlgorithm {signature}, digestAlgorithm {digest}")
        if not signed:
            problems.append("neither the assertion nor the response is signed")
        yield ctx.finding(
            not problems,
            app,
            app.data["label"],
            "; ".join(problems) if problems else f"{signature} / {digest}",
            measured={"signature": signature, "digest": digest, "signed": bool(signed)},
            required="RSA_SHA256 / SHA256, signed",
        )


@checks.add(
    "app.everyone_assigned",
    title="No app is assigned to the Everyone group",
    severity="medium",
    rationale="Assigning to Everyone grants the app to every future account, "
    "contractors and service users included; access should follow need.",
    remediation=(
        _APPS_STEP,
        "On the Assignments tab, remove the Everyone group and assign the groups "
        "that need the app.",
    ),
    kinds=("app", "app_group", "group"),
    nist=("AC-3", "AC-6"),
    soc2=("CC6.3",),
    source="checks.md §8 OKTA.APP.EVERYONE_ASSIGNED",
)
def everyone_assigned(ctx: CheckContext) -> Iterator[Finding]:
    everyone = ctx.facts.everyone_group_id
    for app in ctx.facts.apps:
        if app.data.get("status") != "ACTIVE" or app.data.get("name") in _FIRST_PARTY:
            continue
        groups = list(ctx.data.resources("app_group", parent_id=app.id))
        assigned = any(g.id == everyone for g in groups)
        yield ctx.finding(
            not assigned,
            app,
            app.data["label"],
            "assigned to the Everyone group" if assigned else f"{len(groups)} group(s)",
            measured=assigned,
            required=False,
            evidence=[g.evidence for g in groups],
        )


@checks.add(
    "app.inactive_or_unused",
    title="No inactive app integration is left in place",
    severity="low",
    rationale="An inactive app keeps its configuration and credentials; "
    "reactivating it restores access nobody reviewed.",
    remediation=(_APPS_STEP, "Delete app integrations that are no longer needed."),
    kinds=("app",),
    nist=("CM-7",),
    soc2=("CC6.1",),
    source="checks.md §8 OKTA.APP.INACTIVE_OR_UNUSED",
)
def inactive_or_unused(ctx: CheckContext) -> Iterator[Finding]:
    for app in ctx.facts.apps:
        status = app.data.get("status")
        yield ctx.finding(
            status == "ACTIVE",
            app,
            app.data["label"],
            f"status is {status}",
            measured=status,
            required="ACTIVE, or deleted",
        )


@checks.add(
    "app.password_vaulted_sso",
    title="Apps sign in by federation, not by replaying stored passwords",
    severity="low",
    rationale="Password-vaulted apps keep a reusable password per user that "
    "phishing and app-side breaches expose; SAML or OIDC carry no password.",
    remediation=(
        _APPS_STEP,
        "Move the app to SAML 2.0 or OIDC where the vendor supports it.",
    ),
    kinds=("app",),
    nist=("IA-2", "IA-5"),
    soc2=("CC6.1",),
    source="checks.md §8 OKTA.APP.PASSWORD_VAULTED_SSO",
)
def password_vaulted_sso(ctx: CheckContext) -> Iterator[Finding]:
    for app in ctx.facts.apps:
        if app.data.get("status") != "ACTIVE":
            continue
        mode = app.data.get("signOnMode")
        yield ctx.finding(
            mode not in _VAULTED,
            app,
            app.data["label"],
            f"signOnMode is {mode}",
            measured=mode,
            required="SAML_2_0, OPENID_CONNECT or another federated mode",
        )
