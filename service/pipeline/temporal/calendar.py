"""Calendar arithmetic for the temporal engine: spans, month and week shifts, direction rules, Hijri."""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, timedelta

from hijridate import Gregorian, Hijri

# How a date without a year is placed relative to the publication date P.
BEFORE, ON_OR_BEFORE, ON_OR_AFTER, AFTER = "before", "on_or_before", "on_or_after", "after"
CURRENT, NEAREST = "current", "nearest"  # in the anchor's year / month; closest either way
# Closest, but the past occurrence unless the future one is clearly (by a third) nearer.
NEAREST_PAST = "nearest_past"

# Meteorological seasons (northern hemisphere): first month and the months they cover.
SEASON_START = {"spring": 3, "summer": 6, "autumn": 9, "winter": 12}


@dataclass(frozen=True)
class DateSpan:
    """An inclusive calendar interval with the granularity it was expressed in."""

    start: date  # inclusive
    end: date  # inclusive
    granularity: str  # day | week | month | year | range | season | unknown


def day_span(day: date) -> DateSpan:
    """A single day."""
    return DateSpan(day, day, "day")


def last_day(year: int, month: int) -> int:
    """Number of days in a month."""
    return calendar.monthrange(year, month)[1]


def month_span(year: int, month: int, granularity: str = "month") -> DateSpan:
    """The whole of one month."""
    return DateSpan(date(year, month, 1), date(year, month, last_day(year, month)), granularity)


def year_span(year: int, granularity: str = "year") -> DateSpan:
    """The whole of one year."""
    return DateSpan(date(year, 1, 1), date(year, 12, 31), granularity)


def shift_month(year: int, month: int, months: int) -> tuple[int, int]:
    """(year, month) moved by a number of months."""
    index = year * 12 + month - 1 + months
    return index // 12, index % 12 + 1


def add_months(day: date, months: int) -> date:
    """The same day of the month some months later (clamped to the month's last day)."""
    year, month = shift_month(day.year, day.month, months)
    return date(year, month, min(day.day, last_day(year, month)))


def iso_week(day: date, weeks: int = 0) -> DateSpan:
    """The ISO week (Monday-Sunday) containing a day, moved by a number of weeks."""
    monday = day - timedelta(days=day.weekday()) + timedelta(weeks=weeks)
    return DateSpan(monday, monday + timedelta(days=6), "week")


def weekday_near(anchor: date, weekday: int, mode: str) -> date:
    """The given weekday placed relative to the anchor (on/before, strictly before, on/after, after)."""
    if mode in (BEFORE, ON_OR_BEFORE):
        back = (anchor.weekday() - weekday) % 7
        if back == 0 and mode == BEFORE:
            back = 7
        return anchor - timedelta(days=back)
    ahead = (weekday - anchor.weekday()) % 7
    if ahead == 0 and mode == AFTER:
        ahead = 7
    return anchor + timedelta(days=ahead)


def _fits(candidate: date, anchor: date, mode: str) -> bool:
    return {
        BEFORE: candidate < anchor,
        ON_OR_BEFORE: candidate <= anchor,
        ON_OR_AFTER: candidate >= anchor,
        AFTER: candidate > anchor,
        NEAREST: True,
    }.get(mode, candidate.year == anchor.year)


def day_month_date(anchor: date, month: int, day: int, mode: str, weekday: int | None = None) -> date | None:
    """A day and month without a year placed relative to the anchor; a weekday, if given, picks the year."""
    candidates = []
    for year in (anchor.year - 1, anchor.year, anchor.year + 1):
        try:
            candidates.append(date(year, month, day))
        except ValueError:
            continue
    if not candidates:
        return None
    if weekday is not None:
        agreeing = [c for c in candidates if c.weekday() == weekday]
        if agreeing:
            fitting = [c for c in agreeing if _fits(c, anchor, mode)] or agreeing
            return min(fitting, key=lambda c: abs((c - anchor).days))
    if mode == CURRENT:
        return next((c for c in candidates if c.year == anchor.year), None)
    if mode == NEAREST_PAST:
        past = max((c for c in candidates if c <= anchor), default=None)
        future = min((c for c in candidates if c > anchor), default=None)
        if future is None or (past is not None and not _clearly_nearer(future - anchor, anchor - past)):
            return past
        return future
    fitting = [c for c in candidates if _fits(c, anchor, mode)]
    if not fitting:
        return None
    return min(fitting, key=lambda c: abs((c - anchor).days))


