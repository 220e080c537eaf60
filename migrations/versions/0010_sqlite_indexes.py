"""sqlite indexes: FTS5 trigram tables for `q`, and date windows read from one covering index

SQLite only (PostgreSQL has had trigram GIN indexes and the GiST range index since 0007):
- an external-content FTS5 table with the trigram tokenizer over events.search_title and one over
  event_mentions.search_text, each kept in step with its column by triggers (any writer: the ORM,
  cascades, bulk loads). A phrase query of three characters or more matches exactly the rows whose
  text contains it, as LIKE '%...%' does; `case_sensitive 1` because the text and the searched
  word are both normalised (lowercased) already. An SQLite library without FTS5 or the trigram
  tokenizer (before 3.34) gets no tables; `q` then walks the dates as before.
- ix_events_date_start_id_date_end: a date window's events carried in from before `from` (their
  start within the widest span before it, their end on or after it) and its stats are read from
  the index alone, without a row lookup per event for date_end (stats of a month at 100,000
  events: 6.5 -> 2.7 ms).

The triggers live on events and event_mentions: a later batch migration that rebuilds either table
drops them, and must create them again (tests/test_migrations.py checks they exist at the head).

Revision ID: 0010
Revises: 0009
"""

from __future__ import annotations

import logging

from alembic import op
from sqlalchemy.exc import OperationalError

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None

# FTS5 table -> (indexed table, column); service/models.py names the same ones.
INDEXES = {
    "fts_events_search_title": ("events", "search_title"),
    "fts_event_mentions_search_text": ("event_mentions", "search_text"),
}

COVERING = "ix_events_date_start_id_date_end"

log = logging.getLogger("alembic.runtime.migration")


def _sqlite() -> bool:
    return op.get_bind().dialect.name == "sqlite"


def upgrade() -> None:
    if not _sqlite():
        return
    op.create_index(COVERING, "events", ["date_start", "id", "date_end"], unique=False)
    for index, (table, column) in INDEXES.items():
        try:
            op.execute(
                f"CREATE VIRTUAL TABLE {index} USING fts5({column}, content='{table}', content_rowid='id',"
                " tokenize='trigram case_sensitive 1')"
            )
        except OperationalError as error:  # no FTS5 or no trigram tokenizer in this SQLite library
            log.warning(
                "SQLite %s: no text index for q (%s)", op.get_bind().dialect.dbapi.sqlite_version, error
            )
            return
        insert = f"INSERT INTO {index}(rowid, {column}) VALUES (new.id, new.{column})"
        remove = f"INSERT INTO {index}({index}, rowid, {column}) VALUES ('delete', old.id, old.{column})"
        op.execute(f"CREATE TRIGGER {index}_insert AFTER INSERT ON {table} BEGIN {insert}; END")
        op.execute(f"CREATE TRIGGER {index}_delete AFTER DELETE ON {table} BEGIN {remove}; END")
        op.execute(
            f"CREATE TRIGGER {index}_update AFTER UPDATE OF {column} ON {table} BEGIN {remove}; {insert}; END"
        )
        op.execute(f"INSERT INTO {index}({index}) VALUES ('rebuild')")


def downgrade() -> None:
    if not _sqlite():
        return
    op.drop_index(COVERING, table_name="events")
    for index in INDEXES:
        for trigger in ("insert", "delete", "update"):
            op.execute(f"DROP TRIGGER IF EXISTS {index}_{trigger}")
        op.execute(f"DROP TABLE IF EXISTS {index}")
