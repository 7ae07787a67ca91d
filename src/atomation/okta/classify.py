"""Turn a refused Okta response into one named error with its cause and fix.

Decided by the HTTP status, the OAuth ``error`` (token endpoint, okta-api.md
§1.5), Okta's ``errorCode`` (management API, §3.1) and the ``error``/``scope``
parameters of ``WWW-Authenticate`` (§3.2, §2.4) — never by description text.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any

from atomation.okta.errors import (
    ClockSkew,
    ConsentRequired,
    DPoPError,
    DPoPProofRejected,
    DPoPRequired,
    FeatureNotEnabled,
    InsufficientScope,
    InvalidClient,
    InvalidToken,
    NotFound,
    OktaError,
    PermissionDenied,
    RateLimited,
    ScopeDenied,
    ServerError,
    UnexpectedResponse,
)
from atomation.okta.pages import Page

__all__ = [
    "CLOCK_SKEW_TOLERANCE",
    "oauth_error",
    "okta_error_code",
    "read_error",
    "token_error",
    "www_authenticate",
]

# How far our clock may sit from the server's ``Date`` before a refused assertion
# is put down to skew. Okta's own tolerance is unconfirmed (okta-api.md §12 item
# 2); ``Date`` has one-second resolution, and assertions are dated back by the
# same five seconds (``token.IAT_LEEWAY``), so a smaller difference cannot be
# what Okta refused.
CLOCK_SKEW_TOLERANCE = 5.0

_AUTH_PARAM = re.compile(r'([A-Za-z_][\w-]*)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|([^\s,]+))')

INVALID_CLIENT_FIX = (
    "in the Okta Admin Console, open the API Services app and check that its "
    "Client ID matches the one saved in Atomation, that Client Credentials use "
    "'Public key / Private key' with 'Use a URL to fetch keys dynamically', and "
    "that the URL is the tenant JWKS URL from Atomation's setup values and is "
    "reachable from the internet."
)
ROLE_FIX = (
    "assign the app an admin role that can read this (Read-Only Administrator is "
    "enough): Okta Admin Console > the app > Admin roles."
)


def www_authenticate(headers: Mapping[str, str]) -> dict[str, str]:
    """The parameters of a ``WWW-Authenticate`` challenge (scheme left out)."""
    raw = headers.get("www-authenticate", "")
    return {
        m.group(1).lower(): m.group(2) if m.group(2) is not None else m.group(3)
        for m in _AUTH_PARAM.finditer(raw)
    }


def _json_object(body: bytes) -> dict[str, Any]:
    try:
        data = json.loads(body)
    except ValueError:
        return {}
    return data if isinstance(data, dict) else {}


def oauth_error(body: bytes) -> str | None:
    """The OAuth ``error`` code of a token-endpoint body."""
    value = _json_object(body).get("error")
    return value if isinstance(value, str) else None


def okta_error_code(body: bytes) -> str | None:
    """Okta's ``errorCode`` (e.g. ``E0000006``) of a management-API error body."""
    value = _json_object(body).get("errorCode")
    return value if isinstance(value, str) else None


def _common(page: Page, path: str, code: str | None) -> OktaError | None:
    """Refusals that mean the same on every endpoint: 429 and 5xx."""
    if page.status == 429:
        return RateLimited(
            f"Okta answered 429 (rate limited) for {path}",
            hint="wait a minute and run again; if it keeps happening, raise the "
            "app's rate limit share in Okta (Applications > the app > Application "
            "rate limits).",
            status=429,
            code=code,
            path=path,
            page=page,
        )
    if page.status >= 500:
        return ServerError(
            f"Okta answered {page.status} for {path} and kept failing while retried",
            hint="Okta may be degraded: check https://status.okta.com and run again "
            f"later; quote request id {page.request_id or 'n/a'} to Okta support.",
            status=page.status,
            code=code,
            path=path,
            page=page,
        )
    return None