def _clearly_nearer(ahead: timedelta | int, behind: timedelta | int) -> bool:
    return bool(ahead * 3 < behind * 2)


def month_year(anchor: date, month: int, mode: str) -> int:
    """The year of a month named without a year, placed relative to the anchor's month."""
    if mode == CURRENT:
        return anchor.year
    if mode == NEAREST_PAST:
        ahead, behind = (month - anchor.month) % 12, (anchor.month - month) % 12
        if behind == 0 or not _clearly_nearer(ahead, behind):
            return anchor.year if month <= anchor.month else anchor.year - 1
        return anchor.year if month > anchor.month else anchor.year + 1
    if mode == NEAREST:
        return anchor.year + (month - anchor.month > 6) * -1 + (anchor.month - month > 6) * 1
    if mode == BEFORE:
        return anchor.year if month < anchor.month else anchor.year - 1
    if mode == ON_OR_BEFORE:
        return anchor.year if month <= anchor.month else anchor.year - 1
    if mode == AFTER:
        return anchor.year if month > anchor.month else anchor.year + 1
    return anchor.year if month >= anchor.month else anchor.year + 1


def season_span(season: str, year: int) -> DateSpan:
    """A meteorological season starting in the given year (winter runs into the next year)."""
    first = SEASON_START[season]
    end_year, end_month = shift_month(year, first, 2)
    return DateSpan(date(year, first, 1), date(end_year, end_month, last_day(end_year, end_month)), "season")


def season_near(anchor: date, season: str, offset: int) -> DateSpan:
    """Last (-1, fully ended), next (+1, not yet begun) or current (0) occurrence of a season."""
    spans = [season_span(season, year) for year in range(anchor.year - 2, anchor.year + 3)]
    if offset < 0:
        return [s for s in spans if s.end < anchor][offset]
    if offset > 0:
        return [s for s in spans if s.start > anchor][offset - 1]
    return next(s for s in spans if s.end >= anchor)


def hijri_date(year: int, month: int, day: int) -> date | None:
    """Gregorian date of a Hijri (Umm al-Qura) date, or None when it is out of range or invalid."""
    try:
        g = Hijri(year, month, day).to_gregorian()
    except (ValueError, OverflowError):
        return None
    return date(g.year, g.month, g.day)


def hijri_month_span(year: int, month: int) -> DateSpan | None:
    """Gregorian bounds of a whole Hijri month (granularity month)."""
    try:
        length = Hijri(year, month, 1).month_length()
    except (ValueError, OverflowError):
        return None
    first = hijri_date(year, month, 1)
    if first is None:
        return None
    return DateSpan(first, first + timedelta(days=length - 1), "month")


def hijri_year_span(year: int) -> DateSpan | None:
    """Gregorian bounds of a whole Hijri year (granularity year)."""
    first, last = hijri_month_span(year, 1), hijri_month_span(year, 12)
    if first is None or last is None:
        return None
    return DateSpan(first.start, last.end, "year")


def hijri_year_of(day: date) -> int | None:
    """The Hijri year containing a Gregorian date."""
    try:
        return Gregorian(day.year, day.month, day.day).to_hijri().year
    except (ValueError, OverflowError):
        return None


def hijri_near(anchor: date, month: int, day: int | None, mode: str) -> DateSpan | None:
    """A Hijri month (or day of it) without a year placed relative to the anchor."""
    this_year = hijri_year_of(anchor)
    if this_year is None:
        return None
    spans = []
    for year in (this_year - 1, this_year, this_year + 1):
        span = hijri_month_span(year, month) if day is None else _hijri_day_span(year, month, day)
        if span is not None:
            spans.append(span)
    checks = {
        BEFORE: lambda s: s.end < anchor,
        ON_OR_BEFORE: lambda s: s.start <= anchor,
        AFTER: lambda s: s.start > anchor,
    }
    check = checks.get(mode, lambda s: s.end >= anchor)
    fitting = [s for s in spans if check(s)]
    if not fitting:
        return None
    if mode in (BEFORE, ON_OR_BEFORE):
        return fitting[-1]
    return fitting[0]


def _hijri_day_span(year: int, month: int, day: int) -> DateSpan | None:
    found = hijri_date(year, month, day)
    return day_span(found) if found else None
