"""actor merges: actor_redirects remembers actors merged into others, so their ids answer with where they went

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actor_redirects",
        sa.Column("old_id", sa.String(length=120), nullable=False),
        sa.Column("actor_id", sa.String(length=120), nullable=False),
        sa.Column("merged_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name=op.f("fk_actor_redirects_actor_id_actors"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("old_id", name=op.f("pk_actor_redirects")),
    )
    with op.batch_alter_table("actor_redirects", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actor_redirects_actor_id"), ["actor_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("actor_redirects", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actor_redirects_actor_id"))
    op.drop_table("actor_redirects")
