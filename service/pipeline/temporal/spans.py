"""The pieces resolvers share: qualifiers, the direction a bare date looks in, days, months, units.

A qualifier ("last", "next", "current") decides a direction; without one, "since" right before an
expression looks back; else the tense of the governing verb does.
"""

from __future__ import annotations

from datetime import date, timedelta

from . import calendar as cal
from .calendar import DateSpan
from .context import Context
from .lexicon import QUALIFIER_OFFSETS
from .matches import DatePart, TemporalMatch

Resolved = tuple[DateSpan, str] | None  # (span, anchor: explicit | publication | previous | weekday)


def qualifier_kind(context: Context, *texts: str | None, before: bool = False) -> str | None:
    """The kind (past, future, current, ...) of the first qualifier given, if any."""
    lex = context.grammar.lexicon
    for text in texts:
        if text:
            table = lex.qual_before if before else lex.qual_after
            found = (
                lex.lookup(table, text)
                or lex.lookup(lex.qual_after, text)
                or lex.lookup(lex.qual_before, text)
            )
            if found:
                return found
    return None


def direction(qualifier: str | None, tense: str | None, default: str = cal.NEAREST) -> str:
    """Which way to look for a named day or month: by its qualifier, else by the tense."""
    if qualifier in ("past", "recent"):
        return cal.BEFORE
    if qualifier == "future":
        return cal.AFTER
    if qualifier == "current":
        return cal.CURRENT
    if tense == "past":
        return cal.ON_OR_BEFORE
    if tense in ("future", "present"):
        return cal.ON_OR_AFTER
    return default


def bare_mode(qualifier: str | None, match: TemporalMatch, context: Context) -> str:
    """Direction of a day + month or a month without a year.

    A qualifier decides, then "since" right before it (past), then the tense: a past sentence
    looks back, an explicitly future one forward; a present-tense verb ("says") is no future cue,
    so the nearest occurrence wins, the past one when the gaps are similar.
    """
    if qualifier is not None:
        return direction(qualifier, context.tense)
    if match.after_since or context.tense == "past":
        return cal.ON_OR_BEFORE
    if context.tense == "future":
        return cal.ON_OR_AFTER
    return cal.NEAREST_PAST


def year_offset(part: DatePart, context: Context) -> int | None:
    """Years from publication a qualified year names (\"last year\": -1), if it is qualified."""
    kind = qualifier_kind(context, part.year_qualifier_after, part.year_qualifier, part.year_qualifier_before)
    if kind is None or kind == "recent":
        return None
    return QUALIFIER_OFFSETS[kind]


def day_of(part: DatePart, context: Context) -> int:
    """The day of the month, written in digits or as an ordinal word."""
    if part.day_number is not None:
        return int(part.day_number)
    return context.grammar.lexicon.lookup(context.grammar.lexicon.ordinals, part.day_word)


def month_of(part: DatePart, context: Context) -> tuple[str, int]:
    """(calendar, month number) of a month name."""
    return context.grammar.lexicon.lookup(context.grammar.lexicon.months, part.month)


def unit_month(part: DatePart, context: Context) -> DateSpan | None:
    """The month of "this month / next month" (None without a usable qualifier)."""
    kind = qualifier_kind(context, part.unit_qualifier_after, part.unit_qualifier_before)
    if kind is None or kind == "recent":
        return None
    return unit_span("month", QUALIFIER_OFFSETS[kind], context.published)


def unit_span(unit: str, offset: int, published: date) -> DateSpan:
    """The day, ISO week, month or year `offset` units from publication."""
    if unit == "week":
        return cal.iso_week(published, offset)
    if unit == "month":
        year, month = cal.shift_month(published.year, published.month, offset)
        return cal.month_span(year, month)
    if unit == "year":
        return cal.year_span(published.year + offset)
    return cal.day_span(published + timedelta(days=offset))


def month_span_of(match: TemporalMatch, part: DatePart, context: Context, qualifier: str | None) -> Resolved:
    """The span of a month expression (Gregorian or Hijri) with its year, qualifier or tense."""
    calendar_name, month = month_of(part, context)
    published = context.published
    if calendar_name == "hijri":
        if part.year is not None:
            span = cal.hijri_month_span(int(part.year), month)
            return (span, "explicit") if span else None
        span = cal.hijri_near(published, month, None, direction(qualifier, context.tense, cal.ON_OR_AFTER))
        return (span, "publication") if span else None
    if part.year is not None:
        return cal.month_span(int(part.year), month), "explicit"
    offset = year_offset(part, context)
    if offset is not None:
        return cal.month_span(published.year + offset, month), "publication"
    year = cal.month_year(published, month, bare_mode(qualifier, match, context))
    return cal.month_span(year, month), "publication"


def count_of(number: str | None, word: str | None, context: Context) -> int | None:
    """A count written in digits or as a number word."""
    if number is not None:
        return int(number)
    if word is not None:
        return context.grammar.lexicon.lookup(context.grammar.lexicon.numbers, word)
    return None
