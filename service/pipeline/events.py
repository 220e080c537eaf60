"""What extraction produces: an event mention (`EventCandidate`), and the `Draft` it is made from.

A draft is a trigger with what its sentence offers (a date, people, countries, a place); discourse
(discourse.py) decides its date and turns it into a candidate here, with its confidence.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from service.pipeline.gazetteer import ActorRecord, Gazetteer, PlaceRecord
from service.pipeline.temporal import DateSpan, TemporalExpression
from service.pipeline.triggers import Trigger

if TYPE_CHECKING:
    from service.pipeline.language import Language

# Confidence ingredients (see README, "Confidence"): how the date was obtained ...
DATE_SCORES = {"explicit": 1.0, "publication": 0.9, "weekday": 0.85, "previous": 0.8, "discourse": 0.7}
UNDATED_SCORE = 0.4
# ... and how the actors were identified.
ACTOR_SCORES = {"name": 1.0, "role": 0.9, "counterpart": 0.85, "title": 0.8, "group": 0.8, "country": 0.7}
# The role of a country standing for a visit's unnamed host; a host person met during the visit
# takes its place (README, "How events are read").
HOST_COUNTRY_ROLE = "host_country"
# Gatherings an organisation convenes: the organisation written next to the trigger takes part
# alongside the people named ("chaired the GCC summit").
CONVENED_TYPES = ("summit",)
NO_ACTOR = ActorRecord(id="", name="", kind="", wikidata=None, names={})


@dataclass(frozen=True)
class EventCandidate:
    """One event mention found in an article, ready to be stored and merged."""

    type: str
    trigger: str
    sentence: str
    span_start: int  # the sentence's span in the article text
    span_end: int
    expression: TemporalExpression | None
    resolution: str
    date: DateSpan
    status: str
    actors: tuple[tuple[ActorRecord, str], ...]  # (actor, role)
    place: PlaceRecord | None
    confidence: float
    implied: bool = False  # reported by a word that names another happening ("received X": the meeting)


@dataclass
class Draft:
    """A trigger with what its sentence offers, before discourse decides its date."""

    trigger: Trigger
    sentence_index: int
    sentence_start: int
    sentence_end: int
    sentence: str
    language: Language
    expression: TemporalExpression | None
    persons: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    place: PlaceRecord | None = None
    actor_via: str = "name"
    tense: str | None = None
    roles: dict[str, tuple[str, str]] = field(default_factory=dict)  # actor id -> (office, country)
    implied: bool = False  # a happening the trigger's word implies ("received X": a meeting)
    # titled people not in the gazetteer, shared by the article's drafts ("the two leaders" may
    # bring one into another sentence)
    unknown: dict[str, ActorRecord] = field(default_factory=dict)
    stand_ins: list[str] = field(default_factory=list)  # countries of officials named only by office
    own_subject: bool = False  # its sentence names who acts (no subject carried from before)
    # the sentence's other triggers: one naming the same happening ("welcomed" ... "visit") may
    # give it a length
    namesakes: tuple[Trigger, ...] = ()

    @property
    def has_participants(self) -> bool:
        """Does anyone take part: a person, a country or organisation, or an official's country?"""
        return bool(self.persons or self.others or self.stand_ins)


def candidate(
    draft: Draft,
    span: DateSpan,
    expression: TemporalExpression | None,
    resolution: str,
    published_at: date,
    gazetteer: Gazetteer,
) -> EventCandidate:
    """The event mention a draft makes once dated: its actors on that date and its confidence."""
    # an office and a name may turn out to be one person on the event's date
    persons = list(dict.fromkeys(_role_holder_on(p, draft, gazetteer, span.start) for p in draft.persons))
    actor_ids = [*persons, *draft.stand_ins] if persons else [*draft.others, *draft.stand_ins]
    if persons and draft.trigger.type in CONVENED_TYPES:  # "the GCC summit": the organisation's own
        actor_ids += [o for o in draft.others if (gazetteer.actor(o) or NO_ACTOR).kind == "organisation"]
    actors = tuple(
        (record_of(actor_id, draft, gazetteer), "participant") for actor_id in dict.fromkeys(actor_ids)
    )
    host = _host_country(draft, persons, gazetteer, span.start)
    if host is not None and host not in actor_ids:
        actors = (*actors, (record_of(host, draft, gazetteer), HOST_COUNTRY_ROLE))
    date_score = (
        DATE_SCORES.get(resolution, 0.7)
        if expression is not None or resolution == "discourse"
        else UNDATED_SCORE
    )
    actor_score = ACTOR_SCORES.get(draft.actor_via, 0.8) if persons else ACTOR_SCORES["country"]
    confidence = round(0.5 * date_score + 0.3 * draft.trigger.strength + 0.2 * actor_score, 3)
    return EventCandidate(
        type=draft.trigger.type,
        trigger=draft.trigger.text,
        sentence=draft.sentence,
        span_start=draft.sentence_start,
        span_end=draft.sentence_end,
        expression=expression,
        resolution=resolution,
        date=span,
        status=_status(span, published_at, draft.tense),
        actors=actors,
        place=draft.place,
        confidence=confidence,
        implied=draft.implied,
    )


def country_of(person: str, gazetteer: Gazetteer, on: date) -> str | None:
    """The country (or organisation) of the first office a person held on a day."""
    return next((tenure.country for tenure in gazetteer.offices_of(person, on)), None)


def home_country(person: ActorRecord, gazetteer: Gazetteer, on: date) -> str | None:
    """The country a person represents: the one given with a person read from the text, else by office."""
    return person.country or country_of(person.id, gazetteer, on)


def _host_country(draft: Draft, persons: list[str], gazetteer: Gazetteer, on: date) -> str | None:
    """The country a visit naming only its visitor goes to: it stands for the unnamed host.

    The destination is a country written next to the trigger ("a visit to Egypt"), else the
    country of the visit's venue; never the visitor's own country (a return home is no visit).
    """
    if draft.trigger.type != "visit" or len(persons) != 1:
        return None
    visitor = record_of(persons[0], draft, gazetteer)
    home = home_country(visitor, gazetteer, on)
    if any(country != home for country in draft.stand_ins):
        return None  # an official of another country named by office only may be the host
    written = [c for c in draft.others if (gazetteer.actor(c) or NO_ACTOR).kind == "country"]
    venue = [draft.place.country] if draft.place is not None and draft.place.country else []
    return next((country for country in [*written, *venue] if country != home), None)


def record_of(actor_id: str, draft: Draft, gazetteer: Gazetteer) -> ActorRecord:
    """The actor an id names: the gazetteer's, else one read from this article's text."""
    return gazetteer.actor(actor_id) or draft.unknown[actor_id]


def _role_holder_on(actor_id: str, draft: Draft, gazetteer: Gazetteer, on: date) -> str:
    # Role descriptions were resolved on the publication date; an event dated elsewhere may have
    # had another holder ("the US president" in a 2025 article about a 2021 call).
    if actor_id not in draft.roles:
        return actor_id
    office, country = draft.roles[actor_id]
    return gazetteer.holder(office, country, on) or actor_id


def _status(span: DateSpan, published_at: date, tense: str | None) -> str:
    if span.start > published_at:
        return "planned"
    if span.end < published_at:
        return "past"
    return "planned" if tense == "future" else "past"
