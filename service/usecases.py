"""Use cases: the only place that commits. Each takes a session and plain, validated values."""

from __future__ import annotations

import hashlib
import logging
import unicodedata
from collections.abc import Iterable, Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from functools import lru_cache

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from service import stats, store
from service.models import (
    Actor,
    ActorName,
    Article,
    Event,
    EventActor,
    EventMention,
    Location,
    LocationName,
    MentionActor,
)
from service.pipeline import extract
from service.pipeline.events import EventCandidate, event_title
from service.pipeline.gazetteer import ActorRecord, Gazetteer, PlaceRecord
from service.pipeline.merge import MentionFacts, MergedEvent, cluster, compatible, merge, related_types
from service.pipeline.normalise import detect_language, normalise_word
from service.pipeline.temporal import TemporalExpression, find_temporal_expressions
from service.vocabulary import EXTRACTOR_VERSION

log = logging.getLogger(__name__)


class NotFound(LookupError):
    """The requested resource does not exist."""


class Conflict(ValueError):
    """The request contradicts stored data (e.g. an alias another actor already uses)."""


@dataclass(frozen=True)
class ArticleInput:
    text: str
    published_at: datetime
    published_date: date
    published_time_known: bool
    title: str | None = None
    url: str | None = None
    source: str | None = None
    language: str | None = None


@dataclass(frozen=True)
class IngestResult:
    article: Article
    created: bool
    events: list[Event]


def content_hash(text: str, published_at: datetime) -> str:
    """Identity of an article's content: the same text published at the same time is the same article."""
    canonical = unicodedata.normalize("NFC", text).strip()
    return hashlib.sha256(f"{published_at.isoformat()}\n{canonical}".encode()).hexdigest()


# -- gazetteer -----------------------------------------------------------------------------------


@lru_cache(maxsize=1)
def base_gazetteer() -> Gazetteer:
    return Gazetteer.load()


_gazetteer_cache: dict[tuple[int, int], Gazetteer] = {}


def gazetteer_for(session: Session) -> Gazetteer:
    """The shipped gazetteer extended with actors and aliases added through the API (cached)."""
    version = store.actor_names_version(session)
    if version not in _gazetteer_cache:
        extras = [_actor_record(actor) for actor in store.actors_with_api_names(session)]
        _gazetteer_cache.clear()
        _gazetteer_cache[version] = Gazetteer.load(extra_actors=extras) if extras else base_gazetteer()
    return _gazetteer_cache[version]


def _actor_record(actor: Actor) -> ActorRecord:
    names: dict[str, list[str]] = {}
    for name in actor.names:
        names.setdefault(name.language, []).append(name.name)
    return ActorRecord(
        id=actor.id,
        name=actor.name,
        kind=actor.kind,
        wikidata=actor.wikidata_id,
        names={language: tuple(values) for language, values in names.items()},
    )


# -- articles ------------------------------------------------------------------------------------


def ingest_article(session: Session, data: ArticleInput) -> IngestResult:
    """Store an article and the events extracted from it; an article seen before is returned as is."""
    digest = content_hash(data.text, data.published_at)
    existing = store.find_article(session, data.url, digest)
    if existing is not None:
        return IngestResult(existing, False, store.events_of_article(session, existing.id))
    language = data.language or detect_language(data.text)
    article = Article(
        title=data.title,
        url=data.url,
        source=data.source,
        language=language,
        text=data.text,
        published_at=data.published_at.astimezone(UTC),
        published_date=data.published_date,
        published_time_known=data.published_time_known,
        content_hash=digest,
        extractor_version=EXTRACTOR_VERSION,
    )
    session.add(article)
    try:
        session.flush()
        _extract_into(session, article, gazetteer_for(session))
        session.commit()
    except IntegrityError:
        # Another request stored the same article first: answer with theirs.
        session.rollback()
        existing = store.find_article(session, data.url, digest)
        if existing is None:
            raise
        return IngestResult(existing, False, store.events_of_article(session, existing.id))
    return IngestResult(article, True, store.events_of_article(session, article.id))


def _extract_into(session: Session, article: Article, gazetteer: Gazetteer) -> None:
    try:
        candidates = extract(article.text, article.published_date, article.language, gazetteer)
    except Exception:
        # A bug in a rule must not lose the article: it is stored without events, the error is
        # logged, and `flask reprocess` extracts it again once the rule is fixed.
        log.exception("extraction failed for article %s; stored without events", article.id)
        candidates = []
    mentions = [_store_mention(session, article, candidate, gazetteer) for candidate in candidates]
    session.flush()
    remerge(session, {mention.id for mention in mentions})


