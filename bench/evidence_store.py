"""Evidence store costs: adding pages (store + record), sealing, verifying, exporting.

Pages are Okta-like user lists (200 users per page, about 80 KB of JSON). Prints
throughput, the compression ratio and the time to seal, verify and export a
snapshot of PAGES pages on SQLite in a temporary directory. The generated users
repeat a few values, so real pages compress less than the ratio shown here.

Run: ``.venv/bin/python -m bench.evidence_store``.
"""

from __future__ import annotations

import json
import random
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from atomation.keys.envelope import load_master_key
from atomation.settings import load_settings
from atomation.snapshot.evidence import (
    EvidenceReader,
    EvidenceWriter,
    export_bundle,
    load_signer,
    open_evidence_store,
    verify_snapshot,
)
from atomation.store import Tenant, open_store

PAGES = 500
USERS_PER_PAGE = 200


def _page(number: int, rng: random.Random) -> bytes:
    users = [
        {
            "id": f"00u{number:05d}{index:03d}",
            "status": rng.choice(["ACTIVE", "ACTIVE", "SUSPENDED", "DEPROVISIONED"]),
            "created": "2024-03-01T10:00:00.000Z",
            "lastLogin": f"2026-11-{rng.randint(1, 30):02d}T08:00:00.000Z",
            "profile": {
                "login": f"user{number}.{index}@acme.example",
                "email": f"user{number}.{index}@acme.example",
                "firstName": rng.choice(["Ada", "Grace", "Alan", "Edsger"]),
                "lastName": rng.choice(["Lovelace", "Hopper", "Turing", "Dijkstra"]),
                "department": rng.choice(["Finance", "Sales", "Engineering"]),
            },
            "credentials": {"provider": {"type": "OKTA", "name": "OKTA"}},
            "_links": {
                "self": {"href": f"https://acme.okta.com/api/v1/users/00u{index}"}
            },
        }
        for index in range(USERS_PER_PAGE)
    ]
    return json.dumps(users).encode()


def main() -> None:
    rng = random.Random(7)
    bodies = [_page(number, rng) for number in range(PAGES)]
    raw_bytes = sum(len(body) for body in bodies)
    with tempfile.TemporaryDirectory() as temporary:
        data_dir = Path(temporary)
        settings = load_settings(data_dir=data_dir)
        store = open_store(settings)
        evidence = open_evidence_store(settings)
        writer = EvidenceWriter(
            store, evidence, load_signer(store, load_master_key(settings))
        )
        with store.session() as session:
            tenant = Tenant(
                subdomain="acme",
                client_name="Acme",
                environment="Bench",
                okta_org_url="https://acme.okta.com",
            )
            session.add(tenant)
            session.flush()
            tenant_id = tenant.id

        snapshot_id = writer.begin_snapshot(tenant_id, {})
        users = writer.open_collection(snapshot_id, "users")
        now = datetime.now(UTC)
        start = time.perf_counter()
        for number, body in enumerate(bodies):
            users.add_page(f"/api/v1/users?after={number}", now, 200, {}, body)
        added = time.perf_counter() - start
        users.complete(objects=PAGES * USERS_PER_PAGE)

        start = time.perf_counter()
        sealed = writer.finalise(snapshot_id)
        sealing = time.perf_counter() - start

        start = time.perf_counter()
        report = verify_snapshot(store, evidence, snapshot_id)
        verifying = time.perf_counter() - start
        assert report.ok

        start = time.perf_counter()
        reader = EvidenceReader(store, evidence)
        read_bytes = sum(len(body) for _, body in reader.bodies(snapshot_id, "users"))
        reading = time.perf_counter() - start
        assert read_bytes == raw_bytes

        start = time.perf_counter()
        summary = export_bundle(store, evidence, snapshot_id, data_dir / "bundle.zip")
        exporting = time.perf_counter() - start

        stored_bytes = sum(
            path.stat().st_size
            for path in settings.evidence_dir.rglob("*.gz")
            if path.name != f"{sealed.root_hash}.gz"
        )
        store.close()

    mb = raw_bytes / 1e6
    print(
        f"pages                {PAGES} x ~{raw_bytes // PAGES // 1000} KB = {mb:.1f} MB"
    )
    print(
        f"add_page             {PAGES / added:8.1f} pages/s  {mb / added:6.1f} MB/s"
        f"  ({added / PAGES * 1000:.2f} ms/page: gzip, fsync, link, SQLite commit)"
    )
    print(
        f"compression          {raw_bytes / stored_bytes:8.1f} x"
        f"  ({stored_bytes / 1e6:.1f} MB on disk)"
    )
    print(f"finalise             {sealing * 1000:8.1f} ms")
    print(
        f"verify               {verifying * 1000:8.1f} ms  ({mb / verifying:.1f} MB/s)"
    )
    print(f"read back (reader)   {reading * 1000:8.1f} ms  ({mb / reading:.1f} MB/s)")
    print(
        f"export               {exporting * 1000:8.1f} ms  "
        f"(zip {summary.path.name}, {summary.objects} pages)"
    )


if __name__ == "__main__":
    main()
