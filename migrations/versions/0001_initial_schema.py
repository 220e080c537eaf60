"""initial schema: articles, events, mentions, actors, locations

Revision ID: 0001
Revises:
Create Date: 2026-11-22 05:19:09.357554
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "actors",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("kind", sa.String(length=20), nullable=False),
        sa.Column("wikidata_id", sa.String(length=20), nullable=True),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint("kind IN ('person', 'organisation', 'country')", name=op.f("ck_actors_kind")),
        sa.CheckConstraint("origin IN ('gazetteer', 'api', 'extracted')", name=op.f("ck_actors_origin")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actors")),
        sa.UniqueConstraint("wikidata_id", name=op.f("uq_actors_wikidata_id")),
    )
    op.create_table(
        "articles",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=True),
        sa.Column("url", sa.String(length=2000), nullable=True),
        sa.Column("source", sa.String(length=200), nullable=True),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("published_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("published_date", sa.Date(), nullable=False),
        sa.Column("published_time_known", sa.Boolean(), nullable=False),
        sa.Column("content_hash", sa.String(length=64), nullable=False),
        sa.Column("ingested_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("extractor_version", sa.String(length=20), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_articles")),
        sa.UniqueConstraint("content_hash", name=op.f("uq_articles_content_hash")),
        sa.UniqueConstraint("url", name=op.f("uq_articles_url")),
    )
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_articles_published_date"), ["published_date"], unique=False)

    op.create_table(
        "locations",
        sa.Column("id", sa.String(length=120), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("lat", sa.Float(), nullable=True),
        sa.Column("lon", sa.Float(), nullable=True),
        sa.Column("country", sa.String(length=120), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_locations")),
    )
    op.create_table(
        "actor_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.String(length=120), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("normalised", sa.String(length=300), nullable=False),
        sa.Column("origin", sa.String(length=20), nullable=False),
        sa.CheckConstraint("origin IN ('gazetteer', 'api', 'extracted')", name=op.f("ck_actor_names_origin")),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name=op.f("fk_actor_names_actor_id_actors"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_actor_names")),
        sa.UniqueConstraint("actor_id", "language", "name", name=op.f("uq_actor_names_actor_id")),
    )
    with op.batch_alter_table("actor_names", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_actor_names_actor_id"), ["actor_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_actor_names_normalised"), ["normalised"], unique=False)

    op.create_table(
        "events",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("title", sa.String(length=500), nullable=False),
        sa.Column("date_start", sa.Date(), nullable=False),
        sa.Column("date_end", sa.Date(), nullable=False),
        sa.Column("granularity", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("location_id", sa.String(length=120), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "granularity IN ('day', 'week', 'month', 'year', 'range', 'season', 'unknown')",
            name=op.f("ck_events_granularity"),
        ),
        sa.CheckConstraint("status IN ('past', 'planned')", name=op.f("ck_events_status")),
        sa.CheckConstraint(
            "type IN ('video_summit', 'phone_call', 'visit', 'meeting', 'talks', 'consultation', 'summit', 'statement', 'agreement', 'message', 'announcement', 'military_exercise', 'election', 'other')",
            name=op.f("ck_events_type"),
        ),
        sa.CheckConstraint("confidence >= 0 AND confidence <= 1", name=op.f("ck_events_confidence")),
        sa.CheckConstraint("date_start <= date_end", name=op.f("ck_events_date_order")),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_events_location_id_locations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_events")),
    )
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.create_index("ix_events_date_end", ["date_end"], unique=False)
        batch_op.create_index("ix_events_date_start_id", ["date_start", "id"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_location_id"), ["location_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_events_type"), ["type"], unique=False)

    op.create_table(
        "location_names",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("location_id", sa.String(length=120), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("name", sa.String(length=300), nullable=False),
        sa.Column("normalised", sa.String(length=300), nullable=False),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_location_names_location_id_locations"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_location_names")),
        sa.UniqueConstraint("location_id", "language", "name", name=op.f("uq_location_names_location_id")),
    )
    with op.batch_alter_table("location_names", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_location_names_normalised"), ["normalised"], unique=False)

    op.create_table(
        "event_actors",
        sa.Column("event_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name=op.f("fk_event_actors_actor_id_actors"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_event_actors_event_id_events"), ondelete="CASCADE"
        ),
        sa.PrimaryKeyConstraint("event_id", "actor_id", name=op.f("pk_event_actors")),
    )
    with op.batch_alter_table("event_actors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_actors_actor_id"), ["actor_id"], unique=False)

    op.create_table(
        "event_mentions",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("event_id", sa.Integer(), nullable=True),
        sa.Column("article_id", sa.Integer(), nullable=False),
        sa.Column("sentence", sa.Text(), nullable=False),
        sa.Column("span_start", sa.Integer(), nullable=False),
        sa.Column("span_end", sa.Integer(), nullable=False),
        sa.Column("trigger", sa.String(length=200), nullable=False),
        sa.Column("expression", sa.String(length=300), nullable=True),
        sa.Column("expression_start", sa.Integer(), nullable=True),
        sa.Column("expression_end", sa.Integer(), nullable=True),
        sa.Column("resolution", sa.String(length=20), nullable=False),
        sa.Column("type", sa.String(length=40), nullable=False),
        sa.Column("date_start", sa.Date(), nullable=False),
        sa.Column("date_end", sa.Date(), nullable=False),
        sa.Column("granularity", sa.String(length=20), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("location_id", sa.String(length=120), nullable=True),
        sa.Column("confidence", sa.Float(), nullable=False),
        sa.CheckConstraint(
            "granularity IN ('day', 'week', 'month', 'year', 'range', 'season', 'unknown')",
            name=op.f("ck_event_mentions_granularity"),
        ),
        sa.CheckConstraint(
            "resolution IN ('explicit', 'publication', 'previous', 'weekday', 'discourse')",
            name=op.f("ck_event_mentions_resolution"),
        ),
        sa.CheckConstraint("status IN ('past', 'planned')", name=op.f("ck_event_mentions_status")),
        sa.CheckConstraint(
            "type IN ('video_summit', 'phone_call', 'visit', 'meeting', 'talks', 'consultation', 'summit', 'statement', 'agreement', 'message', 'announcement', 'military_exercise', 'election', 'other')",
            name=op.f("ck_event_mentions_type"),
        ),
        sa.CheckConstraint("confidence >= 0 AND confidence <= 1", name=op.f("ck_event_mentions_confidence")),
        sa.CheckConstraint("date_start <= date_end", name=op.f("ck_event_mentions_date_order")),
        sa.CheckConstraint("span_start >= 0 AND span_start <= span_end", name=op.f("ck_event_mentions_span")),
        sa.ForeignKeyConstraint(
            ["article_id"],
            ["articles.id"],
            name=op.f("fk_event_mentions_article_id_articles"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["event_id"], ["events.id"], name=op.f("fk_event_mentions_event_id_events"), ondelete="SET NULL"
        ),
        sa.ForeignKeyConstraint(
            ["location_id"],
            ["locations.id"],
            name=op.f("fk_event_mentions_location_id_locations"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_event_mentions")),
    )
    with op.batch_alter_table("event_mentions", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_event_mentions_article_id"), ["article_id"], unique=False)
        batch_op.create_index(
            "ix_event_mentions_date_start_date_end", ["date_start", "date_end"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_event_mentions_event_id"), ["event_id"], unique=False)

    op.create_table(
        "mention_actors",
        sa.Column("mention_id", sa.Integer(), nullable=False),
        sa.Column("actor_id", sa.String(length=120), nullable=False),
        sa.Column("role", sa.String(length=40), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["actor_id"], ["actors.id"], name=op.f("fk_mention_actors_actor_id_actors"), ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["mention_id"],
            ["event_mentions.id"],
            name=op.f("fk_mention_actors_mention_id_event_mentions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("mention_id", "actor_id", name=op.f("pk_mention_actors")),
    )
    with op.batch_alter_table("mention_actors", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_mention_actors_actor_id"), ["actor_id"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("mention_actors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_mention_actors_actor_id"))

    op.drop_table("mention_actors")
    with op.batch_alter_table("event_mentions", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_mentions_event_id"))
        batch_op.drop_index("ix_event_mentions_date_start_date_end")
        batch_op.drop_index(batch_op.f("ix_event_mentions_article_id"))

    op.drop_table("event_mentions")
    with op.batch_alter_table("event_actors", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_event_actors_actor_id"))

    op.drop_table("event_actors")
    with op.batch_alter_table("location_names", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_location_names_normalised"))

    op.drop_table("location_names")
    with op.batch_alter_table("events", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_events_type"))
        batch_op.drop_index(batch_op.f("ix_events_location_id"))
        batch_op.drop_index("ix_events_date_start_id")
        batch_op.drop_index("ix_events_date_end")

    op.drop_table("events")
    with op.batch_alter_table("actor_names", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_actor_names_normalised"))
        batch_op.drop_index(batch_op.f("ix_actor_names_actor_id"))

    op.drop_table("actor_names")
    op.drop_table("locations")
    with op.batch_alter_table("articles", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_articles_published_date"))

    op.drop_table("articles")
    op.drop_table("actors")
