"""Event titles from language data (`<lang>/titles.yaml`): who did what, and where, in one line.

A title is rendered from the event's type, its actors' names and its place's name in one language;
the first template of the type whose slots the event fills wins. Hosts of a visit (actors of the
venue's country) are named after the visitors, so "Xi Jinping visits Moscow" never reads the other
way round.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from string import Formatter
from typing import Any

from service.pipeline.gazetteer import Gazetteer
from service.pipeline.gazetteer.loading import name_language
from service.pipeline.language import shipped_languages
from service.vocabulary import EVENT_TYPES, GRANULARITIES

# Slots a template may use, and how many actors each one needs to be filled.
SLOT_MIN_ACTORS = {"actor": 1, "others": 2, "actors": 1, "parties": 2, "place": 0}
_MOST_ACTORS_NEEDED = max(SLOT_MIN_ACTORS.values())
TITLES_FILE = "titles.yaml"


class TitleTemplateError(ValueError):
    """A titles.yaml that breaks its format: a missing type, an unknown slot, no fallback."""


@dataclass(frozen=True)
class TitleTemplates:
    """One language's title templates, per event type in order, and how names are joined."""

    language: str
    templates: Mapping[str, tuple[str, ...]]
    separator: str
    last: str
    # (type, actors up to the most a slot needs, place given) -> the template that wins and its
    # slots: every event read renders a title, most of them of a handful of shapes.
    _chosen: dict[tuple[str, int, bool], tuple[str, frozenset[str]]] = field(
        default_factory=dict, init=False, repr=False, compare=False
    )

    def join(self, names: Sequence[str]) -> str:
        """ "A", "A and B", "A, B and C" (the words between names are language data)."""
        if len(names) < 2:
            return "".join(names)
        return self.separator.join(names[:-1]) + self.last + names[-1]

    def choose(self, event_type: str, actors: int, place: bool) -> tuple[str, frozenset[str]]:
        """The first template of the type whose slots `actors` names (and a place, if given) fill."""
        key = (event_type, min(actors, _MOST_ACTORS_NEEDED), place)
        found = self._chosen.get(key)
        if found is None:
            for template in self.templates.get(event_type, self.templates["other"]):
                used = slots(template)
                if all(actors >= SLOT_MIN_ACTORS[slot] for slot in used) and ("place" not in used or place):
                    found = self._chosen[key] = (template, used)
                    break
            else:
                raise AssertionError("unreachable: the last template has no slot")  # checked by parse
        return found


@dataclass(frozen=True)
class EventLabels:
    """How a language labels an event's type, its date's granularity and its actors, for readers
    (the iCalendar description); `labels` in `<lang>/titles.yaml`."""

    types: Mapping[str, str]
    granularities: Mapping[str, str]
    actors: str


def title_languages() -> tuple[str, ...]:
    """Languages titles can be rendered in: folders shipping a titles.yaml (the canonical names'
    language first: the default)."""
    found = sorted(code for code, language in shipped_languages().items() if language.resource(TITLES_FILE))
    return tuple(sorted(found, key=lambda language: language != name_language()))


@cache  # a title is rendered for every event read: parse each template once
def slots(template: str) -> frozenset[str]:
    """The slot names a template uses ("{actor} visits {place}" -> {"actor", "place"})."""
    return frozenset(name for _, name, _, _ in Formatter().parse(template) if name is not None)


@cache
def title_templates(language: str) -> TitleTemplates:
    """The checked templates of one language (cached); TitleTemplateError names what is wrong."""
    return parse_templates(language, shipped_languages()[language].resource(TITLES_FILE))


@cache
def event_labels(language: str) -> EventLabels:
    """The checked labels of one language (cached); TitleTemplateError names what is missing."""
    return parse_labels(language, shipped_languages()[language].resource(TITLES_FILE))


