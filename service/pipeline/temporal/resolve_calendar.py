"""Resolvers of expressions naming calendar dates: a day and month, a month, a range, a year, digits."""

from __future__ import annotations

from datetime import date, timedelta

from . import calendar as cal
from .calendar import DateSpan
from .context import Context
from .matches import TemporalMatch
from .spans import (
    Resolved,
    bare_mode,
    day_of,
    direction,
    month_of,
    month_span_of,
    qualifier_kind,
    unit_month,
    year_offset,
)


def resolve_date(match: TemporalMatch, context: Context) -> Resolved:
    first = match.first
    day = day_of(first, context)
    if match.unit_part.unit is not None:  # the 21st of this month
        month_span = unit_month(match.unit_part, context)
        if month_span is None:
            return None
        return cal.day_span(month_span.start.replace(day=day)), "publication"
    calendar_name, month = month_of(first, context)
    lex = context.grammar.lexicon
    weekday = lex.lookup(lex.weekdays, match.weekday) if match.weekday is not None else None
    qualifier = qualifier_kind(context, first.qualifier, first.bracketed_qualifier)
    if calendar_name == "hijri":
        if first.year is not None:
            found = cal.hijri_date(int(first.year), month, day)
            return (cal.day_span(found), "explicit") if found else None
        span = cal.hijri_near(
            context.published, month, day, direction(qualifier, context.tense, cal.ON_OR_AFTER)
        )
        return (span, "publication") if span else None
    if first.year is not None:
        if first.hijri_suffix is not None:
            return None
        return cal.day_span(date(int(first.year), month, day)), "explicit"
    offset = year_offset(first, context)
    if offset is not None:
        return cal.day_span(date(context.published.year + offset, month, day)), "publication"
    found = cal.day_month_date(context.published, month, day, bare_mode(qualifier, match, context), weekday)
    return (cal.day_span(found), "publication") if found else None


def resolve_month_week(match: TemporalMatch, context: Context) -> Resolved:
    """The n-th seven days of a month (days 1-7, 8-14, ...) or its last seven days: a range."""
    lex = context.grammar.lexicon
    if match.unit_part.unit is not None:
        whole, anchor = unit_month(match.unit_part, context), "publication"
        if whole is None:
            return None
    else:
        qualifier = qualifier_kind(context, match.first.qualifier, match.first.bracketed_qualifier)
        resolved = month_span_of(match, match.first, context, qualifier)
        if resolved is None or resolved[0].granularity != "month":
            return None
        whole, anchor = resolved
    if match.last_week is not None:
        return DateSpan(whole.end - timedelta(days=6), whole.end, "range"), anchor
    number = lex.lookup(lex.ordinals, match.week_number)
    if not 1 <= number <= 5:
        return None
    first = whole.start + timedelta(days=7 * (number - 1))
    if first > whole.end:
        return None
    return DateSpan(first, min(whole.end, first + timedelta(days=6)), "range"), anchor


def resolve_month(match: TemporalMatch, context: Context) -> Resolved:
    first = match.first
    qualifier = qualifier_kind(
        context, first.qualifier, first.bracketed_qualifier, match.month_qualifier_before
    )
    return month_span_of(match, first, context, qualifier)


def resolve_range(match: TemporalMatch, context: Context) -> Resolved:
    first, second = match.first, match.second
    days_given = first.has_day
    if first.year is not None and second.year is not None and not days_given and first.month is None:
        year_a, year_b = int(first.year), int(second.year)  # a range of years
        if not 1000 <= year_a <= year_b <= 2199:
            return None
        return DateSpan(date(year_a, 1, 1), date(year_b, 12, 31), "range"), "explicit"
    if not days_given:  # a range of months
        qualifier = qualifier_kind(context, second.qualifier, second.bracketed_qualifier)
        last = month_span_of(match, second, context, qualifier)
        if last is None:
            return None
        _, first_month = month_of(first, context)
        year = int(first.year) if first.year is not None else last[0].start.year
        if first.year is None and first_month > last[0].start.month:
            year -= 1
        return DateSpan(date(year, first_month, 1), last[0].end, "range"), last[1]
    day_a, day_b = day_of(first, context), day_of(second, context)
    month_b = month_of(second, context)[1] if second.month is not None else None
    month_a = month_of(first, context)[1] if first.month is not None else None
    month_a = month_a or month_b
    month_b = month_b or month_a
    if month_a is None or month_b is None:
        return None
    if month_of(first if first.month is not None else second, context)[0] == "hijri":
        return None
    year_a = int(first.year) if first.year is not None else None
    year_b = int(second.year) if second.year is not None else None
    anchor = "explicit" if (year_a or year_b) else "publication"
    offset = year_offset(second, context)
    if year_b is None and offset is not None:
        year_b = context.published.year + offset
    if year_a is None and year_b is None:
        mode = bare_mode(
            qualifier_kind(context, second.qualifier, second.bracketed_qualifier), match, context
        )
        if mode in (cal.BEFORE, cal.ON_OR_BEFORE, cal.NEAREST_PAST):
            start = cal.day_month_date(context.published, month_a, day_a, mode)
            if start is None:
                return None
            year_a = start.year
        else:
            end = cal.day_month_date(context.published, month_b, day_b, mode)
            if end is None:
                return None
            year_b = end.year
    if year_a is None:
        year_a = year_b if (month_a, day_a) <= (month_b, day_b) else year_b - 1  # type: ignore[operator]
    if year_b is None:
        year_b = year_a if (month_a, day_a) <= (month_b, day_b) else year_a + 1
    start, end = date(year_a, month_a, day_a), date(year_b, month_b, day_b)
    if start > end:
        return None
    return DateSpan(start, end, "range"), anchor


# An all-digit date with a year below this is a Hijri date (Hijri years are now in the 1400s).
HIJRI_YEARS_BELOW = 1600


def resolve_numeric(match: TemporalMatch, context: Context) -> Resolved:
    if match.iso_year is not None:
        day = date(int(match.iso_year), int(match.iso_month or 0), int(match.iso_day or 0))
        return cal.day_span(day), "explicit"
    first, second = int(match.first_number or 0), int(match.second_number or 0)
    year = int(match.numeric_year or 0)
    day, month = (first, second) if context.grammar.lexicon.numeric_order == "dmy" else (second, first)
    if month > 12 and day <= 12:
        day, month = month, day
    if year < HIJRI_YEARS_BELOW:  # "21 / 7 / 1440": a Hijri date
        hijri = cal.hijri_date(year, month, day)
        return (cal.day_span(hijri), "explicit") if hijri else None
    return cal.day_span(date(year, month, day)), "explicit"


def resolve_year(match: TemporalMatch, context: Context) -> Resolved:
    year = int(match.first.year or 0)
    if match.first.hijri_suffix is not None:
        span = cal.hijri_year_span(year) if 1300 <= year <= 1600 else None
        return (span, "explicit") if span else None
    if not 1000 <= year <= 2199:
        return None
    return cal.year_span(year), "explicit"
