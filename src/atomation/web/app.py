"""The FastAPI app and its one error boundary.

Every :class:`~atomation.errors.AtomationError` that escapes a route becomes a
JSON error with a proper status (503 when the database is unavailable, 500
otherwise) and one log line; the response never carries the error's text, which
may name tenants or settings. Other exceptions get Starlette's plain 500. Input
errors a user can fix are caught nearer, by the pages and the API, and shown
with their hint.

The app serves the tenant JWKS URLs (:mod:`atomation.web.jwks`), the workspace
pages (:mod:`atomation.web.pages`; snapshots and reports in
:mod:`atomation.web.reports`), the handoff link
(:mod:`atomation.web.handoff`) and the JSON API under ``/api``
(:mod:`atomation.web.api`); its lifespan runs the in-process job runner.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from atomation.errors import AtomationError, StoreError
from atomation.jobs import snapshot, verify
from atomation.jobs.kinds import JobKinds
from atomation.jobs.runner import JobRunner
from atomation.okta import SYSTEM_CLOCK, Clock
from atomation.runtime import Runtime
from atomation.web import handoff, jwks, pages, reports
from atomation.web.access import NotSignedIn
from atomation.web.api import create_api
from atomation.web.security import SecurityMiddleware
from atomation.web.workspace import Workspace, render

__all__ = ["create_app", "default_job_kinds"]

logger = logging.getLogger(__name__)

STATIC = Path(__file__).parent / "static"
# Paths answered with HTML pages; anything else (the JWKS routes, unknown
# paths) keeps the short JSON 404 that reveals nothing.
_PAGE_PREFIXES = ("/tenants", "/h/", "/login", "/logout")


def default_job_kinds() -> JobKinds:
    """Verify, snapshot and assess; the first successful verification of a
    tenant queues its first snapshot, and each sealed snapshot its assessment."""
    kinds = JobKinds()
    verify.register(kinds)
    snapshot.register(kinds)
    return kinds


def create_app(
    runtime: Runtime, *, clock: Clock = SYSTEM_CLOCK, kinds: JobKinds | None = None
) -> FastAPI:
    """The workspace app; ``runtime`` gives it settings and the store, ``clock``
    the time its jobs use toward Okta (a simulated org's clock in tests)."""
    job_kinds = kinds if kinds is not None else default_job_kinds()

    @asynccontextmanager
    async def lifespan(app: FastAPI) -> AsyncIterator[None]:
        # Open (and migrate) the database before the first request, so that a
        # bad setting stops the server at start rather than on a request.
        runtime.store  # noqa: B018
        workspace: Workspace = app.state.workspace
        runner = JobRunner(runtime.store, runtime.settings, job_kinds, clock)
        runner.start()
        workspace.runner = runner
        try:
            yield
        finally:
            workspace.runner = None
            runner.stop()

    app = FastAPI(
        title="Atomation",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    workspace = Workspace(runtime=runtime, kinds=job_kinds, clock=clock)
    api = create_api()
    for part in (app, api):  # a mounted app sees its own state
        part.state.runtime = runtime
        part.state.workspace = workspace
    app.add_middleware(SecurityMiddleware)
    app.include_router(jwks.router)
    app.include_router(pages.router)
    app.include_router(reports.router)
    app.include_router(handoff.router)
    app.mount("/api", api)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.add_exception_handler(AtomationError, _atomation_error)
    app.add_exception_handler(NotSignedIn, _sign_in_first)
    app.add_exception_handler(StarletteHTTPException, _http_error)
    return app


async def _sign_in_first(_request: Request, _exc: Exception) -> Response:
    return RedirectResponse("/login", status_code=303)


async def _http_error(request: Request, exc: Exception) -> Response:
    assert isinstance(exc, StarletteHTTPException)
    if request.url.path == "/" or request.url.path.startswith(_PAGE_PREFIXES):
        title = "Not found" if exc.status_code == 404 else "Refused"
        return render(request, "error.html", status_code=exc.status_code, title=title)
    return JSONResponse(
        {"error": "not_found" if exc.status_code == 404 else "error"},
        status_code=exc.status_code,
        headers={"Cache-Control": "no-store"},
    )


async def _atomation_error(request: Request, exc: Exception) -> JSONResponse:
    unavailable = isinstance(exc, StoreError)
    logger.error(
        "%s %s failed: %s",
        request.method,
        request.url.path,
        exc.message if isinstance(exc, AtomationError) else type(exc).__name__,
    )
    return JSONResponse(
        {"error": "unavailable" if unavailable else "internal_error"},
        status_code=503 if unavailable else 500,
    )
