"""Query functions over a session: read and stage rows, never commit (use cases commit)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from dataclasses import asdict, dataclass, field
from datetime import date, datetime

from sqlalchemy import ColumnElement, Select, and_, case, false, func, insert, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session, joinedload, selectinload

from service.models import (
    Actor,
    ActorName,
    Article,
    Base,
    Event,
    EventActor,
    EventMention,
    EventRedirect,
    IngestJobItem,
    Location,
    LocationName,
)
from service.pipeline.normalise import normalise_word


class InvalidCursor(ValueError):
    """A pagination cursor that this service did not issue, or issued for another query."""


NOT_A_CURSOR = "not a cursor issued by this service"
OTHER_QUERY = (
    "this cursor continues a query with other filters or another sort order; repeat that query's "
    "filters with it, or leave 'cursor' out to start from the first page"
)


@dataclass(frozen=True)
class EventFilters:
    actors: tuple[str, ...] = ()
    types: tuple[str, ...] = ()
    date_from: date | None = None
    date_to: date | None = None
    location: str | None = None
    status: str | None = None
    article_id: int | None = None
    min_confidence: float | None = None
    q: str | None = None
    granularities: tuple[str, ...] = ()  # any of these; empty: every granularity


@dataclass
class Page:
    items: list = field(default_factory=list)
    next_cursor: str | None = None


def fingerprint(*parts: object) -> str:
    """A short hash of a query's normalised filters, carried in its cursors."""
    text = json.dumps(parts, sort_keys=True, default=str, ensure_ascii=False)
    return hashlib.sha256(text.encode()).hexdigest()[:16]


def event_query_fingerprint(filters: EventFilters, descending: bool) -> str:
    """The same for filters that mean the same (list filters in any order, repeats or not)."""
    normalised = {
        key: sorted(set(value)) if isinstance(value, tuple) else value
        for key, value in asdict(filters).items()
    }
    return fingerprint("events", normalised, descending)


def actor_query_fingerprint(q: str | None, kind: str | None) -> str:
    """The same for an actor search (shipped actors merged into its pages carry it too)."""
    return fingerprint("actors", q, kind)


def encode_cursor(values: list, query: str) -> str:
    """An opaque cursor: the keys of a page's last row and the fingerprint of the query it ends."""
    return base64.urlsafe_b64encode(json.dumps([query, *values]).encode()).decode().rstrip("=")


MAX_ID = 2**31 - 1  # ids are 32-bit integers on every backend


