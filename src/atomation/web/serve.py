"""``atomation serve``: the workspace on uvicorn."""

from __future__ import annotations

from typing import Annotated

import typer
import uvicorn

from atomation.runtime import Runtime
from atomation.web.app import create_app

__all__ = ["serve_command"]

DEFAULT_HOST = "127.0.0.1"  # loopback unless asked: a proxy terminates TLS in front
DEFAULT_PORT = 8000  # matches the default ATOMATION_PUBLIC_URL


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = DEFAULT_HOST,
    port: Annotated[
        int, typer.Option(min=1, max=65535, help="Port to listen on.")
    ] = DEFAULT_PORT,
) -> None:
    """Serve the workspace, including each tenant's JWKS URL."""
    runtime: Runtime = ctx.obj
    app = create_app(runtime)
    runtime.settings  # noqa: B018 - a bad setting stops here, before binding
    uvicorn.run(app, host=host, port=port, log_config=None, proxy_headers=True)
