"""Query functions over a session: read and stage rows, never commit (use cases commit)."""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime, timedelta
from functools import cache
from itertools import groupby
from math import isqrt
from operator import itemgetter
from typing import Any, NamedTuple

from sqlalchemy import (
    ColumnElement,
    Date,
    Integer,
    Select,
    and_,
    any_,
    bindparam,
    case,
    column,
    delete,
    exists,
    false,
    func,
    insert,
    literal,
    literal_column,
    or_,
    select,
    table,
    tuple_,
    union,
    union_all,
    update,
)
from sqlalchemy.engine import Connection
from sqlalchemy.orm import Session, selectinload

from service.models import (
    MENTION_TEXT_INDEX,
    TITLE_TEXT_INDEX,
    Actor,
    ActorName,
    ActorRedirect,
    Article,
    Base,
    Event,
    EventActor,
    EventMention,
    EventRedirect,
    IngestJobItem,
    Location,
    LocationName,
    MentionActor,
    TimelineVersion,
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
    # with it (cascade), so a mention is never read without its article. Not the article's text:
    # an event's mentions cite their article, and an event reported often has hundreds.
    selectinload(Event.mentions).joinedload(EventMention.article, innerjoin=True).defer(Article.text),
)


def _actor_ids_per_value(session: Session, values: tuple[str, ...]) -> list[set[str]]:
    """For each requested actor text, the ids of the actors it names (one query for all of them)."""
    lowered = {value: value.lower() for value in values}
    normalised = {value: normalise_word(value) for value in values}
    moved = actor_redirects(session, values)  # an id merged into another names that one
    # Three index lookups (id, lower(name), normalised alias), not one OR that scans every actor.
    ids, none = {*values, *moved.values()}, literal_column("NULL")
    rows = session.execute(
        union_all(
            select(Actor.id, func.lower(Actor.name), none).where(Actor.id.in_(ids)),
            select(Actor.id, func.lower(Actor.name), none).where(
                func.lower(Actor.name).in_(set(lowered.values()))
            ),
            select(ActorName.actor_id, none, ActorName.normalised).where(
                ActorName.normalised.in_(set(normalised.values()))
            ),
        )
    ).all()
    return [
        {
            actor_id
            for actor_id, name, alias in rows
            if actor_id == moved.get(value, value) or name == lowered[value] or alias == normalised[value]
        }
        for value in values
    ]


def _events_with_every_actor(
    session: Session, values: tuple[str, ...], starts: list[ColumnElement[bool]]
) -> ColumnElement[bool]:
    """Events that have, for every requested actor text, one of the actors it names.

    One subquery over event_actors whatever the number of values (not one per value), bounded by
    the window's start dates (`starts`, conditions on event_actors.date_start) so one actor's
    events in a year are a range of the (actor_id, date_start) index, not all of that actor's.
    An event qualifies when each requested set contains at least one of its actors.
    """
    wanted = {frozenset(ids) for ids in _actor_ids_per_value(session, tuple(dict.fromkeys(values)))}
    if frozenset() in wanted:
        return false()  # some requested actor is unknown, so no event has every one
    every_id = set().union(*wanted)
    matching = select(EventActor.event_id).where(EventActor.actor_id.in_(every_id), *starts)
    if len(wanted) > 1:
        matching = matching.group_by(EventActor.event_id).having(
            and_(
                *(
                    func.max(case((EventActor.actor_id.in_(ids), 1), else_=0)) == 1
                    for ids in sorted(wanted, key=sorted)
                )
            )
        )
    return Event.id.in_(matching)


def widest_span(session: Session) -> int:
    """The most days any stored event spans (one index probe): an event overlapping a window starting
    on `day` starts on or after `day - widest_span`, which turns overlap into an index range."""
    return int(session.scalar(select(func.max(Event.span_days))) or 0)


def _earliest_start(session: Session, day: date) -> date:
    try:
        return day - timedelta(days=widest_span(session))
    except OverflowError:
        return date.min


def filtered_events(session: Session, filters: EventFilters) -> Select:
    """A SELECT of events matching every given filter."""
    query = select(Event)
    earliest = _earliest_start(session, filters.date_from) if filters.date_from else None
    if filters.actors:
        starts = [EventActor.date_start >= earliest] if earliest else []
        starts += [EventActor.date_start <= filters.date_to] if filters.date_to else []
        query = query.where(_events_with_every_actor(session, filters.actors, starts))
    if filters.types:
        query = query.where(Event.type.in_(filters.types))
    if filters.granularities:
        query = query.where(Event.granularity.in_(filters.granularities))
    if _postgresql(session) and filters.date_from and filters.date_to:
        # The GiST index on the range (migration 0007) finds a window's events directly. Alone: the
        # b-tree bounds below say the same again, and the planner, taking them for independent
        # conditions, would expect a fraction of the rows and pick plans for a handful.
        # '[]' as a literal: a bound parameter would be typed varchar and miss the index expression.
        inclusive = literal_column("'[]'")
        wanted = func.daterange(filters.date_from, filters.date_to, inclusive)
        query = query.where(func.daterange(Event.date_start, Event.date_end, inclusive).op("&&")(wanted))
    else:
        if filters.date_from:
            # Bounded below by the widest span, an overlapping event is a range of the (date_start, id) index.
            query = query.where(Event.date_end >= filters.date_from, Event.date_start >= earliest)
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
        # Normalised like the text it searches (hamza, ta marbuta, case, diacritics folded), so
        # an Arabic q without hamza finds the word written with one; trigram indexes serve the
        # substring match (PostgreSQL's GIN indexes, SQLite's FTS5 tables).
        needle = normalise_word(filters.q)
        if _trigram_index(session, needle):
            query = query.where(_trigram_matches(needle))
        else:
            searched = union(
                select(Event.id).where(Event.search_title.contains(needle, autoescape=True)),
                select(EventMention.event_id).where(
                    EventMention.search_text.contains(needle, autoescape=True)
                ),
            )
            query = query.where(Event.id.in_(searched))
    return query


