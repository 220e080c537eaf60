"""scale indexes: a write counter for ETags, indexed copies for actor and date lookups, searchable text

- timeline_version: one row bumped by every write transaction; list ETags read it, not aggregates.
- event_actors.date_start and mention_actors.date_start/date_end: copies of their row's dates, so an
  actor's events (in timeline order) and a new mention's merge candidates come from one index.
- events.span_days (date_end - date_start, indexed): its maximum bounds how early an event that
  overlaps a date window can start, so windows are index ranges on both databases.
- events.search_title and event_mentions.search_text: normalised text (as the pipeline normalises
  it) that `q` searches; on PostgreSQL trigram (pg_trgm) GIN indexes serve it, and a GiST index on
  daterange(date_start, date_end) serves date-window overlap. docs/QUERIES.md shows the plans.

Revision ID: 0007
Revises: 0006
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from service.pipeline.normalise import normalise_word

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

BATCH = 5000


def _postgresql() -> bool:
    return op.get_bind().dialect.name == "postgresql"


def _normalise_column(table: str, source: str, target: str) -> None:
    """Fill `target` with the normalised `source`, in batches of ids (the pipeline's normaliser is Python)."""
    bind = op.get_bind()
    last = 0
    while True:
        rows = bind.execute(
            sa.text(f"SELECT id, {source} FROM {table} WHERE id > :last ORDER BY id LIMIT {BATCH}"),
            {"last": last},
        ).all()
        if not rows:
            return
        bind.execute(
            sa.text(f"UPDATE {table} SET {target} = :value WHERE id = :id"),
            [{"id": row_id, "value": normalise_word(value or "")} for row_id, value in rows],
        )
        last = rows[-1][0]


def upgrade() -> None:
    op.create_table(
        "timeline_version",
        sa.Column("id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("version", sa.BigInteger(), nullable=False),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("id = 1", name=op.f("ck_timeline_version_single_row")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_timeline_version")),
    )
    op.execute(
        sa.table("timeline_version", sa.column("id"), sa.column("version"), sa.column("changed_at"))
        .insert()
        .values(id=1, version=0, changed_at=datetime.now(UTC))
    )

    with op.batch_alter_table("events") as batch_op:
        batch_op.add_column(
            sa.Column("search_title", sa.String(length=500), nullable=False, server_default="")
        )
    with op.batch_alter_table("event_mentions") as batch_op:
        batch_op.add_column(sa.Column("search_text", sa.Text(), nullable=False, server_default=""))
    with op.batch_alter_table("events") as batch_op:
        batch_op.add_column(sa.Column("span_days", sa.Integer(), nullable=False, server_default="0"))
        batch_op.create_index("ix_events_span_days", ["span_days"], unique=False)
    days = "date_end - date_start" if _postgresql() else "julianday(date_end) - julianday(date_start)"
    op.execute(f"UPDATE events SET span_days = CAST({days} AS INTEGER)")
    _normalise_column("events", "title", "search_title")
    _normalise_column("event_mentions", "sentence", "search_text")

    with op.batch_alter_table("event_actors") as batch_op:
        batch_op.add_column(sa.Column("date_start", sa.Date(), nullable=True))
    with op.batch_alter_table("mention_actors") as batch_op:
        batch_op.add_column(sa.Column("date_start", sa.Date(), nullable=True))
        batch_op.add_column(sa.Column("date_end", sa.Date(), nullable=True))
    op.execute(
        "UPDATE event_actors SET date_start = (SELECT date_start FROM events WHERE events.id = event_id)"
    )
    op.execute(
        "UPDATE mention_actors SET"
        " date_start = (SELECT date_start FROM event_mentions WHERE event_mentions.id = mention_id),"
        " date_end = (SELECT date_end FROM event_mentions WHERE event_mentions.id = mention_id)"
    )
    with op.batch_alter_table("event_actors") as batch_op:
        batch_op.alter_column("date_start", existing_type=sa.Date(), nullable=False)
        batch_op.drop_index("ix_event_actors_actor_id")
        batch_op.create_index(
            "ix_event_actors_actor_id_date_start", ["actor_id", "date_start", "event_id"], unique=False
        )
    with op.batch_alter_table("mention_actors") as batch_op:
        batch_op.alter_column("date_start", existing_type=sa.Date(), nullable=False)
        batch_op.alter_column("date_end", existing_type=sa.Date(), nullable=False)
        batch_op.drop_index("ix_mention_actors_actor_id")
        batch_op.create_index(
            "ix_mention_actors_actor_id_date_end",
            ["actor_id", "date_end", "date_start", "mention_id"],
            unique=False,
        )

    if _postgresql():
        # pg_trgm is a trusted extension (PostgreSQL 13+): a database owner may create it.
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_events_date_range ON events USING gist (daterange(date_start, date_end, '[]'))"
        )
        op.execute("CREATE INDEX ix_events_search_title_trgm ON events USING gin (search_title gin_trgm_ops)")
        op.execute(
            "CREATE INDEX ix_event_mentions_search_text_trgm ON event_mentions USING gin (search_text gin_trgm_ops)"
        )


def downgrade() -> None:
    if _postgresql():
        op.execute("DROP INDEX ix_event_mentions_search_text_trgm")
        op.execute("DROP INDEX ix_events_search_title_trgm")
        op.execute("DROP INDEX ix_events_date_range")
    with op.batch_alter_table("mention_actors") as batch_op:
        batch_op.drop_index("ix_mention_actors_actor_id_date_end")
        batch_op.create_index("ix_mention_actors_actor_id", ["actor_id"], unique=False)
        batch_op.drop_column("date_end")
        batch_op.drop_column("date_start")
    with op.batch_alter_table("event_actors") as batch_op:
        batch_op.drop_index("ix_event_actors_actor_id_date_start")
        batch_op.create_index("ix_event_actors_actor_id", ["actor_id"], unique=False)
        batch_op.drop_column("date_start")
    with op.batch_alter_table("event_mentions") as batch_op:
        batch_op.drop_column("search_text")
    with op.batch_alter_table("events") as batch_op:
        batch_op.drop_index("ix_events_span_days")
        batch_op.drop_column("span_days")
        batch_op.drop_column("search_title")
    op.drop_table("timeline_version")
