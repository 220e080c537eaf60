"""Database models (SQLAlchemy 2.0 declarative, constraints enforced by the database)."""

from __future__ import annotations

from datetime import UTC, date, datetime

from sqlalchemy import (
    JSON,
    BigInteger,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    MetaData,
    String,
    Text,
    TypeDecorator,
    UniqueConstraint,
    event,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, Session, mapped_column, relationship

from service.pipeline.normalise import normalise_word
from service.vocabulary import (
    ACTOR_KINDS,
    ACTOR_ORIGINS,
    EVENT_TYPES,
    GRANULARITIES,
    JOB_ITEM_STATUSES,
    RESOLUTIONS,
    STATUSES,
    sql_in,
)

NAMING_CONVENTION = {
    "ix": "ix_%(column_0_label)s",
    "uq": "uq_%(table_name)s_%(column_0_name)s",
    "ck": "ck_%(table_name)s_%(constraint_name)s",
    "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
    "pk": "pk_%(table_name)s",
}


class UTCDateTime(TypeDecorator[datetime]):
    """A timezone-aware datetime stored in UTC on every backend (SQLite keeps no offset)."""

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime")
        return value.astimezone(UTC)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def utcnow() -> datetime:
    return datetime.now(UTC)


# Indexes migration 0005 creates on PostgreSQL alone (GiST and trigram GIN; docs/QUERIES.md): they
# are not declared on the models, which must also create SQLite schemas, where they cannot exist.
POSTGRESQL_ONLY_INDEXES = frozenset(
    {
        "ix_events_date_range",
        "ix_events_search_title_trgm",
        "ix_event_mentions_search_text_trgm",
        "ix_actors_name_lower",  # migration 0009: SQLite cannot reflect an expression index
    }
)


# Text indexes migration 0010 creates on SQLite alone: FTS5 trigram tables (what the trigram GIN
# indexes are on PostgreSQL), kept in step with their column by triggers. Table -> (table, column).
TITLE_TEXT_INDEX, MENTION_TEXT_INDEX = "fts_events_search_title", "fts_event_mentions_search_text"
SQLITE_TEXT_INDEXES = {
    TITLE_TEXT_INDEX: ("events", "search_title"),
    MENTION_TEXT_INDEX: ("event_mentions", "search_text"),
}


# Created by migration 0010 on SQLite alone: date windows and their stats read from the index only
# (PostgreSQL finds a window's events through the GiST index on the range).
SQLITE_ONLY_INDEXES = frozenset({"ix_events_date_start_id_date_end"})


def sqlite_only_table(name: str) -> bool:
    """Is this a text index of SQLITE_TEXT_INDEXES or one of the shadow tables FTS5 keeps for it?"""
    return any(name == index or name.startswith(f"{index}_") for index in SQLITE_TEXT_INDEXES)


class Base(DeclarativeBase):
    metadata = MetaData(naming_convention=NAMING_CONVENTION)


class Article(Base):
    __tablename__ = "articles"
    # AUTOINCREMENT: SQLite never hands a deleted article's id to another (PostgreSQL sequences never do).
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str | None] = mapped_column(String(500))
    url: Mapped[str | None] = mapped_column(String(2000), unique=True)
    source: Mapped[str | None] = mapped_column(String(200))
    language: Mapped[str] = mapped_column(String(8))
    text: Mapped[str] = mapped_column(Text)
    # The instant as sent (midnight UTC for a bare date) and the calendar date it anchors, the
    # local date where it was published (2024-05-01T23:30-05:00 anchors 1 May, not 2 May UTC).
    published_at: Mapped[datetime] = mapped_column(UTCDateTime())
    published_date: Mapped[date] = mapped_column(Date, index=True)
    published_time_known: Mapped[bool] = mapped_column(default=False)
    # Seconds east of UTC that the time was given with (None for a bare date, or stored before 0008).
    published_offset: Mapped[int | None] = mapped_column(Integer)
    content_hash: Mapped[str] = mapped_column(String(64), unique=True)
    ingested_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    extractor_version: Mapped[str] = mapped_column(String(20))
    # Why extraction found less than it might have (its time budget ran out, it failed); else None.
    extraction_note: Mapped[str | None] = mapped_column(String(300))

    mentions: Mapped[list[EventMention]] = relationship(
        back_populates="article", cascade="all, delete-orphan", passive_deletes=True
    )


