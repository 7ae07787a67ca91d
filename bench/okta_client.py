"""The Okta client's pace against a simulated org: reads, rate-limit waits, 429s.

Reads every user (``limit=200``), every group's members and every user's
factors (one request per user, the catch-all bucket) of a USERS-user org under
Workforce limits at the app's default 50 % share, on an org whose minute
lasts 60/TIME_SCALE real seconds with Okta-like latency (0.2-0.4 simulated
seconds per request). Prints requests, 429s the org answered, the client's
waits, and the time taken in simulated minutes (what a real org would take) and
in real seconds. A second figure: one Verify Connection in real time.

Run: ``.venv/bin/python -m bench.okta_client``.
"""

from __future__ import annotations

import asyncio
import tempfile
import time
from pathlib import Path

from tests.connection.conftest import make_tenancy
from tests.okta.admin import OktaAdmin, clock_of
from tests.okta.signing import RsaTestSigner

from atomation.okta import OktaClient, OrgUrl
from atomation.simulator.harness import SimulatorServer

USERS = 2000
TIME_SCALE = 5.0  # low enough that our own CPU time stays small in simulated time


async def _read_org(
    server: SimulatorServer, client_id: str, signer: RsaTestSigner
) -> int:
    url = OrgUrl(server.base_url, allowed=[server.base_url])
    pages = 0
    async with OktaClient(url, client_id, signer, clock=clock_of(server)) as client:
        group_ids: list[str] = []
        async for page in client.pages("/api/v1/groups", {"limit": 200}):
            pages += 1
            group_ids += [group["id"] for group in page.items()]

        async def members(group_id: str) -> int:
            count = 0
            async for _ in client.pages(
                f"/api/v1/groups/{group_id}/users", {"limit": 200}
            ):
                count += 1
            return count

        user_ids = [
            user["id"]
            async for page in client.pages("/api/v1/users", {"limit": 200})
            for user in page.items()
        ]

        async def factors(user_id: str) -> int:
            await client.get(f"/api/v1/users/{user_id}/factors")
            return 1

        counts = await asyncio.gather(
            *(members(g) for g in group_ids), *(factors(u) for u in user_ids)
        )
        pages += -(-len(user_ids) // 200)
        print(f"  in-flight cap at the end: {client.pacer.gate.cap}")
        print(f"  client rate-limit waits:  {client.pacer.waits}")
        return pages + sum(counts)


def paced_read() -> None:
    signer = RsaTestSigner()
    with SimulatorServer(users=USERS, time_scale=TIME_SCALE) as server:
        admin = OktaAdmin(server)
        client_id = admin.ready_app(server.host_jwks("bench", signer.jwks()))
        admin.close()
        before = len(server.requests)
        started_sim, started = server.clock.timestamp(), time.perf_counter()
        pages = asyncio.run(_read_org(server, client_id, signer))
        real = time.perf_counter() - started
        simulated = server.clock.timestamp() - started_sim
        sent = [r for r in server.requests[before:] if r.client_id == client_id]
    refused = sum(r.status == 429 for r in sent)
    print(f"paced read of a {USERS}-user org (Workforce limits, 50 % share)")
    print(f"  pages read:               {pages}")
    print(f"  requests sent:            {len(sent)}")
    print(f"  429s answered by the org: {refused}")
    print(f"  simulated time:           {simulated / 60:.1f} min")
    print(f"  real time:                {real:.1f} s at time scale {TIME_SCALE:g}")


def verify_once() -> None:
    with SimulatorServer(users=100) as server, tempfile.TemporaryDirectory() as tmp:
        admin = OktaAdmin(server)
        data = Path(tmp)
        for tenancy in make_tenancy(server, admin, data, f"sqlite:///{data}/b.db"):
            tenancy.connect(tenancy.ready_app(dpop=True))
            started = time.perf_counter()
            result = tenancy.verify()
            elapsed = time.perf_counter() - started
            sent = len(server.requests)
        admin.close()
    print("one Verify Connection, DPoP app, real time, 0.2-0.4 s latency per request")
    print(f"  passed: {result.passed}; took {elapsed:.2f} s; org saw {sent} requests")


if __name__ == "__main__":
    paced_read()
    verify_once()
