"""What the grammar hands the resolver: a `TemporalMatch` with named, typed fields.

The grammar's regular expressions name their groups tersely (`dnuma`, `uqbu`, `wqa`); this module
is the one place that knows those names. `read_match` turns a regex match into a `TemporalMatch`,
and the resolver reads only its fields ("the first date's day number", "the unit's qualifier").
A field is None when the expression does not have that piece.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

# The pieces one written date may have. An expression has up to four of them, told apart by the
# one-letter suffix of their group names: the date itself or a range's first end (a), a range's
# second end (b), a month or unit named by a unit word (u), a year after a part or season (y).
_PART_GROUPS = {
    "dnum": "day_number",  # 14
    "dword": "day_word",  # the fourteenth
    "month": "month",  # May
    "pq": "bracketed_qualifier",  # the qualifier inside a bracketed second month name
    "year": "year",  # 2024
    "hsuf": "hijri_suffix",  # the Hijri era after a year
    "yqb": "year_qualifier_before",  # "this" in "this year"
    "yqa": "year_qualifier_after",  # a qualifier after "this year"
    "yqc": "year_qualifier",  # "last" in "year last" (the unit word first)
    "qual": "qualifier",  # a qualifier right after a month ("May last")
    "yrel": "relative_year",  # "of last year" after a month
    "unit": "unit",  # a unit word (month, week, year)
    "uqb": "unit_qualifier_before",  # "next" in "next month"
    "uqa": "unit_qualifier_after",  # a qualifier after the unit ("month last", the Arabic word order)
}
_PART_SUFFIXES = {"a": "first", "b": "second", "u": "unit_part", "y": "year_part"}
# Groups that occur once per expression.
_GROUPS = {
    "wd": "weekday",
    "wo": "week_number",  # the first week of May
    "wl": "last_week",  # the last week of May
    "rs": "range_word",  # from, between
    "rs2": "range_word_alone",
    "yp": "year_prefix",  # "year" in "the year 2024"
    "n1": "first_number",  # 15/5/2024
    "n2": "second_number",
    "n3": "numeric_year",
    "sep": "separator",
    "y": "iso_year",  # 2024-05-15
    "m": "iso_month",
    "d": "iso_day",
    "mqb": "month_qualifier_before",
    "mp": "month_prefix",  # "month" in "the month of May"
    "part": "part",  # early, mid, late
    "defunit": "definite_unit",  # the year, the month (after a part)
    "ew": "earlier_or_later",  # earlier this month, later this week
    "today": "today",
    "season": "season",
    "sqb": "season_qualifier_before",
    "sqa": "season_qualifier_after",
    "n": "count",  # three days ago
    "nw": "count_word",
    "u": "counted_unit",
    "ud": "dual_unit",  # a dual form: "two days" in one word
    "us": "single_unit",  # a day ago
    "sb": "shift_before",  # "ago"/"in" written before the count
    "sa": "shift_after",  # "ago"/"later" written after it
    "wp": "window_prefix",  # during, within
    "wu": "window_unit",
    "wn": "window_count",
    "wnw": "window_count_word",
    "wqa": "qualifier_after",  # a window's or a weekday's qualifier after it
    "wqb": "qualifier_before",  # ... or before it
    "tod": "time_of_day_before",  # morning, evening before a day
    "toda": "time_of_day_after",
    "dp": "day_prefix",  # "day" in "the day of Monday"
    "rel": "relative_day",  # yesterday, tomorrow
    "ana": "anaphora",  # the day before, the next day
}


@dataclass(frozen=True)
class DatePart:
    """One date written in an expression, or one end of a range, as matched (normalised text)."""

    day_number: str | None = None
    day_word: str | None = None
    month: str | None = None
    bracketed_qualifier: str | None = None
    year: str | None = None
    hijri_suffix: str | None = None
    year_qualifier_before: str | None = None
    year_qualifier_after: str | None = None
    year_qualifier: str | None = None
    qualifier: str | None = None
    relative_year: str | None = None
    unit: str | None = None
    unit_qualifier_before: str | None = None
    unit_qualifier_after: str | None = None

    @property
    def has_day(self) -> bool:
        return self.day_number is not None or self.day_word is not None


_NO_PART = DatePart()


@dataclass(frozen=True)
class TemporalMatch:
    """One expression the grammar found, by family (`kind`), with its pieces by name."""

    kind: str
    start: int  # the expression's span in the normalised sentence
    end: int
    first: DatePart = _NO_PART
    second: DatePart = _NO_PART
    unit_part: DatePart = _NO_PART
    year_part: DatePart = _NO_PART
    weekday: str | None = None
    week_number: str | None = None
    last_week: str | None = None
    range_word: str | None = None
    range_word_alone: str | None = None
    year_prefix: str | None = None
    first_number: str | None = None
    second_number: str | None = None
    numeric_year: str | None = None
    separator: str | None = None
    iso_year: str | None = None
    iso_month: str | None = None
    iso_day: str | None = None
    month_qualifier_before: str | None = None
    month_prefix: str | None = None
    part: str | None = None
    definite_unit: str | None = None
    earlier_or_later: str | None = None
    today: str | None = None
    season: str | None = None
    season_qualifier_before: str | None = None
    season_qualifier_after: str | None = None
    count: str | None = None
    count_word: str | None = None
    counted_unit: str | None = None
    dual_unit: str | None = None
    single_unit: str | None = None
    shift_before: str | None = None
    shift_after: str | None = None
    window_prefix: str | None = None
    window_unit: str | None = None
    window_count: str | None = None
    window_count_word: str | None = None
    qualifier_after: str | None = None
    qualifier_before: str | None = None
    time_of_day_before: str | None = None
    time_of_day_after: str | None = None
    day_prefix: str | None = None
    relative_day: str | None = None
    anaphora: str | None = None
    after_since: bool = field(default=False)  # "since" right before it (set by the resolver)


def check_groups(pattern: re.Pattern[str]) -> None:
    """Every group of a grammar pattern (but `body`) must have a meaning here (else ValueError)."""
    unknown = set(pattern.groupindex) - set(_MEANINGS) - {"body"}
    if unknown:
        raise ValueError(f"grammar groups without a meaning in matches.py: {sorted(unknown)}")


def read_match(kind: str, match: re.Match[str]) -> TemporalMatch:
    """The typed match of one regex match of a grammar family."""
    top: dict[str, str] = {}
    parts: dict[str, dict[str, str]] = {}
    for name, value in match.groupdict().items():
        if value is None or name == "body":
            continue
        part, meaning = _MEANINGS[name]
        if part is None:
            top[meaning] = value
        else:
            parts.setdefault(part, {})[meaning] = value
    start, end = match.span("body")
    return TemporalMatch(kind, start, end, **{p: DatePart(**v) for p, v in parts.items()}, **top)


_MEANINGS: dict[str, tuple[str | None, str]] = {
    **{name: (None, meaning) for name, meaning in _GROUPS.items()},
    **{
        prefix + suffix: (part, meaning)
        for prefix, meaning in _PART_GROUPS.items()
        for suffix, part in _PART_SUFFIXES.items()
    },
}
