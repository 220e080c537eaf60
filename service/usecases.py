"""Use cases: the only place that commits. Each takes a session and plain, validated values."""

from __future__ import annotations

import hashlib
import logging
import threading
import time
import unicodedata
from collections import Counter
from collections.abc import Callable, Generator, Iterable, Iterator, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field, replace
from datetime import UTC, date, datetime
from functools import lru_cache
from itertools import groupby
from typing import TypeVar

from sqlalchemy import select
from sqlalchemy.exc import DBAPIError, IntegrityError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from service import compiled, names, stats, store
from service.db import is_unavailable
from service.models import (
    Actor,
    ActorName,
    Article,
    Event,
    IngestJob,
    IngestJobItem,
    Location,
    LocationName,
)
from service.names import title as event_title
from service.pipeline import extract
from service.pipeline.events import EventCandidate
from service.pipeline.gazetteer import ActorRecord, Gazetteer
from service.pipeline.gazetteer.loading import name_language
from service.pipeline.language import detect_language, shipped_languages
from service.pipeline.merge import MentionFacts, MergedEvent, cluster, compatible, merge, related_types
from service.pipeline.normalise import normalise_word
from service.pipeline.temporal import TemporalExpression, find_dates
from service.pipeline.transliteration import in_script
from service.vocabulary import EXTRACTOR_VERSION

log = logging.getLogger(__name__)
T = TypeVar("T")


class NotFound(LookupError):
    """The requested resource does not exist."""


class Gone(NotFound):
    """The resource existed once and is gone for good (410): its id is never given to another."""


class Moved(LookupError):
    """The event merged into another one, which answers for it from now on (a permanent redirect)."""

    def __init__(self, old_id: int, event_id: int) -> None:
        super().__init__(f"event {old_id} merged into event {event_id}")
        self.old_id, self.event_id = old_id, event_id


class ActorMoved(LookupError):
    """The actor was merged into another one, which answers for it from now on (a permanent redirect)."""

    def __init__(self, old_id: str, actor_id: str) -> None:
        super().__init__(f"actor {old_id} merged into actor {actor_id}")
        self.old_id, self.actor_id = old_id, actor_id


class Conflict(ValueError):
    """The request contradicts stored data (e.g. an alias another actor already uses)."""


class Invalid(ValueError):
    """A well-formed request naming something that cannot be used (422 naming the field)."""

    def __init__(self, field: str, message: str) -> None:
        super().__init__(message)
        self.field = field


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


def base_gazetteer() -> Gazetteer:
    """The shipped gazetteer, from the compiled resources (service/compiled.py)."""
    return compiled.compiled().gazetteer


class _ProcessGazetteer:
    """A database's gazetteer in this process: the shipped one, extended with the names stored since.

    Stored names are checked by (count, highest id), one cheap aggregate over actor_names; only
    names not seen yet are read, and only names the gazetteer does not know yet are added, so a new
    actor costs its own names, not a rebuild. A gazetteer once handed out is never changed (other
    threads are reading it): new names make a new one (Gazetteer.with_actors, which shares the rest),
    which replaces it for later callers. Names that vanished (rows deleted) make it start again
    from the shipped gazetteer.
    """

    def __init__(self) -> None:
        self.gazetteer: Gazetteer | None = None
        self.version: tuple[int, int] = (-1, -1)
        self.seen: set[int] = set()
        self.lock = threading.Lock()

    def get(self, session: Session) -> Gazetteer:
        version = store.actor_names_version(session)
        with self.lock:
            if version != self.version:
                count, highest = version
                # Names are only added, with growing ids, in the common case: read the new ones
                # alone. Counts that do not add up (a name deleted, or one committed late with a
                # lower id) read every id.
                stored = self.seen | store.actor_name_ids(session, above=max(self.seen, default=0))
                if len(stored) != count:
                    stored = store.actor_name_ids(session)
                if self.gazetteer is None or not self.seen <= stored:
                    self.gazetteer, self.seen = base_gazetteer(), set()
                unseen = stored - self.seen
                records = _actor_records(store.names_for_gazetteer(session, unseen))
                new = [record for record in records if not _knows(self.gazetteer, record)]
                if new:
                    self.gazetteer = self.gazetteer.with_actors(new)
                self.seen |= unseen
                self.version = (count, highest)
            assert self.gazetteer is not None
            return self.gazetteer


def _knows(gazetteer: Gazetteer, record: ActorRecord) -> bool:
    """Whether the gazetteer already has this actor with every one of its names."""
    known = gazetteer.actor(record.id)
    return known is not None and all(
        name in known.names.get(language, ()) for language, names in record.names.items() for name in names
    )


_gazetteers: dict[str, _ProcessGazetteer] = {}
_gazetteers_lock = threading.Lock()


def gazetteer_for(session: Session) -> Gazetteer:
    """The shipped gazetteer extended with actors and aliases added through the API or extracted."""
    database = session.get_bind().url.render_as_string(hide_password=True)
    with _gazetteers_lock:
        process_gazetteer = _gazetteers.setdefault(database, _ProcessGazetteer())
    return process_gazetteer.get(session)


def _actor_records(rows: Iterable[tuple[Actor, ActorName]]) -> list[ActorRecord]:
    """One record per actor with the given names (merged into the gazetteer's own, if any)."""
    actors: dict[str, Actor] = {}
    names: dict[str, dict[str, list[str]]] = {}
    for actor, name in rows:
        actors[actor.id] = actor
        names.setdefault(actor.id, {}).setdefault(name.language, []).append(name.name)
    return [
        ActorRecord(
            id=actor.id,
            name=actor.name,
            kind=actor.kind,
            wikidata=actor.wikidata_id,
            names={language: tuple(values) for language, values in names[actor.id].items()},
        )
        for actor in actors.values()
    ]


def _actor_record(actor: Actor) -> ActorRecord:
    """A stored actor as the gazetteer's record, with every stored name."""
    return _actor_records((actor, name) for name in actor.names)[0]


