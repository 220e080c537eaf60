"""Actor and place names and event titles in the reader's language, rendered when an event is read.

Titles are not stored per language: an event's title is rendered from its type, actors and place
with `<lang>/titles.yaml`, so every stored event reads in every language and a better template
changes old events too. (`Event.title` keeps the English title, for search and for the record.)

A name in a language is, in this order: the canonical name when the language is the canonical one
(English: the `name` column); the first name of that language in the shipped data (its preferred
spelling); the first stored name of that language (actors and aliases added through the API, places'
stored names); the canonical name.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from typing import Protocol

from service.compiled import compiled
from service.pipeline.gazetteer import ActorRecord, Gazetteer, PlaceRecord
from service.pipeline.gazetteer.loading import name_language
from service.pipeline.titles import hosts, render_title, title_templates

# The language of the `name` columns (the Wikipedia title of a shipped actor, GeoNames' place name).
CANONICAL_LANGUAGE = name_language()


class _Named(Protocol):
    language: str
    name: str


class _Entity(Protocol):
    id: str
    name: str

    @property
    def names(self) -> Sequence[_Named]: ...


class _Actor(_Entity, Protocol):
    kind: str


class _Place(_Entity, Protocol):
    country: str | None


def _gazetteer() -> Gazetteer:
    return compiled().gazetteer  # the shipped data, loaded once per process


def _name(entity: _Entity, shipped_record: ActorRecord | PlaceRecord | None, language: str) -> str:
    """The entity's name in `language`: canonical, else shipped, else stored, else canonical."""
    if language == CANONICAL_LANGUAGE:
        return entity.name
    shipped = shipped_record.names.get(language) if shipped_record else None
    if shipped:
        return shipped[0]
    return next((n.name for n in entity.names if n.language == language), None) or entity.name


def actor_name(actor: _Actor, language: str) -> str:
    """The actor's name in `language` (see the module docstring for which one)."""
    record = _gazetteer().actor(actor.id) if language != CANONICAL_LANGUAGE else None
    return _name(actor, record, language)


def place_name(place: _Place, language: str) -> str:
    """The place's name in `language` (see the module docstring for which one)."""
    record = _gazetteer().place(place.id) if language != CANONICAL_LANGUAGE else None
    return _name(place, record, language)


def _country(place: _Place) -> str | None:
    record = _gazetteer().place(place.id)
    return place.country or (record.country if record else None)


def title(event_type: str, actors: Sequence[_Actor], place: _Place | None, on: date, language: str) -> str:
    """The title of an event of this type, with these actors (in order) at this place, in `language`."""
    venue_country = _country(place) if place is not None else None
    at_home: set[int] = set()
    if venue_country is not None:
        # The venue's country as an actor says nothing the place does not ("visits Cairo", not
        # "visits Cairo and meets Egypt").
        actors = [actor for actor in actors if actor.id != venue_country]
        at_home = hosts(_gazetteer(), [(a.id, a.kind) for a in actors], venue_country, on)
    return render_title(
        title_templates(language),
        event_type,
        [actor_name(actor, language) for actor in actors],
        place_name(place, language) if place is not None else None,
        at_home,
    )
