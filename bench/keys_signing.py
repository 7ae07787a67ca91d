"""Tenant key costs: creating a tenant (RSA-2048 generation), one signature
(load the key row, unseal, sign), and a JWKS fetch from the running web app.

Run: ``.venv/bin/python -m bench.keys_signing`` (SQLite in a temporary directory).
"""

from __future__ import annotations

import statistics
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

import httpx
import uvicorn

from atomation.keys.envelope import load_master_key
from atomation.keys.signer import signer_for
from atomation.runtime import Runtime
from atomation.settings import load_settings
from atomation.store.types import utcnow
from atomation.tenants.service import create_tenant
from atomation.web.app import create_app

TENANTS = 20
SIGNATURES = 200
FETCHES = 200


def _timed(action: Callable[[], object], runs: int) -> list[float]:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        action()
        samples.append((time.perf_counter() - start) * 1000)
    return samples


def _report(name: str, samples: list[float]) -> None:
    ordered = sorted(samples)
    p95 = ordered[int(len(ordered) * 0.95) - 1]
    print(
        f"{name:<34} n={len(samples):<4} median {statistics.median(samples):7.2f} ms"
        f"   p95 {p95:7.2f} ms"
    )


def main() -> None:
    with tempfile.TemporaryDirectory() as tmp:
        settings = load_settings(data_dir=Path(tmp), public_url="http://127.0.0.1:0")
        runtime = Runtime(data_dir=settings.data_dir, _settings=settings)
        store = runtime.store
        master_key = load_master_key(settings)
        counter = iter(range(TENANTS))

        def create() -> None:
            with store.session() as session:
                create_tenant(
                    session,
                    master_key,
                    subdomain=f"t{next(counter)}",
                    client_name="Bench",
                    environment="Bench",
                    okta_org_url="https://bench.okta.com",
                    now=utcnow(),
                )

        _report("create tenant (keygen + seal)", _timed(create, TENANTS))

        with store.session() as session:
            from atomation.tenants.service import get_tenant

            tenant = get_tenant(session, "t0")
        signer = signer_for(store, settings, tenant, master_key=master_key)
        claims = {"iss": "0oa1", "sub": "0oa1", "aud": "https://x/oauth2/v1/token"}
        _report(
            "sign (read + unseal + RS256)",
            _timed(lambda: signer.sign({}, claims), SIGNATURES),
        )

        server = uvicorn.Server(
            uvicorn.Config(create_app(runtime), port=0, log_level="warning")
        )
        import socket

        sock = socket.socket()
        sock.bind(("127.0.0.1", 0))
        sock.listen(64)
        port = sock.getsockname()[1]
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]})
        thread.start()
        while not server.started:
            time.sleep(0.01)
        try:
            base = f"http://127.0.0.1:{port}/t"
            url = f"{base}/t0/.well-known/okta-jwks.json"
            # A malformed name is answered without touching the database: the
            # HTTP stack's own cost, to compare with.
            baseline = f"{base}/-/.well-known/okta-jwks.json"
            with httpx.Client() as client:
                _report(
                    "GET tenant JWKS over HTTP",
                    _timed(lambda: client.get(url).raise_for_status(), FETCHES),
                )
                _report(
                    "GET 404 without the database",
                    _timed(lambda: client.get(baseline), FETCHES),
                )
        finally:
            server.should_exit = True
            thread.join()
            sock.close()
            runtime.close()


if __name__ == "__main__":
    main()
