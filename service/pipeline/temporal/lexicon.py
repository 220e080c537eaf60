"""A language's temporal lexicon: lookup tables keyed by the normalised word, and alternations.

resource.py reads `<lang>/temporal.yaml` into a `Lexicon`; the grammar assembles its word lists
into patterns with `Lexicon.alt`, and the resolver looks matched words up with `Lexicon.lookup`.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING, Any

from service.pipeline.language.morphology import Morphology

if TYPE_CHECKING:
    pass

RESOURCE_NAME = "temporal.yaml"
CALENDAR_NAME = "calendar.yaml"  # generated from dateparser (locale_calendar.py); temporal.yaml extends it

UNITS = ("day", "week", "month", "year")
QUALIFIER_OFFSETS = {"past": -1, "future": 1, "current": 0, "before_last": -2, "after_next": 2, "recent": -1}
PARTS = ("early", "mid", "late")
SEASONS = ("spring", "summer", "autumn", "winter")


class LexiconError(ValueError):
    """A temporal resource file is missing a category or holds a malformed entry."""


def key(text: str) -> str:
    """Lookup key of a (normalised) phrase: single spaces instead of whitespace/hyphen runs, no final dot."""
    return re.sub(r"[\s\-]+", " ", text).strip().rstrip(".")


def phrase_pattern(word: str) -> str:
    """Regex for one normalised lexicon phrase: flexible inner spacing, optional final dot."""
    dot = word.endswith(".") and len(word) > 1
    body = word[:-1] if dot else word
    parts = [re.escape(part) for part in re.split(r"[\s\-]+", body) if part]
    return r"[\s\-]+".join(parts) + (r"\.?" if dot else "")


@dataclass(frozen=True)
class Example:
    """One worked example from a resource file."""

    category: str
    text: str
    published_at: date | None
    expression: str | None
    start: date | None
    end: date | None
    granularity: str | None
    tense: str | None


@dataclass
class Lexicon:
    """Normalised word tables for one language (built once per folder: `Language.temporal`)."""

    language: str
    morphology: Morphology  # clitics and the article (language.yaml)
    article: str
    conjunctions: list[str]
    prepositions: list[str]
    article_words: list[str]
    date_orders: list[str]
    numeric_order: str
    months: dict[str, tuple[str, int]] = field(default_factory=dict)  # word -> (calendar, month)
    ambiguous_months: set[str] = field(default_factory=set)
    month_prefixes: list[str] = field(default_factory=list)
    month_context: set[str] = field(default_factory=set)
    hijri_year_suffixes: list[str] = field(default_factory=list)
    weekdays: dict[str, int] = field(default_factory=dict)
    weekday_prefixes: list[str] = field(default_factory=list)
    linkers: list[str] = field(default_factory=list)
    ordinals: dict[str, int] = field(default_factory=dict)
    day_suffixes: list[str] = field(default_factory=list)
    of_words: list[str] = field(default_factory=list)
    numbers: dict[str, int] = field(default_factory=dict)
    relative_days: dict[str, int] = field(default_factory=dict)
    time_before: list[str] = field(default_factory=list)
    time_after: list[str] = field(default_factory=list)
    nowadays_words: set[str] = field(default_factory=set)
    nowadays_cues: list[str] = field(default_factory=list)
    adjective_suffixes: list[str] = field(default_factory=list)
    anaphora: dict[str, int] = field(default_factory=dict)
    unit_singular: dict[str, str] = field(default_factory=dict)
    unit_plural: dict[str, str] = field(default_factory=dict)
    unit_dual: dict[str, str] = field(default_factory=dict)
    qual_after: dict[str, str] = field(default_factory=dict)
    qual_before: dict[str, str] = field(default_factory=dict)
    shifts: dict[str, list[str]] = field(default_factory=dict)
    window_prefixes: list[str] = field(default_factory=list)
    earlier_words: list[str] = field(default_factory=list)
    later_words: list[str] = field(default_factory=list)
    year_prefixes: list[str] = field(default_factory=list)
    year_dual_prefixes: list[str] = field(default_factory=list)
    year_context: set[str] = field(default_factory=set)
    year_suffixes: list[str] = field(default_factory=list)
    parts: dict[str, str] = field(default_factory=dict)
    last_week_words: list[str] = field(default_factory=list)  # "the last week of May"
    seasons: dict[str, str] = field(default_factory=dict)
    ranges: dict[str, list[str]] = field(default_factory=dict)
    tense: dict[str, list[str]] = field(default_factory=dict)
    past_frames: list[tuple[str, str]] = field(default_factory=list)  # (prefix, ending) of a perfect verb
    quantity_words: list[str] = field(default_factory=list)
    name_cues: list[str] = field(default_factory=list)
    recurrence_words: set[str] = field(default_factory=set)
    recurrence_phrases: list[str] = field(default_factory=list)
    # a word that opens an expression but is a verb after these words ("will last two days")
    verb_readings: dict[str, set[str]] = field(default_factory=dict)
    examples: list[Example] = field(default_factory=list)

    def definite(self, words: Iterable[str]) -> list[str]:
        """The words with the definite article: attached or as a separate word (the year)."""
        return self.morphology.definite(words)

    def alt(self, words: Iterable[str]) -> str:
        """Non-capturing alternation of phrases, longest first; never matches the empty string."""
        unique = sorted({w for w in words if w}, key=len, reverse=True)
        if not unique:
            return "(?!)"
        options = [phrase_pattern(w) for w in unique]
        # after a preposition that contracts with the article, the article is written shorter
        options += self.morphology.contracted_patterns(unique, phrase_pattern)
        return "(?:" + "|".join(options) + ")"

    def lookup(self, table: Mapping[str, Any], text: str) -> Any:
        """Value of a matched phrase in a table, undoing an article contraction if needed."""
        k = key(text)
        for candidate in (k, k + "."):
            if candidate in table:
                return table[candidate]
        for candidate in self.morphology.uncontracted(k):
            if candidate in table:
                return table[candidate]
        return None

    def is_ambiguous_month(self, text: str) -> bool:
        """True for a month name that is also an ordinary word or a name (needs context)."""
        k = key(text)
        return k in self.ambiguous_months or k + "." in self.ambiguous_months
