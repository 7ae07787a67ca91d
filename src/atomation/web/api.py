"""The JSON API under ``/api``, described at ``/api/openapi.json``.

The same session cookie as the pages; every request that changes something
carries the CSRF token (from ``GET /api/me``) in ``X-CSRF-Token``. A request
without a session gets 401; a tenant the caller may not see gets 404, exactly
like one that does not exist. Input errors are 400 (409 for a conflict) with
``{"error", "message", "hint"}``, the message naming the value at fault.
"""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import Depends, FastAPI, Header, HTTPException, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field
from sqlalchemy import select
from starlette.exceptions import HTTPException as StarletteHTTPException

from atomation.accounts.models import User
from atomation.errors import AtomationError
from atomation.store import Job
from atomation.web.access import (
    NotSignedIn,
    require_operator,
    require_user,
    visible_tenant,
    visible_tenants,
)
from atomation.web.actions import (
    CONFLICT_ERRORS,
    INPUT_ERRORS,
    add_tenant,
    read_guide,
    save_client_id,
    start_verify,
)
from atomation.web.guide import job_dict
from atomation.web.history import history_of, start_snapshot
from atomation.web.security import CSRF_HEADER, csrf_ok, csrf_token
from atomation.web.workspace import workspace_of

__all__ = ["create_api"]


class TenantIn(BaseModel):
    subdomain: str = Field(description="One lower-case DNS label, e.g. acme.")
    client_name: str
    environment: str
    okta_org_url: str = Field(description="https://<org>.okta.com or similar.")


class ConnectionIn(BaseModel):
    client_id: str = Field(description="The API Services app's Client ID (0oa…).")
    dpop_mode: str = Field("auto", description="auto, on or off.")


class SnapshotIn(BaseModel):
    resume: bool = Field(
        False, description="Go on with the snapshot a capture left unfinished."
    )


class TenantSummary(BaseModel):
    subdomain: str
    client_name: str
    environment: str
    okta_org_url: str


class Me(BaseModel):
    email: str
    role: str
    csrf_token: str


def _csrf(
    request: Request,
    token: Annotated[str | None, Header(alias=CSRF_HEADER)] = None,
) -> None:
    if not csrf_ok(request, token):
        raise HTTPException(status_code=403, detail="csrf")


UserDep = Annotated[User, Depends(require_user)]
OperatorDep = Annotated[User, Depends(require_operator)]
Csrf = Depends(_csrf)


def create_api() -> FastAPI:
    api = FastAPI(
        title="Atomation workspace API",
        version="1",
        docs_url=None,
        redoc_url=None,
        openapi_url="/openapi.json",
    )

    @api.get("/me", response_model=Me)
    def me(request: Request, user: UserDep) -> Me:
        return Me(email=user.email, role=user.role, csrf_token=csrf_token(request))

    @api.get("/tenants", response_model=list[TenantSummary])
    def tenants(request: Request, user: UserDep) -> list[TenantSummary]:
        return [
            TenantSummary(
                subdomain=t.subdomain,
                client_name=t.client_name,
                environment=t.environment,
                okta_org_url=t.okta_org_url,
            )
            for t in visible_tenants(request, user)
        ]

    @api.post("/tenants", status_code=201, dependencies=[Csrf])
    def create(request: Request, user: OperatorDep, body: TenantIn) -> dict[str, Any]:
        subdomain = add_tenant(
            workspace_of(request),
            subdomain=body.subdomain,
            client_name=body.client_name,
            environment=body.environment,
            okta_org_url=body.okta_org_url,
        )
        tenant = visible_tenant(request, user, subdomain)
        return read_guide(workspace_of(request), tenant).as_dict()

    @api.get("/tenants/{subdomain}")
    def tenant(request: Request, user: UserDep, subdomain: str) -> dict[str, Any]:
        """Setup values, the ten scopes, the connection and the last verification."""
        found = visible_tenant(request, user, subdomain)
        return read_guide(workspace_of(request), found).as_dict()

    @api.put("/tenants/{subdomain}/connection", dependencies=[Csrf])
    def connection(
        request: Request, user: UserDep, subdomain: str, body: ConnectionIn
    ) -> dict[str, Any]:
        found = visible_tenant(request, user, subdomain)
        save_client_id(workspace_of(request), found, body.client_id, body.dpop_mode)
        return read_guide(workspace_of(request), found).as_dict()

    @api.post("/tenants/{subdomain}/verify", status_code=202, dependencies=[Csrf])
    def verify(request: Request, user: UserDep, subdomain: str) -> dict[str, Any]:
        """Queue Verify Connection; poll the job for its four items."""
        found = visible_tenant(request, user, subdomain)
        return job_dict(start_verify(workspace_of(request), found))

    @api.get("/tenants/{subdomain}/snapshots")
    def snapshots(request: Request, user: UserDep, subdomain: str) -> dict[str, Any]:
        """Snapshots with completeness, assessment runs, the latest capture and
        assessment jobs. Reports: ``/tenants/<sub>/reports/<snapshot>/<file>``."""
        found = visible_tenant(request, user, subdomain)
        return history_of(workspace_of(request), found).as_dict()

    @api.post("/tenants/{subdomain}/snapshots", status_code=202, dependencies=[Csrf])
    def snapshot(
        request: Request,
        user: UserDep,
        subdomain: str,
        body: SnapshotIn | None = None,
    ) -> dict[str, Any]:
        """Queue a capture; its assessment follows once it is sealed."""
        found = visible_tenant(request, user, subdomain)
        resume = body.resume if body is not None else False
        return job_dict(start_snapshot(workspace_of(request), found, resume=resume))

    @api.get("/tenants/{subdomain}/jobs/{job_id}")
    def job(
        request: Request, user: UserDep, subdomain: str, job_id: str
    ) -> dict[str, Any]:
        found = visible_tenant(request, user, subdomain)
        with workspace_of(request).runtime.store.session() as session:
            row = session.scalars(
                select(Job).where(Job.id == job_id[:32], Job.tenant_id == found.id)
            ).first()
            if row is None:
                raise HTTPException(status_code=404)
            return job_dict(row)

    api.add_exception_handler(NotSignedIn, _not_signed_in)
    api.add_exception_handler(StarletteHTTPException, _http_error)
    for error in INPUT_ERRORS:
        api.add_exception_handler(error, _input_error)
    return api


async def _not_signed_in(_request: Request, _exc: Exception) -> JSONResponse:
    return JSONResponse({"error": "not_signed_in"}, status_code=401)


async def _http_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, StarletteHTTPException)
    code = {403: "forbidden", 404: "not_found"}.get(exc.status_code, "error")
    return JSONResponse({"error": code}, status_code=exc.status_code)


async def _input_error(_request: Request, exc: Exception) -> JSONResponse:
    assert isinstance(exc, AtomationError)
    conflict = isinstance(exc, CONFLICT_ERRORS)
    return JSONResponse(
        {
            "error": "conflict" if conflict else "invalid_input",
            "message": exc.message,
            "hint": exc.hint,
        },
        status_code=409 if conflict else 400,
    )
