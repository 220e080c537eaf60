"""Apply Alembic migrations programmatically (on start, from the CLI, in tests)."""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from alembic import command
from alembic.config import Config
from flask import Flask, request
from sqlalchemy import func, pool, select

from service.db import is_unavailable, make_engine

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
MIGRATION_LOCK = 0x7469_6D65_6C69_6E65 % 2**63  # an advisory lock id of our own ("timeline")

log = logging.getLogger(__name__)


def alembic_config(database_url: str) -> Config:
    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["database_url"] = database_url
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database to `revision`; a database already there is left untouched."""
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    with _one_migration_at_a_time(database_url):
        command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    command.downgrade(alembic_config(database_url), revision)


@contextmanager
def _one_migration_at_a_time(database_url: str) -> Iterator[None]:
    """On PostgreSQL, hold an advisory lock so processes starting together migrate one after another."""
    if not database_url.startswith("postgresql"):
        yield
        return
    engine = make_engine(database_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            connection.execute(select(func.pg_advisory_lock(MIGRATION_LOCK)))
            try:
                yield
            finally:
                connection.execute(select(func.pg_advisory_unlock(MIGRATION_LOCK)))
    finally:
        engine.dispose()


class PendingMigration:
    """A migration the app could not run at start because the database was unreachable."""

    def __init__(self, database_url: str) -> None:
        self.database_url = database_url
        self.done = False
        self._lock = threading.Lock()

    def apply(self) -> None:
        """Migrate once; raises (a 503 for the caller) while the database is still unreachable."""
        if self.done:
            return
        with self._lock:
            if not self.done:
                upgrade(self.database_url)
                self.done = True
                log.warning("database reachable again: migrations applied")


def upgrade_on_start(app: Flask) -> None:
    """Migrate now; with the database unreachable, start anyway and migrate when it comes back.

    Until then API requests and /readyz try the migration first, and answer 503 while it fails.
    """
    try:
        upgrade(app.config["DATABASE_URL"])
    except Exception as error:
        if not is_unavailable(error):
            raise
        log.warning("database unreachable at start; migrating when it comes back (%s)", type(error).__name__)
        pending = PendingMigration(app.config["DATABASE_URL"])
        app.extensions["pending_migration"] = pending

        @app.before_request
        def _migrate_first() -> None:
            if request.blueprint == "api":
                pending.apply()


def apply_pending(app: Flask) -> None:
    """Run a migration left pending at start, if any (raises while the database is unreachable)."""
    pending: PendingMigration | None = app.extensions.get("pending_migration")
    if pending is not None:
        pending.apply()
