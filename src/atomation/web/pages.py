"""The workspace's pages: sign-in, the tenant list, each tenant's setup guide.

Every form is a plain POST with a CSRF token, answered by a redirect (303) to
the page that shows the result, so reloading never posts twice. While a
verification runs, the guide page reloads itself every second (a meta refresh,
no script) until the job ends.
"""

from __future__ import annotations

import logging
import time
from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from atomation.accounts.errors import LoginFailed, LoginThrottled
from atomation.accounts.handoff import issue_link, list_links, revoke_link, token_of
from atomation.accounts.models import User
from atomation.accounts.service import close_session, sign_in
from atomation.store import Tenant
from atomation.web.access import (
    SESSION_COOKIE,
    current_user,
    require_operator,
    require_user,
    visible_tenant,
    visible_tenants,
)
from atomation.web.actions import (
    INPUT_ERRORS,
    add_tenant,
    read_guide,
    save_client_id,
    start_verify,
)
from atomation.web.guide import TROUBLESHOOTING
from atomation.web.security import CSRF_FIELD, csrf_ok, is_https, signer_of
from atomation.web.workspace import render, workspace_of

__all__ = ["router"]

logger = logging.getLogger(__name__)

router = APIRouter(include_in_schema=False)

CsrfField = Annotated[str, Form(alias=CSRF_FIELD)]


def check_csrf(request: Request, token: str) -> None:
    if not csrf_ok(request, token):
        logger.warning(
            "%s %s refused: CSRF token missing or wrong",
            request.method,
            request.url.path,
        )
        raise HTTPException(status_code=403, detail="csrf")


def see_other(path: str) -> RedirectResponse:
    return RedirectResponse(path, status_code=303)


@router.get("/")
def home(request: Request) -> Response:
    user = current_user(request)
    if user is None:
        return see_other("/login")
    return see_other("/tenants")


@router.get("/login")
def login_page(request: Request) -> HTMLResponse:
    return render(request, "login.html", email="")


