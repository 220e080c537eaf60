"""One happening told twice in an article's sentences becomes one mention.

Two triggers of one sentence about one happening ("met ... to discuss") are one mention; a mention
naming only countries is the same happening as one naming the people who represent exactly them.
"""

from __future__ import annotations

from service.pipeline.events import EventCandidate, home_country
from service.pipeline.gazetteer import Gazetteer
from service.pipeline.merge import same_family


def collapse_same_sentence(candidates: list[EventCandidate]) -> list[EventCandidate]:
    """Two triggers of one sentence about one happening ("met ... to discuss") are one mention:
    the one with its own date and the strongest trigger stays."""
    kept: list[EventCandidate] = []
    in_sentence: dict[int, list[int]] = {}  # sentence start -> indexes in kept
    for event in candidates:
        twin = next(
            (
                index
                for index in in_sentence.get(event.span_start, [])
                if same_family(kept[index].type, event.type)
                and kept[index].date == event.date
                and {a.id for a, _ in kept[index].actors} == {a.id for a, _ in event.actors}
            ),
            None,
        )
        if twin is None:
            in_sentence.setdefault(event.span_start, []).append(len(kept))
            kept.append(event)
        elif _rank(event) > _rank(kept[twin]):
            kept[twin] = event
    return kept


def _rank(event: EventCandidate) -> tuple[bool, bool, float]:
    # a happening named by its own word ("held talks") outranks one implied by another ("received")
    return (not event.implied, event.resolution != "discourse", event.confidence)


def without_country_twins(candidates: list[EventCandidate], gazetteer: Gazetteer) -> list[EventCandidate]:
    """ "Egypt and India signed ..." and "Sisi and Modi attended as the deals were signed" are one
    happening: a mention naming only countries goes when another of the same kind and date names
    people who represent exactly those countries."""
    represented: list[tuple[EventCandidate, frozenset[str]]] = []
    for candidate in candidates:
        people = [a for a, _ in candidate.actors if a.kind == "person"]
        countries = {home_country(a, gazetteer, candidate.date.start) for a in people}
        if people and None not in countries:
            represented.append((candidate, frozenset(c for c in countries if c)))

    def twin(candidate: EventCandidate) -> bool:
        if any(a.kind == "person" for a, _ in candidate.actors):
            return False
        countries = {a.id for a, _ in candidate.actors if a.kind == "country"}
        return len(countries) >= 2 and any(
            same_family(other.type, candidate.type)
            and other.date == candidate.date
            and represents == countries
            for other, represents in represented
        )

    return [c for c in candidates if not twin(c)]
