"""Resolvers of expressions counted from publication: units, parts, seasons, shifts, windows, weekdays."""

from __future__ import annotations

from datetime import date, timedelta

from . import calendar as cal
from .calendar import DateSpan
from .context import Context
from .lexicon import QUALIFIER_OFFSETS, key
from .matches import TemporalMatch
from .spans import Resolved, count_of, direction, month_span_of, qualifier_kind, unit_span, year_offset

# Vague windows ("the coming days", "recent weeks") use a fixed conventional length per unit;
# "in recent years" is too vague to date anything, so vague year windows yield no expression.
_VAGUE_WINDOW_DAYS = {"day": 7, "week": 28}
_VAGUE_WINDOW_MONTHS = {"month": 3}
_PARTS_OF_MONTH = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_PARTS_OF_WEEK = {"early": (0, 2), "mid": (1, 3), "late": (4, 6)}  # days after Monday
_PARTS_OF_YEAR = {"early": ((1, 1), (4, 30)), "mid": ((5, 1), (8, 31)), "late": ((9, 1), (12, 31))}


def resolve_unit(match: TemporalMatch, context: Context) -> Resolved:
    lex = context.grammar.lexicon
    published = context.published
    if match.today is not None:
        return cal.day_span(published), "publication"
    unit_part = match.unit_part
    unit = lex.lookup(lex.unit_singular, unit_part.unit)
    kind = qualifier_kind(context, unit_part.unit_qualifier_after, unit_part.unit_qualifier_before)
    if kind is None or kind == "recent":
        return None
    span = unit_span(unit, QUALIFIER_OFFSETS[kind], published)
    if match.earlier_or_later is not None and kind == "current":
        if key(match.earlier_or_later) in lex.earlier_words:
            return DateSpan(
                span.start, max(span.start, published - timedelta(days=1)), "range"
            ), "publication"
        return DateSpan(min(span.end, published + timedelta(days=1)), span.end, "range"), "publication"
    return span, "publication"


def resolve_part(match: TemporalMatch, context: Context) -> Resolved:
    lex = context.grammar.lexicon
    part = lex.lookup(lex.parts, match.part)
    anchor = "publication"
    if match.first.month is not None:
        qualifier = qualifier_kind(context, match.first.qualifier, match.first.bracketed_qualifier)
        resolved = month_span_of(match, match.first, context, qualifier)
        if resolved is None:
            return None
        whole, anchor = resolved
        unit = "month"
    elif match.unit_part.unit is not None:
        unit_part = match.unit_part
        unit = lex.lookup(lex.unit_singular, unit_part.unit)
        kind = qualifier_kind(context, unit_part.unit_qualifier_after, unit_part.unit_qualifier_before)
        if kind is None or kind == "recent":
            return None
        whole = unit_span(unit, QUALIFIER_OFFSETS[kind], context.published)
    elif match.definite_unit is not None:
        words = match.definite_unit.split()
        unit = lex.lookup(lex.unit_singular, words[-1]) or lex.lookup(lex.unit_singular, match.definite_unit)
        whole = unit_span(unit, 0, context.published)
    else:
        year = int(match.year_part.year or 0)
        if match.year_part.hijri_suffix is not None or not 1000 <= year <= 2199:
            return None
        whole, unit, anchor = cal.year_span(year), "year", "explicit"
    if unit == "month":
        first, last = _PARTS_OF_MONTH[part]
        end = date(whole.start.year, whole.start.month, min(last, whole.end.day))
        return DateSpan(whole.start.replace(day=first), end, "range"), anchor
    if unit == "year":
        (m1, d1), (m2, d2) = _PARTS_OF_YEAR[part]
        return DateSpan(date(whole.start.year, m1, d1), date(whole.start.year, m2, d2), "range"), anchor
    if unit == "week":
        first, last = _PARTS_OF_WEEK[part]
        monday = whole.start
        return DateSpan(monday + timedelta(days=first), monday + timedelta(days=last), "range"), anchor
    return None