class Location(Base):
    __tablename__ = "locations"

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    lat: Mapped[float | None] = mapped_column(Float)
    lon: Mapped[float | None] = mapped_column(Float)
    country: Mapped[str | None] = mapped_column(String(120))

    names: Mapped[list[LocationName]] = relationship(
        back_populates="location", cascade="all, delete-orphan", passive_deletes=True
    )


class LocationName(Base):
    __tablename__ = "location_names"
    __table_args__ = (UniqueConstraint("location_id", "language", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    location_id: Mapped[str] = mapped_column(ForeignKey("locations.id", ondelete="CASCADE"))
    language: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(300))
    normalised: Mapped[str] = mapped_column(String(300), index=True)

    location: Mapped[Location] = relationship(back_populates="names")


class Actor(Base):
    __tablename__ = "actors"
    __table_args__ = (
        CheckConstraint(sql_in("kind", ACTOR_KINDS), name="kind"),
        CheckConstraint(sql_in("origin", ACTOR_ORIGINS), name="origin"),
    )

    id: Mapped[str] = mapped_column(String(120), primary_key=True)
    name: Mapped[str] = mapped_column(String(300))
    kind: Mapped[str] = mapped_column(String(20))
    wikidata_id: Mapped[str | None] = mapped_column(String(20), unique=True)
    # "gazetteer" (shipped data files), "api" (added by a client) or "extracted" (an unknown
    # person named with a title in an article).
    origin: Mapped[str] = mapped_column(String(20), default="gazetteer")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)

    names: Mapped[list[ActorName]] = relationship(
        back_populates="actor", cascade="all, delete-orphan", passive_deletes=True, order_by="ActorName.id"
    )


class ActorRedirect(Base):
    """An actor id merged into another actor by an analyst: the id answers with where it went, and
    re-extraction that reads the old actor again stores the one it was merged into."""

    __tablename__ = "actor_redirects"

    old_id: Mapped[str] = mapped_column(String(120), primary_key=True)
    actor_id: Mapped[str] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    merged_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class ActorName(Base):
    __tablename__ = "actor_names"
    __table_args__ = (
        UniqueConstraint("actor_id", "language", "name"),
        CheckConstraint(sql_in("origin", ACTOR_ORIGINS), name="origin"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    actor_id: Mapped[str] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), index=True)
    language: Mapped[str] = mapped_column(String(8))
    name: Mapped[str] = mapped_column(String(300))
    normalised: Mapped[str] = mapped_column(String(300), index=True)
    origin: Mapped[str] = mapped_column(String(20), default="gazetteer")

    actor: Mapped[Actor] = relationship(back_populates="names")