# -- writing under concurrency ---------------------------------------------------------------------

WRITE_ATTEMPTS = 5
# Unique and foreign-key violations (a row raced in or out), serialization failures and deadlocks.
_RACE_SQLSTATES = {"23505", "23503", "40001", "40P01"}
_RACE_SQLITE_MESSAGES = ("UNIQUE constraint failed", "FOREIGN KEY constraint failed")


class _MergedMeanwhile(Exception):
    """An actor this transaction names was merged into another after it was resolved: run it again."""


def _lost_a_race(error: Exception) -> bool:
    """True when a concurrent transaction made this one fail, so running it again can succeed."""
    if isinstance(error, (StaleDataError, _MergedMeanwhile)):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if getattr(error.orig, "sqlstate", None) in _RACE_SQLSTATES:
        return True
    return isinstance(error, IntegrityError) and str(error.orig).startswith(_RACE_SQLITE_MESSAGES)


def _write(session: Session, work: Callable[[], T], settled: Callable[[], T | None] = lambda: None) -> T:
    """Run `work` in one write transaction and commit it; from the start again if it lost a race.

    After a lost race, `settled` may answer instead (e.g. the same article stored by the winner).
    A transaction that keeps losing ends in a Conflict (409), never in lost or half-stored data.
    """
    for attempt in range(1, WRITE_ATTEMPTS + 1):
        session.expire_all()  # read every row afresh inside this transaction
        try:
            store.begin_write(session)
            result = work()
            store.bump_version(session)  # last: its row lock is held only until the commit
            session.commit()
            return result
        except (DBAPIError, StaleDataError, _MergedMeanwhile) as error:
            session.rollback()
            if not _lost_a_race(error):
                raise
            log.info("write transaction lost a race (attempt %d): %s", attempt, error)
            answer = settled()
            if answer is not None:
                return answer
        except BaseException:
            session.rollback()
            raise
    raise Conflict("concurrent changes to the same data kept conflicting; send the request again")


# -- articles ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Extraction:
    """What extraction found in an article, and why it may have found less (else note is None)."""

    candidates: list[EventCandidate] = field(default_factory=list)
    note: str | None = None


def extract_events(
    text: str, published: date, language: str, gazetteer: Gazetteer, budget: float | None = None
) -> Extraction:
    """Event candidates of a text, found outside any transaction and within `budget` seconds.

    When the budget runs out the pipeline stops between sentences; what it found so far is kept.
    """
    deadline = None if budget is None else time.monotonic() + budget
    ran_out = False

    def stop() -> bool:
        nonlocal ran_out
        ran_out = ran_out or (deadline is not None and time.monotonic() >= deadline)
        return ran_out

    shipped = shipped_languages().get(language)  # a language without a resource folder yields nothing
    try:
        candidates = extract(text, published, shipped, gazetteer, stop=stop) if shipped else []
    except Exception:
        # A bug in a rule must not lose the article: it is stored without events, the error is
        # logged, and `flask reprocess` extracts it again once the rule is fixed.
        log.exception("extraction failed for an article published %s; stored without events", published)
        return Extraction([], "extraction failed; stored without events (flask reprocess retries it)")
    if ran_out:
        note = (
            f"extraction stopped at its time budget of {budget:g} s; the events found until then are stored"
        )
        return Extraction(candidates, note)
    return Extraction(candidates)


def prepare_extraction() -> None:
    """Build the shipped gazetteer's matchers and every language's lexicons now, by extracting
    each language's first example (events.yaml): a worker does it once, before forking its pool
    processes, which then share them instead of each building them on its first article."""
    gazetteer = base_gazetteer()
    for language in shipped_languages().values():
        for example in (language.resource("events.yaml") or {}).get("examples", [])[:1]:
            extract(
                str(example["text"]), date.fromisoformat(str(example["published_at"])), language, gazetteer
            )


def ingest_article(
    session: Session,
    data: ArticleInput,
    budget: float | None = None,
) -> IngestResult:
    """Store an article and the events extracted from it; an article seen before is returned as is.

    Extraction runs before the write transaction (a slow article holds no lock), within `budget`
    seconds; the write is retried when a concurrent one wins a race, so no article is lost.
    """
    article, created = _store_article(session, data, budget)
    return IngestResult(article, created, store.events_of_article(session, article.id))


def _store_article(
    session: Session,
    data: ArticleInput,
    budget: float | None = None,
    on_store: Callable[[Article], None] | None = None,
) -> tuple[Article, bool]:
    """ingest_article without reading the events back: the article, and whether this call stored it.

    `on_store` runs in the transaction that stores the article, so its writes commit with it or not at all.
    """
    digest = content_hash(data.text, data.published_at)
    existing = store.find_article(session, data.url, digest)
    if existing is not None:
        return existing, False
    language = data.language or detect_language(data.text, shipped_languages().values()).code
    gazetteer = gazetteer_for(session)
    session.commit()  # end the read transaction before the slow part
    extraction = extract_events(data.text, data.published_date, language, gazetteer, budget)

    def store_article() -> tuple[Article, bool]:
        article = Article(
            title=data.title,
            url=data.url,
            source=data.source,
            language=language,
            text=data.text,
            published_at=data.published_at.astimezone(UTC),
            published_date=data.published_date,
            published_time_known=data.published_time_known,
            published_offset=_offset_seconds(data.published_at) if data.published_time_known else None,
            content_hash=digest,
            extractor_version=EXTRACTOR_VERSION,
            extraction_note=extraction.note,
        )
        session.add(article)
        session.flush()  # first: a concurrent copy of this article fails here, before anything else
        candidates = _redirected(session, extraction.candidates, gazetteer)
        _ensure_entities(session, candidates, gazetteer)
        mention_ids = _add_mentions(session, article.id, candidates)
        if on_store is not None:
            on_store(article)
        _lock_merging(session, candidates)
        remerge(session, set(mention_ids))
        return article, True

    def stored_by_another() -> tuple[Article, bool] | None:
        existing = store.find_article(session, data.url, digest)
        return None if existing is None else (existing, False)

    return _write(session, store_article, stored_by_another)


