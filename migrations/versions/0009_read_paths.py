"""read paths: an index on lower(actors.name) and finer statistics for the searched text

PostgreSQL only (SQLite scans its few thousand actors fast enough, and cannot reflect the index):
- ix_actors_name_lower: `?actor=<name>` resolves a name to ids with an index lookup, not a scan of
  every actor computing lower(name) (10 ms for 5,000 actors).
- a 1,000-entry histogram (statistics target) on events.search_title and
  event_mentions.search_text, so the planner estimates how often a `q` word occurs and picks the
  trigram index for a rare word and a date-ordered scan for a common one (docs/QUERIES.md).

Revision ID: 0009
Revises: 0008
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0009"
down_revision = "0008"
branch_labels = None
depends_on = None

SEARCHED = (("events", "search_title"), ("event_mentions", "search_text"))


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.create_index("ix_actors_name_lower", "actors", [sa.text("lower(name)")], unique=False)
        for table, column in SEARCHED:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS 1000")
            op.execute(f"ANALYZE {table} ({column})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for table, column in SEARCHED:
            op.execute(f"ALTER TABLE {table} ALTER COLUMN {column} SET STATISTICS -1")
        op.drop_index("ix_actors_name_lower", table_name="actors")
