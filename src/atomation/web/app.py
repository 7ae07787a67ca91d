"""The FastAPI app and its one error boundary.

Every :class:`~atomation.errors.AtomationError` that escapes a route becomes a
JSON error with a proper status (503 when the database is unavailable, 500
otherwise) and one log line; the response never carries the error's text, which
may name tenants or settings. Other exceptions get Starlette's plain 500.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

from fastapi import FastAPI, Request
from fastapi.responses import JSONResponse

from atomation.errors import AtomationError, StoreError
from atomation.runtime import Runtime
from atomation.web import jwks

__all__ = ["create_app"]

logger = logging.getLogger(__name__)


def create_app(runtime: Runtime) -> FastAPI:
    """The workspace app; ``runtime`` gives it settings and the store."""

    @asynccontextmanager
    async def lifespan(_app: FastAPI) -> AsyncIterator[None]:
        # Open (and migrate) the database before the first request, so that a
        # bad setting stops the server at start rather than on a request.
        runtime.store  # noqa: B018
        yield

    app = FastAPI(
        title="Atomation",
        lifespan=lifespan,
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
    )
    app.state.runtime = runtime
    app.include_router(jwks.router)
    app.add_exception_handler(AtomationError, _atomation_error)
    return app


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