def token_error(
    page: Page,
    *,
    scopes: Sequence[str],
    sent_proof: bool,
    skew: float | None,
) -> OktaError:
    """Classify a refusal from ``/oauth2/v1/token`` (okta-api.md §1.5).

    ``sent_proof`` says whether the request carried a DPoP proof: a
    ``invalid_dpop_proof`` to a request without one can only mean the app
    requires DPoP. ``skew`` is our clock minus the server's ``Date``, in seconds.
    """
    path = "/oauth2/v1/token"
    error = oauth_error(page.body)
    common = _common(page, path, error)
    if common is not None:
        return common
    kw: dict[str, Any] = {
        "status": page.status,
        "code": error,
        "path": path,
        "page": page,
    }
    if error == "invalid_client":
        if skew is not None and abs(skew) > CLOCK_SKEW_TOLERANCE:
            direction = "ahead of" if skew > 0 else "behind"
            return ClockSkew(
                "Okta refused the client assertion, and this server's clock is "
                f"{abs(skew):.0f} seconds {direction} Okta's",
                hint="set this server's clock right (enable NTP time sync) and "
                "run again.",
                skew_seconds=skew,
                **kw,
            )
        return InvalidClient(
            "Okta refused the app's credentials (invalid_client): the Client ID "
            "is wrong, the JWKS URL is not saved on the app, or Okta cannot fetch "
            "the public key from it",
            hint=INVALID_CLIENT_FIX,
            **kw,
        )
    if error == "consent_required":
        return ConsentRequired(
            "the app has none of the ten read scopes granted (consent_required)",
            hint="grant these scopes on the app's 'Okta API Scopes' tab: "
            + ", ".join(scopes)
            + ".",
            scopes=scopes,
            **kw,
        )
    if error == "invalid_scope":
        return ScopeDenied(
            "Okta refused the requested scopes as invalid (invalid_scope)",
            hint="check that the app is an API Services app on the org "
            "authorization server and grant the ten read scopes.",
            scopes=scopes,
            **kw,
        )
    if error == "invalid_dpop_proof" and not sent_proof:
        return DPoPRequired(
            "the app requires DPoP ('Require Demonstrating Proof of Possession') "
            "but this connection has DPoP off",
            hint="set the connection's DPoP mode to 'auto' or 'on' "
            "(atomation connect TENANT --client-id ID --dpop auto), or turn the "
            "DPoP requirement off on the app.",
            **kw,
        )
    if error in ("invalid_dpop_proof", "use_dpop_nonce"):
        return DPoPProofRejected(
            f"Okta refused the DPoP proof on the token request ({error})",
            hint="check this server's clock, then confirm DPoP on the app and for "
            "this connection; run again.",
            **kw,
        )
    if error == "unauthorized_client":
        return InvalidClient(
            "the app may not use the client_credentials grant (unauthorized_client)",
            hint="create the app as an 'API Services' app, which allows client "
            "credentials.",
            **kw,
        )
    return UnexpectedResponse(
        f"Okta refused the token request: HTTP {page.status}, error {error or 'n/a'}",
        hint="check the app's Client Credentials settings in Okta; quote request "
        f"id {page.request_id or 'n/a'} to Okta support if it persists.",
        **kw,
    )


def read_error(page: Page, headers: Mapping[str, str], *, path: str) -> OktaError:
    """Classify a refused read on the management API (okta-api.md §3.1, §3.2)."""
    code = okta_error_code(page.body)
    challenge = www_authenticate(headers)
    common = _common(page, path, code)
    if common is not None:
        return common
    kw: dict[str, Any] = {
        "status": page.status,
        "code": code,
        "path": path,
        "page": page,
    }
    wa_error = challenge.get("error")
    if page.status == 403 and wa_error == "insufficient_scope":
        scope = challenge.get("scope", "")
        kw["code"] = wa_error
        return InsufficientScope(
            f"the token lacks scope {scope or '(not named)'} needed to read {path}",
            hint=f"grant {scope or 'the scope'} on the app's 'Okta API Scopes' tab.",
            scopes=[scope] if scope else [],
            **kw,
        )
    if page.status == 403 and code == "E0000006":
        return PermissionDenied(
            f"the app's admin role does not allow reading {path} (E0000006)",
            hint=ROLE_FIX,
            **kw,
        )
    if wa_error in ("invalid_dpop_proof", "use_dpop_nonce"):
        kw["code"] = wa_error
        return DPoPProofRejected(
            f"Okta refused the DPoP proof on {path} ({wa_error})",
            hint="check this server's clock, then confirm DPoP on the app and for "
            "this connection; run again.",
            **kw,
        )
    if page.status in (400, 401) and wa_error == "invalid_request":
        kw["code"] = wa_error
        return DPoPError(
            f"Okta refused how the token was presented on {path} (invalid_request)",
            hint="confirm DPoP on the app and for this connection.",
            **kw,
        )
    if page.status == 401 and code == "E0000015":
        return FeatureNotEnabled(
            f"the org does not have the feature behind {path} (E0000015)",
            hint="nothing to fix for the connection: this part of the org is not "
            "licensed, so it is not assessed.",
            **kw,
        )
    if page.status == 401:
        kw["code"] = code or wa_error
        return InvalidToken(
            f"Okta refused a freshly issued access token on {path}",
            hint="run again; if it persists, check that the app is active and its "
            "Client Credentials settings in Okta.",
            **kw,
        )
    if page.status == 404:
        return NotFound(
            f"{path} was not found in the org",
            hint="the object may have been deleted since it was listed; run again.",
            **kw,
        )
    return UnexpectedResponse(
        f"Okta refused the read {path}: HTTP {page.status}, errorCode {code or 'n/a'}",
        hint=f"quote request id {page.request_id or 'n/a'} to Okta support if it "
        "persists.",
        **kw,
    )