def _store_mention(
    session: Session, article: Article, candidate: EventCandidate, gazetteer: Gazetteer
) -> EventMention:
    for record, _role in candidate.actors:
        _ensure_actor(session, record, "gazetteer" if gazetteer.actor(record.id) else "extracted")
    location_id = _ensure_location(session, candidate.place) if candidate.place else None
    expression = candidate.expression
    mention = EventMention(
        article=article,
        sentence=candidate.sentence,
        span_start=candidate.span_start,
        span_end=candidate.span_end,
        trigger=candidate.trigger,
        expression=expression.text if expression else None,
        expression_start=expression.start if expression else None,
        expression_end=expression.end if expression else None,
        resolution=candidate.resolution,
        type=candidate.type,
        date_start=candidate.date.start,
        date_end=candidate.date.end,
        granularity=candidate.date.granularity,
        status=candidate.status,
        location_id=location_id,
        confidence=candidate.confidence,
        actor_links=[
            MentionActor(actor_id=record.id, role=role, position=position)
            for position, (record, role) in enumerate(candidate.actors)
        ],
    )
    session.add(mention)
    return mention


def _ensure_actor(session: Session, record: ActorRecord, origin: str) -> None:
    if session.get(Actor, record.id) is not None:
        return
    actor = Actor(
        id=record.id, name=record.name, kind=record.kind, wikidata_id=record.wikidata, origin=origin
    )
    actor.names = [
        ActorName(language=language, name=name, normalised=normalise_word(name), origin=origin)
        for language, name in _distinct_names(record.names)
    ]
    session.add(actor)
    session.flush()


def _ensure_location(session: Session, place: PlaceRecord) -> str:
    if session.get(Location, place.id) is None:
        location = Location(id=place.id, name=place.name, lat=place.lat, lon=place.lon, country=place.country)
        location.names = [
            LocationName(language=language, name=name, normalised=normalise_word(name))
            for language, name in _distinct_names(place.names)
        ]
        session.add(location)
        session.flush()
    return place.id


def _distinct_names(names: Mapping[str, Iterable[str]]) -> list[tuple[str, str]]:
    """(language, name) pairs, each once, in a stable order."""
    return list(dict.fromkeys((language, name) for language in sorted(names) for name in names[language]))


def get_article(session: Session, article_id: int) -> tuple[Article, list[Event]]:
    article = session.get(Article, article_id) if store.valid_id(article_id) else None
    if article is None:
        raise NotFound(f"article {article_id}")
    return article, store.events_of_article(session, article_id)


def list_articles(session: Session, limit: int, cursor: str | None) -> store.Page:
    return store.page_articles(session, limit, cursor)


def delete_article(session: Session, article_id: int) -> None:
    """Delete an article and its mentions; its events are re-merged, and those left without mentions go."""
    article = session.get(Article, article_id) if store.valid_id(article_id) else None
    if article is None:
        raise NotFound(f"article {article_id}")
    _withdraw_mentions(session, article)
    session.delete(article)
    session.commit()


def reprocess_articles(session: Session, only_stale: bool = False) -> int:
    """Re-extract articles with the current rules, one transaction each; returns how many."""
    gazetteer = gazetteer_for(session)
    count = 0
    for article in store.all_articles(session):
        if only_stale and article.extractor_version == EXTRACTOR_VERSION:
            continue
        _withdraw_mentions(session, article)
        article.extractor_version = EXTRACTOR_VERSION
        _extract_into(session, article, gazetteer)
        session.commit()
        count += 1
    return count


def _withdraw_mentions(session: Session, article: Article) -> None:
    """Delete an article's mentions and re-merge the events they supported (empty ones go)."""
    affected = {m.event_id for m in article.mentions if m.event_id is not None}
    article.mentions.clear()  # delete-orphan: the flush deletes them
    session.flush()
    survivors = set(session.scalars(select(EventMention.id).where(EventMention.event_id.in_(affected))))
    remerge(session, survivors, also_events=affected)


# -- merging -------------------------------------------------------------------------------------