def resolve_season(match: TemporalMatch, context: Context) -> Resolved:
    lex = context.grammar.lexicon
    season = lex.lookup(lex.seasons, match.season)
    if match.year_part.year is not None:
        if match.year_part.hijri_suffix is not None:
            return None
        return cal.season_span(season, int(match.year_part.year)), "explicit"
    offset = year_offset(match.year_part, context)
    if offset is not None:
        return cal.season_span(season, context.published.year + offset), "publication"
    kind = qualifier_kind(context, match.season_qualifier_after, match.season_qualifier_before)
    if kind not in ("past", "future", "current"):
        return None
    return cal.season_near(context.published, season, QUALIFIER_OFFSETS[kind]), "publication"


def resolve_shift(match: TemporalMatch, context: Context) -> Resolved:
    lex = context.grammar.lexicon
    shift_word = key(match.shift_before or match.shift_after or "")
    backwards = shift_word in lex.shifts["ago_before"] + lex.shifts["ago_after"]
    if match.dual_unit is not None:
        unit, count = lex.lookup(lex.unit_dual, match.dual_unit), 2
    elif match.single_unit is not None:
        unit, count = lex.lookup(lex.unit_singular, match.single_unit), 1
    else:
        unit = lex.lookup(lex.unit_plural, match.counted_unit) or lex.lookup(
            lex.unit_singular, match.counted_unit
        )
        count = count_of(match.count, match.count_word, context)
    if unit is None or not count or count > 500:
        return None
    sign = -1 if backwards else 1
    published = context.published
    if unit == "day":
        return cal.day_span(published + timedelta(days=sign * count)), "publication"
    if unit == "week":
        return cal.iso_week(published + timedelta(weeks=sign * count)), "publication"
    return unit_span(unit, sign * count, published), "publication"


def resolve_window(match: TemporalMatch, context: Context) -> Resolved:
    lex = context.grammar.lexicon
    words = match.window_unit
    unit = lex.lookup(lex.unit_plural, words)
    count = count_of(match.window_count, match.window_count_word, context)
    if unit is None:
        unit, count = lex.lookup(lex.unit_dual, words), 2
    kind = qualifier_kind(context, match.qualifier_after, match.qualifier_before)
    if unit is None or kind not in ("past", "future", "recent"):
        return None
    published = context.published
    granularity = "range" if count else "unknown"
    if count:
        days = {"day": count, "week": 7 * count}.get(unit)
        months = {"month": count, "year": 12 * count}.get(unit, 0)
    else:
        days = _VAGUE_WINDOW_DAYS.get(unit)
        months = _VAGUE_WINDOW_MONTHS.get(unit, 0)
        if not days and not months:
            return None
    if kind == "future":
        first = published + timedelta(days=1)
        last = published + timedelta(days=days) if days else cal.add_months(published, months)
        return DateSpan(first, last, granularity), "publication"
    last = published - timedelta(days=1)
    first = published - timedelta(days=days) if days else cal.add_months(published, -months)
    return DateSpan(first, last, granularity), "publication"


def resolve_relday(match: TemporalMatch, context: Context) -> Resolved:
    lex = context.grammar.lexicon
    offset = lex.lookup(lex.relative_days, match.relative_day)
    return cal.day_span(context.published + timedelta(days=offset)), "publication"


def resolve_weekday(match: TemporalMatch, context: Context) -> Resolved:
    lex = context.grammar.lexicon
    weekday = lex.lookup(lex.weekdays, match.weekday)
    kind = qualifier_kind(context, match.qualifier_after, match.qualifier_before)
    if kind == "current":
        mode = cal.ON_OR_AFTER
    else:
        mode = direction(
            kind if kind in ("past", "future", "recent") else None, context.tense, cal.ON_OR_BEFORE
        )
    return cal.day_span(cal.weekday_near(context.published, weekday, mode)), "weekday"


def resolve_anaphora(match: TemporalMatch, context: Context) -> Resolved:
    lex = context.grammar.lexicon
    offset = lex.lookup(lex.anaphora, match.anaphora)
    if context.previous_day is None:
        return cal.day_span(context.published + timedelta(days=offset)), "publication"
    return cal.day_span(context.previous_day + timedelta(days=offset)), "previous"