def _lock_merging(session: Session, candidates: list[EventCandidate]) -> None:
    """Take the merge lock for re-merging the candidates' mentions, stored already with their actors.

    Only re-merging needs the lock: everything before it (the article, actors, places, mentions)
    is written while other transactions re-merge, so their work overlaps. An actor merge holds the
    lock too; one that came between resolving the candidates' actors and this lock may have had
    an actor stored again after it went: then the transaction starts again and resolves afresh.
    """
    store.lock_merging(session)
    if store.actor_redirects(session, {record.id for c in candidates for record, _role in c.actors}):
        raise _MergedMeanwhile("an actor was merged into another while the article was being stored")


def _offset_seconds(moment: datetime) -> int:
    offset = moment.utcoffset()
    return int(offset.total_seconds()) if offset is not None else 0


def _ensure_entities(session: Session, candidates: list[EventCandidate], gazetteer: Gazetteer) -> None:
    """Store the actors and places the candidates name that are not stored yet (races are harmless)."""
    actors = {record.id: record for candidate in candidates for record, _role in candidate.actors}
    _ensure_actors(
        session,
        [(record, "gazetteer" if gazetteer.actor(record.id) else "extracted") for record in actors.values()],
    )
    places = {candidate.place.id: candidate.place for candidate in candidates if candidate.place}
    store.insert_missing(
        session,
        Location,
        [
            {"id": p.id, "name": p.name, "lat": p.lat, "lon": p.lon, "country": p.country}
            for p in places.values()
        ],
        ("id",),
    )
    store.insert_missing(
        session,
        LocationName,
        [
            {"location_id": p.id, "language": language, "name": name, "normalised": normalise_word(name)}
            for p in places.values()
            # every spelling the pipeline matches (aliases too), so `location=` finds it by any of them
            for language, name in _distinct_names(gazetteer.place_names(p.id) or p.names)
        ],
        ("location_id", "language", "name"),
    )


def _ensure_actors(session: Session, records: list[tuple[ActorRecord, str]]) -> set[str]:
    """Store the actors not stored yet, with their names; the ids of those this call stored."""
    rows = [
        {"id": r.id, "name": r.name, "kind": r.kind, "wikidata_id": r.wikidata, "origin": origin}
        for r, origin in records
    ]
    new = {actor_id for (actor_id,) in store.insert_missing(session, Actor, rows, ("id",))}
    names = [
        {
            "actor_id": r.id,
            "language": language,
            "name": name,
            "normalised": normalise_word(name),
            "origin": origin,
        }
        for r, origin in records
        if r.id in new
        for language, name in _distinct_names(r.names)
    ]
    store.insert_missing(session, ActorName, names, ("actor_id", "language", "name"))
    return new


def _add_mentions(session: Session, article_id: int, candidates: list[EventCandidate]) -> list[int]:
    """Store the article's mentions, in no event until they are re-merged; their ids, in order."""
    return store.add_mentions(
        session,
        [_mention(article_id, candidate) for candidate in candidates],
        [[(record.id, role) for record, role in candidate.actors] for candidate in candidates],
    )


def _mention(article_id: int, candidate: EventCandidate) -> dict[str, object]:
    """The event_mentions row of a candidate (its actors are stored apart)."""
    expression = candidate.expression
    return {
        "event_id": None,
        "article_id": article_id,
        "sentence": candidate.sentence,
        "span_start": candidate.span_start,
        "span_end": candidate.span_end,
        "trigger": candidate.trigger,
        "expression": expression.text if expression else None,
        "expression_start": expression.start if expression else None,
        "expression_end": expression.end if expression else None,
        "resolution": candidate.resolution,
        "type": candidate.type,
        "date_start": candidate.date.start,
        "date_end": candidate.date.end,
        "granularity": candidate.date.granularity,
        "status": candidate.status,
        "location_id": candidate.place.id if candidate.place else None,
        "confidence": candidate.confidence,
    }


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
    if not store.valid_id(article_id):
        raise NotFound(f"article {article_id}")

    def delete() -> None:
        store.lock_merging(session)  # first: a merge running meanwhile may be updating these mentions
        article = session.get(Article, article_id)
        if article is None:
            raise NotFound(f"article {article_id}")
        _replace_mentions(session, article, [])
        session.delete(article)

    _write(session, delete)


def reprocess_articles(session: Session, only_stale: bool = False, budget: float | None = None) -> int:
    """Re-extract articles with the current rules, one transaction each; returns how many."""
    gazetteer = gazetteer_for(session)
    ids = store.article_ids(session, not_version=EXTRACTOR_VERSION if only_stale else None)
    session.commit()
    count = 0
    for article_id in ids:
        article = session.get(Article, article_id)
        if article is None:
            continue  # deleted meanwhile
        text, published, language = article.text, article.published_date, article.language
        session.commit()
        extraction = extract_events(text, published, language, gazetteer, budget)

        def replace_mentions(article_id: int = article_id, extraction: Extraction = extraction) -> bool:
            candidates = _redirected(session, extraction.candidates, gazetteer)
            _ensure_entities(session, candidates, gazetteer)  # as ingestion does: before the lock
            _lock_merging(session, candidates)  # before the old mentions go: a re-merge may be moving them
            article = session.get(Article, article_id)
            if article is None:
                return False
            article.extractor_version = EXTRACTOR_VERSION
            article.extraction_note = extraction.note
            _replace_mentions(session, article, candidates)
            return True

        count += _write(session, replace_mentions)
    return count


MentionIdentity = tuple[int, int, str, str]