class Event(Base):
    """One real-world happening on the timeline; its mentions are the evidence."""

    __tablename__ = "events"
    __table_args__ = (
        CheckConstraint(sql_in("type", EVENT_TYPES), name="type"),
        CheckConstraint(sql_in("granularity", GRANULARITIES), name="granularity"),
        CheckConstraint(sql_in("status", STATUSES), name="status"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence"),
        CheckConstraint("date_start <= date_end", name="date_order"),
        Index("ix_events_date_start_id", "date_start", "id"),
        Index("ix_events_date_end", "date_end"),
        # max(span_days) from this index bounds how early an event overlapping a window can start.
        Index("ix_events_span_days", "span_days"),
        # Permalinks, calendar UIDs and analysts' notes name events by id: never hand one out twice.
        {"sqlite_autoincrement": True},
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    type: Mapped[str] = mapped_column(String(40), index=True)
    title: Mapped[str] = mapped_column(String(500))
    # The title normalised like article text (normalise_word), what `q` searches; kept by flushes
    # and by re-merging, which writes rows itself (usecases._event_row).
    search_title: Mapped[str] = mapped_column(String(500), default="")
    date_start: Mapped[date] = mapped_column(Date)
    date_end: Mapped[date] = mapped_column(Date)
    # Days from date_start to date_end (kept like search_title): see store.widest_span.
    span_days: Mapped[int] = mapped_column(Integer, default=0)
    granularity: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    location_id: Mapped[str | None] = mapped_column(
        ForeignKey("locations.id", ondelete="SET NULL"), index=True
    )
    confidence: Mapped[float] = mapped_column(Float)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow, onupdate=utcnow)

    location: Mapped[Location | None] = relationship()
    mentions: Mapped[list[EventMention]] = relationship(
        back_populates="event", order_by="EventMention.id", passive_deletes=True
    )
    actor_links: Mapped[list[EventActor]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="EventActor.position"
    )


class EventRedirect(Base):
    """An event id that names no event any more: the event it merged into, or None when it vanished."""

    __tablename__ = "event_redirects"

    old_id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    # SET NULL: when the surviving event vanishes too, the ids redirected to it are gone as well.
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), index=True)
    retired_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class EventActor(Base):
    __tablename__ = "event_actors"
    # An actor's events in timeline order straight from the index: `?actor=` pages without a sort.
    __table_args__ = (Index("ix_event_actors_actor_id_date_start", "actor_id", "date_start", "event_id"),)

    event_id: Mapped[int] = mapped_column(ForeignKey("events.id", ondelete="CASCADE"), primary_key=True)
    actor_id: Mapped[str] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), default="participant")
    position: Mapped[int] = mapped_column(Integer, default=0)
    # A copy of the event's start date (kept by flushes, see _denormalise, and by re-merging) for the
    # index above.
    date_start: Mapped[date] = mapped_column(Date)

    actor: Mapped[Actor] = relationship()


