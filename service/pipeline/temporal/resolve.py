"""Resolving a `TemporalMatch` to a calendar span, against the publication date and the verb's tense.

    resolve(match, context) -> (DateSpan, anchor) | None

One resolver per grammar family (resolve_calendar.py: dates written out; resolve_relative.py:
dates counted from publication), each reading the match's named pieces (matches.py). A bare day and
month, weekday or month follows the tense of its governing verb (tense.py).
"""

from __future__ import annotations

from dataclasses import replace

from .context import Context, bare, previous_word
from .matches import TemporalMatch
from .resolve_calendar import (
    resolve_date,
    resolve_month,
    resolve_month_week,
    resolve_numeric,
    resolve_range,
    resolve_year,
)
from .resolve_relative import (
    resolve_anaphora,
    resolve_part,
    resolve_relday,
    resolve_season,
    resolve_shift,
    resolve_unit,
    resolve_weekday,
    resolve_window,
)
from .spans import Resolved
from .tense import governing_tense


def resolve(match: TemporalMatch, context: Context) -> Resolved:
    """The span an expression names, in the tense of the verb governing it (None: not a date)."""
    lex = context.grammar.lexicon
    local = governing_tense(context, match.start, match.end)
    if local != context.tense:
        context = replace(context, tense=local)
    if any(b in lex.tense["past_lead_words"] for b in bare(previous_word(context.text, match.start), lex)):
        match = replace(match, after_since=True)
    try:
        return _RESOLVERS[match.kind](match, context)
    except (ValueError, OverflowError, IndexError):
        return None  # an impossible date (31 April, year 0): not a date after all


_RESOLVERS = {
    "range": resolve_range,
    "numeric": resolve_numeric,
    "date": resolve_date,
    "mday": resolve_date,
    "mweek": resolve_month_week,
    "part": resolve_part,
    "season": resolve_season,
    "window": resolve_window,
    "shift": resolve_shift,
    "unit": resolve_unit,
    "anaphora": resolve_anaphora,
    "relday": resolve_relday,
    "weekday": resolve_weekday,
    "month": resolve_month,
    "year": resolve_year,
}
