"""Faults injected on demand: errors, dropped connections, big-page 500s, loops."""

from __future__ import annotations

import httpx
import pytest

from atomation.simulator.server import FaultConfig
from tests.simulator.support import fixture_server


def admin_get(base_url: str, token: str, path: str) -> httpx.Response:
    return httpx.get(base_url + path, headers={"Authorization": f"SSWS {token}"})


def test_error_rate_answers_500_e0000009() -> None:
    with fixture_server(faults=FaultConfig(error_rate=1.0)) as okta:
        response = admin_get(okta.base_url, okta.admin_token, "/api/v1/users")

    assert response.status_code == 500
    assert response.json()["errorCode"] == "E0000009"


def test_dropped_connection_ends_the_response_early() -> None:
    with fixture_server(faults=FaultConfig(drop_rate=1.0)) as okta:
        with pytest.raises(httpx.RemoteProtocolError):
            admin_get(okta.base_url, okta.admin_token, "/api/v1/users")
        metadata = httpx.get(okta.base_url + "/.well-known/okta-organization")

    assert metadata.status_code == 200  # unmetered endpoints are spared


def test_large_pages_fail_above_the_threshold() -> None:
    with fixture_server(faults=FaultConfig(error_above_limit=10)) as okta:
        big = admin_get(okta.base_url, okta.admin_token, "/api/v1/users?limit=11")
        small = admin_get(okta.base_url, okta.admin_token, "/api/v1/users?limit=10")

    assert big.status_code == 500
    assert small.status_code == 200


def test_repeated_cursor_loops_the_pagination() -> None:
    with fixture_server(faults=FaultConfig(repeat_cursor=True)) as okta:
        first = admin_get(okta.base_url, okta.admin_token, "/api/v1/users?limit=2")
        second_url = first.headers.get_list("link")[-1].split(">")[0][1:]
        second = httpx.get(
            second_url, headers={"Authorization": f"SSWS {okta.admin_token}"}
        )
        third_url = second.headers.get_list("link")[-1].split(">")[0][1:]

    assert third_url == second_url


def test_faults_can_be_switched_at_run_time() -> None:
    with fixture_server() as okta:
        headers = {"Authorization": f"SSWS {okta.admin_token}"}
        switched = httpx.put(
            okta.base_url + "/__simulator/faults",
            json={"error_rate": 1.0},
            headers=headers,
        )
        failing = admin_get(okta.base_url, okta.admin_token, "/api/v1/zones")
        httpx.put(okta.base_url + "/__simulator/faults", json={}, headers=headers)
        healthy = admin_get(okta.base_url, okta.admin_token, "/api/v1/zones")

    assert switched.json()["error_rate"] == 1.0
    assert failing.status_code == 500
    assert healthy.status_code == 200