@router.post("/login")
def login(
    request: Request,
    csrf: CsrfField = "",
    email: Annotated[str, Form()] = "",
    password: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    workspace = workspace_of(request)
    address = request.client.host if request.client else "unknown"
    try:
        with workspace.runtime.store.session() as session:
            try:
                signed_in = sign_in(
                    session,
                    email=email,
                    password=password,
                    address=address,
                    now=workspace.now(),
                )
            except LoginFailed as exc:
                failure: LoginFailed | None = exc
            else:
                failure = None
    except LoginThrottled as exc:
        return render(
            request,
            "login.html",
            email=email,
            error=exc.message,
            hint=exc.hint,
            status_code=429,
            headers={"Retry-After": str(exc.retry_after)},
        )
    if failure is not None:  # committed above, so the throttle counts it
        return render(
            request,
            "login.html",
            email=email,
            error=failure.message,
            hint=failure.hint,
            status_code=401,
        )
    response = see_other("/tenants")
    response.set_cookie(
        SESSION_COOKIE,
        signed_in.token,
        httponly=True,
        samesite="lax",
        secure=is_https(request),
        path="/",
    )
    return response


@router.post("/logout")
def logout(request: Request, csrf: CsrfField = "") -> Response:
    check_csrf(request, csrf)
    token = request.cookies.get(SESSION_COOKIE)
    if token:
        with workspace_of(request).runtime.store.session() as session:
            close_session(session, token)
    response = see_other("/login")
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get("/tenants")
def tenants_page(request: Request) -> Response:
    user = require_user(request)
    if user.role != "operator":
        tenants = visible_tenants(request, user)
        return see_other(f"/tenants/{tenants[0].subdomain}" if tenants else "/login")
    return _tenants(request, user)


def _tenants(
    request: Request, user: User, *, status_code: int = 200, **form: str
) -> HTMLResponse:
    return render(
        request,
        "tenants.html",
        user=user,
        tenants=visible_tenants(request, user),
        form=form,
        status_code=status_code,
        error=form.pop("error", None),
        hint=form.pop("hint", None),
    )


@router.post("/tenants")
def create_tenant_form(
    request: Request,
    csrf: CsrfField = "",
    subdomain: Annotated[str, Form()] = "",
    client_name: Annotated[str, Form()] = "",
    environment: Annotated[str, Form()] = "",
    okta_org_url: Annotated[str, Form()] = "",
) -> Response:
    check_csrf(request, csrf)
    user = require_operator(request)
    try:
        created = add_tenant(
            workspace_of(request),
            subdomain=subdomain,
            client_name=client_name,
            environment=environment,
            okta_org_url=okta_org_url,
        )
    except INPUT_ERRORS as exc:
        return _tenants(
            request,
            user,
            status_code=400,
            subdomain=subdomain,
            client_name=client_name,
            environment=environment,
            okta_org_url=okta_org_url,
            error=exc.message,
            hint=exc.hint or "",
        )
    return see_other(f"/tenants/{created}")


def guide_page(
    request: Request,
    tenant: Tenant,
    *,
    user: User | None,
    base: str,
    status_code: int = 200,
    error: str | None = None,
    hint: str | None = None,
) -> HTMLResponse:
    """The setup guide; ``base`` is where its forms post (tenant or handoff)."""
    workspace = workspace_of(request)
    guide = read_guide(workspace, tenant)
    links = []
    if user is not None and user.role == "operator":
        signer = signer_of(request)
        now = workspace.now()
        with workspace.runtime.store.session() as session:
            for link in list_links(session, tenant):
                live = link.revoked_at is None and link.expires_at > now
                links.append(
                    {
                        "id": link.id,
                        "url": f"/h/{token_of(signer, link)}" if live else None,
                        "expires_at": link.expires_at.isoformat(timespec="seconds"),
                        "state": "active"
                        if live
                        else ("revoked" if link.revoked_at else "expired"),
                    }
                )
    return render(
        request,
        "guide.html",
        user=user,
        guide=guide,
        base=base,
        handoff=user is None,
        links=links,
        troubleshooting=TROUBLESHOOTING,
        # A fresh query each time: a refresh to the same URL with a fragment
        # would only scroll, not reload.
        poll=time.monotonic_ns(),
        public_url=workspace.runtime.settings.public_url.rstrip("/"),
        status_code=status_code,
        error=error,
        hint=hint,
    )


@router.get("/tenants/{subdomain}")
def tenant_page(request: Request, subdomain: str) -> Response:
    user = require_user(request)
    tenant = visible_tenant(request, user, subdomain)
    return guide_page(request, tenant, user=user, base=f"/tenants/{subdomain}")


@router.post("/tenants/{subdomain}/connection")
def connection_form(
    request: Request,
    subdomain: str,
    csrf: CsrfField = "",
    client_id: Annotated[str, Form()] = "",
    dpop_mode: Annotated[str, Form()] = "auto",
) -> Response:
    check_csrf(request, csrf)
    user = require_user(request)
    tenant = visible_tenant(request, user, subdomain)
    base = f"/tenants/{subdomain}"
    try:
        save_client_id(workspace_of(request), tenant, client_id, dpop_mode)
    except INPUT_ERRORS as exc:
        return guide_page(
            request,
            tenant,
            user=user,
            base=base,
            status_code=400,
            error=exc.message,
            hint=exc.hint,
        )
    return see_other(base + "#verify")


@router.post("/tenants/{subdomain}/verify")
def verify_form(request: Request, subdomain: str, csrf: CsrfField = "") -> Response:
    check_csrf(request, csrf)
    user = require_user(request)
    tenant = visible_tenant(request, user, subdomain)
    base = f"/tenants/{subdomain}"
    try:
        start_verify(workspace_of(request), tenant)
    except INPUT_ERRORS as exc:
        return guide_page(
            request,
            tenant,
            user=user,
            base=base,
            status_code=400,
            error=exc.message,
            hint=exc.hint,
        )
    return see_other(base + "#verify")


@router.post("/tenants/{subdomain}/handoff")
def handoff_issue(request: Request, subdomain: str, csrf: CsrfField = "") -> Response:
    check_csrf(request, csrf)
    user = require_operator(request)
    tenant = visible_tenant(request, user, subdomain)
    workspace = workspace_of(request)
    with workspace.runtime.store.session() as session:
        fresh = session.get(Tenant, tenant.id)
        assert fresh is not None
        issue_link(session, fresh, created_by=user, now=workspace.now())
    return see_other(f"/tenants/{subdomain}#handoff")


@router.post("/tenants/{subdomain}/handoff/{link_id}/revoke")
def handoff_revoke(
    request: Request, subdomain: str, link_id: str, csrf: CsrfField = ""
) -> Response:
    check_csrf(request, csrf)
    user = require_operator(request)
    tenant = visible_tenant(request, user, subdomain)
    workspace = workspace_of(request)
    with workspace.runtime.store.session() as session:
        if not revoke_link(session, tenant, link_id[:32], workspace.now()):
            raise HTTPException(status_code=404)
    return see_other(f"/tenants/{subdomain}#handoff")
