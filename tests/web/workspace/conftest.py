"""The workspace on a loopback port, a simulated org to verify against, visitors.

A :class:`Visitor` is one browser: its own cookie jar, reading the CSRF token
from the forms it is served, exactly as a browser submits them. The web app's
job clock is the simulated org's, so client assertions are dated in its time.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx
import pytest

from atomation.accounts.service import create_user
from atomation.jobs.kinds import JobKinds
from atomation.keys.envelope import load_master_key
from atomation.runtime import Runtime
from atomation.settings import Settings, load_settings
from atomation.simulator.harness import SimulatorServer
from atomation.store import Store, open_store
from atomation.store.types import utcnow
from atomation.tenants.service import create_tenant, jwks_url
from atomation.web.background import BackgroundWebApp
from tests.okta.admin import OktaAdmin, clock_of

TIME_SCALE = 20.0  # as in tests/connection: admin set-up calls never wait long
PASSWORD = "correct horse battery staple"
OPERATOR = "ops@atomation.example"
MEMBER_A = "ana@acme.example"
MEMBER_B = "bo@globex.example"
_CSRF = re.compile(r'name="csrf_token" value="([^"]+)"')


@pytest.fixture(scope="module")
def okta() -> Iterator[SimulatorServer]:
    with SimulatorServer(users=60, latency=0, time_scale=TIME_SCALE) as server:
        yield server


@pytest.fixture(scope="module")
def admin(okta: SimulatorServer) -> Iterator[OktaAdmin]:
    admin = OktaAdmin(okta)
    yield admin
    admin.close()


class Visitor:
    """One browser on the workspace."""

    def __init__(self, base_url: str, **kw: Any) -> None:
        self.http = httpx.Client(base_url=base_url, timeout=30.0, **kw)

    def close(self) -> None:
        self.http.close()

    def get(self, path: str, **kw: Any) -> httpx.Response:
        return self.http.get(path, **kw)

    def csrf(self, path: str = "/login") -> str:
        """The CSRF token of the forms on ``path`` (which sets the cookie)."""
        response = self.get(path)
        match = _CSRF.search(response.text)
        assert match is not None, f"no form with a CSRF token on {path}"
        return match.group(1)

    def post(
        self, path: str, data: dict[str, str] | None = None, *, token: str | None
    ) -> httpx.Response:
        form = dict(data or {})
        if token is not None:
            form["csrf_token"] = token
        return self.http.post(path, data=form)

    def login(self, email: str, password: str = PASSWORD) -> httpx.Response:
        return self.post(
            "/login", {"email": email, "password": password}, token=self.csrf()
        )

    def api_token(self) -> str:
        token: str = self.get("/api/me").json()["csrf_token"]
        return token


@dataclass
class Workspace:
    """The web app serving one store, with tenants ``acme`` and ``globex``."""

    okta: SimulatorServer
    admin: OktaAdmin
    settings: Settings
    store: Store
    web: BackgroundWebApp
    visitors: list[Visitor] = field(default_factory=list)

    @property
    def base_url(self) -> str:
        return self.web.base_url

    def visitor(self, **kw: Any) -> Visitor:
        visitor = Visitor(self.base_url, **kw)
        self.visitors.append(visitor)
        return visitor

    def signed_in(self, email: str) -> Visitor:
        visitor = self.visitor()
        assert visitor.login(email).status_code == 303
        return visitor

    def jwks_url(self, subdomain: str) -> str:
        return jwks_url(self.settings, subdomain)

    def stop(self) -> None:
        """Stop the web server (its job runner with it); the store stays open."""
        self.web.__exit__()

    def start(self, kinds: JobKinds | None = None) -> None:
        """A new web server on the same store and port, as after a restart."""
        port = int(self.web.base_url.rsplit(":", 1)[1])
        runtime = Runtime(
            data_dir=self.settings.data_dir, _settings=self.settings, _store=self.store
        )
        self.web = BackgroundWebApp(
            runtime, clock=clock_of(self.okta), port=port, kinds=kinds
        )
        self.web.__enter__()


def add_tenant(store: Store, settings: Settings, subdomain: str, org: str) -> None:
    with store.session() as session:
        create_tenant(
            session,
            load_master_key(settings),
            subdomain=subdomain,
            client_name=subdomain.title(),
            environment="Test",
            okta_org_url=org,
            now=utcnow(),
            allowed_org_urls=[org],
        )


def make_workspace(
    okta: SimulatorServer, admin: OktaAdmin, data_dir: Path, database_url: str
) -> Iterator[Workspace]:
    web = BackgroundWebApp()
    settings = load_settings(
        data_dir=data_dir,
        database_url=database_url,
        public_url=web.base_url,
        allowed_org_urls=[okta.base_url],
    )
    store = open_store(settings)
    web.runtime = Runtime(data_dir=settings.data_dir, _settings=settings, _store=store)
    web.clock = clock_of(okta)
    add_tenant(store, settings, "acme", okta.base_url)
    add_tenant(store, settings, "globex", okta.base_url)
    with store.session() as session:
        now = utcnow()
        create_user(
            session,
            email=OPERATOR,
            role="operator",
            password=PASSWORD,
            tenant=None,
            now=now,
        )
        for email, tenant in ((MEMBER_A, "acme"), (MEMBER_B, "globex")):
            create_user(
                session,
                email=email,
                role="member",
                password=PASSWORD,
                tenant=tenant,
                now=now,
            )
    workspace = Workspace(okta, admin, settings, store, web.__enter__())
    try:
        yield workspace
    finally:
        for visitor in workspace.visitors:
            visitor.close()
        workspace.web.__exit__()
        store.close()


@pytest.fixture
def workspace(
    okta: SimulatorServer, admin: OktaAdmin, data_dir: Path
) -> Iterator[Workspace]:
    """On SQLite; the persistence tests also run on PostgreSQL (``stored``)."""
    yield from make_workspace(okta, admin, data_dir, f"sqlite:///{data_dir / 'w.db'}")


@pytest.fixture
def stored(
    okta: SimulatorServer, admin: OktaAdmin, data_dir: Path, database_url: str
) -> Iterator[Workspace]:
    yield from make_workspace(okta, admin, data_dir, database_url)


def wait_for_job(visitor: Visitor, subdomain: str, job_id: str) -> dict[str, Any]:
    """Poll the job through the API until it ends (at most 60 s)."""
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        job: dict[str, Any] = visitor.get(
            f"/api/tenants/{subdomain}/jobs/{job_id}"
        ).json()
        if job["state"] in ("succeeded", "failed"):
            return job
        time.sleep(0.1)
    raise AssertionError(f"job {job_id} did not end")
