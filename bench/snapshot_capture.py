"""A whole snapshot against Okta's Workforce limits, next to the SDK script a user
would write, for orgs of 1,000 and 10,000 users.

The simulator serves the ``typical`` org with Workforce rate limits, the app's
default 50 % share and Okta-like latency (0.2-0.4 simulated seconds a request),
on a clock TIME_SCALE times faster than real time. Each run happens in a fresh
process (so its peak memory is its own, without the simulator's) and reports:

* wall time, real and as a real org would take it: the reading, which Okta
  paces, in simulated minutes, plus sealing and normalising, our own work, in
  real seconds (scaled, a second of our CPU would pass for ten of Okta's);
* the floor Okta's limits allow (rate-limits.md §1.7): the slowest bucket's
  requests over its per-minute share, ``max_b N_b / (s · L_b)``, with ``N_b`` the
  requests of bucket ``b`` a complete read of this org needs (counted from the
  snapshot's own pages, so every list at its largest page size), ``L_b`` the
  simulator's Workforce limit and ``s`` = 0.5;
* their ratio, the 429s the org answered, and the process's peak RSS, also as
  it stood when reading ended and when the snapshot was sealed (normalising
  follows in the same process).

The floor is a steady-state figure: it counts every request against a full
window, while the first window's budget is there at once, so a small org whose
requests fit in two or three windows can finish a little under it. At a high
time scale the capture needs the machine's CPU as much as the org's quota (ten
simulated requests a second become a hundred real ones, sent and answered by
two processes on the same cores); a lower ``--time-scale`` shows the pacing
alone.

The SDK script (``okta`` 3.4.6, okta-api.md §9) pages through users, groups,
apps and each policy type, then reads each group's members and each user's
factors, one request after another — the straightforward way.

Run: ``.venv/bin/python -m bench.snapshot_capture [USERS ...] [--time-scale X]
[--no-sdk] [--logs all]`` (1,000 and 10,000 users at 10 times real speed by
default: about ten minutes; ``100000 --no-sdk --logs all`` for the capture's
memory at 100,000 users and about a million log events).
"""

from __future__ import annotations

import argparse
import asyncio
import logging
import multiprocessing
import os
import queue
import shutil
import tempfile
import time
from collections import Counter
from dataclasses import dataclass
from pathlib import Path
from typing import Any, get_args

from joserfc.jwk import RSAKey
from tests.okta.admin import OktaAdmin

from atomation.connection.service import save_connection
from atomation.keys.envelope import load_master_key
from atomation.keys.service import tenant_jwks
from atomation.okta import ScaledClock
from atomation.settings import load_settings
from atomation.simulator.harness import SimulatorServer
from atomation.simulator.server.ratelimit import find_bucket
from atomation.snapshot.capture import CaptureOptions, NullProgress, capture_snapshot
from atomation.snapshot.capture.options import LogSelection
from atomation.snapshot.data import POLICY_TYPES
from atomation.snapshot.evidence import EvidenceReader, open_evidence_store
from atomation.store import open_store
from atomation.store.types import utcnow
from atomation.tenants.service import create_tenant, get_tenant
from bench.memory import peak_rss_mb

SIZES = (1000, 10000)
# A simulated minute lasts 6 real seconds. Higher scales would let our own
# per-collection cost (a page and its record written and synced, about 5-10 ms
# real) pass for Okta's time, which no real org would see.
TIME_SCALE = 10.0
LATENCY = 0.3  # mean simulated seconds a request, the simulator's 0.2-0.4
IN_FLIGHT = 8  # the client's cap (okta/ratelimit.py MAX_IN_FLIGHT)
SHARE = 0.5  # the app's share of each bucket (Okta's default, rate-limits.md §1.6)


@dataclass(frozen=True)
class SimTime:
    """The simulator's clock as a child process can rebuild it."""

    sim_epoch: float
    real_epoch: float
    scale: float

    def clock(self) -> ScaledClock:
        now = self.sim_epoch + (time.time() - self.real_epoch) * self.scale
        return ScaledClock(self.scale, origin=now)


class _Phases(NullProgress, logging.Handler):
    """When reading ended and the snapshot was sealed: peak memory and times.

    Reading ends when the capture calls the progress's ``finish``; the seal is
    the writer's "sealed" line. What comes after is normalising. Reading is the
    part Okta paces, so it is timed on the org's clock; sealing and normalising
    are our own work, as long against a real org as here, so they are timed in
    real seconds (on the scaled clock, a second of CPU would count as ten).
    """

    def __init__(self) -> None:
        NullProgress.__init__(self)
        logging.Handler.__init__(self, logging.INFO)
        self.reading_mb = self.sealed_mb = 0.0
        self.reading_ended = 0.0  # perf_counter

    def finish(self) -> None:
        self.reading_ended = time.perf_counter()
        self.reading_mb = peak_rss_mb()

    def emit(self, record: logging.LogRecord) -> None:
        if " sealed: " in record.getMessage():
            self.sealed_mb = peak_rss_mb()


