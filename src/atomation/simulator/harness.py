"""Run a simulated org on loopback: in a background thread for tests, or in front.

The listening socket is bound before the org is generated, so the org's URLs (every
``_links.*.href``) carry the real port. Typical test use::

    with SimulatorServer(users=50, latency=0) as okta:
        jwks_url = okta.host_jwks("tenant", public_jwks)
        ...  # create the service app through the admin API with okta.admin_token
        okta.requests  # what the client sent, to check it
"""

from __future__ import annotations

import secrets
import socket
import threading
import time
from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Literal

import uvicorn

from atomation.simulator.server import (
    FaultConfig,
    JwksCachePolicy,
    RequestRecord,
    ServerState,
    SimulatedClock,
    SimulatorConfig,
    create_app,
)
from atomation.simulator.server.config import (
    DEFAULT_ROLE_ASSIGNMENT_READERS,
    RateLimitTier,
)

__all__ = ["DEFAULT_LATENCY", "OrgFactory", "SimulatorServer", "bind_socket"]

DEFAULT_LATENCY = (0.2, 0.4)  # simulated seconds per metered request (rate-limits 1.7)
START_TIMEOUT_SECONDS = 10.0

OrgFactory = Callable[[str], Any]  # base_url -> Org


def bind_socket(host: str, port: int) -> socket.socket:
    """A listening TCP socket on ``host:port`` (port 0 picks a free one)."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    # Accepted connections inherit this on Linux; without it, a response written as
    # headers then body waits for the client's delayed ACK (about 40 ms).
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    sock.bind((host, port))
    sock.listen(128)
    sock.setblocking(False)
    return sock


def _latency(value: float | tuple[float, float] | None) -> tuple[float, float]:
    if value is None:
        return DEFAULT_LATENCY
    if isinstance(value, tuple):
        return value
    return (value, value)


class SimulatorServer:
    """One simulated Okta org served on ``127.0.0.1`` (see module docstring).

    Attributes: ``base_url`` (``http://127.0.0.1:<port>``, known before the org is
    generated), ``port``, ``admin_token`` (for ``Authorization: SSWS``), ``org`` (the
    served ``Org``), ``clock`` (the one :class:`SimulatedClock`), ``config`` (the
    live :class:`SimulatorConfig`; fields may be changed while serving), ``state``
    (tokens, grants, request log), ``app`` (the ASGI app). ``org_factory`` replaces
    the generator with any callable ``base_url -> Org``; ``clock`` injects a clock
    (the generated org is then anchored at its ``now``).
    """

    def __init__(
        self,
        *,
        users: int = 200,
        seed: int = 1,
        profile: Literal["typical", "hardened"] = "typical",
        classic: bool = False,
        time_scale: float = 1.0,
        rate_limits: RateLimitTier = "workforce",
        latency: float | tuple[float, float] | None = None,
        app_rate_share: float = 0.5,
        concurrency_limit: int = 75,
        jwks_cache: JwksCachePolicy | None = None,
        faults: FaultConfig | None = None,
        clock_skew_seconds: float = 0.0,
        unauthorized_body: Literal["empty", "E0000011"] = "empty",
        role_assignment_readers: frozenset[str] = DEFAULT_ROLE_ASSIGNMENT_READERS,
        limit_out_of_range: Literal["clamp", "error"] = "clamp",
        api_access_management: bool = True,
        admin_token: str | None = None,
        host: str = "127.0.0.1",
        port: int = 0,
        clock: SimulatedClock | None = None,
        org_factory: OrgFactory | None = None,
    ) -> None:
        self.config = SimulatorConfig(
            rate_limits=rate_limits,
            app_rate_share=app_rate_share,
            concurrency_limit=concurrency_limit,
            latency=_latency(latency),
            clock_skew_seconds=clock_skew_seconds,
            jwks_cache=jwks_cache or JwksCachePolicy(),
            unauthorized_body=unauthorized_body,
            role_assignment_readers=role_assignment_readers,
            limit_out_of_range=limit_out_of_range,
            api_access_management=api_access_management,
            faults=faults or FaultConfig(),
        )
        self.admin_token = admin_token or secrets.token_urlsafe(30)
        self._socket = bind_socket(host, port)
        bound_port = self._socket.getsockname()[1]
        self.host = host
        self.port = bound_port
        self.base_url = f"http://{host}:{bound_port}"
        self.org: Any
        try:
            if org_factory is not None:
                self.org = org_factory(self.base_url)
            else:
                # Started before generating, so it runs while the org is built:
                # a clock started afterwards at the org's "now" would lag real
                # time by the generation's length (seconds on a loaded machine),
                # and an assertion issued at the real time would be refused as
                # issued in the future.
                clock = clock or SimulatedClock(time_scale=time_scale)
                self.org = _generate(
                    seed, users, profile, self.base_url, classic, clock
                )
        except BaseException:
            self._socket.close()
            raise
        self.clock = clock or SimulatedClock(
            start=_anchor(self.org), time_scale=time_scale
        )
        self.state = ServerState(
            org=self.org,
            base_url=self.base_url,
            admin_token=self.admin_token,
            config=self.config,
            clock=self.clock,
        )
        self.app = create_app(self.state)
        self._server: uvicorn.Server | None = None
        self._thread: threading.Thread | None = None

    def __repr__(self) -> str:  # never shows the admin token
        return f"SimulatorServer(base_url={self.base_url!r})"

    # -- lifecycle -------------------------------------------------------------

    def uvicorn_server(self) -> uvicorn.Server:
        config = uvicorn.Config(
            self.app,
            log_level="warning",
            access_log=False,
            lifespan="off",
            date_header=False,  # the simulator sends Date in simulated time
            server_header=False,
            timeout_graceful_shutdown=2,
        )
        return uvicorn.Server(config)

    def serve_forever(self) -> None:
        """Serve in the calling thread until interrupted (the CLI's foreground mode)."""
        self._server = self.uvicorn_server()
        try:
            self._server.run(sockets=[self._socket])
        finally:
            self._socket.close()

    def start(self) -> SimulatorServer:
        """Serve in a background thread; returns once the server accepts requests."""
        if self._thread is not None:
            return self
        self._server = self.uvicorn_server()
        server = self._server
        self._thread = threading.Thread(
            target=server.run,
            kwargs={"sockets": [self._socket]},
            name=f"okta-simulator-{self.port}",
            daemon=True,
        )
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError(f"the simulator did not start on {self.base_url}")
            time.sleep(0.01)
        return self

    def stop(self) -> None:
        """Stop serving and release the port; safe to call twice."""
        if self._server is not None:
            self._server.should_exit = True
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
        self._socket.close()

    def __enter__(self) -> SimulatorServer:
        return self.start()

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.stop()

    # -- test helpers ----------------------------------------------------------

    @property
    def requests(self) -> list[RequestRecord]:
        """Every exchange so far, oldest first (method, path, query, status, ...)."""
        return list(self.state.requests)

    @property
    def token_endpoint(self) -> str:
        return self.state.token_endpoint

    def host_jwks(self, name: str, jwks: Mapping[str, Any]) -> str:
        """Publish a JWKS document at a URL on this server and return the URL."""
        self.state.hosted_jwks[name] = dict(jwks)
        return f"{self.base_url}/__simulator/jwks/{name}"

    def advance(self, seconds: float) -> None:
        """Move the simulated clock forward."""
        self.clock.advance(seconds)

    @property
    def misconfigurations(self) -> list[dict[str, Any]]:
        return list(self.org.misconfigurations)


def _generate(
    seed: int,
    users: int,
    profile: Literal["typical", "hardened"],
    base_url: str,
    classic: bool,
    clock: SimulatedClock,
) -> Any:
    from atomation.simulator.generator import generate_org

    # The clock sets the org's "now", so its System Log ends where the clock was.
    return generate_org(
        seed=seed,
        users=users,
        profile=profile,
        base_url=base_url,
        classic=classic,
        now=clock.now(),
    )


def _anchor(org: Any) -> datetime:
    """The org's "now" at generation, so the System Log ends where the clock starts."""
    log = getattr(org, "log", None)
    anchor = getattr(log, "anchor", None)
    return anchor if isinstance(anchor, datetime) else datetime.now(UTC)
