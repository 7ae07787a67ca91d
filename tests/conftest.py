"""Fixtures shared by every test.

The environment is scrubbed of ``OKTA_*``, ``ATOMATION_*`` and proxy variables for
each test, so that neither a developer's shell nor the official SDK's config
sources leak in. The PostgreSQL URL for store tests is read once, before that.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, make_url, text

from atomation.settings import Settings, load_settings
from atomation.store import Store, open_store

POSTGRES_URL = os.environ.get("ATOMATION_TEST_DATABASE_URL")
PROXY_VARIABLES = {"http_proxy", "https_proxy", "all_proxy", "no_proxy"}


@pytest.fixture(autouse=True)
def _clean_environment(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    for name in list(os.environ):
        if name.startswith(("OKTA_", "ATOMATION_")) or name.lower() in PROXY_VARIABLES:
            monkeypatch.delenv(name)
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / ".local" / "share"))


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    return tmp_path / "data"


@pytest.fixture
def settings(data_dir: Path) -> Settings:
    return load_settings(data_dir=data_dir)


def _postgres_database() -> Iterator[str]:
    """A fresh, empty PostgreSQL database for one test, dropped afterwards."""
    if not POSTGRES_URL:
        pytest.skip("PostgreSQL not configured: set ATOMATION_TEST_DATABASE_URL")
    admin_url = make_url(POSTGRES_URL).set(drivername="postgresql+psycopg")
    name = f"atomation_test_{uuid.uuid4().hex[:12]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest, data_dir: Path) -> Iterator[str]:
    """Each store test runs once on SQLite and once on PostgreSQL."""
    if request.param == "sqlite":
        yield f"sqlite:///{data_dir / 'test.db'}"
    else:
        yield from _postgres_database()


@pytest.fixture
def store(database_url: str, data_dir: Path) -> Iterator[Store]:
    opened = open_store(load_settings(data_dir=data_dir, database_url=database_url))
    try:
        yield opened
    finally:
        opened.close()