def _identity(span_start: int, span_end: int, trigger: str, event_type: str) -> MentionIdentity:
    """What a mention of an article is across re-extraction (its row id is not): span, trigger, type.

    The type tells apart the events one trigger reports ("received" is a visit and a meeting).
    """
    return (span_start, span_end, trigger, event_type)


def _replace_mentions(session: Session, article: Article, candidates: list[EventCandidate]) -> None:
    """Swap an article's mentions for new ones and re-merge every event either touches.

    A new mention with the identity of an old one counts as still supporting the old one's
    event, so re-extracting with unchanged rules gives every event back its id.
    """
    withdrawn = store.withdraw_mentions(session, article.id)
    affected = {m.event_id for m in withdrawn if m.event_id is not None}
    supported = {
        _identity(m.span_start, m.span_end, m.trigger, m.type): m.event_id
        for m in withdrawn
        if m.event_id is not None
    }
    mention_ids = _add_mentions(session, article.id, candidates)
    survivors = store.mention_ids_of_events(session, affected)
    previous = {
        mention_id: supported[identity]
        for mention_id, c in zip(mention_ids, candidates, strict=True)
        if (identity := _identity(c.span_start, c.span_end, c.trigger, c.type)) in supported
    }
    remerge(session, survivors | set(mention_ids), also_events=affected, previous=previous)


# -- merging -------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Named:
    """An actor or place as an English title names it (names.title reads no more of them)."""

    id: str
    name: str
    kind: str = ""
    country: str | None = None
    names: tuple[()] = ()


@dataclass(frozen=True)
class _StoredMention:
    """A stored mention as re-merging sees it: its facts, its event, and the names titles need."""

    id: int
    event_id: int | None
    article_id: int
    actor_ids: tuple[str, ...]
    facts: MentionFacts
    actors: tuple[_Named, ...]
    place: _Named | None


def _stored_mentions(session: Session, ids: Iterable[int]) -> list[_StoredMention]:
    """The mentions with these ids, in id order (one row per actor from store.mention_rows)."""
    found = []
    for _id, rows in groupby(store.mention_rows(session, ids), key=lambda row: row.id):
        rows = list(rows)
        first = rows[0]
        actors = tuple(_Named(r.actor_id, r.actor_name, r.actor_kind) for r in rows if r.actor_id)
        place = _Named(first.location_id, first.location_name, country=first.location_country)
        facts = MentionFacts(
            key=(first.content_hash, first.span_start, first.trigger),
            type=first.type,
            start=first.date_start,
            end=first.date_end,
            granularity=first.granularity,
            people=frozenset(a.id for a in actors if a.kind == "person"),
            others=frozenset(a.id for a in actors if a.kind != "person"),
            location_id=first.location_id,
            status=first.status,
            confidence=first.confidence,
            article=first.content_hash,
        )
        mention = _StoredMention(
            first.id,
            first.event_id,
            first.article_id,
            tuple(a.id for a in actors),
            facts,
            actors,
            place if first.location_id else None,
        )
        found.append(mention)
    return found


def remerge(
    session: Session,
    seed_ids: set[int],
    also_events: Iterable[int] = (),
    previous: Mapping[int, int] | None = None,
) -> None:
    """Recompute the events of every mention connected to the seeds by possible sameness.

    The connected set is closed under `compatible`, so clustering it alone gives the same result
    as clustering the whole database: the timeline never depends on ingestion order. Event ids
    do depend on history, on purpose: each old event stays with the new cluster holding most of
    its mentions (`previous` names the event of mentions just re-extracted); an old event no
    cluster keeps redirects to the event that took most of its mentions, or is gone if none did.
    Reads and writes rows in SQL: ORM objects loaded before are expired.
    """
    session.flush()  # what the caller changed through the ORM, before reading rows
    component: dict[int, _StoredMention] = {}
    fresh = _stored_mentions(session, seed_ids)
    while fresh:  # one round per step away from the seeds, two statements each
        for mention in fresh:
            component[mention.id] = mention
        # Only mentions an index finds (same actors, overlapping dates, related type): the cost
        # does not grow with the database, and `compatible` could accept no other, so testing
        # every fresh mention against all that the round found is the same as against its own.
        probes = [
            store.MergeProbe(
                m.article_id, m.facts.start, m.facts.end, related_types(m.facts.type), m.actor_ids
            )
            for m in fresh
        ]
        nearby = _stored_mentions(session, store.merge_candidate_ids(session, probes) - component.keys())
        fresh = [c for c in nearby if any(compatible(m.facts, c.facts) for m in fresh)]
    mentions = sorted(component.values(), key=lambda m: m.id)
    facts = [m.facts for m in mentions]
    hints = previous or {}
    was = [m.event_id if m.event_id is not None else hints.get(m.id) for m in mentions]
    old_events = {event_id for event_id in was if event_id is not None} | set(also_events)
    groups = cluster(facts)
    keeps = _ids_kept(groups, was)
    actors = {actor.id: actor for m in mentions for actor in m.actors}
    places = {m.place.id: m.place for m in mentions if m.place}
    wanted = [_event_row(merge([facts[i] for i in group]), actors, places) for group in groups]
    stored = {
        event_id: list(rows)
        for event_id, rows in groupby(store.event_rows(session, old_events), key=lambda row: row.id)
    }
    event_of_group = _write_events(
        session, wanted, [keeps.get(index) for index in range(len(groups))], stored
    )
    store.move_mentions(
        session,
        {
            mentions[i].id: event_id
            for event_id, group in zip(event_of_group, groups, strict=True)
            for i in group
            if mentions[i].event_id != event_id
        },
    )
    for old_id in sorted(old_events - set(event_of_group)):
        went = Counter(
            event_of_group[index] for index, group in enumerate(groups) for i in group if was[i] == old_id
        )
        survivor = min(went, key=lambda event_id: (-went[event_id], event_id)) if went else None
        if old_id in stored:
            store.retire_event(session, old_id, survivor)
            store.delete_event(session, old_id)
    session.expire_all()  # mentions and events were rewritten in SQL: loaded objects are out of date


