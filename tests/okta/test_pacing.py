"""Rate limits, 5xx and dropped connections, against simulated orgs on a fast clock.

Each org runs with a time scale, so a simulated minute (one rate-limit window)
lasts a second or two; the client's clock runs at the same pace.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterator

import httpx
import pytest

from atomation.okta import OktaClient, OrgUrl, ServerError
from atomation.simulator.harness import SimulatorServer
from atomation.simulator.server import FaultConfig
from tests.okta.admin import OktaAdmin, clock_of
from tests.okta.signing import RsaTestSigner

SCALE = 60.0


def _org(scale: float = SCALE, **options: object) -> SimulatorServer:
    return SimulatorServer(users=100, latency=0, time_scale=scale, **options)  # type: ignore[arg-type]


def _client(server: SimulatorServer, **options: object) -> tuple[OktaClient, str]:
    signer = RsaTestSigner()
    admin = OktaAdmin(server)
    try:
        client_id = admin.ready_app(server.host_jwks("t", signer.jwks()))
    finally:
        admin.close()
    client = OktaClient(
        OrgUrl(server.base_url, allowed=[server.base_url]),
        client_id,
        signer,
        clock=clock_of(server),
        **options,  # type: ignore[arg-type]
    )
    return client, client_id


@pytest.fixture
def enterprise() -> Iterator[SimulatorServer]:
    # Enterprise limits: the System Log bucket is 50/min, 25 for the app's share.
    # A window lasts four real seconds, long enough to spend it from the test.
    with _org(scale=15.0, rate_limits="enterprise") as server:
        yield server


def test_a_429_waits_for_the_window_to_reset_then_succeeds(
    enterprise: SimulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    client, _ = _client(enterprise)

    async def go() -> int:
        async with client:
            token = await client.access_token()
            # Another integration of the same app spends the window first.
            async with httpx.AsyncClient(base_url=enterprise.base_url) as other:
                for _ in range(40):
                    spent = await other.get(
                        "/api/v1/logs?limit=1",
                        headers={"Authorization": f"Bearer {token.reveal()}"},
                    )
                    if spent.status_code == 429:
                        break
                assert spent.status_code == 429
            before = len(enterprise.requests)
            with caplog.at_level(logging.WARNING, logger="atomation.okta"):
                page = await client.get("/api/v1/logs", {"limit": 1})
            # The server logs an exchange once its response is sent, so the
            # last one may not be listed yet; the first is the refusal.
            assert enterprise.requests[before].status == 429
            return page.status

    assert asyncio.run(go()) == 200
    assert "rate-limit wait" in caplog.text


def test_pacing_keeps_within_the_apps_share_without_a_429(
    enterprise: SimulatorServer, caplog: pytest.LogCaptureFixture
) -> None:
    client, client_id = _client(enterprise, target_share=0.5)

    async def go() -> int:
        async with client:
            with caplog.at_level(logging.WARNING, logger="atomation.okta"):
                for _ in range(30):
                    await client.get("/api/v1/logs", {"limit": 1})
            return client.pacer.waits

    before = len(enterprise.requests)
    waits = asyncio.run(go())
    mine = [r for r in enterprise.requests[before:] if r.client_id == client_id]
    assert len(mine) >= 30
    assert all(r.status != 429 for r in mine)
    assert waits >= 1
    assert "rate-limit wait" in caplog.text


def test_a_500_on_a_large_page_retries_with_half_the_limit_from_the_same_cursor() -> (
    None
):
    with _org(faults=FaultConfig(error_above_limit=25)) as server:
        client, _ = _client(server)

        async def go() -> tuple[list[str], list[str]]:
            async with client:
                urls, ids = [], []
                async for page in client.pages("/api/v1/users", {"limit": 100}):
                    urls.append(page.url)
                    ids += [user["id"] for user in page.items()]
                return urls, ids

        urls, ids = asyncio.run(go())
        listed = [u["id"] for u in server.org.users if u["status"] != "DEPROVISIONED"]
    assert ids == listed
    assert all("limit=25" in url for url in urls)
    assert any("after=" in url for url in urls[1:])


def test_dropped_connections_are_retried_and_nothing_is_lost(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with _org() as server:
        client, _ = _client(server)
        server.config.faults = FaultConfig(drop_rate=0.3, seed=7)  # after setup

        async def go() -> list[str]:
            async with client:
                with caplog.at_level(logging.WARNING, logger="atomation.okta"):
                    return [
                        user["id"]
                        async for page in client.pages("/api/v1/users", {"limit": 10})
                        for user in page.items()
                    ]

        ids = asyncio.run(go())
        listed = [u["id"] for u in server.org.users if u["status"] != "DEPROVISIONED"]
    assert ids == listed
    assert "retrying" in caplog.text


def test_persistent_5xx_ends_as_server_error_after_the_retry_budget() -> None:
    with _org() as server:
        client, _ = _client(server, retry_budget=20.0)
        server.config.faults = FaultConfig(error_rate=1.0)  # after setup

        async def go() -> None:
            async with client:
                await client.get("/api/v1/zones")

        with pytest.raises(ServerError) as caught:
            asyncio.run(go())
    assert caught.value.status == 500


def test_concurrency_429s_shrink_the_requests_in_flight_and_all_reads_finish() -> None:
    # Two in flight for the org, one for the app's share; each read takes a while.
    with _org(concurrency_limit=2) as server:
        server.config.latency = (3.0, 3.0)
        client, client_id = _client(server)

        async def go() -> list[int]:
            async with client:
                await client.access_token()
                pages = await asyncio.gather(
                    *(client.get("/api/v1/groups", {"limit": 1}) for _ in range(6))
                )
                return [page.status for page in pages]

        statuses = asyncio.run(go())
        refused = [
            r for r in server.requests if r.status == 429 and r.client_id == client_id
        ]
    assert statuses == [200] * 6
    assert refused
    assert client.pacer.gate.cap < 8