def _run_capture(
    data_dir: str, base_url: str, sim: SimTime, logs: LogSelection, out: Any
) -> None:
    settings = load_settings(data_dir=Path(data_dir), allowed_org_urls=[base_url])
    store = open_store(settings)
    phases = _Phases()
    writer_log = logging.getLogger("atomation.snapshot.evidence.writer")
    writer_log.setLevel(logging.INFO)
    writer_log.addHandler(phases)
    clock = sim.clock()
    started = time.perf_counter()
    snapshot_id = asyncio.run(
        capture_snapshot(
            store,
            settings,
            "acme",
            CaptureOptions(logs=logs),
            clock=clock,
            progress=phases,
        )
    )
    ended = time.perf_counter()
    reading_real = phases.reading_ended - started
    out.put(
        {
            "snapshot_id": snapshot_id,
            "reading": reading_real * sim.scale,
            "local": ended - phases.reading_ended,
            "real": ended - started,
            "peak_mb": peak_rss_mb(),
            "reading_mb": phases.reading_mb,
            "sealed_mb": phases.sealed_mb,
        }
    )


async def _sdk_script(base_url: str, app_id: str, key: dict[str, Any]) -> int:
    from okta.client import Client
    from okta.pagination import paginate_all

    client = Client(
        {
            "orgUrl": base_url,
            "authorizationMode": "PrivateKey",
            "clientId": app_id,
            "scopes": [
                "okta.users.read",
                "okta.groups.read",
                "okta.apps.read",
                "okta.policies.read",
            ],
            "privateKey": key,
            "kid": key["kid"],
        }
    )
    users = [u async for u in paginate_all(client.list_users, limit=200)]
    groups = [g async for g in paginate_all(client.list_groups)]
    apps = [a async for a in paginate_all(client.list_applications, limit=200)]
    for policy_type in POLICY_TYPES:
        await client.list_policies(type=policy_type)
    read = len(users) + len(groups) + len(apps)
    for group in groups:
        members = [
            m async for m in paginate_all(client.list_group_users, group_id=group.id)
        ]
        read += len(members)
    for user in users:
        factors, _, error = await client.list_factors(user.id)
        if error is not None:
            raise RuntimeError(f"list_factors failed: {error}")
        read += len(factors)
    return read


def _run_sdk(
    base_url: str, app_id: str, key: dict[str, Any], sim: SimTime, out: Any
) -> None:
    workdir = tempfile.mkdtemp(prefix="okta-sdk-")
    os.chdir(workdir)
    os.environ["HOME"] = workdir
    os.environ["OKTA_TESTING_TESTINGDISABLEHTTPSCHECK"] = "true"
    clock = sim.clock()
    started, real = clock.now(), time.perf_counter()
    objects = asyncio.run(_sdk_script(base_url, app_id, key))
    out.put(
        {
            "objects": objects,
            "simulated": clock.now() - started,
            "real": time.perf_counter() - real,
            "peak_mb": peak_rss_mb(),
        }
    )


def _in_child(target: Any, *args: Any) -> dict[str, Any]:
    context = multiprocessing.get_context("spawn")
    out = context.Queue()
    child = context.Process(target=target, args=(*args, out))
    child.start()
    while True:
        try:
            result: dict[str, Any] = out.get(timeout=1.0)
            break
        except queue.Empty:
            if not child.is_alive():
                raise RuntimeError(
                    f"{target.__name__} exited with {child.exitcode}"
                ) from None
    child.join()
    return result


def _floor_minutes(by_bucket: Counter[str], longest_chain: int) -> tuple[float, str]:
    """rate-limits.md §1.7: the largest of the quota, chain and concurrency bounds."""
    from atomation.simulator.server.ratelimit import BUCKETS

    limits = {b.name: b.workforce for b in BUCKETS}
    bounds = {
        f"quota of {name}": count / (SHARE * limits[name])
        for name, count in by_bucket.items()
        if name in limits
    }
    bounds["longest page chain"] = longest_chain * LATENCY / 60
    bounds["concurrency"] = sum(by_bucket.values()) * LATENCY / IN_FLIGHT / 60
    binding = max(bounds, key=lambda name: bounds[name])
    return bounds[binding], binding


def bench(
    users: int, scale: float, logs: LogSelection, *, sdk_script: bool = True
) -> None:
    data_dir = Path(tempfile.mkdtemp(prefix="atomation-bench-"))
    try:
        _bench(users, scale, logs, data_dir, sdk_script=sdk_script)
    finally:
        shutil.rmtree(data_dir, ignore_errors=True)  # gigabytes at 100,000 users


