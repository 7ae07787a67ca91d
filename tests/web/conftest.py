"""The workspace app served by uvicorn on a free loopback port, for one test."""

from __future__ import annotations

import socket
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Literal

import pytest
import uvicorn

from atomation.runtime import Runtime
from atomation.settings import Settings, load_settings
from atomation.store import Store
from atomation.web.app import create_app

Lifespan = Literal["auto", "on", "off"]
PUBLIC_DOMAIN = "assess.example.com"
START_TIMEOUT_SECONDS = 10.0


class LiveApp:
    """A running web app: its base URL, and the store and settings behind it."""

    def __init__(
        self, settings_for: Callable[[str], Settings], *, lifespan: Lifespan = "auto"
    ) -> None:
        """``settings_for`` gets the app's base URL (its port is known only now)."""
        self._socket = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        self._socket.bind(("127.0.0.1", 0))
        self._socket.listen(64)
        self.base_url = f"http://127.0.0.1:{self._socket.getsockname()[1]}"
        settings = settings_for(self.base_url)
        runtime = Runtime(data_dir=settings.data_dir, _settings=settings)
        self.runtime = runtime
        config = uvicorn.Config(
            create_app(runtime),
            log_level="warning",
            timeout_graceful_shutdown=2,
            lifespan=lifespan,
        )
        self._server = uvicorn.Server(config)
        self._thread = threading.Thread(
            target=self._server.run, kwargs={"sockets": [self._socket]}, daemon=True
        )

    @property
    def settings(self) -> Settings:
        return self.runtime.settings

    @property
    def store(self) -> Store:
        return self.runtime.store

    def start(self) -> None:
        self._thread.start()
        deadline = time.monotonic() + START_TIMEOUT_SECONDS
        while not self._server.started:
            if not self._thread.is_alive() or time.monotonic() > deadline:
                raise RuntimeError("the web app did not start")
            time.sleep(0.01)

    def stop(self) -> None:
        self._server.should_exit = True
        self._thread.join(timeout=10)
        self._socket.close()
        self.runtime.close()


def _serve(
    settings_for: Callable[[str], Settings], *, lifespan: Lifespan = "auto"
) -> Iterator[LiveApp]:
    app = LiveApp(settings_for, lifespan=lifespan)
    app.start()
    try:
        yield app
    finally:
        app.stop()


@pytest.fixture
def live_app(database_url: str, data_dir: Path) -> Iterator[LiveApp]:
    """The app on SQLite and on PostgreSQL, host routing on ``PUBLIC_DOMAIN``."""
    yield from _serve(
        lambda _base_url: load_settings(
            data_dir=data_dir, database_url=database_url, public_domain=PUBLIC_DOMAIN
        )
    )


@pytest.fixture
def path_routed_app(data_dir: Path) -> Iterator[LiveApp]:
    """The app on SQLite with path-routed JWKS URLs under its own base URL."""
    yield from _serve(
        lambda base_url: load_settings(data_dir=data_dir, public_url=base_url)
    )


@pytest.fixture
def app_without_database(data_dir: Path) -> Iterator[LiveApp]:
    """The app pointed at a PostgreSQL port where nothing listens.

    The start-up check is off (it would stop the server), so the first request
    meets the unreachable database.
    """
    closed = socket.socket()
    closed.bind(("127.0.0.1", 0))
    port = closed.getsockname()[1]
    closed.close()
    url = f"postgresql+psycopg://atomation:secret-password@127.0.0.1:{port}/none"
    yield from _serve(
        lambda _base: load_settings(data_dir=data_dir, database_url=url),
        lifespan="off",
    )
