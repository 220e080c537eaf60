"""Dashboard aggregates: counts per bucket grouped by the database, buckets laid out in Python.

The database groups events by the first day of their bucket (date_trunc on PostgreSQL, date()
modifiers on SQLite) and counts them, so a million events cost one grouped scan, not a million rows
sent to Python; the buckets with zeros, series and limits are computed here, identically on both.
A split by source (a URL's host when the article names no source) is grouped here from plain rows.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import combinations
from urllib.parse import urlsplit

from sqlalchemy import ColumnElement, Date, DateTime, Integer, cast, func, literal, select, type_coerce
from sqlalchemy.orm import Session
from sqlalchemy.sql import Select

from service.models import Actor, Article, Event, EventActor, EventMention, Location
from service.store import EventFilters, filtered_events, timeline_version

INTERVALS = ("day", "week", "month", "year")
SPLITS = ("type", "actor", "location", "source")
# Most buckets one answer may hold (ten years of days); more is a 422 asking for a coarser interval.
MAX_BUCKETS = 3660


class TooManyBuckets(ValueError):
    """The requested range holds more buckets of this interval than one answer may."""


@dataclass(frozen=True)
class Bucket:
    key: str
    start: date
    end: date
    count: int
    by: dict[str, int] | None = None


@dataclass(frozen=True)
class Series:
    """One value of the split (a type, actor, location or source) and its count over the whole range."""

    id: str
    name: str
    count: int


@dataclass(frozen=True)
class EventCounts:
    buckets: list[Bucket]
    series: list[Series] | None = None


@dataclass(frozen=True)
class ActorCount:
    id: str
    name: str
    kind: str
    count: int


@dataclass(frozen=True)
class PairCount:
    actors: tuple[ActorCount, ActorCount]
    count: int


# -- pure -----------------------------------------------------------------------------------------


def bucket_key(day: date, interval: str) -> str:
    """The bucket a date falls in: 2024-05-17, 2024-W20 (ISO week), 2024-05 or 2024."""
    if interval == "week":
        year, week, _ = day.isocalendar()
        return f"{year}-W{week:02d}"
    return day.isoformat()[: {"day": 10, "month": 7, "year": 4}[interval]]


def bucket_start(day: date, interval: str) -> date:
    """The first day of the bucket a date falls in."""
    if interval == "week":
        return day - timedelta(days=day.weekday())
    if interval == "month":
        return day.replace(day=1)
    if interval == "year":
        return day.replace(month=1, day=1)
    return day


def next_bucket(start: date, interval: str) -> date:
    """The first day of the bucket after the one starting on `start`."""
    if interval == "day":
        return start + timedelta(days=1)
    if interval == "week":
        return start + timedelta(weeks=1)
    if interval == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def bucket_count(first: date, last: date, interval: str) -> int:
    """How many buckets of this interval [first, last] touches."""
    first, last = bucket_start(first, interval), bucket_start(last, interval)
    if interval == "day":
        return (last - first).days + 1
    if interval == "week":
        return (last - first).days // 7 + 1
    if interval == "month":
        return (last.year - first.year) * 12 + last.month - first.month + 1
    return last.year - first.year + 1


def _last_day(start: date, interval: str) -> date:
    """The last day of the bucket starting on `start` (date.max for the bucket holding it)."""
    try:
        return next_bucket(start, interval) - timedelta(days=1)
    except (OverflowError, ValueError):  # no bucket after year 9999
        return date.max


def count_buckets(
    rows: Iterable[tuple[int, date, str | None, str | None]],
    interval: str,
    split: bool,
    first: date | None = None,
    last: date | None = None,
) -> EventCounts:
    """Count events per bucket from (event id, start date, split key, key's name) rows, oldest first.

    The buckets cover [first, last] (each bound defaults to the data's), empty ones with zeros. An
    event that started before `first` but reaches into the range counts in the first bucket. An
    event appears in several rows when split by actor or source: it counts once in the total and
    once under each of its keys; rows without a key count only in the total.
    """
    events: dict[date, set[int]] = {}
    keyed: list[tuple[date, str, str | None, int]] = []
    seen: set[tuple[int, str]] = set()
    for event_id, day, key, name in rows:
        start = bucket_start(max(day, first) if first else day, interval)
        events.setdefault(start, set()).add(event_id)
        if split and key is not None and (event_id, key) not in seen:
            seen.add((event_id, key))
            keyed.append((start, key, name, 1))
    totals = {start: len(ids) for start, ids in events.items()}
    return lay_out_buckets(totals, keyed if split else None, interval, first, last)


def lay_out_buckets(
    totals: dict[date, int],
    keyed: Iterable[tuple[date, str, str | None, int]] | None,
    interval: str,
    first: date | None = None,
    last: date | None = None,
) -> EventCounts:
    """Buckets over [first, last] from counts already grouped by bucket start: `totals` (events per
    bucket) and, when split, `keyed` (bucket start, key, key's name, events) rows.

    Each bound defaults to the data's; empty buckets are zeros; a key without a name is named by itself.
    """
    by: defaultdict[date, Counter[str]] = defaultdict(Counter)  # not a Counter built per row
    names: dict[str, str] = {}
    series_totals: Counter[str] = Counter()
    for start, key, name, count in keyed or ():
        by[start][key] += count
        series_totals[key] += count
        names[key] = name if name is not None else key
    split = keyed is not None
    low = first or (min(totals) if totals else last)
    high = last or (max(totals) if totals else first)
    if low is None or high is None:
        return EventCounts([], [] if split else None)
    if bucket_count(low, high, interval) > MAX_BUCKETS:
        raise TooManyBuckets(
            f"{bucket_count(low, high, interval)} buckets of one {interval} from {low} to {high}; "
            f"at most {MAX_BUCKETS}: use a coarser interval or a narrower from/to."
        )
    buckets, current, end = [], bucket_start(low, interval), bucket_start(high, interval)
    while True:
        counts = dict(sorted(by.get(current, Counter()).items())) if split else None
        buckets.append(
            Bucket(
                bucket_key(current, interval),
                current,
                _last_day(current, interval),
                totals.get(current, 0),
                counts,
            )
        )
        if current >= end:
            break
        current = next_bucket(current, interval)
    series = [Series(key, names[key], count) for key, count in sorted(series_totals.items(), key=_by_count)]
    return EventCounts(buckets, series if split else None)


def _by_count(item: tuple[str, int]) -> tuple[int, str]:
    return -item[1], item[0]


def flat_rows(counts: EventCounts) -> list[dict[str, str | int]]:
    """Long-format rows {time, series, series_id, value}, oldest first, every series in every bucket.

    The shape of a Grafana long data frame (Infinity datasource, JSON, Format: Time series): one
    time column, number column `value`, and string columns that name the series only, since Grafana
    makes one series per distinct combination of the strings. Zeros are included so stacked charts
    have no gaps. Without a split there is one series, "events".
    """
    series = counts.series if counts.series is not None else [Series("events", "events", 0)]
    rows: list[dict[str, str | int]] = []
    for bucket in counts.buckets:
        time = f"{bucket.start.isoformat()}T00:00:00Z"
        for one in series:
            value = bucket.count if bucket.by is None else bucket.by.get(one.id, 0)
            rows.append({"time": time, "series": one.name, "series_id": one.id, "value": value})
    return rows


def rank_actors(
    event_actors: Iterable[tuple[int, str]], actors: dict[str, tuple[str, str]], limit: int
) -> tuple[list[ActorCount], list[PairCount]]:
    """Most active actors and most frequent co-occurring pairs from (event id, actor id) rows."""
    per_event: dict[int, set[str]] = {}
    for event_id, actor_id in event_actors:
        per_event.setdefault(event_id, set()).add(actor_id)
    singles: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for members in per_event.values():
        singles.update(members)
        pairs.update(combinations(sorted(members), 2))

    def ref(actor_id: str, count: int) -> ActorCount:
        name, kind = actors[actor_id]
        return ActorCount(actor_id, name, kind, count)

    top = sorted(singles.items(), key=lambda item: (-item[1], item[0]))[:limit]
    top_pairs = sorted(pairs.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return (
        [ref(actor_id, count) for actor_id, count in top],
        [PairCount((ref(a, singles[a]), ref(b, singles[b])), count) for (a, b), count in top_pairs],
    )


# -- queries --------------------------------------------------------------------------------------


def event_rows(
    session: Session, filters: EventFilters, split: str | None
) -> list[tuple[int, date, str | None, str | None]]:
    """(event id, start date, split key, key's name) per matching event.

    One row per actor, or per article of the event when split by source; the source is the
    article's `source`, else its URL's host, else none.
    """
    matching = filtered_events(session, filters).with_only_columns(Event.id)
    if split == "source":
        query = (
            select(Event.id, Event.date_start, Article.source, Article.url)
            .outerjoin(EventMention, EventMention.event_id == Event.id)
            .outerjoin(Article, Article.id == EventMention.article_id)
            .distinct()
        )
        rows = session.execute(query.where(Event.id.in_(matching))).all()
        return [(event_id, day, *_source(source, url)) for event_id, day, source, url in rows]
    if split == "actor":
        query = (
            select(Event.id, Event.date_start, Actor.id, Actor.name)
            .outerjoin(EventActor, EventActor.event_id == Event.id)
            .outerjoin(Actor, Actor.id == EventActor.actor_id)
        )
    elif split == "location":
        query = select(Event.id, Event.date_start, Location.id, Location.name).outerjoin(
            Location, Location.id == Event.location_id
        )
    elif split == "type":
        query = select(Event.id, Event.date_start, Event.type, Event.type)
    else:
        query = select(Event.id, Event.date_start, literal(None), literal(None))
    return [tuple(row) for row in session.execute(query.where(Event.id.in_(matching)))]


def _source(source: str | None, url: str | None) -> tuple[str | None, str | None]:
    """An article's source as (key, name): its `source`, else its URL's host without www."""
    if source and source.strip():
        return source.strip(), source.strip()
    try:
        host = urlsplit(url).hostname if url else None
    except ValueError:  # a malformed URL names no host
        host = None
    if not host:
        return None, None
    host = host.removeprefix("www.")
    return host, host


def bucket_start_sql(session: Session, day: ColumnElement[date], interval: str) -> ColumnElement[date]:
    """The first day of the bucket `day` falls in (bucket_start), computed by the database."""
    if interval == "day":
        return day
    if session.get_bind().dialect.name == "postgresql":
        # On a timestamp without time zone: no session time zone shifts the day.
        return cast(func.date_trunc(interval, cast(day, DateTime())), Date())
    # SQLite keeps dates as ISO text; its date() modifiers do the arithmetic.
    if interval == "week":  # back to Monday: %w is 0 on Sunday
        back = (cast(func.strftime("%w", day), Integer()) + 6) % 7
        modifier = literal("-").concat(cast(back, Integer())).concat(" days")
    else:
        modifier = literal(f"start of {interval}")
    return type_coerce(func.date(day, modifier), Date())


def event_counts(session: Session, filters: EventFilters, interval: str, split: str | None) -> EventCounts:
    """Event counts per bucket over the filters' from/to (or the data's span), split as asked."""
    if split == "source":
        rows = event_rows(session, filters, split)
        return count_buckets(rows, interval, True, filters.date_from, filters.date_to)
    day: ColumnElement[date] = Event.date_start
    if filters.date_from:  # an event that began before the range counts in its first bucket
        earliest = literal(filters.date_from, Date())
        clamped = func.greatest if session.get_bind().dialect.name == "postgresql" else func.max
        day = type_coerce(clamped(Event.date_start, earliest), Date())
    start = bucket_start_sql(session, day, interval).label("start")
    matching = filtered_events(session, filters)
    totals = session.execute(matching.with_only_columns(start, func.count()).group_by(start))
    totals_by_start = {bucket: count for bucket, count in totals}
    keyed = None
    if split is not None:
        keyed = [tuple(row) for row in session.execute(_split_counts(matching, start, split))]
    return lay_out_buckets(totals_by_start, keyed, interval, filters.date_from, filters.date_to)


def _split_counts(matching: Select, start: ColumnElement[date], split: str) -> Select:
    """(bucket start, key, key's name, events) of the matching events, grouped by the database."""
    if split == "actor":
        key, name = Actor.id, Actor.name
        query = matching.join(EventActor, EventActor.event_id == Event.id).join(
            Actor, Actor.id == EventActor.actor_id
        )
    elif split == "location":
        key, name = Location.id, Location.name
        query = matching.join(Location, Location.id == Event.location_id)
    else:
        key, name = Event.type, Event.type
        query = matching
    # One link per (event, actor): count(*) counts each event once under each of its keys.
    return query.with_only_columns(start, key, name, func.count()).group_by(start, key, name)


def event_actor_rows(
    session: Session, filters: EventFilters
) -> tuple[list[tuple[int, str]], dict[str, tuple[str, str]]]:
    """(event id, actor id) for every matching event, and each actor's (name, kind)."""
    matching = filtered_events(session, filters).with_only_columns(Event.id)
    rows = session.execute(
        select(EventActor.event_id, EventActor.actor_id).where(EventActor.event_id.in_(matching))
    ).all()
    ids = {actor_id for _, actor_id in rows}
    actors: dict[str, tuple[str, str]] = {}
    if ids:
        for actor_id, name, kind in session.execute(
            select(Actor.id, Actor.name, Actor.kind).where(Actor.id.in_(ids))
        ):
            actors[actor_id] = (name, kind)
    return list(rows), actors


def _utc(value: datetime | str | None) -> datetime | None:
    if isinstance(value, str):  # SQLite returns aggregates of a TypeDecorator column untyped
        value = datetime.fromisoformat(value)
    if value is not None and value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return value


def events_version(session: Session) -> tuple[datetime | None, tuple[int]]:
    """When events last changed, and a number that changes whenever anything is written.

    Read from the write counter (store.bump_version, in every write transaction): one row, where
    aggregates over events, mentions and articles grew with the database.
    """
    version, changed = timeline_version(session)
    return _utc(changed), (version,)


def max_event_id(session: Session) -> int:
    """The highest event id so far: events above it were created afterwards."""
    return int(session.scalar(select(func.max(Event.id))) or 0)