def _ids_kept(groups: Sequence[Sequence[int]], was: Sequence[int | None]) -> dict[int, int]:
    """Which old event id each group keeps: largest overlap of mentions first, ties to the older id."""
    overlap = Counter(
        (index, was[i]) for index, group in enumerate(groups) for i in group if was[i] is not None
    )
    keeps: dict[int, int] = {}
    for index, event_id in sorted(overlap, key=lambda pair: (-overlap[pair], pair[1], pair[0])):
        if index not in keeps and event_id not in keeps.values():
            keeps[index] = event_id
    return keeps


@dataclass(frozen=True)
class _EventRow:
    """An event as re-merging writes it: its columns (store.EVENT_COLUMNS) and its actors in order."""

    columns: dict[str, object]
    actor_ids: tuple[str, ...]


def _event_row(merged: MergedEvent, actors: Mapping[str, _Named], places: Mapping[str, _Named]) -> _EventRow:
    """The event row of a merged event (`actors` and `places` hold what its mentions name)."""
    location = places.get(merged.location_id) if merged.location_id else None
    # The English title, kept for search; responses render it in the reader's language (names.py).
    title = event_title(
        merged.type, [actors[a] for a in merged.actors if a in actors], location, merged.start, "en"
    )
    columns = {
        "type": merged.type,
        "title": title,
        "search_title": normalise_word(title),
        "date_start": merged.start,
        "date_end": merged.end,
        "span_days": (merged.end - merged.start).days,
        "granularity": merged.granularity,
        "status": merged.status,
        "location_id": merged.location_id,
        "confidence": merged.confidence,
    }
    return _EventRow(columns, tuple(merged.actors))


def _write_events(
    session: Session, wanted: list[_EventRow], keeps: list[int | None], stored: Mapping[int, list]
) -> list[int]:
    """Write each wanted event into the stored event it keeps (rewritten only where it changed),
    else into a new one (ids in list order); the event id of each, in order."""
    new = [index for index, kept in enumerate(keeps) if kept is None or kept not in stored]
    ids = dict(zip(new, store.insert_events(session, [wanted[i].columns for i in new]), strict=True))
    changed_events, gone_links, new_links, moved_links = [], [], [], []
    for index, event in enumerate(wanted):
        event_id = ids.get(index) or keeps[index]
        assert event_id is not None
        ids[index] = event_id
        rows = stored.get(event_id, [])
        if index not in new and any(getattr(rows[0], c) != v for c, v in event.columns.items()):
            changed_events.append({"event": event_id, **event.columns})
        links = {row.actor_id: row for row in rows if row.actor_id is not None}
        start = event.columns["date_start"]
        gone_links += [(event_id, actor_id) for actor_id in links if actor_id not in event.actor_ids]
        for position, actor_id in enumerate(event.actor_ids):
            link = links.get(actor_id)
            row = {"position": position, "date_start": start}
            if link is None:
                new_links.append({"event_id": event_id, "actor_id": actor_id} | row)
            elif (link.position, link.link_date_start) != (position, start):
                moved_links.append({"event": event_id, "actor": actor_id} | row)
    store.update_events(session, changed_events)
    store.delete_event_actors(session, gone_links)
    store.update_event_actors(session, moved_links)
    store.insert_event_actors(session, new_links)
    return [ids[index] for index in range(len(wanted))]


# -- events, actors, dates -----------------------------------------------------------------------


def query_events(
    session: Session,
    filters: store.EventFilters,
    limit: int,
    cursor: str | None,
    descending: bool,
    language: str = names.CANONICAL_LANGUAGE,
) -> store.EventPage:
    """One keyset page of events as plain rows, with the stored names in `language` when that is
    not the canonical one (what schemas.dump_event_batch needs to render them in it)."""
    stored_names = None if language == names.CANONICAL_LANGUAGE else language
    return store.page_event_rows(session, filters, limit, cursor, descending, stored_names)


def get_event(session: Session, event_id: int) -> Event:
    """The event with this id; Moved when it merged into another, Gone when it vanished."""
    event = store.get_event(session, event_id)
    if event is not None:
        return event
    retired = store.retired_event(session, event_id)
    if retired is None:
        raise NotFound(f"event {event_id}")
    if retired.event_id is None:
        raise Gone(f"Event {event_id} no longer exists: no stored article reports it any more.")
    raise Moved(event_id, retired.event_id)


def list_actors(
    session: Session, q: str | None, kind: str | None, limit: int, cursor: str | None
) -> store.Page:
    """Stored actors by name (then id); a search (q) also finds shipped actors no event names yet.

    Shipped actors are searched in memory and merged into the keyset page (both sides ordered by
    (name, id) in code-point order, as SQLite and a C-collated PostgreSQL compare), so a search
    works on an empty database without copying thousands of actors into it.
    """
    page = store.page_actors(session, q, kind, limit, cursor)
    if not q:
        return page
    issued_for = store.actor_query_fingerprint(q, kind)
    after = tuple(store.decode_cursor(cursor, (str, str), issued_for)) if cursor else None
    shipped = [
        record
        for record in _shipped_actors_matching(q)
        if (kind is None or record.kind == kind) and (after is None or (record.name, record.id) > after)
    ]
    stored = store.stored_actor_ids(session, [record.id for record in shipped])
    unstored = [(_unstored_actor(record), 0) for record in shipped if record.id not in stored]
    if not unstored:
        return page
    merged = sorted([*page.items, *unstored], key=lambda pair: (pair[0].name, pair[0].id))
    items = merged[:limit]
    more = page.next_cursor is not None or len(merged) > limit
    last = items[-1][0]
    return store.Page(items, store.encode_cursor([last.name, last.id], issued_for) if more else None)


