"""The client against a simulated org: tokens, DPoP, reads, paging, refusals."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Awaitable, Callable
from typing import TypeVar

import httpx
import pytest

from atomation.okta import (
    OKTA_READ_SCOPES,
    AccessToken,
    ClassicEngine,
    DPoPNotSupported,
    DPoPRequired,
    InvalidClient,
    NotAnOktaOrg,
    OffOrgLink,
    OktaClient,
    OrgUnreachable,
    OrgUrl,
    Page,
    WriteRefused,
)
from atomation.okta.clock import ScaledClock
from atomation.okta.token import DPoPMode
from atomation.simulator.harness import SimulatorServer
from tests.okta.admin import OktaAdmin, clock_of
from tests.okta.signing import RsaTestSigner

T = TypeVar("T")


def run(factory: Callable[[], Awaitable[T]]) -> T:
    async def main() -> T:
        return await factory()

    return asyncio.run(main())


def client_for(
    okta: SimulatorServer,
    client_id: str,
    signer: RsaTestSigner,
    *,
    dpop: DPoPMode = "auto",
    **options: object,
) -> OktaClient:
    return OktaClient(
        OrgUrl(okta.base_url, allowed=[okta.base_url]),
        client_id,
        signer,
        dpop=dpop,
        clock=clock_of(okta),
        **options,  # type: ignore[arg-type]
    )


def ready(
    okta: SimulatorServer, admin: OktaAdmin, signer: RsaTestSigner, **kw: object
) -> str:
    jwks_uri = okta.host_jwks(f"t-{signer.kid}-{id(signer)}", signer.jwks())
    return admin.ready_app(jwks_uri, **kw)  # type: ignore[arg-type]


def test_bearer_token_covers_the_ten_scopes_and_reads_a_page(
    okta: SimulatorServer, admin: OktaAdmin, signer: RsaTestSigner
) -> None:
    client_id = ready(okta, admin, signer)

    async def go() -> tuple[AccessToken, Page]:
        async with client_for(okta, client_id, signer) as client:
            await client.organization()
            token = await client.access_token()
            page = await client.get("/api/v1/users", {"limit": 1})
            return token, page

    token, page = run(go)
    assert token.scopes == OKTA_READ_SCOPES
    assert token.token_type == "Bearer"
    assert page.url == "/api/v1/users?limit=1"
    assert page.status == 200
    assert len(page.items()) == 1
    assert set(page.rate_limit) == {
        "x-rate-limit-limit",
        "x-rate-limit-remaining",
        "x-rate-limit-reset",
    }
    assert page.next_url is not None
    assert page.next_url.startswith(okta.base_url)


def test_page_body_is_kept_byte_for_byte(
    okta: SimulatorServer, admin: OktaAdmin, signer: RsaTestSigner
) -> None:
    client_id = ready(okta, admin, signer)

    async def go() -> tuple[bytes, bytes]:
        async with client_for(okta, client_id, signer) as client:
            page = await client.get("/api/v1/zones")
            token = await client.access_token()
        async with httpx.AsyncClient() as raw:
            response = await raw.get(
                okta.base_url + "/api/v1/zones",
                headers={"Authorization": f"Bearer {token.reveal()}"},
            )
        return page.body, response.content

    ours, theirs = run(go)
    assert ours == theirs


def test_paging_follows_next_links_over_every_user(
    okta: SimulatorServer, admin: OktaAdmin, signer: RsaTestSigner
) -> None:
    client_id = ready(okta, admin, signer)

    async def go() -> list[list[str]]:
        async with client_for(okta, client_id, signer) as client:
            return [
                [user["id"] for user in page.items()]
                async for page in client.pages("/api/v1/users", {"limit": 7})
            ]

    pages = run(go)
    ids = [user_id for page in pages for user_id in page]
    listed = [u["id"] for u in okta.org.users if u["status"] != "DEPROVISIONED"]
    assert len(pages) >= len(listed) // 7
    assert ids == listed  # every user once, in Okta's order


def test_dpop_app_gets_a_bound_token_and_reads_with_proofs(
    okta: SimulatorServer, admin: OktaAdmin, signer: RsaTestSigner
) -> None:
    client_id = ready(okta, admin, signer, dpop=True)

    async def go() -> tuple[str, int, bool | None]:
        async with client_for(okta, client_id, signer, dpop="on") as client:
            token = await client.access_token()
            page = await client.get("/api/v1/groups", {"limit": 2})
            return token.token_type, page.status, client.dpop_required

    assert run(go) == ("DPoP", 200, True)


def test_auto_mode_switches_to_dpop_when_the_app_requires_it(
    okta: SimulatorServer, admin: OktaAdmin, signer: RsaTestSigner
) -> None:
    client_id = ready(okta, admin, signer, dpop=True)

    async def go() -> tuple[bool, bool | None]:
        async with client_for(okta, client_id, signer, dpop="auto") as client:
            token = await client.access_token()
            await client.get("/api/v1/apps", {"limit": 1})
            return token.is_dpop, client.dpop_required

    assert run(go) == (True, True)


def test_dpop_off_against_a_dpop_app_is_refused_as_dpop_required(
    okta: SimulatorServer, admin: OktaAdmin, signer: RsaTestSigner
) -> None:
    client_id = ready(okta, admin, signer, dpop=True)

    async def go() -> None:
        async with client_for(okta, client_id, signer, dpop="off") as client:
            await client.access_token()

    with pytest.raises(DPoPRequired) as caught:
        run(go)
    assert "--dpop auto" in caught.value.fix


def test_dpop_on_against_a_bearer_app_is_refused_as_not_supported(
    okta: SimulatorServer, admin: OktaAdmin, signer: RsaTestSigner
) -> None:
    client_id = ready(okta, admin, signer, dpop=False)

    async def go() -> None:
        async with client_for(okta, client_id, signer, dpop="on") as client:
            await client.access_token()

    with pytest.raises(DPoPNotSupported) as caught:
        run(go)
    assert "Require Demonstrating Proof of Possession" in caught.value.fix


def test_unknown_client_id_is_invalid_client(
    okta: SimulatorServer, signer: RsaTestSigner
) -> None:
    async def go() -> None:
        async with client_for(okta, "0oaNoSuchClient00000", signer) as client:
            await client.access_token()

    with pytest.raises(InvalidClient) as caught:
        run(go)
    assert caught.value.code == "invalid_client"
    assert "Client ID" in caught.value.fix


def test_classic_engine_org_is_refused() -> None:
    signer = RsaTestSigner()
    with SimulatorServer(users=100, latency=0, classic=True) as classic:

        async def go() -> None:
            async with client_for(classic, "0oa", signer) as client:
                await client.organization()

        with pytest.raises(ClassicEngine) as caught:
            run(go)
    assert "Classic Engine" in caught.value.message


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_nothing_listening_is_org_unreachable() -> None:
    url = f"http://127.0.0.1:{_closed_port()}"

    async def go() -> None:
        client = OktaClient(OrgUrl(url, allowed=[url]), "0oa", RsaTestSigner())
        async with client:
            await client.organization()

    with pytest.raises(OrgUnreachable):
        run(go)


def test_a_server_without_org_metadata_is_not_an_okta_org(
    okta: SimulatorServer,
) -> None:
    # The simulator's hosted-JWKS route answers JSON, but not org metadata, on a
    # path prefix that is not Okta's; an org URL with a base path is refused by the
    # URL rules, so point the client at a plain HTTP server instead.
    async def go() -> None:
        from starlette.applications import Starlette
        from starlette.responses import PlainTextResponse
        from starlette.routing import Route

        async def page(_: object) -> PlainTextResponse:
            return PlainTextResponse("<html>welcome</html>")

        app = Starlette(routes=[Route("/{path:path}", page)])
        transport = httpx.ASGITransport(app=app)
        url = "http://127.0.0.1:9"
        client = OktaClient(
            OrgUrl(url, allowed=[url]), "0oa", RsaTestSigner(), transport=transport
        )
        async with client:
            await client.organization()

    with pytest.raises(NotAnOktaOrg):
        run(go)


def test_org_url_outside_okta_domains_cannot_become_a_client() -> None:
    from atomation.tenants.org_url import InvalidOrgUrl

    with pytest.raises(InvalidOrgUrl):
        OrgUrl("https://okta.com.evil.example")
    with pytest.raises(TypeError):
        OktaClient("https://acme.okta.com", "0oa", RsaTestSigner())  # type: ignore[arg-type]


def test_guard_refuses_writes_before_they_leave_the_process(
    okta: SimulatorServer, admin: OktaAdmin, signer: RsaTestSigner
) -> None:
    client_id = ready(okta, admin, signer)
    before = len(okta.requests)

    async def go() -> list[str]:
        refused = []
        async with client_for(okta, client_id, signer) as client:
            http = client._http  # the client's own HTTP stack, guard included
            attempts = [
                ("POST", "/api/v1/users"),
                ("PUT", "/api/v1/apps/" + client_id),
                ("DELETE", "/api/v1/groups/00g1"),
                ("PATCH", "/api/v1/users/00u1"),
                ("POST", "/oauth2/v1/token/extra"),
                ("POST", "/oauth2/v1/revoke"),
            ]
            for method, path in attempts:
                with pytest.raises(WriteRefused):
                    await http.request(method, okta.base_url + path)
                refused.append(method)
        return refused

    assert len(run(go)) == 6
    assert okta.requests[before:] == []


def test_a_link_off_the_org_origin_is_refused(
    okta: SimulatorServer, admin: OktaAdmin, signer: RsaTestSigner
) -> None:
    client_id = ready(okta, admin, signer)

    async def go() -> None:
        async with client_for(okta, client_id, signer) as client:
            await client.get("http://127.0.0.2:1/api/v1/users?after=x")

    with pytest.raises(OffOrgLink):
        run(go)


def test_iam_wrapper_lists_page_through_links_in_the_body(
    okta: SimulatorServer, admin: OktaAdmin, signer: RsaTestSigner
) -> None:
    client_id = ready(okta, admin, signer)

    async def go() -> tuple[list[str], list[str]]:
        async with client_for(okta, client_id, signer) as client:
            urls, ids = [], []
            async for page in client.pages("/api/v1/iam/assignees/users", {"limit": 5}):
                urls.append(page.url)
                ids += [entry["id"] for entry in page.items()]
            return urls, ids

    urls, ids = run(go)
    assert sorted(ids) == sorted(okta.org.role_assignee_user_ids)
    assert len(ids) > 5
    assert len(urls) == -(-len(ids) // 5)  # pages of five, the last one partial


class ShiftedClock:
    """Another clock moved by ``offset`` seconds."""

    def __init__(self, base: ScaledClock) -> None:
        self.base = base
        self.offset = 0.0

    def now(self) -> float:
        return self.base.now() + self.offset

    async def sleep(self, seconds: float) -> None:
        await self.base.sleep(seconds)


def test_a_401_on_a_read_renews_the_token_once_and_retries() -> None:
    signer = RsaTestSigner()
    # Okta's assertion clock tolerance is unconfirmed; the simulator allows 60 s.
    with SimulatorServer(users=100, latency=0, clock_skew_seconds=60) as server:
        admin = OktaAdmin(server)
        client_id = admin.ready_app(server.host_jwks("t", signer.jwks()))
        admin.close()
        clock = ShiftedClock(clock_of(server))

        async def go() -> int:
            url = OrgUrl(server.base_url, allowed=[server.base_url])
            async with OktaClient(url, client_id, signer, clock=clock) as client:
                await client.get("/api/v1/zones")
                # Okta's clock passes the token's hour; ours still trusts it for a
                # moment, but is close enough for a new assertion to be accepted.
                server.advance(3610)
                clock.offset = 3260
                before = len(server.requests)
                page = await client.get("/api/v1/zones")
                sent = [
                    (r.method, r.path, r.status)
                    for r in server.requests[before:]
                    if not r.path.startswith("/__simulator/")  # its JWKS fetches
                ]
                # The retry itself may not be logged yet when we look.
                assert sent[:2] == [
                    ("GET", "/api/v1/zones", 401),
                    ("POST", "/oauth2/v1/token", 200),
                ]
                return page.status

        assert run(go) == 200
