"""How lexicon words combine into temporal expressions: one compiled pattern per expression family.

Each family is a regular expression over normalised text, assembled from the lexicon's word lists
(patterns.py); its named groups are read into typed matches (matches.py), which the resolver turns
into date spans. This module compiles the families and the cheap prefilters and cue phrases
around them, once per language.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cached_property

import ahocorasick

from service.pipeline.cores import DIGIT, Requirement, required

from .lexicon import Lexicon
from .matches import check_groups
from .patterns import END, START, Builder


@dataclass(frozen=True)
class Grammar:
    """Compiled patterns of one language, in priority order (earlier wins ties on length)."""

    lexicon: Lexicon
    families: tuple[tuple[str, re.Pattern[str]], ...]
    # Per family, word sets that must each share a word with a sentence for the family to be tried
    # (a cheap prefilter; "#" stands for "the sentence has a digit").
    triggers: dict[str, tuple[frozenset[str], ...]]
    # Per family (some only), a cheap pattern the sentence must contain before the family is tried.
    gates: dict[str, re.Pattern[str]]
    # Quantity and name patterns, each with the words one of which must be present (empty: always).
    blockers: tuple[tuple[frozenset[str], re.Pattern[str]], ...]
    nowadays: PhraseSet
    future_words: PhraseSet
    past_words: PhraseSet
    past_cues: PhraseSet  # not when an `of` word follows ("days before the summit" is about the summit)
    # Tense cue phrases anywhere in a sentence (a conjunction clitic allowed: "and it is scheduled"), as
    # (tense, pattern): the clause-level reading of the governing verb looks for the nearest one.
    tense_phrases: tuple[tuple[str, re.Pattern[str]], ...]
    # Where a clause starts (; : and words like "when", "whereas"): a verb does not govern across it.
    clause_boundary: re.Pattern[str]
    # A recurrence phrase (every year, of every year) ending right before / starting right after an
    # expression, at most one context word ("in") apart; tried only when its first words occur.
    recurrence_first_words: frozenset[str]
    recurrence_before: re.Pattern[str]
    recurrence_after: re.Pattern[str]
    # What one word says of its verb's tense depends on the word alone: read once per word (tense.py).
    word_tenses: dict[tuple[str, bool], str | None] = field(default_factory=dict, compare=False, repr=False)
    word_verdicts: dict[str, str | None] = field(default_factory=dict, compare=False, repr=False)

    @property
    def scanned(self) -> tuple[re.Pattern[str], ...]:
        """The patterns scanned over a whole sentence: families, blockers, tense phrases."""
        return (
            *(p for _, p in self.families),
            *(p for _, p in self.blockers),
            *(p for _, p in self.tense_phrases),
        )

    # Read when first matching, not when compiling: parsing every pattern a second time is 40% of
    # the build, which start-up validation (compiling) would otherwise pay for nothing.
    @cached_property
    def requirements(self) -> dict[re.Pattern[str], Requirement]:
        """Per scanned pattern, sets of literals one of each of which every match holds (cores.required)."""
        return {pattern: required(pattern) for pattern in self.scanned}

    @cached_property
    def literals(self) -> ahocorasick.Automaton | None:
        """Finds every literal of `requirements` in one pass over a sentence (None: there are none)."""
        words = {w for requirement in self.requirements.values() for clause in requirement for w in clause}
        words.discard(DIGIT)
        if not words:
            return None
        automaton = ahocorasick.Automaton()
        for word in words:
            automaton.add_word(word, word)
        automaton.make_automaton()
        return automaton


class PhraseSet:
    """Cue phrases searched in a sentence only when the sentence has one of their first words."""

    def __init__(self, lex: Lexicon, phrases: list[str], unless_followed_by: list[str] | None = None) -> None:
        self.first_words = _first_words(lex, phrases)
        guard = rf"(?!\s+{lex.alt(unless_followed_by)}{END})" if unless_followed_by else ""
        self.pattern = re.compile(START + lex.alt(phrases) + END + guard) if phrases else None

    def search(self, text: str, present: set[str]) -> bool:
        """True when one of the phrases occurs as whole words in the (normalised) text."""
        if self.pattern is None or present.isdisjoint(self.first_words):
            return False
        return self.pattern.search(text) is not None


def _first_words(lex: Lexicon, *tables: object) -> frozenset[str]:
    words: set[str] = set()
    for table in tables:
        for phrase in table:  # type: ignore[attr-defined]
            first = re.split(r"[\s\-]+", str(phrase).strip())[0].rstrip(".")
            words.add(first)
            if lex.article and first.startswith(lex.article):
                words.add(first[len(lex.article) :])
    return frozenset(w for w in words if w)


def _triggers(lex: Lexicon) -> dict[str, tuple[frozenset[str], ...]]:
    months = _first_words(lex, lex.months)
    units = _first_words(lex, lex.unit_singular, lex.unit_plural, lex.unit_dual)
    qualifiers = _first_words(lex, lex.qual_after, lex.qual_before)
    digit = frozenset({"#"})
    days = digit | _first_words(lex, lex.ordinals)

    def unit_words(unit: str) -> frozenset[str]:
        return _first_words(lex, [w for w, u in lex.unit_singular.items() if u == unit])

    shifts = _first_words(lex, *lex.shifts.values())
    return {
        "numeric": (digit,),
        "date": (months, days),
        "mday": (unit_words("month"), days, qualifiers),
        "mweek": (unit_words("week"), _first_words(lex, lex.ordinals, lex.last_week_words)),
        "range": (days | months,),
        "part": (_first_words(lex, lex.parts),),
        "season": (_first_words(lex, lex.seasons), qualifiers | digit | units),
        "window": (units, qualifiers),
        "shift": (units, shifts),
        "unit": (units, qualifiers | _first_words(lex, lex.earlier_words, lex.later_words)),
        "anaphora": (_first_words(lex, lex.anaphora),),
        "relday": (_first_words(lex, lex.relative_days),),
        "weekday": (_first_words(lex, lex.weekdays),),
        "month": (months,),
        "year": (digit,),
    }


def build_grammar(lex: Lexicon) -> Grammar:
    """Compiled grammar of one language (a `Language` compiles it once, when first used)."""
    language = lex.language
    b = Builder(lex)
    families: list[tuple[str, str]] = []
    for kind, patterns in (
        ("numeric", b.numeric_patterns()),
        ("date", b.date_patterns()),
        ("mday", b.month_day_patterns()),
        ("mweek", b.month_week_patterns()),
        ("range", b.range_patterns()),
        ("part", b.part_patterns()),
        ("season", b.season_patterns()),
        ("window", b.window_patterns()),
        ("shift", b.shift_patterns()),
        ("unit", b.unit_patterns()),
        ("anaphora", b.anaphora_patterns()),
        ("relday", b.relday_patterns()),
        ("weekday", b.weekday_patterns()),
        ("month", b.month_patterns()),
        ("year", b.year_patterns()),
    ):
        families.extend((kind, p) for p in patterns)
    compiled = []
    for kind, pattern in families:
        try:
            compiled.append((kind, re.compile(pattern)))
            check_groups(compiled[-1][1])
        except re.error as error:  # a lexicon entry that breaks the grammar is a resource bug
            raise ValueError(f"{language}: cannot compile the {kind} pattern: {error}") from error
    tense = lex.tense
    recurrence = lex.alt(lex.recurrence_phrases)
    gap = lex.alt(lex.month_context | lex.year_context)
    blockers = (
        (frozenset(), re.compile(b.blockers()[0])),
        (_first_words(lex, lex.name_cues), re.compile(b.blockers()[1])),
    )
    tense_phrases = (
        ("future", re.compile(rf"{START}{b.conj_clitic}{lex.alt(tense['future_words'])}{END}")),
        (
            "past",
            re.compile(
                rf"{START}{b.conj_clitic}{lex.alt(tense['past_words'] + tense['reporting_verbs'])}{END}"
            ),
        ),
        (
            "past",
            re.compile(rf"{START}{lex.alt(tense['past_cues'])}{END}(?!\s+{lex.alt(lex.of_words)}{END})"),
        ),
    )
    return Grammar(
        lexicon=lex,
        families=tuple(compiled),
        triggers=_triggers(lex),
        gates={
            "mday": re.compile(rf"{START}{b.of}\s+(?:{b.qb}\s+)?{b.month_units}{END}"),
            "mweek": re.compile(rf"{START}{b.week_units}{END}"),
        },
        blockers=blockers,
        nowadays=PhraseSet(lex, lex.nowadays_cues),
        future_words=PhraseSet(lex, tense["future_words"]),
        past_words=PhraseSet(lex, tense["past_words"]),
        past_cues=PhraseSet(lex, tense["past_cues"], lex.of_words),
        tense_phrases=tense_phrases,
        clause_boundary=re.compile(rf"[;:]|{START}{b.conj_clitic}{lex.alt(tense['clause_boundaries'])}{END}"),
        recurrence_first_words=_first_words(lex, lex.recurrence_phrases),
        recurrence_before=re.compile(rf"{START}{recurrence}{END}[\s,]*(?:{gap}\s+)?$"),
        recurrence_after=re.compile(rf"^[\s,]*(?:{gap}\s+)?{recurrence}{END}"),
    )