@lru_cache(maxsize=1)
def _shipped_actor_index() -> list[tuple[ActorRecord, str, str]]:
    """Shipped actors in (name, id) order, with the lowercased name and all names normalised."""
    records = sorted(base_gazetteer().actors(), key=lambda record: (record.name, record.id))
    return [
        (r, r.name.lower(), "\n".join(normalise_word(n) for names in r.names.values() for n in names))
        for r in records
    ]


def _shipped_actors_matching(q: str) -> list[ActorRecord]:
    """Shipped actors whose id is q, whose name contains it, or one of whose names contains it
    normalised: the same test store.page_actors applies to stored actors."""
    lowered, normalised = q.lower(), normalise_word(q)
    return [
        record
        for record, name, all_names in _shipped_actor_index()
        if record.id == q or lowered in name or (normalised and normalised in all_names)
    ]


def _unstored_actor(record: ActorRecord) -> Actor:
    """A shipped actor not stored yet, as an unsaved row (never added to the session)."""
    actor = Actor(
        id=record.id, name=record.name, kind=record.kind, wikidata_id=record.wikidata, origin="gazetteer"
    )
    actor.names = [
        ActorName(language=language, name=name, normalised=normalise_word(name), origin="gazetteer")
        for language, name in _distinct_names(record.names)
    ]
    return actor


def _transliterated(name: str) -> bool:
    """Is the name written in a script a language folder transliterates (not a Latin display form)?"""
    tables = (language.transliteration for language in shipped_languages().values())
    return any(table and in_script(name, table) for table in tables)


def get_actor(session: Session, actor_id: str) -> tuple[Actor, int]:
    """A stored actor with its event count, else a shipped one no event names yet (count 0).

    ActorMoved when the id was merged into another actor.
    """
    found = store.get_actor(session, actor_id)
    if found is not None:
        return found
    record = base_gazetteer().actor(actor_id)
    if record is None:
        _raise_moved_or_not_found(session, actor_id)
    return _unstored_actor(record), 0


def _raise_moved_or_not_found(session: Session, actor_id: str) -> None:
    went = store.actor_redirects(session, [actor_id]).get(actor_id)
    if went is not None:
        raise ActorMoved(actor_id, went)
    raise NotFound(f"actor {actor_id}")


def resolve_dates(text: str, published_at: date, language: str | None) -> list[TemporalExpression]:
    languages = shipped_languages()
    read_as = languages.get(language) if language else detect_language(text, languages.values())
    return find_dates(text, published_at, read_as) if read_as else []


def timeline(
    session: Session,
    filters: store.EventFilters,
    bucket: str,
    limit: int,
    cursor: str | None,
    language: str = names.CANONICAL_LANGUAGE,
) -> tuple[list[tuple[str, store.EventBatch]], str | None]:
    """Events in date order grouped into day, month or year buckets (keyed by their start date)."""
    page = query_events(session, filters, limit, cursor, False, language)
    width = {"day": 10, "month": 7, "year": 4}[bucket]
    buckets: list[tuple[str, store.EventBatch]] = []
    for event in page.batch.events:
        key = event.date_start.isoformat()[:width]
        if not buckets or buckets[-1][0] != key:
            buckets.append((key, replace(page.batch, events=[])))
        buckets[-1][1].events.append(event)
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
    all_names = {language: tuple(values) for language, values in names.items()}
    canonical = name_language()  # the language actors' canonical names are written in
    all_names[canonical] = (name, *all_names.get(canonical, ()))
    record = ActorRecord(id=actor_id, name=name, kind=kind, wikidata=wikidata_id, names=all_names)

    def create() -> None:
        if wikidata_id and (
            session.scalar(select(Actor.id).where(Actor.wikidata_id == wikidata_id))
            # a shipped actor is stored when first named: its id must stay free for it
            or any(shipped.wikidata == wikidata_id for shipped in base_gazetteer().actors())
        ):
            raise Conflict(f"wikidata id {wikidata_id} already belongs to another actor")
        if base_gazetteer().actor(actor_id) is not None or not _ensure_actors(session, [(record, "api")]):
            raise Conflict(f"actor {actor_id} already exists")

    _write(session, create)
    return get_actor(session, actor_id)


def add_alias(session: Session, actor_id: str, language: str, name: str) -> tuple[Actor, int]:
    """Give an actor (stored or shipped) one more name; matched in articles ingested afterwards."""
    if "\x00" in actor_id:
        raise NotFound(f"actor {actor_id!r}")

    def add() -> None:
        if session.get(Actor, actor_id) is None:
            record = base_gazetteer().actor(actor_id)
            if record is None:
                _raise_moved_or_not_found(session, actor_id)
            _ensure_actors(session, [(record, "gazetteer")])
        alias = {
            "actor_id": actor_id,
            "language": language,
            "name": name,
            "normalised": normalise_word(name),
            "origin": "api",
        }
        store.insert_missing(session, ActorName, [alias], ("actor_id", "language", "name"))

    _write(session, add)
    return get_actor(session, actor_id)