def _facts(mention: EventMention, kinds: dict[str, str]) -> MentionFacts:
    actor_ids = store.mention_actor_ids(mention)
    return MentionFacts(
        key=(mention.article.content_hash, mention.span_start, mention.trigger),
        type=mention.type,
        start=mention.date_start,
        end=mention.date_end,
        granularity=mention.granularity,
        people=frozenset(a for a in actor_ids if kinds.get(a) == "person"),
        others=frozenset(a for a in actor_ids if kinds.get(a) != "person"),
        location_id=mention.location_id,
        status=mention.status,
        confidence=mention.confidence,
        article=mention.article.content_hash,
    )


def remerge(session: Session, seed_ids: set[int], also_events: Iterable[int] = ()) -> None:
    """Recompute the events of every mention connected to the seeds by possible sameness.

    The connected set is closed under `compatible`, so clustering it alone gives the same result
    as clustering the whole database: the timeline never depends on ingestion order.
    """
    component: dict[int, EventMention] = {}
    frontier = set(seed_ids)
    kinds = dict(session.execute(select(Actor.id, Actor.kind)).all())
    while frontier:
        fresh = [m for m in store.mentions_by_ids(session, frontier) if m.id not in component]
        frontier = set()
        for mention in fresh:
            component[mention.id] = mention
        for mention in fresh:
            facts = _facts(mention, kinds)
            nearby = store.overlapping_mention_ids(
                session, mention.date_start, mention.date_end, related_types(mention.type)
            )
            for candidate in store.mentions_by_ids(session, nearby - component.keys() - frontier):
                if compatible(facts, _facts(candidate, kinds)):
                    frontier.add(candidate.id)
    mentions = sorted(component.values(), key=lambda m: m.id)
    facts = [_facts(m, kinds) for m in mentions]
    old_events = {m.event_id for m in mentions if m.event_id is not None} | set(also_events)
    reusable = sorted(old_events)
    used: set[int] = set()
    for group in cluster(facts):
        members = [mentions[i] for i in group]
        merged = merge([facts[i] for i in group])
        previous = sorted({m.event_id for m in members if m.event_id is not None} - used)
        event = session.get(Event, previous[0]) if previous else None
        with session.no_autoflush:
            if event is None:
                event = Event()
                session.add(event)
            _apply(session, event, merged)
        session.flush()
        used.add(event.id)
        for member in members:
            member.event_id = event.id
    for event_id in set(reusable) - used:
        stale = session.get(Event, event_id)
        if stale is not None:
            session.delete(stale)
    session.flush()


def _apply(session: Session, event: Event, merged: MergedEvent) -> None:
    names = dict(session.execute(select(Actor.id, Actor.name).where(Actor.id.in_(merged.actors))).all())
    location = session.get(Location, merged.location_id) if merged.location_id else None
    event.type = merged.type
    event.date_start = merged.start
    event.date_end = merged.end
    event.granularity = merged.granularity
    event.status = merged.status
    event.location_id = merged.location_id
    event.confidence = merged.confidence
    event.title = event_title(
        merged.type, [names[a] for a in merged.actors if a in names], location.name if location else None
    )
    wanted = list(merged.actors)
    current = {link.actor_id: link for link in event.actor_links}
    event.actor_links = [current.get(a) or EventActor(actor_id=a) for a in wanted]
    for position, link in enumerate(event.actor_links):
        link.position = position


# -- events, actors, dates -----------------------------------------------------------------------


def query_events(
    session: Session, filters: store.EventFilters, limit: int, cursor: str | None, descending: bool
) -> store.Page:
    return store.page_events(session, filters, limit, cursor, descending)


def get_event(session: Session, event_id: int) -> Event:
    event = store.get_event(session, event_id)
    if event is None:
        raise NotFound(f"event {event_id}")
    return event


def list_actors(
    session: Session, q: str | None, kind: str | None, limit: int, cursor: str | None
) -> store.Page:
    return store.page_actors(session, q, kind, limit, cursor)


def get_actor(session: Session, actor_id: str) -> tuple[Actor, int]:
    found = store.get_actor(session, actor_id)
    if found is None:
        raise NotFound(f"actor {actor_id}")
    return found


def resolve_dates(text: str, published_at: date, language: str | None) -> list[TemporalExpression]:
    return find_temporal_expressions(text, published_at, language or detect_language(text))