class EventMention(Base):
    """What one article sentence says about an event: the evidence and everything needed to re-merge."""

    __tablename__ = "event_mentions"
    __table_args__ = (
        CheckConstraint(sql_in("type", EVENT_TYPES), name="type"),
        CheckConstraint(sql_in("granularity", GRANULARITIES), name="granularity"),
        CheckConstraint(sql_in("status", STATUSES), name="status"),
        CheckConstraint(sql_in("resolution", RESOLUTIONS), name="resolution"),
        CheckConstraint("confidence >= 0 AND confidence <= 1", name="confidence"),
        CheckConstraint("date_start <= date_end", name="date_order"),
        CheckConstraint("span_start >= 0 AND span_start <= span_end", name="span"),
        Index("ix_event_mentions_date_start_date_end", "date_start", "date_end"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int | None] = mapped_column(ForeignKey("events.id", ondelete="SET NULL"), index=True)
    article_id: Mapped[int] = mapped_column(ForeignKey("articles.id", ondelete="CASCADE"), index=True)
    sentence: Mapped[str] = mapped_column(Text)
    # The sentence normalised like article text, what `q` searches (set by flushes and store.add_mentions).
    search_text: Mapped[str] = mapped_column(Text, default="")
    span_start: Mapped[int] = mapped_column(Integer)
    span_end: Mapped[int] = mapped_column(Integer)
    trigger: Mapped[str] = mapped_column(String(200))
    expression: Mapped[str | None] = mapped_column(String(300))
    expression_start: Mapped[int | None] = mapped_column(Integer)
    expression_end: Mapped[int | None] = mapped_column(Integer)
    resolution: Mapped[str] = mapped_column(String(20))
    type: Mapped[str] = mapped_column(String(40))
    date_start: Mapped[date] = mapped_column(Date)
    date_end: Mapped[date] = mapped_column(Date)
    granularity: Mapped[str] = mapped_column(String(20))
    status: Mapped[str] = mapped_column(String(20))
    location_id: Mapped[str | None] = mapped_column(ForeignKey("locations.id", ondelete="SET NULL"))
    confidence: Mapped[float] = mapped_column(Float)

    article: Mapped[Article] = relationship(back_populates="mentions")
    event: Mapped[Event | None] = relationship(back_populates="mentions")
    actor_links: Mapped[list[MentionActor]] = relationship(
        cascade="all, delete-orphan", passive_deletes=True, order_by="MentionActor.position"
    )


class MentionActor(Base):
    __tablename__ = "mention_actors"
    # Re-merging finds a new mention's candidates by actor and overlapping dates in this index alone:
    # news is mostly about recent days, so `date_end >= start` reads few entries (docs/QUERIES.md).
    __table_args__ = (
        Index("ix_mention_actors_actor_id_date_end", "actor_id", "date_end", "date_start", "mention_id"),
    )

    mention_id: Mapped[int] = mapped_column(
        ForeignKey("event_mentions.id", ondelete="CASCADE"), primary_key=True
    )
    actor_id: Mapped[str] = mapped_column(ForeignKey("actors.id", ondelete="CASCADE"), primary_key=True)
    role: Mapped[str] = mapped_column(String(40), default="participant")
    position: Mapped[int] = mapped_column(Integer, default=0)
    # Copies of the mention's dates (mentions never change them), set by flushes and store.add_mentions,
    # for the index above.
    date_start: Mapped[date] = mapped_column(Date)
    date_end: Mapped[date] = mapped_column(Date)


class TimelineVersion(Base):
    """One row counting the writes: list responses take their ETag from it instead of aggregates."""

    __tablename__ = "timeline_version"
    __table_args__ = (CheckConstraint("id = 1", name="single_row"),)

    id: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    version: Mapped[int] = mapped_column(BigInteger, default=0)
    changed_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


@event.listens_for(Session, "before_flush")
def _denormalise(session: Session, _context: object, _instances: object) -> None:
    """Keep the copied columns in step with their source on every flush, whoever writes the rows."""
    for row in (*session.new, *session.dirty):
        if isinstance(row, Event):
            if row.title is not None:
                row.search_title = normalise_word(row.title)
            if row.date_start is not None and row.date_end is not None:
                row.span_days = (row.date_end - row.date_start).days
            for link in row.actor_links:
                link.date_start = row.date_start
        elif isinstance(row, EventMention) and row in session.new:
            row.search_text = normalise_word(row.sentence)
            for mention_link in row.actor_links:
                mention_link.date_start, mention_link.date_end = row.date_start, row.date_end


class ApiKey(Base):
    """A client's API key: only its SHA-256 is stored; the key itself is shown once, at creation."""

    __tablename__ = "api_keys"
    __table_args__ = (CheckConstraint("scope IN ('read', 'write')", name="scope"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    # The key's first characters, to tell keys apart in `flask keys list` and in logs.
    prefix: Mapped[str] = mapped_column(String(16))
    key_hash: Mapped[str] = mapped_column(String(64), unique=True)
    scope: Mapped[str] = mapped_column(String(10), default="write")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)
    revoked_at: Mapped[datetime | None] = mapped_column(UTCDateTime())


class IngestJob(Base):
    """A batch of articles submitted at once and ingested by workers; progress lives in its items."""

    __tablename__ = "ingest_jobs"
    __table_args__ = ({"sqlite_autoincrement": True},)

    id: Mapped[int] = mapped_column(primary_key=True)
    total: Mapped[int] = mapped_column(Integer)
    submitted_at: Mapped[datetime] = mapped_column(UTCDateTime(), default=utcnow)


class IngestJobItem(Base):
    """One article of an ingest job: its input until stored, then the article it became or its problem."""

    __tablename__ = "ingest_job_items"
    __table_args__ = (CheckConstraint(sql_in("status", JOB_ITEM_STATUSES), name="status"),)

    job_id: Mapped[int] = mapped_column(ForeignKey("ingest_jobs.id", ondelete="CASCADE"), primary_key=True)
    # The article's position in the submitted batch, from 0.
    index: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    status: Mapped[str] = mapped_column(String(10), default="pending")
    # The validated article while pending (cleared once stored, so the text is not kept twice).
    payload: Mapped[dict | None] = mapped_column(JSON)
    article_id: Mapped[int | None] = mapped_column(ForeignKey("articles.id", ondelete="SET NULL"), index=True)
    # True when this item stored the article, False when the article was stored before.
    created: Mapped[bool | None]
    # Why a failed item was given up on: {"status", "title", "detail"} as in a problem+json body.
    problem: Mapped[dict | None] = mapped_column(JSON)
    finished_at: Mapped[datetime | None] = mapped_column(UTCDateTime())