def merge_actor(session: Session, actor_id: str, into: str) -> tuple[Actor, int]:
    """Merge an actor that is not shipped (read from articles, or added through the API) into another.

    Its names become aliases of the other, so re-extraction reads them as the other; its mentions
    and events name the other (events are re-merged, as two may now be one); its id answers with
    where it went, and articles that still read the old actor store the other. Merging again into
    the same actor changes nothing.
    """
    if "\x00" in actor_id:
        raise NotFound(f"actor {actor_id!r}")
    if into == actor_id:
        raise Invalid("into", "An actor cannot be merged into itself.")

    def merge() -> None:
        store.lock_merging(session)  # first: events are re-merged below
        source = session.get(Actor, actor_id)
        if source is None:
            went = store.actor_redirects(session, [actor_id]).get(actor_id)
            if went is None:
                raise NotFound(f"actor {actor_id}")
            if went != into:
                raise Conflict(f"actor {actor_id} was merged into {went} already")
            return  # the same merge, sent again
        if source.origin == "gazetteer" or base_gazetteer().actor(actor_id) is not None:
            raise Conflict(
                f"actor {actor_id} ships with the gazetteer data; only actors read from articles or "
                "added through the API can be merged (edit the data files to change a shipped one)"
            )
        target = _stored_actor(session, into)
        if target.kind != source.kind:
            raise Invalid("into", f"{into} is a {target.kind} and {actor_id} a {source.kind}.")
        names = [(name.language, name.name) for name in source.names]
        if not _transliterated(source.name):  # the display name, when it is not a transliteration of one
            names.append((name_language(), source.name))
        aliases = [
            {
                "actor_id": into,
                "language": language,
                "name": name,
                "normalised": normalise_word(name),
                "origin": "api",
            }
            for language, name in dict.fromkeys(names)
        ]
        store.insert_missing(session, ActorName, aliases, ("actor_id", "language", "name"))
        if source.wikidata_id and not target.wikidata_id:  # unique: the source lets go of it first
            wikidata_id, source.wikidata_id = source.wikidata_id, None
            session.flush()
            target.wikidata_id = wikidata_id
        mention_ids = store.move_actor_links(session, actor_id, into)
        store.retire_actor(session, actor_id, into)
        session.flush()
        session.expire_all()  # links were moved in SQL: loaded objects are out of date
        session.delete(session.get(Actor, actor_id))
        session.flush()
        remerge(session, mention_ids)

    _write(session, merge)
    return get_actor(session, into)


def _stored_actor(session: Session, actor_id: str) -> Actor:
    """The actor named by `into`: stored, or shipped and stored now."""
    actor = session.get(Actor, actor_id)
    if actor is not None:
        return actor
    record = base_gazetteer().actor(actor_id)
    if record is None:
        went = store.actor_redirects(session, [actor_id]).get(actor_id)
        if went is not None:
            raise Invalid("into", f"Actor {actor_id} was merged into {went}; merge into that one.")
        raise Invalid("into", f"No actor {actor_id}.")
    _ensure_actors(session, [(record, "gazetteer")])
    return session.get(Actor, actor_id)  # type: ignore[return-value]


def _redirected(
    session: Session, candidates: list[EventCandidate], gazetteer: Gazetteer
) -> list[EventCandidate]:
    """The candidates with every actor merged into another (by an analyst) replaced by that one."""
    moved = store.actor_redirects(session, {record.id for c in candidates for record, _role in c.actors})
    if not moved:
        return candidates
    records = {}
    for actor_id in set(moved.values()):
        records[actor_id] = gazetteer.actor(actor_id) or _actor_record(session.get(Actor, actor_id))  # type: ignore[arg-type]
    result = []
    for candidate in candidates:
        actors = {}  # actor id -> (record, role): an actor named twice is kept once, first place
        for record, role in candidate.actors:
            record = records[moved[record.id]] if record.id in moved else record
            actors.setdefault(record.id, (record, role))
        result.append(replace(candidate, actors=tuple(actors.values())))
    return result


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


def export_batches(
    session: Session, filters: store.EventFilters, language: str = names.CANONICAL_LANGUAGE, batch: int = 2000
) -> Generator[store.EventBatch, None, None]:
    """Every matching event in (start date, id) order, as batches of plain rows (fast, flat memory),
    with the stored names in `language` when that is not the canonical one.

    From the third batch on, each is read while the caller writes out the one before. Close the
    generator before the session: closing waits for a read in progress.
    """
    stored_names = None if language == names.CANONICAL_LANGUAGE else language
    return read_ahead(store.event_batches(session, filters, batch, stored_names))


_END = object()


def read_ahead(items: Iterator[T]) -> Generator[T, None, None]:
    """The items, the next one read in a thread while the caller uses this one.

    The database works while Python formats (the thread waits on the socket without the GIL): a
    full export takes about the longer of the two instead of their sum. The first two items are
    read when asked for, so an error reading either reaches the caller at that point.
    """
    first = next(items, _END)
    if first is _END:
        return
    yield first  # type: ignore[misc]
    with ThreadPoolExecutor(max_workers=1, thread_name_prefix="read-ahead") as reader:
        pending = reader.submit(next, items, _END)
        while (item := pending.result()) is not _END:
            pending = reader.submit(next, items, _END)
            yield item


def event_stats(
    session: Session,
    filters: store.EventFilters,
    interval: str,
    split: str | None,
    language: str = names.CANONICAL_LANGUAGE,
) -> stats.EventCounts:
    """Event counts per day, ISO week, month or year over the requested range, optionally split;
    actor and location series are named in `language`."""
    counts = stats.event_counts(session, filters, interval, split)
    if split not in ("actor", "location") or not counts.series or language == names.CANONICAL_LANGUAGE:
        return counts
    model = Actor if split == "actor" else Location
    named = _names_in(session, model, [series.id for series in counts.series], language)
    return replace(counts, series=[replace(s, name=named.get(s.id, s.name)) for s in counts.series])


def actor_stats(
    session: Session, filters: store.EventFilters, limit: int, language: str = names.CANONICAL_LANGUAGE
) -> tuple[list[stats.ActorCount], list[stats.PairCount]]:
    """The most active actors among matching events, and the pairs that most often share an event,
    named in `language`."""
    rows, actors = stats.event_actor_rows(session, filters)
    top, pairs = stats.rank_actors(rows, actors, limit)
    if language == names.CANONICAL_LANGUAGE:
        return top, pairs
    named = _names_in(session, Actor, {a.id for a in top} | {a.id for p in pairs for a in p.actors}, language)

    def rename(actor: stats.ActorCount) -> stats.ActorCount:
        return replace(actor, name=named.get(actor.id, actor.name))

    return [rename(a) for a in top], [replace(p, actors=tuple(map(rename, p.actors))) for p in pairs]


def _names_in(
    session: Session, model: type[Actor] | type[Location], ids: Iterable[str], language: str
) -> dict[str, str]:
    """Actor or place id -> its name in `language` (service/names.py), for the stored ones among `ids`."""
    name_in = names.actor_name if model is Actor else names.place_name
    return {entity.id: name_in(entity, language) for entity in store.with_names(session, model, ids)}


