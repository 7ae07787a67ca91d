"""``atomation serve``: the workspace on uvicorn.

Ctrl-C stops the server gracefully and then exits 130 through the CLI's error
boundary (uvicorn alone would return normally, and the command would exit 0).
SIGTERM stops it gracefully too, and the process then ends by that signal.
"""

from __future__ import annotations

import signal
from types import FrameType
from typing import Annotated

import typer
import uvicorn

from atomation.errors import AtomationError
from atomation.runtime import Runtime
from atomation.web.app import create_app

__all__ = ["ServeError", "serve_command"]

DEFAULT_HOST = "127.0.0.1"  # loopback unless asked: a proxy terminates TLS in front
DEFAULT_PORT = 8000  # matches the default ATOMATION_PUBLIC_URL


class ServeError(AtomationError):
    """The web server could not start."""


class _Server(uvicorn.Server):
    """Remembers which signal stopped it."""

    stop_signal: int | None = None

    def handle_exit(self, sig: int, frame: FrameType | None) -> None:
        self.stop_signal = sig
        super().handle_exit(sig, frame)


def serve_command(
    ctx: typer.Context,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = DEFAULT_HOST,
    port: Annotated[
        int, typer.Option(min=1, max=65535, help="Port to listen on.")
    ] = DEFAULT_PORT,
) -> None:
    """Serve the workspace, including each tenant's JWKS URL."""
    runtime: Runtime = ctx.obj
    # A bad setting or an unreachable database stops here, through the CLI's
    # error boundary, before the port is bound.
    runtime.store  # noqa: B018
    config = uvicorn.Config(
        create_app(runtime), host=host, port=port, log_config=None, proxy_headers=True
    )
    server = _Server(config)
    try:
        server.run()
    except SystemExit:
        # uvicorn exits the process when it cannot bind or start; report it once,
        # through the CLI's error boundary, like any other error.
        server.started = False
    if not server.started:
        raise ServeError(
            f"the web server could not start on {host}:{port}",
            hint="See the log line above; if the port is in use, choose another "
            "with --port.",
        )
    if server.stop_signal == signal.SIGINT:
        raise KeyboardInterrupt
