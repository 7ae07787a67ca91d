"""Opening the database: engine, per-dialect setup, migrations on first use."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, create_engine, event, make_url, text
from sqlalchemy.exc import DBAPIError, SQLAlchemyError
from sqlalchemy.orm import Session, sessionmaker

from atomation.errors import StoreError
from atomation.settings import Settings

__all__ = ["Store", "open_store"]

logger = logging.getLogger(__name__)

MIGRATIONS = "atomation.store:migrations"
# Any fixed number works; it only has to be the same in every Atomation process so
# that two processes starting at once do not both migrate a PostgreSQL database.
MIGRATION_LOCK_ID = 0x41746F6D
SQLITE_BUSY_TIMEOUT_MS = 10_000


@dataclass(frozen=True)
class Store:
    """An open database: the engine and a session factory bound to it."""

    engine: Engine
    sessions: sessionmaker[Session]

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits when the block succeeds and rolls back otherwise."""
        with self.sessions.begin() as session:
            yield session

    def close(self) -> None:
        self.engine.dispose()


def open_store(settings: Settings) -> Store:
    """Connect to the configured database and bring its schema up to date."""
    url = make_url(settings.sqlalchemy_url)
    shown = url.render_as_string(hide_password=True)
    engine = _create_engine(settings.sqlalchemy_url)
    try:
        _migrate(engine)
    except DBAPIError as exc:
        engine.dispose()
        raise StoreError(
            f"cannot open the database {shown} ({type(exc.orig).__name__})",
            hint="Check ATOMATION_DATABASE_URL and that the database server is up.",
        ) from None
    except SQLAlchemyError as exc:
        engine.dispose()
        raise StoreError(
            f"cannot bring the database {shown} to the current schema ({exc})",
        ) from None
    logger.debug("database %s ready", shown)
    return Store(engine=engine, sessions=sessionmaker(engine, expire_on_commit=False))


def _create_engine(url: str) -> Engine:
    if make_url(url).get_backend_name() != "sqlite":
        return create_engine(url, pool_pre_ping=True)
    engine = create_engine(url, connect_args={"check_same_thread": False})

    @event.listens_for(engine, "connect")
    def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
        cursor = dbapi_connection.cursor()
        # WAL lets readers (the web app) go on while a capture writes.
        cursor.execute("PRAGMA journal_mode=WAL")
        # In WAL mode NORMAL syncs at checkpoints rather than at every commit: a
        # crash of the process loses nothing, a power cut at most the last
        # commits (SQLite's WAL documentation). A capture commits several times
        # per collection, so FULL cost it a disk sync each; evidence bodies are
        # still synced before their record is written (evidence/backend.py), so
        # a record never outlives its page.
        cursor.execute("PRAGMA synchronous=NORMAL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={SQLITE_BUSY_TIMEOUT_MS}")
        cursor.close()

    return engine


def _migrate(engine: Engine) -> None:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    head = ScriptDirectory.from_config(config).get_current_head()
    with engine.begin() as connection:
        if engine.dialect.name == "postgresql":
            connection.execute(
                text("SELECT pg_advisory_xact_lock(:id)"), {"id": MIGRATION_LOCK_ID}
            )
        current = MigrationContext.configure(connection).get_current_revision()
        if current == head:
            return
        logger.info("migrating database schema from %s to %s", current, head)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
