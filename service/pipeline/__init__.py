"""The extraction pipeline, pure: article text -> sentences -> temporal expressions -> event mentions.

    sentences = split_sentences(text)  # overlong ones cut into bounded clauses
    expressions = expressions_by_sentence(text, sentences, published_at, language)  # lazy
    candidates = find_events(text, sentences, published_at, language, expressions, gazetteer, stop)

Every stage is linear in the article's length whatever its shape. Merging the candidates of many
articles into timeline events is `merge.py`'s job.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date

from service.pipeline.events import EventCandidate, find_events
from service.pipeline.gazetteer import Gazetteer
from service.pipeline.language import Language
from service.pipeline.normalise import split_sentences
from service.pipeline.temporal import expressions_by_sentence


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
    sentences = split_sentences(text)
    expressions = expressions_by_sentence(text, sentences, published_at, language)
    return find_events(text, sentences, published_at, language, expressions, gazetteer, stop)
