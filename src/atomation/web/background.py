"""The web app on a loopback port in a background thread, for the demo and tests.

The demo needs Atomation's JWKS URL reachable by the simulated org while the same
process drives the rest of the path; tests need the same. ``atomation serve`` is
the foreground entrance for real deployments.
"""

from __future__ import annotations

import socket
import threading
import time
from typing import Self

import uvicorn

from atomation.errors import AtomationError
from atomation.jobs.kinds import JobKinds
from atomation.okta import SYSTEM_CLOCK, Clock
from atomation.runtime import Runtime
from atomation.web.app import create_app

__all__ = ["BackgroundWebApp"]

START_TIMEOUT = 10.0


class BackgroundWebApp:
    """Serves ``create_app(runtime)`` on ``127.0.0.1`` and a free port.

    Use as a context manager; ``base_url`` is known as soon as it is built, so
    settings that name it (``ATOMATION_PUBLIC_URL``) can be made before it starts.
    ``clock`` is the time its jobs use: a simulated org's clock when the org runs
    faster than real time. ``port`` 0 picks a free one; a restart on the same
    store passes the old one, so URLs handed out before stay valid. ``kinds``
    replaces the registered job kinds (:func:`atomation.web.app.default_job_kinds`).
    """

    def __init__(
        self,
        runtime: Runtime | None = None,
        *,
        clock: Clock = SYSTEM_CLOCK,
        port: int = 0,
        kinds: JobKinds | None = None,
    ) -> None:
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # Accepted connections inherit this on Linux; without it each response
        # (headers, then body) waits about 40 ms for the client's delayed ACK.
        self._socket.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self._socket.bind(("127.0.0.1", port))
        self._socket.listen(128)
        self.base_url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        self.runtime = runtime
        self.clock = clock
        self.kinds = kinds
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def __enter__(self) -> Self:
        if self.runtime is None:
            raise ValueError("give the runtime before starting the web app")
        config = uvicorn.Config(
            create_app(self.runtime, clock=self.clock, kinds=self.kinds),
            log_level="warning",
            access_log=False,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run,
            kwargs={"sockets": [self._socket]},
            name="atomation-web",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT
        while not self._server.started:
            if time.monotonic() > deadline or not self._thread.is_alive():
                self.__exit__()
                raise AtomationError(
                    f"the web app did not start on {self.base_url}",
                    hint="run again with --debug to see why.",
                )
            time.sleep(0.01)
        return self

    def __exit__(self, *exc: object) -> None:
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=START_TIMEOUT)
        self._socket.close()

    def jwks_url(self, subdomain: str) -> str:
        """The path-routed tenant JWKS URL on this server."""
        return f"{self.base_url}/t/{subdomain}/.well-known/okta-jwks.json"