def timeline(
    session: Session, filters: store.EventFilters, bucket: str, limit: int, cursor: str | None
) -> tuple[list[tuple[str, list[Event]]], str | None]:
    """Events in date order grouped into day, month or year buckets (keyed by their start date)."""
    page = store.page_events(session, filters, limit, cursor, descending=False)
    width = {"day": 10, "month": 7, "year": 4}[bucket]
    buckets: list[tuple[str, list[Event]]] = []
    for event in page.items:
        key = event.date_start.isoformat()[:width]
        if not buckets or buckets[-1][0] != key:
            buckets.append((key, []))
        buckets[-1][1].append(event)
    return buckets, page.next_cursor


def slug(text: str) -> str:
    """A readable id from a name, in any script: "Hakan Fidan" -> "hakan-fidan"."""
    folded = unicodedata.normalize("NFKC", text).strip().lower()
    return "-".join("".join(c if c.isalnum() else " " for c in folded).split())[:120]


def create_actor(
    session: Session,
    name: str,
    kind: str,
    names: dict[str, list[str]],
    wikidata_id: str | None,
    actor_id: str | None,
) -> tuple[Actor, int]:
    """Add an actor (origin "api") with its names; its aliases are matched in articles ingested afterwards."""
    actor_id = actor_id or slug(name)
    if not actor_id:
        raise Conflict("name gives no usable id; send an explicit id")
    if session.get(Actor, actor_id) is not None or base_gazetteer().actor(actor_id) is not None:
        raise Conflict(f"actor {actor_id} already exists")
    if wikidata_id and session.scalar(select(Actor.id).where(Actor.wikidata_id == wikidata_id)):
        raise Conflict(f"wikidata id {wikidata_id} already belongs to another actor")
    all_names = {language: tuple(values) for language, values in names.items()}
    all_names["en"] = (name, *all_names.get("en", ()))
    record = ActorRecord(id=actor_id, name=name, kind=kind, wikidata=wikidata_id, names=all_names)
    _ensure_actor(session, record, "api")
    session.commit()
    return get_actor(session, actor_id)


def add_alias(session: Session, actor_id: str, language: str, name: str) -> tuple[Actor, int]:
    """Give an actor (stored or shipped) one more name; matched in articles ingested afterwards."""
    if "\x00" in actor_id:
        raise NotFound(f"actor {actor_id!r}")
    if session.get(Actor, actor_id) is None:
        record = base_gazetteer().actor(actor_id)
        if record is None:
            raise NotFound(f"actor {actor_id}")
        _ensure_actor(session, record, "gazetteer")
    actor = session.get(Actor, actor_id)
    assert actor is not None
    if not any(n.language == language and n.name == name for n in actor.names):
        actor.names.append(
            ActorName(language=language, name=name, normalised=normalise_word(name), origin="api")
        )
        session.commit()
    return get_actor(session, actor_id)


# -- exports, dashboards and caching (timeline for its users) --------------------------------------


def iter_events(session: Session, filters: store.EventFilters, batch: int = 200) -> Iterator[Event]:
    """Every matching event in (start date, id) order, read in keyset batches so memory stays flat."""
    cursor: str | None = None
    while True:
        page = store.page_events(session, filters, batch, cursor, descending=False)
        yield from page.items
        if page.next_cursor is None:
            return
        cursor = page.next_cursor
        session.expunge_all()  # let the previous batch be garbage-collected


def event_stats(
    session: Session, filters: store.EventFilters, interval: str, split: str | None
) -> stats.EventCounts:
    """Event counts per day, ISO week, month or year over the requested range, optionally split."""
    return stats.event_counts(session, filters, interval, split)


def actor_stats(
    session: Session, filters: store.EventFilters, limit: int
) -> tuple[list[stats.ActorCount], list[stats.PairCount]]:
    """The most active actors among matching events, and the pairs that most often share an event."""
    rows, actors = stats.event_actor_rows(session, filters)
    return stats.rank_actors(rows, actors, limit)


def events_version(session: Session) -> tuple[datetime | None, tuple[int, int, int]]:
    """When events last changed and a fingerprint of their set: the validators of event list responses."""
    return stats.events_version(session)


def ingest_counted(session: Session, data: ArticleInput) -> tuple[IngestResult, int, int]:
    """ingest_article, and how many of the article's events are new and how many merged into existing ones."""
    before = stats.max_event_id(session)
    result = ingest_article(session, data)
    if not result.created:
        return result, 0, 0
    created = sum(1 for event in result.events if event.id > before)
    return result, created, len(result.events) - created
