"""ingest_jobs: batches of articles ingested by workers, with one status row per article

The job and every article's status live in the database, so progress survives the workers that
make it and a task delivered twice finds its article already done.

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "ingest_jobs",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("total", sa.Integer(), nullable=False),
        sa.Column("submitted_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_ingest_jobs")),
        sqlite_autoincrement=True,
    )
    op.create_table(
        "ingest_job_items",
        sa.Column("job_id", sa.Integer(), nullable=False),
        sa.Column("index", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("status", sa.String(length=10), nullable=False),
        sa.Column("payload", sa.JSON(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=True),
        sa.Column("created", sa.Boolean(), nullable=True),
        sa.Column("problem", sa.JSON(), nullable=True),
        sa.Column("finished_at", sa.DateTime(timezone=True), nullable=True),
        sa.CheckConstraint(
            "status IN ('pending', 'done', 'failed')", name=op.f("ck_ingest_job_items_status")
        ),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_ingest_job_items_article_id_articles"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["job_id"],
            ["ingest_jobs.id"],
            name=op.f("fk_ingest_job_items_job_id_ingest_jobs"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("job_id", "index", name=op.f("pk_ingest_job_items")),
    )
    with op.batch_alter_table("ingest_job_items", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_ingest_job_items_article_id"), ["article_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("ingest_job_items", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_ingest_job_items_article_id"))
    op.drop_table("ingest_job_items")
    op.drop_table("ingest_jobs")