def _trigram_index(session: Session, needle: str) -> bool:
    """True on SQLite when its FTS5 trigram tables (migration 0010) can find `needle`: it has three
    characters or more (a trigram), and the SQLite library that migrated the database had the
    trigram tokenizer. Looked up once per connection."""
    if _postgresql(session) or len(needle) < 3:
        return False
    connection = session.connection()
    if "trigram_index" not in connection.info:
        found = connection.exec_driver_sql(
            "SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?", (MENTION_TEXT_INDEX,)
        ).scalar()
        connection.info["trigram_index"] = bool(found)
    return connection.info["trigram_index"]


def _indexed_rows(index: str, needle: str) -> Select:
    """Rowids of the rows whose text in this FTS5 trigram table contains `needle`: a phrase of its
    trigrams matches exactly where LIKE '%needle%' does (both sides normalised)."""
    fts = table(index, column("rowid", Integer()))
    phrase = '"' + needle.replace('"', '""') + '"'
    return select(fts.c.rowid).where(literal_column(index).op("MATCH")(phrase))


def _trigram_matches(needle: str) -> ColumnElement[bool]:
    """Events whose title or one of whose mentions contains `needle`, found in SQLite's FTS5 tables."""
    mentions = _indexed_rows(MENTION_TEXT_INDEX, needle)
    in_mentions = select(EventMention.event_id).where(EventMention.id.in_(mentions))
    return or_(Event.id.in_(_indexed_rows(TITLE_TEXT_INDEX, needle)), Event.id.in_(in_mentions))