def parse_labels(language: str, raw: Any) -> EventLabels:
    """Check one titles.yaml's `labels`: every event type, every granularity, and `actors`."""
    try:
        labels = raw["labels"]
        return EventLabels(
            types={event_type: str(labels["types"][event_type]) for event_type in EVENT_TYPES},
            granularities={name: str(labels["granularities"][name]) for name in GRANULARITIES},
            actors=str(labels["actors"]),
        )
    except (KeyError, TypeError) as error:
        raise TitleTemplateError(
            f"{language}/{TITLES_FILE}: labels need actors, and types and granularities of {error}"
        ) from error


def parse_templates(language: str, raw: Any) -> TitleTemplates:
    """Check one titles.yaml's content and build its templates; TitleTemplateError names what is wrong."""
    where = f"{language}/{TITLES_FILE}"
    try:
        join, types = raw["join"], raw["templates"]
        templates = {event_type: tuple(types[event_type]) for event_type in EVENT_TYPES}
        separator, last = join["separator"], join["last"]
    except (KeyError, TypeError) as error:
        raise TitleTemplateError(
            f"{where}: needs join.separator, join.last and templates of {error}"
        ) from error
    unknown_types = set(types) - set(EVENT_TYPES)
    if unknown_types:
        raise TitleTemplateError(f"{where}: not event types: {sorted(unknown_types)}")
    for event_type, items in templates.items():
        if not items:
            raise TitleTemplateError(f"{where}: {event_type} has no template")
        for template in items:
            unknown = slots(template) - SLOT_MIN_ACTORS.keys()
            if unknown:
                raise TitleTemplateError(
                    f"{where}: {event_type}: unknown slot(s) {sorted(unknown)} in {template!r}"
                )
        if slots(items[-1]):
            raise TitleTemplateError(
                f"{where}: {event_type}: the last template must have no slot: {items[-1]!r}"
            )
    return TitleTemplates(language, templates, separator, last)


def render_title(
    templates: TitleTemplates,
    event_type: str,
    actors: Sequence[str],
    place: str | None,
    hosts: Collection[int] = (),
) -> str:
    """The title of an event from its actors' names (in event order) and its place's name.

    `hosts` are indexes into `actors` of those at home at the venue: they are named last.
    """
    ordered = list(actors)
    if hosts:
        ordered = [name for i, name in enumerate(actors) if i not in hosts]
        ordered += [name for i, name in enumerate(actors) if i in hosts]
    template, used = templates.choose(event_type, len(ordered), bool(place))
    values = {"actor": ordered[0] if ordered else "", "place": place or ""}
    if "others" in used:
        values["others"] = templates.join(ordered[1:])
    if "actors" in used or "parties" in used:
        values["actors"] = values["parties"] = templates.join(ordered)
    return template.format(**values)


def stands_for(gazetteer: Gazetteer, actor_id: str, kind: str, country: str, on: date) -> bool:
    """True when the actor stands for the country (or organisation) on a day: it is the country,
    or holds one of its offices."""
    if kind == "country":
        return actor_id == country
    return any(tenure.country == country for tenure in gazetteer.offices_of(actor_id, on))


def hosts(
    gazetteer: Gazetteer, actors: Sequence[tuple[str, str]], venue_country: str | None, on: date
) -> set[int]:
    """Indexes of the (id, kind) actors at home in the venue's country on that day."""
    if venue_country is None:
        return set()
    return {
        index
        for index, (actor_id, kind) in enumerate(actors)
        if stands_for(gazetteer, actor_id, kind, venue_country, on)
    }


def event_title(
    event_type: str, actor_names: Sequence[str], place_name: str | None, host_indexes: Collection[int] = ()
) -> str:
    """The title stored with an event, in the canonical names' language (service/names.py renders
    it in any language)."""
    return render_title(title_templates(name_language()), event_type, actor_names, place_name, host_indexes)


def validate_titles() -> None:
    """Load every language's templates (start-up check: a broken file stops the service)."""
    for language in title_languages():
        title_templates(language)
        event_labels(language)
