"""Find temporal expressions in an article and resolve each against the publication date.

Per sentence: decide the tense (tense.py), block numbers that are quantities or names, match every
family of the grammar (grammar.py), read each match into a typed `TemporalMatch` (matches.py), keep
the longest non-overlapping ones, then resolve them (resolve.py) in text order, so that "the
previous day" can lean on the last day-level date before it.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

from service.pipeline.document import Document, read
from service.pipeline.normalise import is_ignorable, normalise, normalise_word

from .calendar import DateSpan
from .context import WORD, Context, bare, may_match, next_words, previous_word
from .grammar import Grammar
from .lexicon import key
from .matches import TemporalMatch, read_match
from .resolve import Resolved, resolve
from .tense import sentence_tense_of

if TYPE_CHECKING:
    from service.pipeline.language import Language

# Families that name days: when one fails to resolve (an impossible day) it still hides the
# shorter matches inside it.
_DAY_FAMILIES = frozenset({"numeric", "date", "mday", "mweek", "range"})
_DIGIT = re.compile(r"\d")
_DIGIT_FOLLOWS = re.compile(r"\s*\d")


@dataclass(frozen=True)
class TemporalExpression:
    """A temporal expression found in a text, with its resolved calendar span."""

    text: str  # exact substring of the original text: text[start:end]
    start: int  # character offsets into the original text
    end: int
    date: DateSpan
    anchor: str  # explicit | publication | previous | weekday


@dataclass(frozen=True)
class SentenceDates:
    """The temporal expressions of one sentence, and the tense of its main verb."""

    expressions: list[TemporalExpression]
    tense: str | None  # past | future | None (a non-past imperfect counts as future)


@dataclass(frozen=True)
class _Candidate:
    start: int  # offsets into the normalised sentence
    end: int
    priority: int
    match: TemporalMatch

    @property
    def kind(self) -> str:
        return self.match.kind


def find_temporal_expressions(doc: Document, language: Language) -> ArticleDates:
    """Takes a read document; returns its temporal expressions and tenses per sentence, each sentence
    read when first asked for (`.of(index)`, or in turn by iterating)."""
    return ArticleDates(doc, language)


class ArticleDates:
    """An article's temporal expressions and tenses, per sentence, read lazily and once.

    A sentence is read only when asked for: events need the dates of their own sentences only. A date
    depends on the sentences before it in one way alone: "the day before" counts from the last
    day-level date told before it; only then are the sentences before it read, in order.
    """

    def __init__(self, doc: Document, language: Language) -> None:
        self._doc = doc
        self._grammar = language.grammar
        self._read: dict[int, SentenceDates] = {}
        self._last_day: dict[int, date | None] = {}  # per sentence read: the last day-level date in it
        self._through = -1  # every sentence up to this index has been read ...
        self._day_through: date | None = None  # ... and this is the last day-level date among them

    def __iter__(self) -> Iterator[SentenceDates]:
        return (self.of(index) for index in range(len(self._doc.sentences)))

    def of(self, index: int) -> SentenceDates:
        """The temporal expressions of one sentence, and the tense of its main verb."""
        if index not in self._read:
            self._read_sentence(index)
        return self._read[index]

    def _day_before(self, index: int) -> date | None:
        """The last day-level date told before sentence `index` (reading the sentences before it)."""
        for earlier in range(self._through + 1, index):
            self.of(earlier)  # asks back here with everything before `earlier` read: no deeper
            self._day_through = self._last_day[earlier] or self._day_through
            self._through = earlier
        return self._day_through

    def _read_sentence(self, index: int) -> None:
        doc, grammar = self._doc, self._grammar
        sentence, text = doc.sentences[index], doc.text
        found: list[TemporalExpression] = []
        norm = doc.sentence_norm(index)
        words = WORD.findall(norm.text)
        present = _words_present(grammar.lexicon, words, norm.text)
        tense = sentence_tense_of(grammar, norm.text, words, present)
        context = Context(grammar, doc.published_at, tense, norm.text, None, present)
        day_known = False  # is context.previous_day the last day-level date before this point yet?
        last_day: date | None = None
        for candidate, resolved in _select(_candidates(context), context):
            if candidate.kind == "anaphora":  # counted from the last date before it: resolve in order
                if not day_known:
                    context.previous_day, day_known = self._day_before(index), True
                resolved = resolve(candidate.match, context)
            if resolved is None:
                continue
            span, anchor = resolved
            start, end = norm.to_original(candidate.start, candidate.end)
            while end < len(sentence.text) and is_ignorable(sentence.text[end]):
                end += 1
            start, end = sentence.start + start, sentence.start + end
            found.append(TemporalExpression(text[start:end], start, end, span, anchor))
            if span.granularity == "day":
                context.previous_day, day_known, last_day = span.start, True, span.start
        self._last_day[index] = last_day
        self._read[index] = SentenceDates(found, "future" if tense == "present" else tense)


def find_dates(text: str, published_at: date, language: Language) -> list[TemporalExpression]:
    """All temporal expressions in a whole article (or one sentence), in text order."""
    doc = read(text, published_at)
    return [e for dates in find_temporal_expressions(doc, language) for e in dates.expressions]


def sentence_tense(sentence: str, language: Language) -> str | None:
    """'past' | 'future' | None from verb forms and cue words (a non-past imperfect counts as future)."""
    grammar = language.grammar
    text = normalise(sentence).text
    words = WORD.findall(text)
    tense = sentence_tense_of(grammar, text, words, _words_present(grammar.lexicon, words, text))
    return "future" if tense == "present" else tense


# -- matching -----------------------------------------------------------------------------------


def _words_present(lex, words: list[str], text: str) -> set[str]:  # type: ignore[no-untyped-def]
    """Words of a sentence, each also without its clitics and article (for the trigger prefilter)."""
    present: set[str] = {"#"} if _DIGIT.search(text) else set()
    stems = lex.morphology.stemmer()
    for word in words:
        present.update(stems(word))
    return present


def _triggered(grammar: Grammar, kind: str, present: set[str], text: str) -> bool:
    for words in grammar.triggers[kind]:
        if present.isdisjoint(words):
            return False
    gate = grammar.gates.get(kind)
    return gate is None or gate.search(text) is not None


def _candidates(context: Context) -> list[_Candidate]:
    grammar, text = context.grammar, context.text
    present = context.present
    blocked = [
        m.span()
        for words, rx in grammar.blockers
        if "#" in present
        and (not words or not present.isdisjoint(words) or "%" in text)
        and may_match(context, rx)
        for m in rx.finditer(text)
    ]
    out = []
    tried: dict[str, bool] = {}  # per family, whether its trigger words and gate are present
    for priority, (kind, pattern) in enumerate(grammar.families):
        if kind not in tried:
            tried[kind] = _triggered(grammar, kind, present, text)
        if not tried[kind]:
            continue
        if not may_match(context, pattern):
            continue  # a literal every match of it holds is missing: it cannot match
        for found in pattern.finditer(text):
            start, end = found.span("body")
            if end <= start or any(s < end and start < e for s, e in blocked):
                continue
            match = read_match(kind, found)
            if _acceptable(match, context):
                out.append(_Candidate(start, end, priority, match))
    return out


def _select(candidates: list[_Candidate], context: Context) -> list[tuple[_Candidate, Resolved]]:
    """Longest first (earlier family on ties), no overlaps, returned in text order.

    A part or unit phrase that resolves to no date does not shadow the shorter ones inside it
    ("end of the recent weeks" may fail where a plain unit holds); an impossible day (31 April, the
    30th of last month in March) still does: it is a broken date, not a month.
    """
    chosen: list[tuple[_Candidate, Resolved]] = []
    for candidate in sorted(candidates, key=lambda c: (c.start - c.end, c.priority, c.start)):
        if any(candidate.start < c.end and c.start < candidate.end for c, _ in chosen):
            continue
        resolved = None if candidate.kind == "anaphora" else resolve(candidate.match, context)
        if resolved is not None or candidate.kind in _DAY_FAMILIES or candidate.kind == "anaphora":
            chosen.append((candidate, resolved))
    return sorted(chosen, key=lambda pair: pair[0].start)


def _recurring(match: TemporalMatch, context: Context) -> bool:
    """True when the expression names a recurring time (every Friday, 21 March of every year)."""
    grammar, text = context.grammar, context.text
    lex = grammar.lexicon
    start, end = match.start, match.end
    if any(b in lex.recurrence_words for b in bare(previous_word(text, start), lex)):
        return True
    if context.present.isdisjoint(grammar.recurrence_first_words):
        return False
    return bool(
        grammar.recurrence_after.search(text[end : end + 60])
        or grammar.recurrence_before.search(text[max(0, start - 60) : start])
    )


def _acceptable(match: TemporalMatch, context: Context) -> bool:
    """Is a match a date here (not a recurrence, an ambiguous word, a bare unit or a span of time)?"""
    lex = context.grammar.lexicon
    text = context.text
    kind, first, unit_part = match.kind, match.first, match.unit_part
    if _recurring(match, context):
        return False
    opening = text[match.start : match.end].split()[:1]
    verb_cues = lex.verb_readings.get(key(normalise_word(opening[0]))) if opening else None
    if verb_cues and any(b in verb_cues for b in bare(previous_word(text, match.start), lex)):
        return False  # "the visit will last two days": a verb, not "the last two days"
    if kind == "month":
        qualified = (
            match.month_prefix
            or match.month_qualifier_before
            or first.year
            or first.qualifier
            or first.relative_year
        )
        if lex.is_ambiguous_month(first.month) and not qualified and not first.bracketed_qualifier:
            before = previous_word(text, match.start)
            stripped = lex.morphology.without_conjunction(before, keep=0)
            return any(key(b) in lex.month_context for b in stripped)
        return True
    if kind == "relday":
        word = key(match.relative_day)
        if word in lex.nowadays_words and not (
            match.time_of_day_before or match.time_of_day_after or match.day_prefix or match.weekday
        ):
            if context.grammar.nowadays.search(text, context.present):
                return False
            following = next_words(text, match.end)
            if following and lex.article and following[0].startswith(lex.article):
                adjective = any(following[0].endswith(s) for s in lex.adjective_suffixes)
                if adjective or key(following[0]) in lex.ordinals:
                    return False
        return True
    if unit_part.unit and not (unit_part.unit_qualifier_after or unit_part.unit_qualifier_before):
        return False  # a bare unit word ("the year") is not a date
    if kind == "shift":
        following = next_words(text, match.end)
        if _DIGIT_FOLLOWS.match(text, match.end):
            return False
        later = (
            key(match.shift_before or match.shift_after or "")
            in lex.shifts["later_before"] + lex.shifts["later_after"]
        )
        if later and context.tense == "past":
            return False  # "held their first talks in five years": a span of time, not a date ahead
        return not (following and following[0] in lex.of_words)
    return True