def _bench(
    users: int, scale: float, logs: LogSelection, data_dir: Path, *, sdk_script: bool
) -> None:
    with SimulatorServer(users=users, time_scale=scale) as server:
        settings = load_settings(data_dir=data_dir, allowed_org_urls=[server.base_url])
        store = open_store(settings)
        with store.session() as session:
            tenant = create_tenant(
                session,
                load_master_key(settings),
                subdomain="acme",
                client_name="Acme",
                environment="Bench",
                okta_org_url=server.base_url,
                now=utcnow(),
                allowed_org_urls=[server.base_url],
            )
            jwks = tenant_jwks(session, tenant, now=utcnow())
        admin = OktaAdmin(server)
        client_id = admin.ready_app(server.host_jwks("acme", jwks))
        sdk_key = RSAKey.generate_key(
            2048, parameters={"kid": "sdk-1", "use": "sig", "alg": "RS256"}
        )
        sdk_app = admin.ready_app(
            server.host_jwks("sdk", {"keys": [sdk_key.as_dict(private=False)]})
        )
        admin.close()
        with store.session() as session:
            save_connection(
                session,
                get_tenant(session, "acme"),
                client_id=client_id,
                dpop_mode="auto",
                now=utcnow(),
            )
        # Let the setup calls' rate-limit windows pass before measuring.
        server.advance(120)
        counts = server.org.counts()
        print(
            f"\n{users} users: {counts['groups']} groups, {counts['apps']} apps, "
            f"{counts['policies']} policies, {counts['log_events']} log events (90 d)"
        )

        sim = SimTime(server.clock.timestamp(), time.time(), scale)
        before = len(server.requests)
        ours = _in_child(_run_capture, str(data_dir), server.base_url, sim, logs)
        sent = server.requests[before:]
        ours_429 = sum(r.status == 429 for r in sent)

        reader = EvidenceReader(store, open_evidence_store(settings))
        by_bucket: Counter[str] = Counter()
        verdicts: Counter[str] = Counter()
        pages = longest = log_events = 0
        for collection in reader.collections(ours["snapshot_id"]):
            verdicts[str(collection.completeness)] += 1
            if collection.name.startswith("logs:"):
                log_events += collection.objects or 0
            chain = reader.pages(ours["snapshot_id"], collection.name)
            longest = max(longest, len(chain))
            for page in chain:
                bucket = find_bucket("GET", page.request.split("?", 1)[0])
                by_bucket[bucket.name if bucket else "unmetered"] += 1
                pages += 1
        floor, slowest = _floor_minutes(by_bucket, longest)
        store.close()

        sdk: dict[str, Any] | None = None
        if sdk_script:
            server.advance(120)
            sim = SimTime(server.clock.timestamp(), time.time(), scale)
            before = len(server.requests)
            sdk = _in_child(
                _run_sdk, server.base_url, sdk_app, sdk_key.as_dict(private=True), sim
            )
            sdk_429 = sum(r.status == 429 for r in server.requests[before:])

    # What a real org would take: Okta's paced reading, then our own work.
    ours_min = (ours["reading"] + ours["local"]) / 60
    print(f"  capture: {pages} pages, {log_events} log events, {dict(verdicts)}")
    print(f"  requests by bucket: {dict(sorted(by_bucket.items()))}")
    print(f"  floor: {floor:.1f} simulated min ({slowest})")
    print(
        f"  atomation capture: {ours_min:.1f} min (reading {ours['reading'] / 60:.1f} "
        f"simulated min, sealing and normalising {ours['local']:.0f} s; "
        f"{ours['real']:.0f} s real), {ours_min / floor:.2f} x floor, {ours_429} 429s, "
        f"peak RSS {ours['peak_mb']:.0f} MB (reading {ours['reading_mb']:.0f}, "
        f"to the seal {ours['sealed_mb']:.0f}, then normalising)"
    )
    if sdk is None:
        return
    sdk_min = sdk["simulated"] / 60
    print(
        f"  okta SDK script:   {sdk_min:.1f} simulated min ({sdk['real']:.0f} s "
        f"real), {sdk_min / floor:.2f} x floor, {sdk_429} 429s, "
        f"peak RSS {sdk['peak_mb']:.0f} MB, {sdk['objects']} objects"
    )
    print(f"  SDK script / capture: {sdk_min / ours_min:.1f} x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("users", type=int, nargs="*", default=list(SIZES))
    parser.add_argument(
        "--time-scale",
        type=float,
        default=TIME_SCALE,
        help="how much faster than real time the org's clock runs (1 = real time)",
    )
    parser.add_argument(
        "--no-sdk",
        action="store_true",
        help="capture only, without the SDK script (for 100,000 users, whose "
        "script would take hours)",
    )
    parser.add_argument(
        "--logs",
        choices=get_args(LogSelection),
        default="security",
        help="the System Log events the capture reads (all: every one of the "
        "window's events, for the memory of a million)",
    )
    arguments = parser.parse_args()
    print(
        f"Workforce limits, app share {SHARE:.0%}, latency 0.2-0.4 s, "
        f"time scale {arguments.time_scale:g}, logs {arguments.logs}"
    )
    for users in arguments.users:
        bench(
            users, arguments.time_scale, arguments.logs, sdk_script=not arguments.no_sdk
        )


if __name__ == "__main__":
    main()
