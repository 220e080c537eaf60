"""Temporal expressions: find dates in news text and resolve them against the publication date.

    find_temporal_expressions(doc, language) -> per sentence: SentenceDates(expressions, tense)
    find_dates(text, published_at, language) -> [TemporalExpression(text, start, end, date, anchor)]

Language knowledge lives in `service/resources/<lang>/temporal.yaml` (lexicon.py loads it), the
way words combine in grammar.py, calendar arithmetic in calendar.py, and matching plus resolution
in engine.py.
"""

from service.pipeline.temporal.calendar import DateSpan
from service.pipeline.temporal.engine import (
    SentenceDates,
    TemporalExpression,
    find_dates,
    find_temporal_expressions,
    sentence_tense,
)
from service.pipeline.temporal.lexicon import LexiconError

__all__ = [
    "DateSpan",
    "LexiconError",
    "SentenceDates",
    "TemporalExpression",
    "find_dates",
    "find_temporal_expressions",
    "sentence_tense",
]
