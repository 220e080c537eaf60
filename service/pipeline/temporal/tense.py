"""The tense of a sentence and of the verb governing each expression: a bare date follows it.

A future verb sends a bare weekday or day and month forward, a past one back. The sentence's tense
comes from cue words and verb forms (tense words in temporal.yaml); an expression's governing verb
is the nearest tense marker in its comma segment or clause.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass

from .context import WORD, Context, bare, may_match, previous_word
from .grammar import Grammar


@dataclass(frozen=True)
class Marker:
    """A word or phrase that shows a verb's tense (will, met, was; a future or imperfect prefix)."""

    start: int
    end: int
    word: int  # index of its first word in the sentence
    tense: str  # past | future | present


@dataclass(frozen=True)
class TenseLayout:
    markers: tuple[Marker, ...]
    clauses: tuple[tuple[int, int], ...]  # between clause boundaries
    segments: tuple[tuple[int, int], ...]  # clauses cut further at commas


def sentence_tense_of(grammar: Grammar, text: str, words: list[str], present: set[str]) -> str | None:
    """past | future | present (non-past imperfect) | None, for one normalised sentence."""
    if grammar.future_words.search(text, present):
        return "future"
    lex = grammar.lexicon
    if grammar.past_words.search(text, present) or grammar.past_cues.search(text, present):
        return "past"
    suffixes = lex.tense["past_suffixes"]
    if any(len(w) > len(s) + 2 and w.endswith(s) for w in words for s in suffixes):
        return "past"
    if not lex.tense["imperfect_prefixes"]:
        return None
    verdicts = grammar.word_verdicts
    for word in words:
        if word in verdicts:
            verdict = verdicts[word]
        else:
            verdict = _verdict(lex, word)
            if len(verdicts) < _CACHED_WORDS:
                verdicts[word] = verdict
        if verdict is not None:
            return verdict
    return None


# Words whose reading is kept per grammar (bounded: an endless stream of new words cannot grow it).
_CACHED_WORDS = 200_000


def _verdict(lex, word: str) -> str | None:  # type: ignore[no-untyped-def]
    """The tense a sentence takes from its first verb-like word, or None when the word is not one."""
    imperfect = lex.tense["imperfect_prefixes"]
    skip = lex.tense["skip_words"]
    if word in skip:
        return None
    stripped = lex.morphology.without_conjunction(word, keep=3)
    if any(b in skip for b in stripped):
        return None
    if any(_is_lexicon_word(lex, b) or b in lex.relative_days for b in stripped):
        return None  # a leading time word (a weekday, tomorrow) is not the verb that decides
    for form in stripped:
        if form in lex.tense["perfect_verbs"]:
            return "past"
        if _has_future_prefix(lex, form):
            return "future"
        if any(form.startswith(p) for p in imperfect) and len(form) >= 3 and not _is_lexicon_word(lex, form):
            if any(form.startswith(a) and form.endswith(b) for a, b in lex.past_frames):
                return "past"
            return "present"
    return "past"


def governing_tense(context: Context, start: int, end: int) -> str | None:
    """The tense of the verb that governs an expression: the nearest one before it in its comma
    segment, else the first after it there; then the nearest before it in its clause (or the first
    after it when the expression opens its segment: "On Monday, ..."); else the sentence's tense.

    A verb group counts as one ("will be held", "was scheduled to be held"): markers at most
    `_CHAIN_GAP` words apart chain, and a future cue anywhere in the chain makes it future.
    """
    if context.layout is None:
        context.layout = _layout(context)
    layout = context.layout
    segment = next(((a, b) for a, b in layout.segments if a <= start < b), (0, len(context.text)))
    fronted = len(WORD.findall(context.text[segment[0] : start])) <= 1
    for spans in (layout.segments, layout.clauses):
        lo, hi = next(((a, b) for a, b in spans if a <= start < b), (0, len(context.text)))
        inside = [m for m in layout.markers if lo <= m.start and m.end <= hi]
        before = [m for m in inside if m.end <= start]
        if before:
            return _chain_tense(before[::-1])
        after = [m for m in inside if m.start >= end]
        if after and (spans is layout.segments or fronted):
            return _chain_tense(after)
    return context.tense


_CHAIN_GAP = 4


def _chain_tense(markers: list[Marker]) -> str:
    """The tense of the verb group that starts with markers[0] (nearest first)."""
    chain = [markers[0]]
    for marker in markers[1:]:
        if abs(marker.word - chain[-1].word) > _CHAIN_GAP:
            break
        chain.append(marker)
    if any(m.tense == "future" for m in chain):
        return "future"
    first = min(chain, key=lambda m: m.start)
    return "past" if first.tense == "past" else markers[0].tense


