"""Temporal expressions: find dates in news text and resolve them against the publication date.

    find_temporal_expressions(doc, language) -> ArticleDates, per sentence: SentenceDates(expressions, tense)
    find_dates(text, published_at, language) -> [TemporalExpression(text, start, end, date, anchor)]

Language knowledge lives in `service/resources/<lang>/temporal.yaml` (lexicon.py loads it); the
way words combine in patterns.py and grammar.py; engine.py matches a sentence, matches.py names
what a match holds, tense.py reads verbs' tense, resolve*.py and spans.py turn a match into a date
span with calendar.py's arithmetic.
"""

from service.pipeline.temporal.calendar import DateSpan
from service.pipeline.temporal.engine import (
    ArticleDates,
    SentenceDates,
    TemporalExpression,
    find_dates,
    find_temporal_expressions,
    sentence_tense,
)
from service.pipeline.temporal.lexicon import LexiconError

__all__ = [
    "ArticleDates",
    "DateSpan",
    "LexiconError",
    "SentenceDates",
    "TemporalExpression",
    "find_dates",
    "find_temporal_expressions",
    "sentence_tense",
]
