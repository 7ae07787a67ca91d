"""A verification as a whole: what it sends, what it keeps, how it fails early."""

from __future__ import annotations

import asyncio
import json
import logging
import socket
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import parse_qs

import httpx
import pytest
from sqlalchemy import select

from atomation.cli import run
from atomation.connection.items import ROLE_SUFFICIENT, SCOPES_USABLE, TOKEN_ACQUIRED
from atomation.keys import signer_for
from atomation.okta import OktaClient, OrgUrl
from atomation.settings import load_settings
from atomation.simulator.harness import SimulatorServer
from atomation.store import Connection, Verification
from atomation.tenants.service import get_tenant
from tests.connection.conftest import Tenancy, make_tenancy
from tests.connection.test_verify import statuses
from tests.okta.admin import OktaAdmin, clock_of


class RecordingTransport(httpx.AsyncHTTPTransport):
    """The real network transport, noting every credential it carries out."""

    def __init__(self) -> None:
        super().__init__()
        self.secrets: set[str] = set()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        for name in ("authorization", "dpop"):
            if name in request.headers:
                value = request.headers[name]
                self.secrets.update({value, value.split(" ", 1)[-1]})
        if request.method == "POST":
            form = parse_qs(request.content.decode())
            self.secrets.update(form.get("client_assertion", []))
        response = await super().handle_async_request(request)
        if request.url.path == "/oauth2/v1/token":
            await response.aread()
            token = json.loads(response.content).get("access_token")
            if token:
                self.secrets.add(token)
        return response


def test_a_full_verify_sends_only_gets_and_token_posts(tenancy: Tenancy) -> None:
    tenancy.connect(tenancy.ready_app(dpop=True))
    before = len(tenancy.okta.requests)
    result = tenancy.verify()
    sent = tenancy.okta.requests[before:]

    assert result.passed
    assert {(r.method, r.path) for r in sent if r.method != "GET"} == {
        ("POST", "/oauth2/v1/token")
    }
    assert sum(r.method == "GET" for r in sent) >= 11  # metadata + ten probes + roles


def test_no_secret_reaches_logs_results_or_the_store(
    tenancy: Tenancy, caplog: pytest.LogCaptureFixture
) -> None:
    tenancy.connect(tenancy.ready_app(dpop=True))
    transport = RecordingTransport()
    with caplog.at_level(logging.DEBUG):
        result = tenancy.verify(transport=transport)
        tenancy.connect("0oaWrongClientId0000")  # and a failing run
        failed = tenancy.verify(transport=transport)

    assert result.passed
    assert not failed.passed
    with tenancy.store.session() as session:
        stored = json.dumps([v.items for v in session.scalars(select(Verification))])
    shown = caplog.text + json.dumps([result.as_dict(), failed.as_dict()]) + stored
    # Each kind was sent: assertions, DPoP proofs, a token and its header.
    assert len(transport.secrets) > 10
    leaked = [secret for secret in transport.secrets if secret in shown]
    assert leaked == []


def test_a_non_okta_org_url_is_refused_before_any_request(tenancy: Tenancy) -> None:
    tenancy.connect("0oaAnyClientId000000")
    strict = load_settings(
        data_dir=tenancy.settings.data_dir,
        database_url=tenancy.settings.database_url.get_secret_value(),  # type: ignore[union-attr]
    )
    before = len(tenancy.okta.requests)
    result = tenancy.verify(settings=strict)

    assert tenancy.okta.requests[before:] == []
    assert statuses(result) == ("fail", "fail", "fail", "fail")
    token = result.item(TOKEN_ACQUIRED)
    assert "accepted forms: https://<org>.okta.com" in token.cause
    assert "without a path" in token.fix


@pytest.fixture
def classic(data_dir: Path) -> Iterator[Tenancy]:
    with SimulatorServer(users=100, latency=0, classic=True) as server:
        admin = OktaAdmin(server)
        yield from make_tenancy(server, admin, data_dir, f"sqlite:///{data_dir}/c.db")
        admin.close()


def test_classic_engine_org_is_refused_with_a_message_saying_so(
    classic: Tenancy,
) -> None:
    classic.connect(classic.ready_app())
    result = classic.verify()

    assert statuses(result) == ("fail", "fail", "fail", "fail")
    assert "Classic Engine" in result.item(TOKEN_ACQUIRED).cause
    assert "Identity Engine" in result.item(TOKEN_ACQUIRED).fix


@pytest.fixture
def strict_roles(data_dir: Path) -> Iterator[Tenancy]:
    # An org where only Super Administrators may view admin role assignments.
    with SimulatorServer(
        users=100,
        latency=0,
        time_scale=20,
        role_assignment_readers=frozenset({"SUPER_ADMIN"}),
    ) as server:
        admin = OktaAdmin(server)
        yield from make_tenancy(server, admin, data_dir, f"sqlite:///{data_dir}/r.db")
        admin.close()


def test_own_roles_read_refused_is_a_warning_not_a_failure(
    strict_roles: Tenancy,
) -> None:
    strict_roles.connect(strict_roles.ready_app())
    result = strict_roles.verify()

    assert statuses(result) == ("pass", "pass", "warn", "pass")
    assert result.passed
    assert "own admin roles" in result.item(ROLE_SUFFICIENT).cause