_COMMA = re.compile(",")


def _layout(context: Context) -> TenseLayout:
    """Tense markers, clauses and comma segments of one normalised sentence."""
    grammar, text = context.grammar, context.text
    lex = grammar.lexicon
    words = list(WORD.finditer(text))
    starts = [w.start() for w in words]
    cuts = sorted({0, len(text), *(m.start() for m in grammar.clause_boundary.finditer(text))})
    clauses = tuple(zip(cuts, cuts[1:], strict=False))
    comma_cuts = sorted(set(cuts) | {m.start() for m in _COMMA.finditer(text)})
    segments = tuple(zip(comma_cuts, comma_cuts[1:], strict=False))
    found: list[tuple[int, int, str]] = []
    for tense, pattern in grammar.tense_phrases:
        if not may_match(context, pattern):
            continue
        for m in pattern.finditer(text):
            if not any(s < m.end() and m.start() < e for s, e, _ in found):
                found.append((m.start(), m.end(), tense))
    clause_starts = set()
    for lo, _hi in clauses:  # the first word of each clause
        index = bisect_right(starts, lo - 1)
        while index < len(words) and _skippable(lex, words[index].group()):
            index += 1
        if index < len(words):
            clause_starts.add(index)
    phrases = list(found)  # words never overlap one another: a word is checked against phrases only
    for index, word in enumerate(words):
        if phrases and any(s < word.end() and word.start() < e for s, e, _ in phrases):
            continue
        cache_key = (word.group(), index in clause_starts)
        if cache_key in grammar.word_tenses:
            tense = grammar.word_tenses[cache_key]
        else:
            tense = _word_tense(lex, *cache_key)
            if len(grammar.word_tenses) < _CACHED_WORDS:
                grammar.word_tenses[cache_key] = tense
        if tense is not None:
            found.append((word.start(), word.end(), tense))
    auxiliaries = set(lex.tense["participle_auxiliaries"])
    markers = []
    for start, end, tense in sorted(found):
        if tense == "past" and previous_word(text, start) in auxiliaries:
            continue  # a participle after its auxiliary ("will be held"): the auxiliary decides
        markers.append(Marker(start, end, bisect_right(starts, start) - 1, tense))
    return TenseLayout(tuple(markers), clauses, segments)


def _skippable(lex, word: str) -> bool:  # type: ignore[no-untyped-def]
    skip = lex.tense["skip_words"]
    return word in skip or any(b in skip for b in bare(word, lex))


def _word_tense(lex, word: str, clause_start: bool) -> str | None:  # type: ignore[no-untyped-def]
    """The tense one word shows by its form, if any (a clause's first word: see `_tense`)."""
    tense = lex.tense
    forms = bare(word, lex)
    if any(f in tense["skip_words"] or _is_lexicon_word(lex, f) or f in lex.relative_days for f in forms):
        return None
    for form in forms:
        if form in tense["perfect_verbs"]:
            return "past"
        if _has_future_prefix(lex, form):
            return "future"
    if word not in tense["not_past_words"] and any(
        len(word) > len(s) + 2 and word.endswith(s) for s in tense["past_suffixes"]
    ):
        return "past"
    for form in forms:
        if any(form.startswith(p) and len(form) >= len(p) + 3 for p in tense["clear_imperfect_prefixes"]):
            return "present"
    # A verb-first language opens a clause with its verb: a first word that is neither an
    # imperfect nor a noun with the article reads as a perfect (past) verb.
    not_perfect = any(f.startswith((lex.article, *tense["imperfect_prefixes"])) for f in forms)
    if clause_start and tense["imperfect_prefixes"] and lex.article and not not_perfect:
        return "past"
    return None


def _has_future_prefix(lex, word: str) -> bool:  # type: ignore[no-untyped-def]
    exceptions = lex.tense["future_prefix_exceptions"]
    return any(
        word.startswith(prefix) and len(word) >= len(prefix) + 2 for prefix in lex.tense["future_prefixes"]
    ) and not any(word.startswith(e) for e in exceptions)


def _is_lexicon_word(lex, word: str) -> bool:  # type: ignore[no-untyped-def]
    return (
        any(
            word in table
            for table in (
                lex.months,
                lex.weekdays,
                lex.unit_singular,
                lex.unit_plural,
                lex.unit_dual,
                lex.numbers,
            )
        )
        or word in lex.weekday_prefixes
    )
