"""The handoff link's routes: one tenant's guide, its Client ID form and Verify.

These three routes are everything a link opens; a link that is malformed,
forged, expired or revoked gets the same 404 page, and no route here reads a
session, so a signed-in browser gains nothing by following a link.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Form, HTTPException, Request
from fastapi.responses import Response

from atomation.accounts.handoff import open_link
from atomation.store import Tenant
from atomation.web.actions import INPUT_ERRORS, save_client_id, start_verify
from atomation.web.pages import CsrfField, check_csrf, guide_page, see_other
from atomation.web.security import signer_of
from atomation.web.workspace import workspace_of

__all__ = ["router"]

router = APIRouter(include_in_schema=False)


def _tenant_of(request: Request, token: str) -> Tenant:
    workspace = workspace_of(request)
    with workspace.runtime.store.session() as session:
        opened = open_link(session, signer_of(request), token, workspace.now())
    if opened is None:
        raise HTTPException(status_code=404)
    return opened[1]


@router.get("/h/{token}")
def handoff_page(request: Request, token: str) -> Response:
    tenant = _tenant_of(request, token)
    return guide_page(request, tenant, user=None, base=f"/h/{token}")


@router.post("/h/{token}/connection")
def handoff_connection(
    request: Request,
    token: str,
    csrf: CsrfField = "",
    client_id: Annotated[str, Form()] = "",
    dpop_mode: Annotated[str, Form()] = "auto",
) -> Response:
    check_csrf(request, csrf)
    tenant = _tenant_of(request, token)
    base = f"/h/{token}"
    try:
        save_client_id(workspace_of(request), tenant, client_id, dpop_mode)
    except INPUT_ERRORS as exc:
        return guide_page(
            request,
            tenant,
            user=None,
            base=base,
            status_code=400,
            error=exc.message,
            hint=exc.hint,
        )
    return see_other(base + "#verify")


@router.post("/h/{token}/verify")
def handoff_verify(request: Request, token: str, csrf: CsrfField = "") -> Response:
    check_csrf(request, csrf)
    tenant = _tenant_of(request, token)
    base = f"/h/{token}"
    try:
        start_verify(workspace_of(request), tenant)
    except INPUT_ERRORS as exc:
        return guide_page(
            request,
            tenant,
            user=None,
            base=base,
            status_code=400,
            error=exc.message,
            hint=exc.hint,
        )
    return see_other(base + "#verify")