@pytest.fixture
def enterprise(data_dir: Path) -> Iterator[Tenancy]:
    # Enterprise limits (apps* 100/min, 50 for the app); a minute lasts 12 s.
    with SimulatorServer(
        users=100, latency=0, time_scale=5, rate_limits="enterprise"
    ) as server:
        admin = OktaAdmin(server)
        yield from make_tenancy(server, admin, data_dir, f"sqlite:///{data_dir}/e.db")
        admin.close()


def test_rate_limited_during_verification_is_named(enterprise: Tenancy) -> None:
    client_id = enterprise.ready_app()
    enterprise.connect(client_id)
    with enterprise.store.session() as session:
        tenant = get_tenant(session, enterprise.subdomain)
    signer = signer_for(enterprise.store, enterprise.settings, tenant)

    async def spend_the_apps_window() -> None:
        # Another integration using the same app uses up its share first.
        url = OrgUrl(enterprise.okta.base_url, allowed=[enterprise.okta.base_url])
        async with OktaClient(
            url, client_id, signer, clock=clock_of(enterprise.okta)
        ) as c:
            token = (await c.access_token()).reveal()
        async with httpx.AsyncClient(base_url=enterprise.okta.base_url) as raw:
            await asyncio.gather(
                *(
                    raw.get(
                        "/api/v1/apps?limit=1",
                        headers={"Authorization": f"Bearer {token}"},
                    )
                    for _ in range(60)
                )
            )

    asyncio.run(spend_the_apps_window())
    result = enterprise.verify()

    assert statuses(result) == ("pass", "fail", "fail", "fail")
    scopes = result.item(SCOPES_USABLE)
    assert "429" in scopes.cause
    assert "rate limit share" in scopes.fix


def test_runs_are_stored_on_both_databases(stored: Tenancy) -> None:
    stored.connect(stored.ready_app(), dpop="auto")
    result = stored.verify()

    with stored.store.session() as session:
        connection = session.scalars(select(Connection)).one()
        run_row = session.scalars(select(Verification)).one()
        assert connection.verified_at == result.verified_at
        assert connection.dpop_mode == "auto"
        assert run_row.passed is True
        assert run_row.items == result.as_dict()
        assert [item["name"] for item in run_row.items["items"]] == [
            "Token acquired",
            "Scopes usable",
            "Role sufficient",
            "Verified timestamp",
        ]


@pytest.fixture
def realtime(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Tenancy]:
    # The CLI runs on the machine's clock, so the org runs in real time here.
    with SimulatorServer(users=100, latency=0) as server:
        admin = OktaAdmin(server)
        monkeypatch.setenv("ATOMATION_DATA_DIR", str(data_dir))
        monkeypatch.setenv("ATOMATION_ALLOWED_ORG_URLS", server.base_url)
        url = load_settings(data_dir=data_dir).sqlalchemy_url
        yield from make_tenancy(server, admin, data_dir, url)
        admin.close()


def test_cli_connect_and_verify_print_items_and_exit_by_failures(
    realtime: Tenancy, capsys: pytest.CaptureFixture[str]
) -> None:
    client_id = realtime.ready_app(role="SUPER_ADMIN")

    assert run(["connect", "acme", "--client-id", client_id, "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert [item["status"] for item in printed["items"]] == [
        "pass",
        "pass",
        "warn",
        "pass",
    ]
    assert set(printed["items"][0]) == {"name", "status", "cause", "fix"}
    assert printed["verified_at"] is not None

    assert run(["verify", "acme"]) == 0
    table = capsys.readouterr().out
    assert "Token acquired" in table
    assert "Verified timestamp" in table

    assert run(["connect", "acme", "--client-id", "0oaWrongClientId0000"]) == 1
    assert "invalid_client" in capsys.readouterr().out


def test_cli_refuses_a_bad_client_id_and_dpop_mode(
    realtime: Tenancy, capsys: pytest.CaptureFixture[str]
) -> None:
    assert run(["connect", "acme", "--client-id", "not an id"]) == 1
    assert "is not an Okta Client ID" in capsys.readouterr().err
    assert run(["connect", "acme", "--client-id", "0oa1", "--dpop", "maybe"]) == 1
    assert "is not a DPoP mode" in capsys.readouterr().err
    assert run(["verify", "nobody"]) == 1
    assert "no tenant" in capsys.readouterr().err


def test_an_unreachable_org_is_named_with_its_fix(
    tenancy: Tenancy, data_dir: Path
) -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        gone = f"http://127.0.0.1:{sock.getsockname()[1]}"
    settings = load_settings(
        data_dir=data_dir,
        database_url=tenancy.settings.sqlalchemy_url,
        allowed_org_urls=[gone],
    )
    with tenancy.store.session() as session:
        tenant = get_tenant(session, tenancy.subdomain)
        tenant.okta_org_url = gone
    tenancy.connect("0oaAnyClientId000000")
    result = tenancy.verify(settings=settings)

    assert statuses(result) == ("fail", "fail", "fail", "fail")
    token = result.item(TOKEN_ACQUIRED)
    assert f"no answer from {gone}" in token.cause
    assert "reach" in token.fix