def valid_id(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= MAX_ID


def storable_text(text: str) -> bool:
    """False for text a database cannot take: NUL (PostgreSQL) or a lone surrogate (not UTF-8)."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in text


def decode_cursor(cursor: str, shape: tuple[type, ...], query: str) -> list:
    """The values inside a cursor, checked against the types this service puts there and the query.

    A cursor of another query (other filters, another order) is refused rather than followed: the
    page it led to would silently belong to neither query.
    """
    try:
        padded = cursor + "=" * (-len(cursor) % 4)
        content = json.loads(base64.urlsafe_b64decode(padded.encode()).decode())
    except (binascii.Error, ValueError, UnicodeDecodeError) as error:
        raise InvalidCursor(NOT_A_CURSOR) from error
    if not isinstance(content, list) or len(content) != len(shape) + 1 or not isinstance(content[0], str):
        raise InvalidCursor(NOT_A_CURSOR)
    issued_for, *values = content
    for value, kind in zip(values, shape, strict=True):
        if not (valid_id(value) if kind is int else isinstance(value, kind) and storable_text(value)):
            raise InvalidCursor(NOT_A_CURSOR)
    if issued_for != query:
        raise InvalidCursor(OTHER_QUERY)
    return values


# -- events ---------------------------------------------------------------------------------------

_EVENT_LOADING = (
    # names: titles and names are rendered in the reader's language (service/names.py)
    selectinload(Event.actor_links).selectinload(EventActor.actor).selectinload(Actor.names),
    selectinload(Event.location).selectinload(Location.names),
    # A mention and its article in one statement: an article deleted meanwhile takes its mentions
    # with it (cascade), so a mention is never read without its article.
    selectinload(Event.mentions).joinedload(EventMention.article, innerjoin=True),
)


def _actor_ids_per_value(session: Session, values: tuple[str, ...]) -> list[set[str]]:
    """For each requested actor text, the ids of the actors it names (one query for all of them)."""
    lowered = {value: value.lower() for value in values}
    normalised = {value: normalise_word(value) for value in values}
    rows = session.execute(
        select(Actor.id, func.lower(Actor.name), ActorName.normalised)
        .outerjoin(
            ActorName,
            and_(ActorName.actor_id == Actor.id, ActorName.normalised.in_(set(normalised.values()))),
        )
        .where(
            or_(
                Actor.id.in_(set(values)),
                func.lower(Actor.name).in_(set(lowered.values())),
                ActorName.id.is_not(None),
            )
        )
    ).all()
    return [
        {
            actor_id
            for actor_id, name, alias in rows
            if actor_id == value or name == lowered[value] or alias == normalised[value]
        }
        for value in values
    ]


def _events_with_every_actor(session: Session, values: tuple[str, ...]) -> ColumnElement[bool]:
    """Events that have, for every requested actor text, one of the actors it names.

    One grouped subquery whatever the number of values (not one subquery per value): an event
    qualifies when each requested set contains at least one of its actors.
    """
    wanted = {frozenset(ids) for ids in _actor_ids_per_value(session, tuple(dict.fromkeys(values)))}
    if frozenset() in wanted:
        return false()  # some requested actor is unknown, so no event has every one
    every_id = set().union(*wanted)
    matching = (
        select(EventActor.event_id)
        .where(EventActor.actor_id.in_(every_id))
        .group_by(EventActor.event_id)
        .having(
            and_(
                *(
                    func.max(case((EventActor.actor_id.in_(ids), 1), else_=0)) == 1
                    for ids in sorted(wanted, key=sorted)
                )
            )
        )
    )
    return Event.id.in_(matching)


def filtered_events(session: Session, filters: EventFilters) -> Select:
    """A SELECT of events matching every given filter."""
    query = select(Event)
    if filters.actors:
        query = query.where(_events_with_every_actor(session, filters.actors))
    if filters.types:
        query = query.where(Event.type.in_(filters.types))
    if filters.granularities:
        query = query.where(Event.granularity.in_(filters.granularities))
    if filters.date_from:
        query = query.where(Event.date_end >= filters.date_from)
    if filters.date_to:
        query = query.where(Event.date_start <= filters.date_to)
    if filters.location:
        normalised = normalise_word(filters.location)
        query = query.where(
            or_(
                Event.location_id == filters.location,
                Event.location_id.in_(
                    select(LocationName.location_id).where(LocationName.normalised == normalised)
                ),
                Event.location_id.in_(
                    select(Location.id).where(func.lower(Location.name) == filters.location.lower())
                ),
            )
        )
    if filters.status:
        query = query.where(Event.status == filters.status)
    if filters.article_id is not None:
        query = query.where(
            Event.id.in_(select(EventMention.event_id).where(EventMention.article_id == filters.article_id))
        )
    if filters.min_confidence is not None:
        query = query.where(Event.confidence >= filters.min_confidence)
    if filters.q:
        # autoescape: % and _ in the text match themselves, not any characters
        query = query.where(
            or_(
                Event.title.icontains(filters.q, autoescape=True),
                Event.id.in_(
                    select(EventMention.event_id).where(
                        EventMention.sentence.icontains(filters.q, autoescape=True)
                    )
                ),
            )
        )
    return query


def page_events(
    session: Session, filters: EventFilters, limit: int, cursor: str | None, descending: bool
) -> Page:
    """One keyset page of events ordered by (start date, id); stable while new events arrive."""
    query = filtered_events(session, filters)
    issued_for = event_query_fingerprint(filters, descending)
    if cursor:
        start_text, last_id = decode_cursor(cursor, (str, int), issued_for)
        try:
            last_start = date.fromisoformat(start_text)
        except (TypeError, ValueError) as error:
            raise InvalidCursor(NOT_A_CURSOR) from error
        if descending:
            query = query.where(
                or_(Event.date_start < last_start, and_(Event.date_start == last_start, Event.id < last_id))
            )
        else:
            query = query.where(
                or_(Event.date_start > last_start, and_(Event.date_start == last_start, Event.id > last_id))
            )
    order = (Event.date_start.desc(), Event.id.desc()) if descending else (Event.date_start, Event.id)
    rows = list(session.scalars(query.order_by(*order).limit(limit + 1).options(*_EVENT_LOADING)))
    page = Page(items=rows[:limit])
    if len(rows) > limit:
        last = rows[limit - 1]
        page.next_cursor = encode_cursor([last.date_start.isoformat(), last.id], issued_for)
    return page


def get_event(session: Session, event_id: int) -> Event | None:
    if not valid_id(event_id):
        return None
    return session.scalars(select(Event).where(Event.id == event_id).options(*_EVENT_LOADING)).first()


def retired_event(session: Session, event_id: int) -> EventRedirect | None:
    """Where a retired event id points now (event_id None: the event vanished); None if never retired."""
    if not valid_id(event_id):
        return None
    return session.get(EventRedirect, event_id)


def retire_event(session: Session, old_id: int, event_id: int | None) -> None:
    """Record that `old_id` merged into `event_id` (None: vanished), and repoint ids that pointed to it."""
    session.execute(update(EventRedirect).where(EventRedirect.event_id == old_id).values(event_id=event_id))
    session.add(EventRedirect(old_id=old_id, event_id=event_id))


# -- articles -------------------------------------------------------------------------------------


def find_article(session: Session, url: str | None, content_hash: str) -> Article | None:
    """The stored article with this url (when given) or this content hash."""
    condition = Article.content_hash == content_hash
    if url:
        condition = or_(condition, Article.url == url)
    return session.scalars(select(Article).where(condition).limit(1)).first()


def page_articles(session: Session, limit: int, cursor: str | None) -> Page:
    """Articles newest first (by id), keyset paginated."""
    query = select(Article).order_by(Article.id.desc())
    issued_for = fingerprint("articles")
    if cursor:
        (last_id,) = decode_cursor(cursor, (int,), issued_for)
        query = query.where(Article.id < last_id)
    rows = list(session.scalars(query.limit(limit + 1)))
    page = Page(items=rows[:limit])
    if len(rows) > limit:
        page.next_cursor = encode_cursor([rows[limit - 1].id], issued_for)
    return page


def events_of_article(session: Session, article_id: int) -> list[Event]:
    query = (
        select(Event)
        .where(Event.id.in_(select(EventMention.event_id).where(EventMention.article_id == article_id)))
        .order_by(Event.date_start, Event.id)
        .options(*_EVENT_LOADING)
    )
    return list(session.scalars(query))


def article_ids(session: Session, not_version: str | None = None) -> list[int]:
    """Ids of stored articles (those extracted by another version than `not_version`), oldest first."""
    query = select(Article.id).order_by(Article.id)
    if not_version is not None:
        query = query.where(Article.extractor_version != not_version)
    return list(session.scalars(query))


# -- mentions (merging) ---------------------------------------------------------------------------


def mentions_by_ids(session: Session, ids: set[int]) -> list[EventMention]:
    if not ids:
        return []
    query = (
        select(EventMention)
        .where(EventMention.id.in_(ids))
        .options(selectinload(EventMention.actor_links), joinedload(EventMention.article, innerjoin=True))
    )
    return list(session.scalars(query))


def overlapping_mention_ids(session: Session, start: date, end: date, types: tuple[str, ...]) -> set[int]:
    """Ids of stored mentions of these types whose dates overlap [start, end]."""
    query = select(EventMention.id).where(
        EventMention.date_start <= end, EventMention.date_end >= start, EventMention.type.in_(types)
    )
    return set(session.scalars(query))


# -- actors and locations -------------------------------------------------------------------------


def actor_with_counts() -> Select:
    counts = (
        select(EventActor.actor_id, func.count(EventActor.event_id).label("event_count"))
        .group_by(EventActor.actor_id)
        .subquery()
    )
    return select(Actor, func.coalesce(counts.c.event_count, 0)).outerjoin(
        counts, counts.c.actor_id == Actor.id
    )


def page_actors(session: Session, q: str | None, kind: str | None, limit: int, cursor: str | None) -> Page:
    """Actors by name (then id) with their event counts; q matches the name or any alias."""
    query = actor_with_counts().options(selectinload(Actor.names))
    if q:
        normalised = normalise_word(q)
        query = query.where(
            or_(
                Actor.id == q,
                Actor.name.icontains(q, autoescape=True),
                Actor.id.in_(
                    select(ActorName.actor_id).where(
                        ActorName.normalised.contains(normalised, autoescape=True)
                    )
                ),
            )
        )
    if kind:
        query = query.where(Actor.kind == kind)
    issued_for = actor_query_fingerprint(q, kind)
    if cursor:
        last_name, last_id = decode_cursor(cursor, (str, str), issued_for)
        query = query.where(or_(Actor.name > last_name, and_(Actor.name == last_name, Actor.id > last_id)))
    rows = list(session.execute(query.order_by(Actor.name, Actor.id).limit(limit + 1)))
    page = Page(items=[(actor, count) for actor, count in rows[:limit]])
    if len(rows) > limit:
        last = rows[limit - 1][0]
        page.next_cursor = encode_cursor([last.name, last.id], issued_for)
    return page


def get_actor(session: Session, actor_id: str) -> tuple[Actor, int] | None:
    if "\x00" in actor_id:
        return None
    query = actor_with_counts().where(Actor.id == actor_id).options(selectinload(Actor.names))
    row = session.execute(query).first()
    return (row[0], row[1]) if row else None


def stored_actor_ids(session: Session, ids: list[str]) -> set[str]:
    """Which of these actor ids are stored."""
    if not ids:
        return set()
    return set(session.scalars(select(Actor.id).where(Actor.id.in_(set(ids)))))


def actors_with_api_names(session: Session) -> list[Actor]:
    """Actors not from the shipped gazetteer, and actors given aliases through the API."""
    query = (
        select(Actor)
        .where(
            or_(
                Actor.origin != "gazetteer",
                Actor.id.in_(select(ActorName.actor_id).where(ActorName.origin != "gazetteer")),
            )
        )
        .options(selectinload(Actor.names))
    )
    return list(session.scalars(query))


def actor_names_version(session: Session) -> tuple[int, int]:
    """Changes whenever an actor or alias is added: (count of names, highest name id)."""
    count, highest = session.execute(select(func.count(ActorName.id), func.max(ActorName.id))).one()
    return int(count or 0), int(highest or 0)


def mention_actor_ids(mention: EventMention) -> list[str]:
    return [link.actor_id for link in sorted(mention.actor_links, key=lambda link: link.position)]


# -- writing under concurrency ---------------------------------------------------------------------

# Any fixed number: the key of the PostgreSQL advisory lock that serialises re-merging.
MERGE_LOCK_KEY = 0x7469_6D65


def begin_write(session: Session) -> None:
    """Start a write transaction; on SQLite take the write lock now (BEGIN IMMEDIATE).

    A deferred SQLite transaction that reads and then writes can fail with "database is locked"
    without waiting; taking the lock first makes writers queue (busy timeout) and read a snapshot.
    """
    connection = session.connection()
    if connection.dialect.name == "sqlite":
        dbapi = connection.connection.dbapi_connection
        if dbapi is not None and not dbapi.in_transaction:
            connection.exec_driver_sql("BEGIN IMMEDIATE")


def lock_merging(session: Session) -> None:
    """Wait for the merge lock, held until the transaction ends, so re-merges run one at a time.

    On PostgreSQL a transaction-level advisory lock; SQLite write transactions are serialised already.
    Every statement after it (READ COMMITTED) sees all mentions committed by earlier merges.
    """
    if session.get_bind().dialect.name == "postgresql":
        session.execute(select(func.pg_advisory_xact_lock(MERGE_LOCK_KEY)))


def insert_missing(session: Session, model: type[Base], rows: list[dict], key: tuple[str, ...]) -> set[tuple]:
    """Insert the rows whose key is not stored yet, even if another transaction races to insert it.

    INSERT ... ON CONFLICT (key) DO NOTHING: a racing insert waits for the other transaction and
    then skips the row instead of failing. Rows go in key order, so racing writers never deadlock.
    Returns the keys of the rows this call inserted.
    """
    if not rows:
        return set()
    table = model.__table__
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    unique = {tuple(row[column] for column in key): row for row in rows}
    ordered = [unique[k] for k in sorted(unique)]
    statement = (
        dialect.insert(table)
        .values(ordered)
        .on_conflict_do_nothing(index_elements=list(key))
        .returning(*(table.c[column] for column in key))
    )
    return {tuple(row) for row in session.execute(statement)}


# -- ingest jobs ---------------------------------------------------------------------------------


def add_job_items(session: Session, job_id: int, payloads: list[dict]) -> None:
    """Stage one pending item per article of a job, numbered from 0 in batch order."""
    rows = [
        {"job_id": job_id, "index": index, "status": "pending", "payload": payload}
        for index, payload in enumerate(payloads)
    ]
    session.execute(insert(IngestJobItem), rows)


def pending_job_item(session: Session, job_id: int, index: int) -> IngestJobItem | None:
    """The item if it still waits to be ingested, read afresh; None when done, failed or unknown."""
    statement = select(IngestJobItem).where(
        IngestJobItem.job_id == job_id, IngestJobItem.index == index, IngestJobItem.status == "pending"
    )
    return session.scalar(statement.execution_options(populate_existing=True))


def finish_job_item(
    session: Session, job_id: int, index: int, finished_at: datetime, **values: object
) -> bool:
    """Mark a pending item done or failed; False when another delivery of the same task got there first."""
    statement = (
        update(IngestJobItem)
        .where(
            IngestJobItem.job_id == job_id, IngestJobItem.index == index, IngestJobItem.status == "pending"
        )
        .values(payload=None, finished_at=finished_at, **values)
        .execution_options(synchronize_session=False)
    )
    return session.execute(statement).rowcount == 1


def job_item_counts(session: Session, job_id: int) -> list[tuple[str, bool | None, int, datetime | None]]:
    """(status, created, how many, last finished) per kind of item of a job."""
    statement = (
        select(
            IngestJobItem.status,
            IngestJobItem.created,
            func.count(),
            func.max(IngestJobItem.finished_at),
        )
        .where(IngestJobItem.job_id == job_id)
        .group_by(IngestJobItem.status, IngestJobItem.created)
    )
    return [(status, created, count, last) for status, created, count, last in session.execute(statement)]


def failed_job_items(session: Session, job_id: int) -> list[IngestJobItem]:
    statement = select(IngestJobItem).where(IngestJobItem.job_id == job_id, IngestJobItem.status == "failed")
    return list(session.scalars(statement.order_by(IngestJobItem.index)))


def pending_job_indexes(session: Session, job_id: int) -> list[int]:
    statement = select(IngestJobItem.index).where(
        IngestJobItem.job_id == job_id, IngestJobItem.status == "pending"
    )
    return list(session.scalars(statement.order_by(IngestJobItem.index)))
