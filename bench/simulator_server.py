"""Simulator server throughput over loopback, with rate limits off and no latency.

Prints, per org size: token requests per second (client assertion signed each time),
the time to page through every user at ``limit=200``, pages per second of that walk,
the time of one 1,000-event System Log page, and the request rate a client reaches
against the System Log bucket at time scale 60 (120/min becomes 120 per second for
the org, 60 for the app) when it sleeps ``(Reset - Date) / 60`` on a 429.

Run: ``.venv/bin/python -m bench.simulator_server`` (sizes 10,000 and 100,000 users;
pass other sizes as arguments).
"""

from __future__ import annotations

import json
import sys
import time
import uuid
from email.utils import parsedate_to_datetime
from typing import Any

import httpx
from joserfc import jws
from joserfc.jwk import RSAKey

from atomation.simulator.harness import SimulatorServer

SIZES = (10_000, 100_000)
SCOPES = "okta.users.read okta.logs.read"
ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer"


def _service_app(okta: SimulatorServer, http: httpx.Client) -> tuple[str, RSAKey]:
    key = RSAKey.generate_key(2048)
    jwk = {**key.as_dict(private=False), "kid": "bench", "use": "sig"}
    admin = {"Authorization": f"SSWS {okta.admin_token}"}
    body = {
        "label": "Bench Okta Assessment Service",
        "signOnMode": "OPENID_CONNECT",
        "settings": {
            "oauthClient": {"jwks_uri": okta.host_jwks("bench", {"keys": [jwk]})}
        },
    }
    app = http.post(okta.base_url + "/api/v1/apps", json=body, headers=admin).json()
    client_id = app["id"]
    for scope in SCOPES.split():
        http.post(
            f"{okta.base_url}/api/v1/apps/{client_id}/grants",
            json={"issuer": okta.base_url, "scopeId": scope},
            headers=admin,
        )
    http.post(
        f"{okta.base_url}/oauth2/v1/clients/{client_id}/roles",
        json={"type": "READ_ONLY_ADMIN"},
        headers=admin,
    )
    return client_id, key


def _token(
    okta: SimulatorServer, http: httpx.Client, client_id: str, key: RSAKey
) -> str:
    now = int(okta.clock.timestamp())
    claims = {
        "iss": client_id,
        "sub": client_id,
        "aud": okta.token_endpoint,
        "iat": now,
        "exp": now + 300,
        "jti": str(uuid.uuid4()),
    }
    assertion = jws.serialize_compact(
        {"alg": "RS256", "kid": "bench"}, json.dumps(claims), key
    )
    response = http.post(
        okta.token_endpoint,
        data={
            "grant_type": "client_credentials",
            "scope": SCOPES,
            "client_assertion_type": ASSERTION_TYPE,
            "client_assertion": assertion,
        },
    )
    return str(response.json()["access_token"])


def _next(response: httpx.Response) -> str | None:
    for value in response.headers.get_list("link"):
        if value.endswith('rel="next"'):
            return value[1 : value.index(">")]
    return None


def _measure(users: int) -> dict[str, Any]:
    figures: dict[str, Any] = {"users": users}
    started = time.perf_counter()
    with (
        SimulatorServer(users=users, latency=0, rate_limits="off") as okta,
        httpx.Client(timeout=60) as http,
    ):
        figures["start_s"] = round(time.perf_counter() - started, 2)
        client_id, key = _service_app(okta, http)

        started = time.perf_counter()
        for _ in range(50):
            token = _token(okta, http, client_id, key)
        figures["tokens_per_s"] = round(50 / (time.perf_counter() - started), 1)

        headers = {"Authorization": f"Bearer {token}"}
        url: str | None = okta.base_url + "/api/v1/users?limit=200"
        pages = 0
        started = time.perf_counter()
        while url is not None:
            response = http.get(url, headers=headers)
            pages += 1
            url = _next(response)
        elapsed = time.perf_counter() - started
        figures["user_pages"] = pages
        figures["all_users_s"] = round(elapsed, 2)
        figures["user_pages_per_s"] = round(pages / elapsed, 1)

        started = time.perf_counter()
        events = http.get(okta.base_url + "/api/v1/logs?limit=1000", headers=headers)
        figures["log_page_1000_s"] = round(time.perf_counter() - started, 3)
        figures["log_page_events"] = len(events.json())

    with (
        SimulatorServer(
            users=users, latency=0, rate_limits="workforce", time_scale=60
        ) as okta,
        httpx.Client(timeout=60) as http,
    ):
        client_id, key = _service_app(okta, http)
        headers = {"Authorization": f"Bearer {_token(okta, http, client_id, key)}"}
        done = refused = 0
        started = time.perf_counter()
        while time.perf_counter() - started < 5:
            response = http.get(okta.base_url + "/api/v1/logs?limit=1", headers=headers)
            if response.status_code == 429:
                refused += 1
                reset = int(response.headers["x-rate-limit-reset"])
                date = parsedate_to_datetime(response.headers["date"]).timestamp()
                # Reset and Date are simulated time; the wait shrinks with the scale
                time.sleep(max(0.0, reset - date) / 60)
            else:
                done += 1
        figures["scaled_log_requests_per_s"] = round(done / 5, 1)
        figures["scaled_429s"] = refused
    return figures


def main(argv: list[str]) -> None:
    sizes = [int(a) for a in argv] or list(SIZES)
    for users in sizes:
        print(json.dumps(_measure(users)))


if __name__ == "__main__":
    main(sys.argv[1:])