def events_version(session: Session) -> tuple[datetime | None, tuple[int]]:
    """When events last changed and a fingerprint of their set: the validators of event list responses."""
    return stats.events_version(session)


def ingest_counted(
    session: Session, data: ArticleInput, budget: float | None = None
) -> tuple[bool, int, int]:
    """Store an article as ingest_article does; whether this call stored it, and how many of its
    events are new and how many merged into existing ones (counted by id: the events are not read)."""
    before = stats.max_event_id(session)
    article, created = _store_article(session, data, budget)
    if not created:
        return False, 0, 0
    event_ids = store.event_ids_of_article(session, article.id)
    new = sum(1 for event_id in event_ids if event_id > before)
    return True, new, len(event_ids) - new


# -- ingest jobs: batches ingested by workers, at least once ----------------------------------------


class QueueUnavailable(RuntimeError):
    """The task queue could not take a job's tasks; the job was withdrawn (nothing was accepted)."""


# Puts tasks for a job's items (job id, item indexes) on the task queue: Celery or a local thread.
Enqueue = Callable[[int, Sequence[int]], None]


@dataclass(frozen=True)
class JobProgress:
    """An ingest job and how far it got: items done (new or seen before), failed, and the failures."""

    job: IngestJob
    done: int = 0
    created: int = 0
    failed: int = 0
    finished_at: datetime | None = None
    errors: list[IngestJobItem] = field(default_factory=list)

    @property
    def pending(self) -> int:
        return self.job.total - self.done - self.failed

    @property
    def status(self) -> str:
        if self.pending == 0:
            return "completed"
        return "queued" if self.done + self.failed == 0 else "running"


def submit_ingest_job(session: Session, articles: Sequence[ArticleInput], enqueue: Enqueue) -> JobProgress:
    """Store a job with one pending item per article, then queue its tasks.

    The job is committed before its tasks are queued, so no worker looks for it in vain; when the
    queue refuses them, the job is deleted again and QueueUnavailable raised.
    """
    job = IngestJob(total=len(articles))
    session.add(job)
    session.flush()
    store.add_job_items(session, job.id, [_payload(article) for article in articles])
    session.commit()
    try:
        enqueue(job.id, range(len(articles)))
    except QueueUnavailable:
        session.delete(job)  # its items go by ON DELETE CASCADE; tasks already queued find nothing to do
        session.commit()
        raise
    return JobProgress(job)


def ingest_job_item(session: Session, job_id: int, index: int, budget: float | None = None) -> None:
    """Ingest one article of a job unless an earlier delivery did: safe to run any number of times.

    The article and its item's new status commit in one transaction, so a worker killed at any
    point leaves both or neither, and the task's next delivery finishes the work exactly once.
    An article that cannot be stored is recorded as failed; an unavailable database is raised
    (the task is retried later).
    """
    item = store.pending_job_item(session, job_id, index)
    data = None if item is None else _article_input(item.payload or {})
    session.commit()
    if data is None:
        return

    def finish(article_id: int, created: bool) -> None:
        done = {"status": "done", "article_id": article_id, "created": created}
        store.finish_job_item(session, job_id, index, datetime.now(UTC), **done)

    try:
        article, created = _store_article(session, data, budget, on_store=lambda a: finish(a.id, True))
        if not created:
            _write(session, lambda: finish(article.id, False))
    except Exception as error:
        if is_unavailable(error):
            raise
        problem = _item_problem(error, job_id, index)
        _write(
            session,
            lambda: store.finish_job_item(
                session, job_id, index, datetime.now(UTC), status="failed", problem=problem
            ),
        )


def _item_problem(error: Exception, job_id: int, index: int) -> dict[str, object]:
    """What the job's owner is told about an article given up on (a problem+json body's fields)."""
    if isinstance(error, Conflict):
        return {"status": 409, "title": "Conflict", "detail": str(error)}
    log.exception("ingest job %d: article %d failed", job_id, index)
    return {
        "status": 500,
        "title": "Internal server error",
        "detail": "The error was logged; the article was not stored.",
    }


def get_ingest_job(session: Session, job_id: int) -> JobProgress:
    """An ingest job's progress, counted from its items (so any number of workers can report)."""
    job = session.get(IngestJob, job_id) if store.valid_id(job_id) else None
    if job is None:
        raise NotFound(f"ingest job {job_id}")
    done = created = failed = 0
    last: datetime | None = None
    for status, was_created, count, finished in store.job_item_counts(session, job_id):
        if status == "done":
            done += count
            created += count if was_created else 0
        elif status == "failed":
            failed += count
        if finished is not None and (last is None or finished > last):
            last = finished
    errors = store.failed_job_items(session, job_id) if failed else []
    finished_at = last if done + failed == job.total else None
    return JobProgress(job, done, created, failed, finished_at, errors)


def resume_ingest_job(session: Session, job_id: int, enqueue: Enqueue) -> int:
    """Queue the job's pending items again (after tasks were lost); how many. Done items stay done."""
    get_ingest_job(session, job_id)  # NotFound for an unknown job
    pending = store.pending_job_indexes(session, job_id)
    session.commit()
    if pending:
        enqueue(job_id, pending)
    return len(pending)


def _payload(article: ArticleInput) -> dict[str, object]:
    """An article as JSON, to wait in the database for a worker."""
    return asdict(article) | {
        "published_at": article.published_at.isoformat(),
        "published_date": article.published_date.isoformat(),
    }


def _article_input(payload: Mapping[str, object]) -> ArticleInput:
    return ArticleInput(
        **payload  # type: ignore[arg-type]
        | {
            "published_at": datetime.fromisoformat(str(payload["published_at"])),
            "published_date": date.fromisoformat(str(payload["published_date"])),
        }
    )
