"""The web app's one error boundary: a proper HTTP error, no detail leaked."""

from __future__ import annotations

import logging

import httpx
import pytest

from tests.web.conftest import LiveApp


def test_unreachable_database_is_a_503_without_details(
    app_without_database: LiveApp, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO)

    response = httpx.get(
        f"{app_without_database.base_url}/t/acme/.well-known/okta-jwks.json"
    )

    assert response.status_code == 503
    assert response.json() == {"error": "unavailable"}
    assert "cannot open the database" in caplog.text
    assert "secret-password" not in caplog.text
    assert b"127.0.0.1" not in response.content
