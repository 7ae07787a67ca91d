from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import inspect, select, text
from sqlalchemy.exc import IntegrityError

from atomation.errors import StoreError
from atomation.settings import load_settings
from atomation.store import Connection, Job, Store, Tenant, open_store

FOUNDATION_TABLES = {
    "tenants",
    "signing_keys",
    "connections",
    "verifications",
    "snapshots",
    "jobs",
    "alembic_version",
}


def _tenant(subdomain: str = "acme") -> Tenant:
    return Tenant(
        subdomain=subdomain,
        client_name="Acme",
        environment="Production",
        okta_org_url="https://acme.okta.com",
    )


def test_first_open_creates_the_schema(store: Store) -> None:
    tables = set(inspect(store.engine).get_table_names())

    assert tables >= FOUNDATION_TABLES


def test_opening_twice_keeps_the_data(store: Store, data_dir: Path) -> None:
    with store.session() as session:
        session.add(_tenant())

    again = open_store(
        load_settings(
            data_dir=data_dir,
            database_url=store.engine.url.render_as_string(hide_password=False),
        )
    )
    with again.session() as session:
        assert session.scalars(select(Tenant.subdomain)).all() == ["acme"]
    again.close()


def test_timestamps_come_back_in_utc(store: Store) -> None:
    east = timezone(timedelta(hours=5))
    with store.session() as session:
        tenant = _tenant()
        session.add(tenant)
        session.flush()
        session.add(
            Connection(
                tenant_id=tenant.id,
                client_id="0oa1",
                verified_at=datetime(2026, 1, 1, 12, tzinfo=east),
            )
        )

    with store.session() as session:
        connection = session.scalars(select(Connection)).one()
        assert connection.verified_at == datetime(2026, 1, 1, 7, tzinfo=UTC)
        assert connection.verified_at.tzinfo is not None


def test_naive_timestamps_are_refused(store: Store) -> None:
    with pytest.raises(Exception, match="timezone-aware"), store.session() as session:
        session.add(Job(kind="verify", created_at=datetime(2026, 1, 1)))


def test_subdomains_are_unique(store: Store) -> None:
    with store.session() as session:
        session.add(_tenant())

    with pytest.raises(IntegrityError), store.session() as session:
        session.add(_tenant())


def test_deleting_a_tenant_deletes_its_rows(store: Store) -> None:
    with store.session() as session:
        tenant = _tenant()
        session.add(tenant)
        session.flush()
        session.add(Job(kind="snapshot", tenant_id=tenant.id))
        session.add(Connection(tenant_id=tenant.id, client_id="0oa1"))

    with store.session() as session:
        session.execute(text("DELETE FROM tenants"))

    with store.session() as session:
        assert session.scalars(select(Job)).all() == []
        assert session.scalars(select(Connection)).all() == []


def test_sqlite_runs_in_wal_mode(data_dir: Path) -> None:
    opened = open_store(load_settings(data_dir=data_dir))
    with opened.engine.connect() as connection:
        assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
    opened.close()


def test_unreachable_database_is_one_clear_error(data_dir: Path) -> None:
    settings = load_settings(
        data_dir=data_dir,
        database_url="postgresql://nobody:s3cret-pw@127.0.0.1:1/nothing",
    )

    with pytest.raises(StoreError) as caught:
        open_store(settings)

    assert "cannot open the database" in caught.value.message
    assert "s3cret-pw" not in caught.value.message
    assert caught.value.hint
    assert "ATOMATION_DATABASE_URL" in caught.value.hint
