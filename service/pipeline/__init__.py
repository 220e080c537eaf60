"""The extraction pipeline, pure: article text -> dated event mentions (`extract` reads top to bottom).

Every stage takes the read document and the language explicitly, and is linear in the article's
length whatever its shape. Merging the mentions of many articles into timeline events is
`merge.py`'s job.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from service.pipeline.actors import find_actors
from service.pipeline.attach import attach
from service.pipeline.discourse import date_by_discourse
from service.pipeline.document import read
from service.pipeline.events import EventCandidate
from service.pipeline.gazetteer import Gazetteer
from service.pipeline.language import Language
from service.pipeline.places import find_places
from service.pipeline.temporal import find_temporal_expressions
from service.pipeline.triggers import find_triggers


def extract(
    text: str,
    published_at: date,
    language: Language,
    gazetteer: Gazetteer,
    stop: Callable[[], bool] | None = None,
) -> list[EventCandidate]:
    """Event mentions of one article, each dated against the article's publication date.

    `stop` (the caller's time budget; the pipeline reads no clock) is asked between sentences;
    once it answers True, the events found in the sentences read so far are returned.
    """
    doc = read(text, published_at)  # normalised once, split into sentences once
    triggers = find_triggers(doc, language)  # "visit", "held talks", "phone call"
    if not triggers:
        return []
    dates = find_temporal_expressions(doc, language)  # per sentence, read lazily
    actors = find_actors(doc, language, gazetteer)  # names, offices, coreferences, group words
    places = find_places(doc, language, gazetteer, actors)  # places and the dateline
    drafts = attach(doc, language, triggers, dates, actors, places, gazetteer, stop)
    return date_by_discourse(drafts, doc, language, gazetteer)
