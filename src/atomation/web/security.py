"""Security headers, cookies and CSRF tokens for every workspace response.

* Headers (OWASP Secure Headers): a CSP that allows scripts and styles from our
  own origin only (no inline script, so no hash is needed), ``frame-ancestors
  'none'``, ``nosniff``, ``Referrer-Policy: no-referrer`` (a handoff link carries
  its token in the path and must not leak to another site through Referer), and
  HSTS when the request came over HTTPS.
* CSRF: a random ``atomation_csrf`` cookie (HttpOnly, SameSite=Strict) is given
  to every browser; each form carries ``HMAC(key, cookie)`` in ``csrf_token``
  (the JSON API in the ``X-CSRF-Token`` header). A cross-site page can neither
  read the cookie nor compute the token, so a forged post is refused with 403.
  Signed-in or not makes no difference, so the sign-in form and the handoff
  forms are covered the same way.
"""

from __future__ import annotations

import secrets
import threading
from collections.abc import Awaitable, Callable

from fastapi import Request, Response
from starlette.middleware.base import BaseHTTPMiddleware

from atomation.accounts.signing import Signer, load_signer
from atomation.keys.envelope import load_master_key
from atomation.runtime import Runtime

__all__ = [
    "CSRF_COOKIE",
    "CSRF_FIELD",
    "CSRF_HEADER",
    "FRAMING_PAGE_CSP",
    "REPORT_DOCUMENT_CSP",
    "SECURITY_HEADERS",
    "SecurityMiddleware",
    "csrf_ok",
    "csrf_token",
    "is_https",
    "signer_of",
]

CSRF_COOKIE = "atomation_csrf"
CSRF_FIELD = "csrf_token"
CSRF_HEADER = "x-csrf-token"
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'none'",
        "script-src 'self'",
        "style-src 'self'",
        "img-src 'self'",
        "connect-src 'self'",
        "form-action 'self'",
        "frame-ancestors 'none'",
        "base-uri 'none'",
    ]
)
# The reports page frames the report document, which is ours too.
FRAMING_PAGE_CSP = CONTENT_SECURITY_POLICY + "; frame-src 'self'"
# A report or comparison served as its own document: self-contained, with its
# stylesheet inline and its chart as a data: image, no script at all (sandboxed),
# framed only by our own reports page.
REPORT_DOCUMENT_CSP = "; ".join(
    [
        "default-src 'none'",
        "style-src 'unsafe-inline'",
        "img-src data:",
        "frame-ancestors 'self'",
        "form-action 'none'",
        "base-uri 'none'",
        "sandbox",
    ]
)
SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "X-Frame-Options": "DENY",  # for browsers without frame-ancestors
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
}
HSTS = "max-age=31536000"  # one year, as OWASP advises once HTTPS is settled

_signer_lock = threading.Lock()


def is_https(request: Request) -> bool:
    # uvicorn's proxy_headers turns a trusted X-Forwarded-Proto into the scheme.
    return request.url.scheme == "https"


def signer_of(request: Request) -> Signer:
    """The deployment's signer, loaded once per app."""
    state = request.app.state
    signer: Signer | None = getattr(state, "signer", None)
    if signer is None:
        with _signer_lock:
            signer = getattr(state, "signer", None)
            if signer is None:
                runtime: Runtime = state.runtime
                with runtime.store.session() as session:
                    signer = load_signer(session, load_master_key(runtime.settings))
                state.signer = signer
    return signer


def _browser_secret(request: Request) -> str:
    """This browser's CSRF cookie value, made on its first request."""
    value: str | None = getattr(request.state, "csrf_cookie", None)
    if value is None:
        cookie = request.cookies.get(CSRF_COOKIE, "")
        value = cookie if 20 <= len(cookie) <= 100 else secrets.token_urlsafe(32)
        request.state.csrf_cookie = value
    return value


def csrf_token(request: Request) -> str:
    """The token this browser's forms must carry."""
    return signer_of(request).sign("csrf", _browser_secret(request))


def csrf_ok(request: Request, token: str | None) -> bool:
    cookie = request.cookies.get(CSRF_COOKIE)
    if not cookie or not token:
        return False
    return signer_of(request).check("csrf", cookie, token)


class SecurityMiddleware(BaseHTTPMiddleware):
    """Adds the headers above, and the CSRF cookie when a page made one."""

    async def dispatch(
        self, request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        for name, value in SECURITY_HEADERS.items():
            response.headers.setdefault(name, value)
        if is_https(request):
            response.headers.setdefault("Strict-Transport-Security", HSTS)
        # Pages carry tokens and tenant data: never keep them in a shared cache.
        response.headers.setdefault("Cache-Control", "no-store")
        made = getattr(request.state, "csrf_cookie", None)
        if made is not None and request.cookies.get(CSRF_COOKIE) != made:
            response.set_cookie(
                CSRF_COOKIE,
                made,
                httponly=True,
                samesite="strict",
                secure=is_https(request),
                path="/",
            )
        return response
