"""Apply Alembic migrations programmatically (on start, from the CLI, in tests).

Most starts find the database already migrated: that is checked by reading its version row and the
migration files' own `revision` lines, and Alembic (a tenth of a second to import and run) is
loaded only when there is something to do or the check cannot tell.
"""

from __future__ import annotations

import ast
import logging
import re
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from flask import Flask, request
from sqlalchemy import func, pool, select, text
from sqlalchemy.exc import SQLAlchemyError

from service.db import is_unavailable, make_engine

if TYPE_CHECKING:
    from alembic.config import Config

MIGRATIONS_DIR = Path(__file__).resolve().parent.parent / "migrations"
MIGRATION_LOCK = 0x7469_6D65_6C69_6E65 % 2**63  # an advisory lock id of our own ("timeline")
# `revision = "0009"` or `down_revision: str | None = "0008"`, as Alembic's templates write them.
_REVISION_LINE = re.compile(r"^(revision|down_revision)(?:\s*:[^=\n]*)?\s*=\s*(.+?)\s*$", re.MULTILINE)

log = logging.getLogger(__name__)


def alembic_config(database_url: str) -> Config:
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    cfg.attributes["database_url"] = database_url
    return cfg


def upgrade(database_url: str, revision: str = "head") -> None:
    """Bring the database to `revision`; a database already there is left untouched."""
    if database_url.startswith("sqlite:///"):
        Path(database_url.removeprefix("sqlite:///")).parent.mkdir(parents=True, exist_ok=True)
    if revision == "head" and _at_head(database_url):
        return
    from alembic import command

    with _one_migration_at_a_time(database_url):
        command.upgrade(alembic_config(database_url), revision)


def downgrade(database_url: str, revision: str = "base") -> None:
    from alembic import command

    command.downgrade(alembic_config(database_url), revision)


@cache
def head_revision() -> str | None:
    """The newest migration's revision, read from the files (None unless there is exactly one head).

    Each file under migrations/versions assigns `revision` and `down_revision` literals on lines of
    their own; a file that does not, or a second head, leaves the answer to Alembic.
    """
    revisions, parents = set(), set()
    for path in (MIGRATIONS_DIR / "versions").glob("*.py"):
        try:
            assigned = {
                name: ast.literal_eval(value)
                for name, value in _REVISION_LINE.findall(path.read_text(encoding="utf-8"))
            }
            revision, parent = assigned["revision"], assigned["down_revision"]
        except (KeyError, ValueError, SyntaxError):
            return None
        if not isinstance(revision, str) or not isinstance(parent, str | None):
            return None
        revisions.add(revision)
        parents.add(parent)
    heads = revisions - parents
    return heads.pop() if len(heads) == 1 else None


def _at_head(database_url: str) -> bool:
    """True when the database's version row names the newest migration (nothing to migrate)."""
    head = head_revision()
    if head is None:
        return False
    engine = make_engine(database_url, poolclass=pool.NullPool)
    try:
        with engine.connect() as connection:
            versions = connection.execute(text("SELECT version_num FROM alembic_version")).scalars().all()
    except SQLAlchemyError as error:
        if is_unavailable(error):
            raise  # the caller's to handle, as an unreachable database during the migration would be
        return False  # no version table yet: a new database
    finally:
        engine.dispose()
    return versions == [head]


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
