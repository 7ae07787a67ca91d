"""Time and peak memory to assess a large snapshot: 100,000 users, ~1M log events.

The snapshot is a real normalised store on SQLite. By default it is built the
way ``bench/snapshot_normalise.py`` builds one: the simulator's generated org
written as evidence pages (the JSON the server would answer, every user's
factors included) and normalised by ``normalise_snapshot`` in a child process.
``--capture`` instead captures the org over loopback HTTP with
``capture_snapshot`` (slower; factors of privileged users by default, as a
capture would read them). Either way the assessment then runs in a child
process, so that its peak RSS is its own, reading the normalised tables only;
storing the run is timed separately.

    .venv/bin/python -m bench.assessment [--users 100000]
    .venv/bin/python -m bench.assessment --capture [--factors all|privileged]
    .venv/bin/python -m bench.assessment --assess DATA_DIR SNAPSHOT_ID

Targets (issue 7): under 60 s and under 1.5 GB for 100,000 users and a million
log events. Building the snapshot takes minutes and is not timed.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Literal

from tests.okta.admin import OktaAdmin, clock_of
from tests.okta.signing import RsaTestSigner

from atomation.assessment.engine import assess
from atomation.assessment.storage import save_result
from atomation.connection.service import save_connection
from atomation.keys.envelope import load_master_key
from atomation.settings import load_settings
from atomation.simulator.harness import SimulatorServer
from atomation.snapshot.capture import CaptureOptions, capture_snapshot
from atomation.snapshot.normalise import open_snapshot_data
from atomation.store import open_store
from atomation.store.types import utcnow
from atomation.tenants.service import create_tenant, get_tenant
from bench.memory import peak_rss_mb
from bench.snapshot_normalise import normalise_in_child, write_evidence

# Rate limits are off; a fast simulated clock keeps header-based pacing short.
TIME_SCALE = 60.0


def build_from_model(data_dir: Path, users: int) -> str:
    """Write the generated org as evidence and normalise it; the snapshot id."""
    started = time.monotonic()
    snapshot_id, made = write_evidence(data_dir, users)
    figures = normalise_in_child(data_dir, snapshot_id)
    print(
        f"snapshot {snapshot_id}: {made['pages']:,} pages written and "
        f"{figures['rows']:,} rows normalised in {time.monotonic() - started:.0f} s"
    )
    return snapshot_id


def build(data_dir: Path, users: int, factors: Literal["all", "privileged"]) -> str:
    """Capture a typical simulated org of ``users`` users; return the snapshot id."""
    started = time.monotonic()
    with SimulatorServer(
        users=users, latency=0, time_scale=TIME_SCALE, rate_limits="off"
    ) as okta:
        settings = load_settings(data_dir=data_dir, allowed_org_urls=[okta.base_url])
        store = open_store(settings)
        with store.session() as session:
            create_tenant(
                session,
                load_master_key(settings),
                subdomain="bench",
                client_name="Bench",
                environment="Bench",
                okta_org_url=okta.base_url,
                now=utcnow(),
                allowed_org_urls=[okta.base_url],
            )
        signer = RsaTestSigner()
        admin = OktaAdmin(okta)
        client_id = admin.ready_app(okta.host_jwks("bench", signer.jwks()))
        admin.close()
        with store.session() as session:
            save_connection(
                session,
                get_tenant(session, "bench"),
                client_id=client_id,
                dpop_mode="auto",
                now=utcnow(),
            )
        snapshot_id = asyncio.run(
            capture_snapshot(
                store,
                settings,
                "bench",
                CaptureOptions(window_days=90, logs="all", factors=factors),
                clock=clock_of(okta),
                signer=signer,
            )
        )
        store.close()
    print(f"snapshot {snapshot_id} captured in {time.monotonic() - started:.0f} s")
    return snapshot_id


def assess_only(data_dir: Path, snapshot_id: str) -> None:
    """The timed part: open the normalised snapshot and run every check."""
    settings = load_settings(data_dir=data_dir)
    store = open_store(settings)
    started = time.monotonic()
    data = open_snapshot_data(store, snapshot_id)
    result = assess(data)
    seconds = time.monotonic() - started
    peak_mb = peak_rss_mb()
    stored = time.monotonic()
    save_result(store, result)
    store_seconds = time.monotonic() - stored
    findings = sum(len(r.findings) for r in result.results)
    print(
        json.dumps(
            {
                "users": data.count("user"),
                "log_events": data.count("log_event"),
                "seconds": round(seconds, 1),
                "store_seconds": round(store_seconds, 1),
                "peak_rss_mb": round(peak_mb),
                "checks": result.summary(),
                "findings": findings,
            }
        )
    )
    store.close()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=100_000)
    parser.add_argument(
        "--capture", action="store_true", help="build by an HTTP capture instead"
    )
    parser.add_argument(
        "--factors", choices=("all", "privileged"), default="privileged"
    )
    parser.add_argument("--assess", nargs=2, metavar=("DATA_DIR", "SNAPSHOT_ID"))
    parser.add_argument("--keep", action="store_true", help="keep the data directory")
    args = parser.parse_args()
    if args.assess:
        assess_only(Path(args.assess[0]), args.assess[1])
        return
    top = Path(tempfile.mkdtemp(prefix="atomation-bench-assess-"))
    data_dir = top / "data"
    if args.capture:
        snapshot_id = build(data_dir, args.users, args.factors)
    else:
        snapshot_id = build_from_model(data_dir, args.users)
    child = subprocess.run(
        [
            sys.executable,
            "-m",
            "bench.assessment",
            "--assess",
            str(data_dir),
            snapshot_id,
        ],
        check=True,
        capture_output=True,
        text=True,
    )
    figures = json.loads(child.stdout.strip().splitlines()[-1])
    print(
        f"assessed {figures['users']:,} users and {figures['log_events']:,} log "
        f"events in {figures['seconds']} s (storing the run: "
        f"{figures['store_seconds']} s), peak RSS {figures['peak_rss_mb']} MB "
        f"(targets: 60 s, 1,536 MB); {figures['findings']:,} findings; "
        f"checks {figures['checks']}"
    )
    if args.keep:
        print(f"data directory kept: {data_dir}")
    else:
        shutil.rmtree(top, ignore_errors=True)


if __name__ == "__main__":
    main()
