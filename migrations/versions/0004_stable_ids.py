"""stable ids: article and event ids are never reused; event_redirects remembers merged-away ids

On SQLite, AUTOINCREMENT needs the table rebuilt (batch mode; env.py turns foreign keys off while
migrating, or dropping the old table would cascade to mentions). PostgreSQL sequences never reuse
ids already, so there only event_redirects is created.

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

NEVER_REUSED = ("articles", "events")


def _rebuild_on_sqlite(autoincrement: bool) -> None:
    if op.get_bind().dialect.name != "sqlite":
        return
    for table in NEVER_REUSED:
        with op.batch_alter_table(
            table, recreate="always", table_kwargs={"sqlite_autoincrement": autoincrement}
        ):
            pass


def upgrade() -> None:
    _rebuild_on_sqlite(autoincrement=True)
    op.create_table(
        "event_redirects",
        sa.Column("old_id", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("retired_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_event_redirects_event_id_events"), ondelete="SET NULL"
        ),
        sa.PrimaryKeyConstraint("old_id", name=op.f("pk_event_redirects")),
    )
    with op.batch_alter_table("event_redirects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_redirects_event_id"), ["event_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("event_redirects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_redirects_event_id"))
    op.drop_table("event_redirects")
    _rebuild_on_sqlite(autoincrement=False)
