"""Rate-limit buckets, the app's share, windows and concurrency (§3.4, §10)."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from email.utils import parsedate_to_datetime

import httpx
import pytest

from atomation.simulator.harness import SimulatorServer
from atomation.simulator.server import SimulatedClock
from atomation.simulator.server.ratelimit import find_bucket
from tests.simulator.fixture_org import ANCHOR
from tests.simulator.support import ServiceApp, fixture_server


def frozen_server(**options: object) -> SimulatorServer:
    clock = SimulatedClock(start=ANCHOR, frozen=True)
    options.setdefault("rate_limits", "workforce")
    return fixture_server(clock=clock, **options)


@pytest.fixture
def okta() -> Iterator[SimulatorServer]:
    with frozen_server() as server:
        yield server


# One client for the module: a fresh httpx client per request costs more than the
# request itself.
HTTP = httpx.Client(timeout=10)


def get(okta: SimulatorServer, path: str, token: str) -> httpx.Response:
    return HTTP.get(okta.base_url + path, headers={"Authorization": f"Bearer {token}"})


@pytest.mark.parametrize(
    ("method", "path", "bucket"),
    [
        ("GET", "/api/v1/users", "users.list"),
        ("GET", "/api/v1/users/00u1", "users.get"),
        ("GET", "/api/v1/users/00u1/factors", "api.other"),
        ("GET", "/api/v1/apps", "apps"),
        ("GET", "/api/v1/apps/0oa1", "apps.get"),
        ("GET", "/api/v1/apps/0oa1/users", "apps"),
        ("GET", "/api/v1/groups", "groups.list"),
        ("GET", "/api/v1/groups/00g1", "groups.get"),
        ("GET", "/api/v1/groups/rules", "groups.other"),
        ("GET", "/api/v1/groups/00g1/users", "groups.other"),
        ("GET", "/api/v1/logs", "logs"),
        ("GET", "/api/v1/policies", "api.other"),
        ("GET", "/oauth2/v1/clients/0oa1/roles", "oauth2.clients"),
        ("POST", "/oauth2/v1/token", "oauth2.token"),
    ],
)
def test_requests_fall_into_the_exact_then_longest_prefix_bucket(
    method: str, path: str, bucket: str
) -> None:
    found = find_bucket(method, path)

    assert found is not None
    assert found.name == bucket


@pytest.mark.parametrize(
    "path",
    [
        "/.well-known/okta-organization",
        "/.well-known/openid-configuration",
        "/.well-known/oauth-authorization-server",
        "/oauth2/v1/keys",
    ],
)
def test_metadata_endpoints_are_not_metered(okta: SimulatorServer, path: str) -> None:
    responses = [httpx.get(okta.base_url + path) for _ in range(3)]

    assert {r.status_code for r in responses} == {200}
    assert "x-rate-limit-limit" not in responses[-1].headers
    assert find_bucket("GET", path) is None


def test_app_gets_half_the_bucket_then_429_until_the_window_resets(
    okta: SimulatorServer,
) -> None:
    token = ServiceApp.create(okta).token()
    start = int(okta.clock.timestamp())

    allowed = [get(okta, "/api/v1/logs", token) for _ in range(60)]
    refused = get(okta, "/api/v1/logs", token)

    assert {r.status_code for r in allowed} == {200}
    assert allowed[0].headers["x-rate-limit-limit"] == "60"  # 50 % of 120
    assert allowed[0].headers["x-rate-limit-remaining"] == "59"
    assert allowed[-1].headers["x-rate-limit-remaining"] == "0"
    assert refused.status_code == 429
    assert refused.json()["errorCode"] == "E0000047"
    assert refused.json()["errorSummary"] == (
        "API call exceeded rate limit due to too many requests."
    )
    assert refused.headers["x-rate-limit-limit"] == "60"
    assert refused.headers["x-rate-limit-remaining"] == "0"
    assert refused.headers["x-rate-limit-reset"] == str(start + 60)
    assert "retry-after" not in refused.headers
    assert parsedate_to_datetime(refused.headers["date"]).timestamp() == start

    okta.advance(60)

    again = get(okta, "/api/v1/logs", token)
    assert again.status_code == 200
    assert again.headers["x-rate-limit-remaining"] == "59"


def test_buckets_are_counted_separately(okta: SimulatorServer) -> None:
    token = ServiceApp.create(okta).token()
    for _ in range(60):
        get(okta, "/api/v1/logs", token)

    assert get(okta, "/api/v1/logs", token).status_code == 429
    assert get(okta, "/api/v1/zones", token).status_code == 200


def test_apps_share_the_org_bucket() -> None:
    with frozen_server(app_rate_share=0.75) as okta:
        first = ServiceApp.create(okta).token()
        second = ServiceApp.create(okta).token()
        for _ in range(90):
            assert get(okta, "/api/v1/logs", first).status_code == 200

        results = [get(okta, "/api/v1/logs", second).status_code for _ in range(40)]

    assert results.count(200) == 30  # the org's 120 are spent, not the app's 90
    assert results[-1] == 429


def test_enterprise_table_and_full_share() -> None:
    with frozen_server(rate_limits="enterprise", app_rate_share=1.0) as okta:
        token = ServiceApp.create(okta).token()

        response = get(okta, "/api/v1/logs", token)

    assert response.headers["x-rate-limit-limit"] == "50"


def test_rate_limits_off_never_refuse_but_still_report() -> None:
    with frozen_server(rate_limits="off") as okta:
        token = ServiceApp.create(okta).token()
        statuses = {get(okta, "/api/v1/logs", token).status_code for _ in range(70)}
        last = get(okta, "/api/v1/logs", token)

    assert statuses == {200}
    assert last.headers["x-rate-limit-remaining"] == "0"


def test_concurrency_limit_answers_429_with_limit_and_remaining_zero() -> None:
    # 4 in flight for the org, so 2 for an app at 50 %; every request is held for
    # one (real) second, so six started together cannot all be in flight.
    with frozen_server(concurrency_limit=4) as okta:
        token = ServiceApp.create(okta).token()
        okta.config.latency = (1.0, 1.0)
        with ThreadPoolExecutor(max_workers=6) as pool:
            responses = list(
                pool.map(lambda _: get(okta, "/api/v1/zones", token), range(6))
            )

    refused = [r for r in responses if r.status_code == 429]
    assert len([r for r in responses if r.status_code == 200]) == 2
    assert len(refused) == 4
    for response in refused:
        assert response.headers["x-rate-limit-limit"] == "0"
        assert response.headers["x-rate-limit-remaining"] == "0"
        assert response.json()["errorCode"] == "E0000047"
        assert "date" in response.headers


def test_time_scale_shortens_the_simulated_minute() -> None:
    ticks = iter([100.0, 100.0, 106.0])
    clock = SimulatedClock(start=ANCHOR, time_scale=10, monotonic=lambda: next(ticks))
    before = clock.timestamp()

    after = clock.timestamp()

    assert after - before == 60.0
    assert clock.real_seconds(60) == 6.0


@pytest.mark.parametrize("time_scale", [1, 600])
def test_reset_is_the_window_end_in_simulated_time(time_scale: float) -> None:
    """``Reset − Date`` is simulated seconds: a client pacing on the server's clock
    must run its own clock at the same scale (as Okta's windows are real minutes)."""
    with fixture_server(rate_limits="workforce", time_scale=time_scale) as okta:
        token = ServiceApp.create(okta).token()

        response = get(okta, "/api/v1/logs", token)

    date = parsedate_to_datetime(response.headers["date"]).timestamp()
    # Date is whole seconds and Reset rounds up, so at most 61 apart
    assert 0 < int(response.headers["x-rate-limit-reset"]) - date <= 61
