"""Dashboard aggregates: portable row queries (no SQL date functions) and pure grouping in Python.

Date truncation differs between SQLite and PostgreSQL, so the queries return plain
(date, key) rows and the buckets are computed here, identically on both databases.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from itertools import combinations

from sqlalchemy import func, literal, select
from sqlalchemy.orm import Session

from service.models import Actor, Article, Event, EventActor, EventMention
from service.store import EventFilters, filtered_events

INTERVALS = ("day", "week", "month", "year")
SPLITS = ("type", "actor")


@dataclass(frozen=True)
class Bucket:
    key: str
    count: int
    by: dict[str, int] | None = None


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
    if interval == "day":
        return start + timedelta(days=1)
    if interval == "week":
        return start + timedelta(weeks=1)
    if interval == "month":
        return date(start.year + start.month // 12, start.month % 12 + 1, 1)
    return date(start.year + 1, 1, 1)


def count_buckets(rows: Iterable[tuple[int, date, str | None]], interval: str, split: bool) -> list[Bucket]:
    """Count events per bucket from (event id, start date, split key) rows, oldest first, gaps filled.

    An event appears in several rows when split by actor: it counts once in the total and once
    under each of its actors.
    """
    events: dict[date, set[int]] = {}
    by: dict[date, Counter[str]] = {}
    for event_id, day, key in rows:
        start = bucket_start(day, interval)
        events.setdefault(start, set()).add(event_id)
        if split and key is not None:
            by.setdefault(start, Counter())[key] += 1
    if not events:
        return []
    buckets, current, last = [], min(events), max(events)
    while current <= last:
        counts = dict(sorted(by.get(current, Counter()).items())) if split else None
        buckets.append(Bucket(bucket_key(current, interval), len(events.get(current, ())), counts))
        current = next_bucket(current, interval)
    return buckets


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
) -> list[tuple[int, date, str | None]]:
    """(event id, start date, split key) per matching event; one row per actor when split by actor."""
    matching = filtered_events(session, filters).with_only_columns(Event.id)
    if split == "actor":
        query = select(Event.id, Event.date_start, EventActor.actor_id).outerjoin(
            EventActor, EventActor.event_id == Event.id
        )
    elif split == "type":
        query = select(Event.id, Event.date_start, Event.type)
    else:
        query = select(Event.id, Event.date_start, literal(None))
    return list(session.execute(query.where(Event.id.in_(matching))).all())


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


def events_version(session: Session) -> tuple[datetime | None, tuple[int, int, int]]:
    """When events last changed, and a fingerprint that changes whenever an event or mention comes or goes.

    A new mention can join an event without changing any of its columns, so mentions count too.
    """
    changed, events = session.execute(select(func.max(Event.updated_at), func.count(Event.id))).one()
    mentions, last_mention = session.execute(
        select(func.count(EventMention.id), func.max(EventMention.id))
    ).one()
    ingested = _utc(session.scalar(select(func.max(Article.ingested_at))))
    latest = max((t for t in (_utc(changed), ingested) if t is not None), default=None)
    return latest, (int(events or 0), int(mentions or 0), int(last_mention or 0))


def max_event_id(session: Session) -> int:
    """The highest event id so far: events above it were created afterwards."""
    return int(session.scalar(select(func.max(Event.id))) or 0)
