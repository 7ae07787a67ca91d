"""The migrations build exactly the schema the table classes describe.

Parts define their tables in their own packages on the shared declarative base
and add a migration each; this test catches a class and its migration drifting
apart (a column added to one only, a type changed, an index forgotten), on
SQLite and on PostgreSQL.
"""

from __future__ import annotations

import importlib
import pkgutil

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory

import atomation
from atomation.store import Store
from atomation.store.database import MIGRATIONS
from atomation.store.models import Base

# Product packages only: the simulator is a separate world with no tables here.
_SKIP = ("atomation.simulator", "atomation.__main__", "atomation.store.migrations")


def _import_every_table_module() -> None:
    for module in pkgutil.walk_packages(atomation.__path__, "atomation."):
        if not module.name.startswith(_SKIP):
            importlib.import_module(module.name)


def test_migrations_match_the_table_classes(store: Store) -> None:
    _import_every_table_module()

    with store.engine.connect() as connection:
        context = MigrationContext.configure(
            connection, opts={"compare_type": True, "compare_server_default": False}
        )
        differences = compare_metadata(context, Base.metadata)

    assert differences == []


def test_the_migrations_form_one_line() -> None:
    from alembic.config import Config

    config = Config()
    config.set_main_option("script_location", MIGRATIONS)
    scripts = ScriptDirectory.from_config(config)
    assert len(scripts.get_heads()) == 1, "two migrations share a parent"
