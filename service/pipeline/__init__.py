"""The extraction pipeline, pure: article text -> temporal expressions -> event mentions.

    expressions = find_temporal_expressions(text, published_at, language)
    candidates = find_events(text, published_at, language, expressions, gazetteer)

Merging the candidates of many articles into timeline events is `merge.py`'s job.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from service.pipeline.events import EventCandidate, find_events
from service.pipeline.gazetteer import Gazetteer
from service.pipeline.temporal import find_temporal_expressions


def extract(
    text: str, published_at: date, language: str, gazetteer: Gazetteer, stop: Callable[[], bool] | None = None
) -> list[EventCandidate]:
    """Event mentions of one article, each dated against the article's publication date."""
    expressions = find_temporal_expressions(text, published_at, language)
    return find_events(text, published_at, language, expressions, gazetteer)
