"""Migrations build the schema from empty, tear it down again, and match the models."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import create_engine, inspect

from service.migrate import alembic_config, downgrade, head_revision, upgrade
from service.models import (
    POSTGRESQL_ONLY_INDEXES,
    SQLITE_ONLY_INDEXES,
    SQLITE_TEXT_INDEXES,
    Base,
    sqlite_only_table,
)
from tests.conftest import empty_postgres_database


@pytest.fixture(params=["sqlite", "postgresql"])
def empty_database(request, tmp_path):
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'migrations.db'}"
        return
    with empty_postgres_database("migrations") as url:
        yield url


def test_upgrade_from_empty_then_downgrade_to_base(empty_database):
    upgrade(empty_database)
    upgrade(empty_database)  # a second start is a no-op
    engine = create_engine(empty_database)
    tables = set(inspect(engine).get_table_names())
    assert {"articles", "events", "event_mentions", "actors", "actor_names", "locations"} <= tables
    with engine.connect() as connection:
        # SQLite's text index tables (0010) are not models: left out as migrations/env.py leaves them.
        skip = {
            "include_name": lambda name, kind, _parents: not (kind == "table" and sqlite_only_table(name))
        }
        diff = compare_metadata(
            MigrationContext.configure(connection, opts={"compare_type": True, **skip}), Base.metadata
        )
    # Indexes PostgreSQL alone can hold are created by the migration and not declared on the models.
    one_backend = POSTGRESQL_ONLY_INDEXES | SQLITE_ONLY_INDEXES
    diff = [d for d in diff if not (d[0] == "remove_index" and d[1].name in one_backend)]
    assert diff == [], f"models and migrations drifted: {diff}"
    downgrade(empty_database)
    assert set(inspect(engine).get_table_names()) <= {"alembic_version"}
    engine.dispose()


def test_indexes_of_one_backend_exist_on_that_backend_alone(empty_database):
    upgrade(empty_database)
    engine = create_engine(empty_database)
    inspector = inspect(engine)
    tables = ("events", "event_mentions", "actors")
    names = {ix["name"] for table in tables for ix in inspector.get_indexes(table)}
    postgresql = engine.dialect.name == "postgresql"
    assert names & POSTGRESQL_ONLY_INDEXES == (POSTGRESQL_ONLY_INDEXES if postgresql else frozenset())
    assert names & SQLITE_ONLY_INDEXES == (frozenset() if postgresql else SQLITE_ONLY_INDEXES)
    engine.dispose()


def test_sqlite_text_indexes_exist_with_the_triggers_that_keep_them(empty_database):
    upgrade(empty_database)
    engine = create_engine(empty_database)
    with engine.connect() as connection:
        if engine.dialect.name == "postgresql":
            tables = set(inspect(connection).get_table_names())
            assert not {name for name in tables if sqlite_only_table(name)}
        else:
            triggers = connection.exec_driver_sql(
                "SELECT tbl_name, name FROM sqlite_master WHERE type = 'trigger'"
            ).fetchall()
            expected = {
                (table, f"{index}_{change}")
                for index, (table, _column) in SQLITE_TEXT_INDEXES.items()
                for change in ("insert", "delete", "update")
            }
            assert expected <= set(triggers)
    engine.dispose()


def test_indexes_serve_the_queries(empty_database):
    upgrade(empty_database)
    engine = create_engine(empty_database)
    inspector = inspect(engine)
    event_indexes = {tuple(ix["column_names"]) for ix in inspector.get_indexes("events")}
    assert (
        ("date_start", "id") in event_indexes
        and ("date_end",) in event_indexes
        and ("type",) in event_indexes
    )
    assert ("actor_id", "date_start", "event_id") in {
        tuple(ix["column_names"]) for ix in inspector.get_indexes("event_actors")
    }
    engine.dispose()


def test_the_head_read_from_the_files_is_alembics_head():
    assert head_revision() == ScriptDirectory.from_config(alembic_config("sqlite://")).get_current_head()


def test_a_database_one_migration_behind_is_migrated_to_the_head(empty_database):
    script = ScriptDirectory.from_config(alembic_config(empty_database))
    upgrade(empty_database, script.get_revision(head_revision()).down_revision)
    upgrade(empty_database)
    engine = create_engine(empty_database)
    with engine.connect() as connection:
        assert MigrationContext.configure(connection).get_current_revision() == head_revision()
    engine.dispose()


def test_a_start_on_a_migrated_database_does_not_load_alembic(tmp_path):
    url = f"sqlite:///{tmp_path / 'started.db'}"
    upgrade(url)
    start = "import sys; from service import create_app; create_app(); print('alembic' in sys.modules)"
    env = {**os.environ, "DATABASE_URL": url}
    root = Path(__file__).resolve().parents[1]
    started = subprocess.run([sys.executable, "-c", start], cwd=root, env=env, capture_output=True, text=True)
    assert started.returncode == 0, started.stderr
    assert started.stdout.strip() == "False"