def _postgresql(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def _sole_actor(session: Session, filters: EventFilters) -> str | None:
    """The one actor id the actor filter names, when it names exactly one (the common case)."""
    if len(set(filters.actors)) != 1:
        return None
    (ids,) = _actor_ids_per_value(session, (filters.actors[0],))
    return next(iter(ids)) if len(ids) == 1 else None


def _keyset(
    session: Session, filters: EventFilters, cursor: str | None, descending: bool, limit: int
) -> Select:
    """The filtered events of one page (`limit` rows after the cursor), ordered by (start date, id).

    The page is the union of a few parts, each read in index order and stopped after `limit` rows,
    so no part sorts more than a page (docs/QUERIES.md):
    - one actor: that actor's index entries (event_actors (actor_id, date_start, event_id)), in
      order, so page 200 costs what page 1 does;
    - a date window: the events that start inside it (a range of the (date_start, id) index) and
      those carried over from before it (on PostgreSQL the GiST index finds the ranges holding
      `from`), instead of every event that might overlap;
    - `q`: title matches and mention matches apart, each planned on its own: for a common word
      the planner walks the date index and stops after a page of matches, for a rare one it
      reads the trigram index and sorts the few matches.
    """
    issued_for = event_query_fingerprint(filters, descending)
    after: tuple[date, int] | None = None
    if cursor:
        start_text, last_id = decode_cursor(cursor, (str, int), issued_for)
        try:
            after = (date.fromisoformat(start_text), last_id)
        except (TypeError, ValueError) as error:
            raise InvalidCursor(NOT_A_CURSOR) from error
    actor = _sole_actor(session, filters)
    rest = replace(filters, date_from=None, date_to=None, q=None)
    if actor is None:
        base = filtered_events(session, rest)
        start, key = Event.date_start, Event.id
    else:
        base = filtered_events(session, replace(rest, actors=())).join(
            EventActor, and_(EventActor.event_id == Event.id, EventActor.actor_id == actor)
        )
        start, key = EventActor.date_start, EventActor.event_id
    texts = _text_parts(session, filters, limit)  # once: every window part shares its CTE
    parts = [
        base.where(*window, *text)
        for window in _window_parts(session, filters, start, after, descending)
        for text in texts
    ]
    order = (start.desc(), key.desc()) if descending else (start, key)
    if after:
        # A row comparison: one range of the (start, id) index, however deep the page.
        later = tuple_(start, key) < after if descending else tuple_(start, key) > after
        parts = [part.where(later) for part in parts]
    keys = [
        part.with_only_columns(key.label("id"), start.label("date_start")).order_by(*order).limit(limit)
        for part in parts
    ]
    if len(keys) == 1:
        page = keys[0].subquery()
    else:  # UNION, not UNION ALL: an event matching both in its title and a mention is listed once
        page = union(*(select(*part.subquery().c) for part in keys)).subquery()
    outer = (page.c.date_start.desc(), page.c.id.desc()) if descending else (page.c.date_start, page.c.id)
    return select(Event).join(page, page.c.id == Event.id).order_by(*outer).limit(limit)


def _window_parts(
    session: Session,
    filters: EventFilters,
    start: ColumnElement[date],
    after: tuple[date, int] | None,
    descending: bool,
) -> list[list[ColumnElement[bool]]]:
    """Conditions of the parts of a date window: events carried over from before `from` (their
    start bounded below by the widest span), and events starting inside the window."""
    date_from, date_to = filters.date_from, filters.date_to
    if date_from is None:
        return [[start <= date_to] if date_to else []]
    inside = [start >= date_from] + ([start <= date_to] if date_to else [])
    if _postgresql(session) and start is Event.date_start:
        # The GiST index finds the ranges that hold `from` (a b-tree bound beside it would only
        # add tens of thousands of entries to AND). '[]' as a literal: a bound parameter would be
        # typed varchar and miss the index expression.
        span = func.daterange(Event.date_start, Event.date_end, literal_column("'[]'"))
        carried = [span.op("@>")(literal(date_from, Date())), start < date_from]
    else:
        carried = [
            start < date_from,
            start >= _earliest_start(session, date_from),
            Event.date_end >= date_from,
        ]
    # A page past `from` holds no carried event (and, newest first, one before it none inside).
    if after is not None and not descending and after[0] >= date_from:
        return [inside]
    if after is not None and descending and after[0] < date_from:
        return [carried]
    return [carried, inside]


def _text_parts(session: Session, filters: EventFilters, limit: int) -> list[list[ColumnElement[bool]]]:
    """Conditions of the parts of a `q` search: the title matches, the mention matches."""
    if not filters.q:
        return [[]]
    # Normalised like the text it searches (hamza, ta marbuta, case, diacritics folded: a hamza-less
    # spelling finds the spelling with one); on PostgreSQL trigram indexes serve the substring match.
    needle = normalise_word(filters.q)
    said = EventMention.search_text.contains(needle, autoescape=True)
    in_title = Event.search_title.contains(needle, autoescape=True)
    if not _postgresql(session):
        if _trigram_index(session, needle) and _few_mentions_say(session, needle, limit):
            return [[_trigram_matches(needle)]]  # the few matches from the FTS5 tables, then sorted
        # Both checked in one walk over the dates, which stops after a page of matches; two walks
        # would read every event for a word no title holds.
        return [[or_(in_title, exists().where(EventMention.event_id == Event.id, said))]]
    if _few_mentions_say(session, needle, limit):
        # Read the few matches through the trigram index first (MATERIALIZED keeps the planner from
        # folding them back into a walk over every event in date order), then sort them.
        matching = (
            select(EventMention.event_id).where(said).cte("mention_matches").prefix_with("MATERIALIZED")
        )
        in_mention = Event.id.in_(select(matching.c.event_id))
    else:
        in_mention = exists().where(EventMention.event_id == Event.id, said)
    return [[in_title], [in_mention]]


def _few_mentions_say(session: Session, needle: str, limit: int) -> bool:
    """True when so few mentions contain `needle` that reading them all through the trigram index
    beats walking events in date order until a page of matches is found.

    The walk reads about limit * mentions / matches entries, the index about `matches` rows. On
    PostgreSQL the planner's estimate (statistics of migration 0009) says how many: left to itself
    it underrates the walk's cost (a word in 0.4% of a million mentions: 12,500 probes, 80-500 ms,
    where reading its 4,000 matches takes 30 ms). On SQLite the FTS5 tables count the matches of
    titles and mentions, stopping at the threshold (under a millisecond).
    """
    connection = session.connection()
    if not _postgresql(session):
        mentions = max(connection.execute(select(func.max(EventMention.id))).scalar() or 0, 1)
        enough = isqrt(limit * mentions) + 1  # counting further would change no answer
        matches = 0
        for index in (MENTION_TEXT_INDEX, TITLE_TEXT_INDEX):  # a common word stops after the mentions
            rows = _indexed_rows(index, needle).limit(enough - matches).subquery()
            matches += connection.execute(select(func.count()).select_from(rows)).scalar_one()
            if matches >= enough:
                return False
        return True
    said = EventMention.search_text.contains(needle, autoescape=True)
    compiled = select(EventMention.id).where(said).compile(dialect=connection.dialect)
    plan = connection.exec_driver_sql(f"EXPLAIN (FORMAT JSON) {compiled}", compiled.params).scalar()
    expected = float(plan[0]["Plan"]["Plan Rows"])
    mentions = connection.exec_driver_sql(
        "SELECT reltuples FROM pg_class WHERE oid = 'event_mentions'::regclass"
    ).scalar()
    return expected * expected < limit * max(float(mentions or 0), 1.0)


def _next_cursor(rows: list, limit: int, issued_for: str) -> str | None:
    """The cursor after the page's last row when there is more (`rows` holds one row beyond the page)."""
    if len(rows) <= limit:
        return None
    last = rows[limit - 1]
    return encode_cursor([last.date_start.isoformat(), last.id], issued_for)


def page_events(
    session: Session, filters: EventFilters, limit: int, cursor: str | None, descending: bool
) -> Page:
    """One keyset page of events (ORM objects) ordered by (start date, id); stable while new events arrive."""
    query = _keyset(session, filters, cursor, descending, limit + 1)
    rows = list(session.scalars(query.options(*_EVENT_LOADING)))
    return Page(
        items=rows[:limit],
        next_cursor=_next_cursor(rows, limit, event_query_fingerprint(filters, descending)),
    )


@dataclass
class EventPage:
    """One page of events as plain rows (store.EventBatch), and the cursor of the next page."""

    batch: EventBatch
    next_cursor: str | None = None


def page_event_rows(
    session: Session,
    filters: EventFilters,
    limit: int,
    cursor: str | None,
    descending: bool,
    language: str | None = None,
) -> EventPage:
    """The page page_events reads, as plain rows: five lean queries, no ORM objects (a list page is
    read on every request; building and serialising ORM objects cost more than the queries)."""
    query = _keyset(session, filters, cursor, descending, limit + 1)
    rows = session.connection().execute(_with_event_columns(query)).all()
    return EventPage(
        _fill_batch(session, rows[:limit], language),
        _next_cursor(rows, limit, event_query_fingerprint(filters, descending)),
    )


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
    session.execute(insert(EventRedirect.__table__), [{"old_id": old_id, "event_id": event_id}])


class EventRow(NamedTuple):
    """An event's columns and its location's, as an EventBatch holds them."""

    id: int
    type: str
    title: str
    date_start: date
    date_end: date
    granularity: str
    status: str
    confidence: float
    location_id: str | None
    location_name: str | None
    location_country: str | None
    lat: float | None
    lon: float | None


class ActorRow(NamedTuple):
    id: str
    name: str
    kind: str


class MentionRow(NamedTuple):
    """A mention's columns and its article's."""

    article_id: int
    sentence: str
    span_start: int
    span_end: int
    trigger: str
    expression: str | None
    expression_start: int | None
    expression_end: int | None
    resolution: str
    date_start: date
    date_end: date
    granularity: str
    published_at: datetime
    published_date: date
    published_time_known: bool
    published_offset: int | None
    source: str | None
    article_title: str | None
    article_url: str | None


@dataclass
class EventBatch:
    """Plain rows of a batch of events (no ORM objects: an export reads a million of them).

    Named tuples, not SQLAlchemy rows: a field of a named tuple is read several times faster, and
    an export reads about forty per event.
    """

    events: list[EventRow] = field(default_factory=list)
    actors: dict[int, tuple[ActorRow, ...]] = field(default_factory=dict)  # event id -> its actors, in order
    mentions: dict[int, tuple[MentionRow, ...]] = field(default_factory=dict)  # event id -> its mentions
    # Stored names in the batch's language (none read for the canonical one): id -> names, in order
    actor_names: dict[str, list[str]] = field(default_factory=dict)
    place_names: dict[str, list[str]] = field(default_factory=dict)


_EVENT_COLUMNS = (
    Event.id,
    Event.type,
    Event.title,
    Event.date_start,
    Event.date_end,
    Event.granularity,
    Event.status,
    Event.confidence,
    Event.location_id,
    Location.name,
    Location.country,
    Location.lat,
    Location.lon,
)
_MENTION_COLUMNS = (
    EventMention.article_id,
    EventMention.sentence,
    EventMention.span_start,
    EventMention.span_end,
    EventMention.trigger,
    EventMention.expression,
    EventMention.expression_start,
    EventMention.expression_end,
    EventMention.resolution,
    EventMention.date_start,
    EventMention.date_end,
    EventMention.granularity,
    Article.published_at,
    Article.published_date,
    Article.published_time_known,
    Article.published_offset,
    Article.source,
    Article.title,
    Article.url,
)


def _labelled(row_type: type[tuple], columns: tuple[Any, ...]) -> list[Any]:
    """The columns labelled with the row type's field names, in its order."""
    return [column.label(name) for name, column in zip(row_type._fields, columns, strict=True)]  # type: ignore[attr-defined]


def _with_event_columns(query: Select) -> Select:
    """The query reading the columns an EventBatch holds of each event (and its location's)."""
    return query.with_only_columns(*_labelled(EventRow, _EVENT_COLUMNS)).outerjoin(
        Location, Location.id == Event.location_id
    )


def event_batches(
    session: Session, filters: EventFilters, batch: int, language: str | None = None
) -> Iterator[EventBatch]:
    """Every matching event in (start date, id) order, in keyset batches of plain rows: three
    queries per batch whatever its size (five with the stored names in `language`, one more when
    it names actors not seen before), memory bounded by one batch and the actors read."""
    first = _with_event_columns(filtered_events(session, filters)).order_by(Event.date_start, Event.id)
    first = first.limit(batch)
    after = tuple_(bindparam("after_start", type_=Date()), bindparam("after_id", type_=Integer()))
    following = first.where(tuple_(Event.date_start, Event.id) > after)
    connection = session.connection()  # plain rows: no ORM result processing for a million of them
    actors: dict[str, ActorRow] = {}  # each actor is read once, however many events it is in
    rows = connection.execute(first).all()
    while rows:
        yield _fill_batch(session, rows, language, actors)
        if len(rows) < batch:
            return
        rows = connection.execute(
            following, {"after_start": rows[-1].date_start, "after_id": rows[-1].id}
        ).all()


def _in_ids(
    column: ColumnElement[Any], on_postgresql: bool, ids: list[int] | None = None
) -> ColumnElement[bool]:
    """`column IN :ids`, the ids given now or when the statement runs; on PostgreSQL one array
    parameter (= ANY), not one parameter per id: a batch of 2,000 ids is then neither rendered into
    SQL text nor parsed again on every batch."""
    if on_postgresql:
        from sqlalchemy.dialects.postgresql import ARRAY  # loaded on PostgreSQL only: 20 ms of imports

        return column == any_(bindparam("ids", ids, type_=ARRAY(column.type)))
    return column.in_(bindparam("ids", ids, expanding=True))


def _among(session: Session, column: ColumnElement[int], ids: list[int]) -> ColumnElement[bool]:
    """`column IN ids`, the ids bound now (see `_in_ids`)."""
    return _in_ids(column, _postgresql(session), ids)


@dataclass(frozen=True)
class _BatchQueries:
    """The statements reading what a batch of events (:ids) needs besides the events' own rows."""

    links: Select  # (event id, actor id), in each event's order
    actors: Select
    mentions: Select  # (event id, *MentionRow)
    actor_names: Select  # (actor id, name) in :language
    place_names: Select


@cache
def _batch_queries(on_postgresql: bool) -> _BatchQueries:
    """The batch statements, built once: built per batch, each would be garbage for the collector
    to find, holding on to its batch's ids until then."""

    def names(model: type[ActorName] | type[LocationName], owner: Any) -> Select:
        language = model.language == bindparam("language")
        return select(owner, model.name).where(_in_ids(owner, on_postgresql), language).order_by(model.id)

    return _BatchQueries(
        links=select(EventActor.event_id, EventActor.actor_id)
        .where(_in_ids(EventActor.event_id, on_postgresql))
        .order_by(EventActor.event_id, EventActor.position),
        actors=select(Actor.id, Actor.name, Actor.kind).where(_in_ids(Actor.id, on_postgresql)),
        mentions=select(EventMention.event_id, *_labelled(MentionRow, _MENTION_COLUMNS))
        .join(Article, Article.id == EventMention.article_id)
        .where(_in_ids(EventMention.event_id, on_postgresql))
        .order_by(EventMention.event_id, EventMention.id),
        actor_names=names(ActorName, ActorName.actor_id),
        place_names=names(LocationName, LocationName.location_id),
    )


def _fill_batch(
    session: Session, rows: list, language: str | None, actors: dict[str, ActorRow] | None = None
) -> EventBatch:
    """These event rows with their actors and mentions (and stored names in `language`, if given);
    `actors` holds actors already read, and gets those this batch reads."""
    found = EventBatch(events=[EventRow._make(row) for row in rows])
    if not rows:
        return found
    queries = _batch_queries(_postgresql(session))
    connection = session.connection()
    actors = {} if actors is None else actors
    ids = [row.id for row in found.events]
    linked = connection.execute(queries.links, {"ids": ids}).all()
    if unread := list({actor_id for _, actor_id in linked} - actors.keys()):
        for row in connection.execute(queries.actors, {"ids": unread}).all():
            actors[row.id] = ActorRow._make(row)
    found.actors = {
        event_id: tuple(actors[actor_id] for _, actor_id in group)
        for event_id, group in groupby(linked, key=itemgetter(0))
    }
    mentions = connection.execute(queries.mentions, {"ids": ids}).all()
    found.mentions = {
        event_id: tuple(MentionRow._make(row[1:]) for row in group)
        for event_id, group in groupby(mentions, key=itemgetter(0))
    }
    if language is not None:
        _add_stored_names(connection, queries, found, language)
    return found


def _add_stored_names(
    connection: Connection, queries: _BatchQueries, found: EventBatch, language: str
) -> None:
    """The batch's actors' and places' stored names in `language`, in the order they were stored."""
    actor_ids = list({actor.id for rows in found.actors.values() for actor in rows})
    place_ids = list({row.location_id for row in found.events if row.location_id is not None})
    for query, ids, into in (
        (queries.actor_names, actor_ids, found.actor_names),
        (queries.place_names, place_ids, found.place_names),
    ):
        if ids:
            for owner_id, name in connection.execute(query, {"ids": ids, "language": language}):
                into.setdefault(owner_id, []).append(name)


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


def event_ids_of_article(session: Session, article_id: int) -> set[int]:
    query = select(EventMention.event_id).where(
        EventMention.article_id == article_id, EventMention.event_id.is_not(None)
    )
    return set(session.scalars(query))


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
# Re-merging reads and writes plain rows in SQL on the session's connection, without ORM objects
# (nor autoflush: remerge flushes first): it runs under the merge lock for every stored article,
# and building and flushing objects cost more than the statements.


def add_mentions(session: Session, mentions: list[dict], actors: list[list[tuple[str, str]]]) -> list[int]:
    """Insert mentions (column values, without the search text, which is derived here) and each
    one's actors ((actor id, role) in order); the new mentions' ids, in the order given."""
    if not mentions:
        return []
    table, links = EventMention.__table__, MentionActor.__table__
    rows = [mention | {"search_text": normalise_word(mention["sentence"])} for mention in mentions]
    statement = insert(table).returning(table.c.id, sort_by_parameter_order=True)
    ids = list(session.connection().execute(statement, rows).scalars())
    link_rows = [
        {
            "mention_id": mention_id,
            "actor_id": actor_id,
            "role": role,
            "position": position,
            # copies of the mention's dates, for the index re-merging looks candidates up in
            "date_start": mention["date_start"],
            "date_end": mention["date_end"],
        }
        for mention_id, mention, named in zip(ids, mentions, actors, strict=True)
        for position, (actor_id, role) in enumerate(named)
    ]
    if link_rows:
        session.connection().execute(insert(links), link_rows)
    return ids


def withdraw_mentions(session: Session, article_id: int) -> list[Any]:
    """Delete an article's mentions (their actor links go by cascade); the rows deleted: id,
    event_id and what identifies a mention across re-extraction (span, trigger, type)."""
    table = EventMention.__table__
    columns = (
        table.c.id,
        table.c.event_id,
        table.c.span_start,
        table.c.span_end,
        table.c.trigger,
        table.c.type,
    )
    query = select(*columns).where(table.c.article_id == article_id).order_by(table.c.id)
    deleted = session.connection().execute(query).all()
    if deleted:
        session.connection().execute(delete(table).where(table.c.article_id == article_id))
    return deleted


def mention_ids_of_events(session: Session, event_ids: Iterable[int]) -> set[int]:
    wanted = sorted(set(event_ids))
    if not wanted:
        return set()
    return set(
        session.connection().scalars(
            select(EventMention.id).where(_among(session, EventMention.event_id, wanted))
        )
    )


def mention_rows(session: Session, ids: Iterable[int]) -> list[Any]:
    """The mentions with these ids as re-merging reads them, one row per actor (actor columns None
    for a mention without actors), in (mention id, actor position) order: the mention's facts and
    event, its article's content hash, its place's and actors' names and kinds (for titles)."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    query = (
        select(
            EventMention.id,
            EventMention.event_id,
            EventMention.article_id,
            Article.content_hash,
            EventMention.span_start,
            EventMention.trigger,
            EventMention.type,
            EventMention.date_start,
            EventMention.date_end,
            EventMention.granularity,
            EventMention.status,
            EventMention.confidence,
            EventMention.location_id,
            Location.name.label("location_name"),
            Location.country.label("location_country"),
            MentionActor.actor_id,
            Actor.name.label("actor_name"),
            Actor.kind.label("actor_kind"),
        )
        .join(Article, Article.id == EventMention.article_id)
        .outerjoin(Location, Location.id == EventMention.location_id)
        .outerjoin(MentionActor, MentionActor.mention_id == EventMention.id)
        .outerjoin(Actor, Actor.id == MentionActor.actor_id)
        .where(_among(session, EventMention.id, wanted))
        .order_by(EventMention.id, MentionActor.position)
    )
    return session.connection().execute(query).all()


@dataclass(frozen=True)
class MergeProbe:
    """A stored mention looking for others that could report the same event: its article, dates,
    the types that may describe the same happening, and its actors."""

    article_id: int
    start: date
    end: date
    types: tuple[str, ...]
    actor_ids: tuple[str, ...]


def merge_candidate_ids(session: Session, probes: Sequence[MergeProbe]) -> set[int]:
    """Ids of stored mentions that could report the same event as one of the probes: of a related
    type, with overlapping dates, and sharing an actor (or, for a probe without actors, from its
    article).

    Every mention `compatible` accepts is among them (merge.compatible needs a shared actor, or
    two mentions without actors in one article); the index on mention_actors (actor_id, date_end,
    date_start) finds them without reading the mentions of other actors or dates. One statement
    for a batch of probes: a UNION of one index lookup each.
    """
    found: set[int] = set()
    for first in range(0, len(probes), _PROBES_PER_STATEMENT):
        lookups = [_nearby(probe) for probe in probes[first : first + _PROBES_PER_STATEMENT]]
        found.update(session.connection().scalars(lookups[0] if len(lookups) == 1 else union(*lookups)))
    return found


_PROBES_PER_STATEMENT = 50


def _nearby(probe: MergeProbe) -> Select:
    """The index lookup of merge_candidate_ids for one probe."""
    if probe.actor_ids:
        sharing = select(MentionActor.mention_id).where(
            MentionActor.actor_id.in_(probe.actor_ids),
            MentionActor.date_end >= probe.start,
            MentionActor.date_start <= probe.end,
        )
        nearby = select(EventMention.id).where(EventMention.id.in_(sharing))
    else:
        nearby = select(EventMention.id).where(
            EventMention.article_id == probe.article_id,
            EventMention.date_start <= probe.end,
            EventMention.date_end >= probe.start,
        )
    return nearby.where(EventMention.type.in_(probe.types))


def move_mentions(session: Session, event_of_mention: dict[int, int]) -> None:
    """Put each mention (by id) in its event."""
    if event_of_mention:
        table = EventMention.__table__
        statement = (
            update(table).where(table.c.id == bindparam("mention")).values(event_id=bindparam("event"))
        )
        rows = [{"mention": mention, "event": event} for mention, event in sorted(event_of_mention.items())]
        session.connection().execute(statement, rows)


# -- events (merging) -----------------------------------------------------------------------------

# What re-merging writes in an event row (besides its id and updated_at, which changes with them).
EVENT_COLUMNS = (
    "type",
    "title",
    "search_title",
    "date_start",
    "date_end",
    "span_days",
    "granularity",
    "status",
    "location_id",
    "confidence",
)


def event_rows(session: Session, ids: Iterable[int]) -> list[Any]:
    """The events with these ids (EVENT_COLUMNS), one row per actor link (actor_id, position and
    link_date_start None for an event without actors), in (event id, position) order."""
    wanted = sorted(set(ids))
    if not wanted:
        return []
    query = (
        select(
            Event.id,
            *(Event.__table__.c[column] for column in EVENT_COLUMNS),
            EventActor.actor_id,
            EventActor.position,
            EventActor.date_start.label("link_date_start"),
        )
        .outerjoin(EventActor, EventActor.event_id == Event.id)
        .where(_among(session, Event.id, wanted))
        .order_by(Event.id, EventActor.position)
    )
    return session.connection().execute(query).all()


def insert_events(session: Session, rows: list[dict]) -> list[int]:
    """Insert events (EVENT_COLUMNS each); their ids, in the order given."""
    if not rows:
        return []
    table = Event.__table__
    return list(
        session.connection()
        .execute(insert(table).returning(table.c.id, sort_by_parameter_order=True), rows)
        .scalars()
    )


def update_events(session: Session, rows: list[dict]) -> None:
    """Rewrite events (each row: "event" the id, and EVENT_COLUMNS); updated_at becomes now."""
    if rows:
        table = Event.__table__
        values = {column: bindparam(column) for column in EVENT_COLUMNS}
        session.connection().execute(
            update(table).where(table.c.id == bindparam("event")).values(values), rows
        )


def delete_event_actors(session: Session, links: list[tuple[int, str]]) -> None:
    """Remove these (event id, actor id) links."""
    if links:
        table = EventActor.__table__
        statement = delete(table).where(
            table.c.event_id == bindparam("event"), table.c.actor_id == bindparam("actor")
        )
        session.connection().execute(statement, [{"event": event, "actor": actor} for event, actor in links])


def insert_event_actors(session: Session, rows: list[dict]) -> None:
    """Add links (event_id, actor_id, position, date_start each)."""
    if rows:
        session.connection().execute(insert(EventActor.__table__), rows)


def update_event_actors(session: Session, rows: list[dict]) -> None:
    """Set the position and date_start of links (each row: "event", "actor", "position", "date_start")."""
    if rows:
        table = EventActor.__table__
        statement = (
            update(table)
            .where(table.c.event_id == bindparam("event"), table.c.actor_id == bindparam("actor"))
            .values(position=bindparam("position"), date_start=bindparam("date_start"))
        )
        session.connection().execute(statement, rows)


def delete_event(session: Session, event_id: int) -> None:
    """Delete an event row (its actor links go by cascade; its redirects were repointed first)."""
    session.connection().execute(delete(Event.__table__).where(Event.__table__.c.id == event_id))


# -- actors and locations -------------------------------------------------------------------------


def with_names(session: Session, model: type[Actor] | type[Location], ids: Iterable[str]) -> list[Any]:
    """The actors or places with these ids, their stored names loaded (for names in a language)."""
    wanted = set(ids)
    if not wanted:
        return []
    query = select(model).where(model.id.in_(wanted)).options(selectinload(model.names))
    return list(session.scalars(query))


def actor_with_counts() -> Select:
    """Actors with their event counts, counted per selected actor from its index entries (not all)."""
    count = (
        select(func.count())
        .select_from(EventActor)
        .where(EventActor.actor_id == Actor.id)
        .correlate(Actor)
        .scalar_subquery()
    )
    return select(Actor, count)


def page_actors(session: Session, q: str | None, kind: str | None, limit: int, cursor: str | None) -> Page:
    """Actors by name (then id) with their event counts; q matches the name or any alias."""
    query = select(Actor.id)
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
    # The page first, then its actors' counts: SQLite would count every match's links before sorting.
    chosen = query.order_by(Actor.name, Actor.id).limit(limit + 1).subquery()
    counted = actor_with_counts().join(chosen, chosen.c.id == Actor.id).options(selectinload(Actor.names))
    rows = list(session.execute(counted.order_by(Actor.name, Actor.id)))
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


def actor_redirects(session: Session, actor_ids: Iterable[str]) -> dict[str, str]:
    """Of these ids, those merged into another actor, with the actor each went to."""
    ids = {actor_id for actor_id in actor_ids if "\x00" not in actor_id}
    if not ids:
        return {}
    rows = session.execute(
        select(ActorRedirect.old_id, ActorRedirect.actor_id).where(ActorRedirect.old_id.in_(ids))
    )
    return {old_id: actor_id for old_id, actor_id in rows}


def retire_actor(session: Session, old_id: str, actor_id: str) -> None:
    """Record that `old_id` merged into `actor_id`, and repoint ids that had merged into `old_id`."""
    session.execute(update(ActorRedirect).where(ActorRedirect.actor_id == old_id).values(actor_id=actor_id))
    session.add(ActorRedirect(old_id=old_id, actor_id=actor_id))


def move_actor_links(session: Session, old_id: str, actor_id: str) -> set[int]:
    """Make every mention and event naming `old_id` name `actor_id` instead; the mentions' ids."""
    mention_ids = set(session.scalars(select(MentionActor.mention_id).where(MentionActor.actor_id == old_id)))
    for link, owner in ((MentionActor, MentionActor.mention_id), (EventActor, EventActor.event_id)):
        has_both = select(owner).where(link.actor_id == actor_id)  # keep one link, not two
        session.execute(delete(link).where(link.actor_id == old_id, owner.in_(has_both)))
        session.execute(update(link).where(link.actor_id == old_id).values(actor_id=actor_id))
    return mention_ids


def actor_names_version(session: Session) -> tuple[int, int]:
    """Changes whenever an actor or alias is added: (count of names, highest name id)."""
    count, highest = session.execute(select(func.count(ActorName.id), func.max(ActorName.id))).one()
    return int(count or 0), int(highest or 0)


def actor_name_ids(session: Session, above: int = 0) -> set[int]:
    """Ids of the stored actor names (those above `above`)."""
    query = select(ActorName.id)
    return set(session.scalars(query.where(ActorName.id > above) if above else query))


def names_for_gazetteer(session: Session, name_ids: set[int]) -> list[tuple[Actor, ActorName]]:
    """Of these actor names, those the shipped gazetteer lacks (added through the API or extracted)."""
    if not name_ids:
        return []
    query = (
        select(Actor, ActorName)
        .join(ActorName, ActorName.actor_id == Actor.id)
        .where(ActorName.id.in_(name_ids), or_(Actor.origin != "gazetteer", ActorName.origin != "gazetteer"))
        .order_by(ActorName.id)
    )
    return [(actor, name) for actor, name in session.execute(query)]


# -- the write counter (ETags) ----------------------------------------------------------------------


def timeline_version(session: Session | Connection) -> tuple[int, datetime | None]:
    """(write count, time of the last write): one primary-key read, whatever the database's size."""
    row = session.execute(select(TimelineVersion.version, TimelineVersion.changed_at)).first()
    return (0, None) if row is None else (int(row[0]), row[1])


def bump_version(session: Session) -> None:
    """Count one more write, in the writing transaction (its row lock orders concurrent writers)."""
    now = datetime.now(UTC)
    updated = session.execute(
        update(TimelineVersion)
        .where(TimelineVersion.id == 1)
        .values(version=TimelineVersion.version + 1, changed_at=now)
    )
    if updated.rowcount == 0:  # a database created without migration 0005's row
        insert_missing(session, TimelineVersion, [{"id": 1, "version": 1, "changed_at": now}], ("id",))


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
    # The dialect's own INSERT (ON CONFLICT), imported here: PostgreSQL's costs SQLite starts 20 ms.
    if _postgresql(session):
        from sqlalchemy.dialects.postgresql import insert
    else:
        from sqlalchemy.dialects.sqlite import insert
    unique = {tuple(row[column] for column in key): row for row in rows}
    ordered = [unique[k] for k in sorted(unique)]
    statement = (
        insert(table)
        .on_conflict_do_nothing(index_elements=list(key))
        .returning(*(table.c[column] for column in key))
    )
    # Executed with a list of rows, so it is compiled once (SQLAlchemy sends the rows as one
    # multi-row INSERT, in the order given).
    return {tuple(row) for row in session.execute(statement, ordered)}


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
