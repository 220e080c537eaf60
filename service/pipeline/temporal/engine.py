"""Find temporal expressions in an article and resolve each against the publication date.

Per sentence: normalise, decide the tense, block numbers that are quantities or names, match every
family of the grammar, keep the longest non-overlapping matches, then resolve them in text order so
that "the previous day" can lean on the last day-level date before it.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterator
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from service.pipeline.document import Document, read
from service.pipeline.normalise import is_ignorable, normalise

from . import calendar as cal
from .calendar import DateSpan
from .grammar import Grammar
from .lexicon import QUALIFIER_OFFSETS, key

if TYPE_CHECKING:
    from service.pipeline.language import Language

# Vague windows ("the coming days", "الأسابيع الأخيرة") use a fixed conventional length per unit;
# "in recent years" is too vague to date anything, so vague year windows yield no expression.
_VAGUE_WINDOW_DAYS = {"day": 7, "week": 28}
_VAGUE_WINDOW_MONTHS = {"month": 3}
_PARTS_OF_MONTH = {"early": (1, 10), "mid": (11, 20), "late": (21, 31)}
_PARTS_OF_WEEK = {"early": (0, 2), "mid": (1, 3), "late": (4, 6)}  # days after Monday
_PARTS_OF_YEAR = {"early": ((1, 1), (4, 30)), "mid": ((5, 1), (8, 31)), "late": ((9, 1), (12, 31))}
# Families that name days: when one fails to resolve (an impossible day) it still hides the
# shorter matches inside it.
_DAY_FAMILIES = frozenset({"numeric", "date", "mday", "mweek", "range"})
_WORD = re.compile(r"[^\W\d_]+")
_DIGIT = re.compile(r"\d")


@dataclass(frozen=True)
class TemporalExpression:
    """A temporal expression found in a text, with its resolved calendar span."""

    text: str  # exact substring of the original text: text[start:end]
    start: int  # character offsets into the original text
    end: int
    date: DateSpan
    anchor: str  # explicit | publication | previous | weekday


@dataclass(frozen=True)
class _Candidate:
    start: int  # offsets into the normalised sentence
    end: int
    priority: int
    kind: str
    match: re.Match[str]


@dataclass
class _Context:
    grammar: Grammar
    published: date
    tense: str | None
    text: str  # normalised sentence
    previous_day: date | None  # last day-level date resolved so far in the article
    present: set[str]  # the sentence's words and their stems (trigger prefilter)
    layout: _TenseLayout | None = field(default=None)  # verbs and clauses, read when first needed


@dataclass(frozen=True)
class _Marker:
    """A word or phrase that shows a verb's tense (will, سوف, سيزور, met, كان, يلتقي)."""

    start: int
    end: int
    word: int  # index of its first word in the sentence
    tense: str  # past | future | present


@dataclass(frozen=True)
class _TenseLayout:
    markers: tuple[_Marker, ...]
    clauses: tuple[tuple[int, int], ...]  # between clause boundaries
    segments: tuple[tuple[int, int], ...]  # clauses cut further at commas


@dataclass(frozen=True)
class SentenceDates:
    """The temporal expressions of one sentence, and the tense of its main verb."""

    expressions: list[TemporalExpression]
    tense: str | None  # past | future | None (a non-past imperfect counts as future)


def find_temporal_expressions(doc: Document, language: Language) -> Iterator[SentenceDates]:
    """Takes a read document; yields each sentence's temporal expressions and tense in turn, lazily
    (a caller can stop between sentences). A date resolves against the ones told before it."""
    grammar = language.grammar
    previous_day: date | None = None
    text = doc.text
    for index, sentence in enumerate(doc.sentences):
        found: list[TemporalExpression] = []
        norm = doc.sentence_norm(index)
        words = _WORD.findall(norm.text)
        present = _words_present(grammar.lexicon, words, norm.text)
        tense = _tense(grammar, norm.text, words, present)
        context = _Context(grammar, doc.published_at, tense, norm.text, previous_day, present)
        for candidate, resolved in _select(_candidates(context), context):
            if candidate.kind == "anaphora":  # counted from the last date before it: resolve in order
                resolved = _resolve(candidate, context)
            if resolved is None:
                continue
            span, anchor = resolved
            start, end = norm.to_original(candidate.start, candidate.end)
            while end < len(sentence.text) and is_ignorable(sentence.text[end]):
                end += 1
            start, end = sentence.start + start, sentence.start + end
            found.append(TemporalExpression(text[start:end], start, end, span, anchor))
            if span.granularity == "day":
                context.previous_day = span.start
        previous_day = context.previous_day
        yield SentenceDates(found, "future" if tense == "present" else tense)


def find_dates(text: str, published_at: date, language: Language) -> list[TemporalExpression]:
    """All temporal expressions in a whole article (or one sentence), in text order."""
    doc = read(text, published_at)
    return [e for dates in find_temporal_expressions(doc, language) for e in dates.expressions]


def sentence_tense(sentence: str, language: Language) -> str | None:
    """'past' | 'future' | None from verb forms and cue words (a non-past imperfect counts as future)."""
    grammar = language.grammar
    text = normalise(sentence).text
    words = _WORD.findall(text)
    tense = _tense(grammar, text, words, _words_present(grammar.lexicon, words, text))
    return "future" if tense == "present" else tense


# -- tense ------------------------------------------------------------------------------------


def _tense(grammar: Grammar, text: str, words: list[str], present: set[str]) -> str | None:
    """past | future | present (non-past imperfect) | None, for one normalised sentence."""
    if grammar.future_words.search(text, present):
        return "future"
    lex = grammar.lexicon
    if grammar.past_words.search(text, present) or grammar.past_cues.search(text, present):
        return "past"
    suffixes = lex.tense["past_suffixes"]
    if any(len(w) > len(s) + 2 and w.endswith(s) for w in words for s in suffixes):
        return "past"
    imperfect = lex.tense["imperfect_prefixes"]
    if not imperfect:
        return None
    skip = set(lex.tense["skip_words"])
    perfect = set(lex.tense["perfect_verbs"])
    for word in words:
        if word in skip:
            continue
        bare = lex.morphology.without_conjunction(word, keep=3)
        if any(b in skip for b in bare):
            continue
        if any(_is_lexicon_word(lex, b) or b in lex.relative_days for b in bare):
            continue  # a leading time word (يوم 15 مايو ..., غدا ...) is not the verb that decides
        for form in bare:
            if form in perfect:
                return "past"
            if _has_future_prefix(lex, form):
                return "future"
            if (
                any(form.startswith(p) for p in imperfect)
                and len(form) >= 3
                and not _is_lexicon_word(lex, form)
            ):
                if any(form.startswith(a) and form.endswith(b) for a, b in lex.past_frames):
                    return "past"
                return "present"
        return "past"
    return None


def _governing_tense(context: _Context, start: int, end: int) -> str | None:
    """The tense of the verb that governs an expression: the nearest one before it in its comma
    segment, else the first after it there; then the nearest before it in its clause (or the first
    after it when the expression opens its segment: "On Monday, ..."); else the sentence's tense.

    A verb group counts as one ("will be held", "كان من المقرر أن يعقد"): markers at most
    `_CHAIN_GAP` words apart chain, and a future cue anywhere in the chain makes it future.
    """
    if context.layout is None:
        context.layout = _layout(context.grammar, context.text)
    layout = context.layout
    segment = next(((a, b) for a, b in layout.segments if a <= start < b), (0, len(context.text)))
    fronted = len(_WORD.findall(context.text[segment[0] : start])) <= 1
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


def _chain_tense(markers: list[_Marker]) -> str:
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


def _layout(grammar: Grammar, text: str) -> _TenseLayout:
    """Tense markers, clauses and comma segments of one normalised sentence."""
    lex = grammar.lexicon
    words = list(_WORD.finditer(text))
    starts = [w.start() for w in words]
    cuts = sorted({0, len(text), *(m.start() for m in grammar.clause_boundary.finditer(text))})
    clauses = tuple(zip(cuts, cuts[1:], strict=False))
    comma_cuts = sorted(set(cuts) | {i for i, c in enumerate(text) if c == ","})
    segments = tuple(zip(comma_cuts, comma_cuts[1:], strict=False))
    found: list[tuple[int, int, str]] = []
    for tense, pattern in grammar.tense_phrases:
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
    for index, word in enumerate(words):
        if any(s < word.end() and word.start() < e for s, e, _ in found):
            continue
        tense = _word_tense(lex, word.group(), index in clause_starts)
        if tense is not None:
            found.append((word.start(), word.end(), tense))
    auxiliaries = set(lex.tense["participle_auxiliaries"])
    markers = []
    for start, end, tense in sorted(found):
        if tense == "past" and _previous_word(text, start) in auxiliaries:
            continue  # a participle after its auxiliary ("will be held"): the auxiliary decides
        markers.append(_Marker(start, end, bisect_right(starts, start) - 1, tense))
    return _TenseLayout(tuple(markers), clauses, segments)


def _skippable(lex, word: str) -> bool:  # type: ignore[no-untyped-def]
    skip = lex.tense["skip_words"]
    return word in skip or any(b in skip for b in _bare(word, lex))


def _word_tense(lex, word: str, clause_start: bool) -> str | None:  # type: ignore[no-untyped-def]
    """The tense one word shows by its form, if any (a clause's first word: see `_tense`)."""
    tense = lex.tense
    forms = _bare(word, lex)
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


# -- matching ---------------------------------------------------------------------------------


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


def _candidates(context: _Context) -> list[_Candidate]:
    grammar, text = context.grammar, context.text
    present = context.present
    blocked = [
        m.span()
        for words, rx in grammar.blockers
        if "#" in present and (not words or not present.isdisjoint(words) or "%" in text)
        for m in rx.finditer(text)
    ]
    out = []
    tried: dict[str, bool] = {}  # per family, whether its trigger words and gate are present
    for priority, (kind, pattern) in enumerate(grammar.families):
        if kind not in tried:
            tried[kind] = _triggered(grammar, kind, present, text)
        if not tried[kind]:
            continue
        for match in pattern.finditer(text):
            start, end = match.span("body")
            if end <= start or any(s < end and start < e for s, e in blocked):
                continue
            if _acceptable(kind, match, context):
                out.append(_Candidate(start, end, priority, kind, match))
    return out


def _select(
    candidates: list[_Candidate], context: _Context
) -> list[tuple[_Candidate, tuple[DateSpan, str] | None]]:
    """Longest first (earlier family on ties), no overlaps, returned in text order.

    A part or unit phrase that resolves to no date does not shadow the shorter ones inside it
    ("end of the recent weeks" may fail where a plain unit holds); an impossible day (31 April, the
    30th of last month in March) still does: it is a broken date, not a month.
    """
    chosen: list[tuple[_Candidate, tuple[DateSpan, str] | None]] = []
    for candidate in sorted(candidates, key=lambda c: (c.start - c.end, c.priority, c.start)):
        if any(candidate.start < c.end and c.start < candidate.end for c, _ in chosen):
            continue
        resolved = None if candidate.kind == "anaphora" else _resolve(candidate, context)
        if resolved is not None or candidate.kind in _DAY_FAMILIES or candidate.kind == "anaphora":
            chosen.append((candidate, resolved))
    return sorted(chosen, key=lambda pair: pair[0].start)


def _previous_word(text: str, start: int) -> str:
    words = _WORD.findall(text[max(0, start - 40) : start])
    return words[-1] if words else ""


def _next_words(text: str, end: int, count: int = 1) -> list[str]:
    return _WORD.findall(text[end : end + 60])[:count]


def _bare(word: str, lex) -> list[str]:  # type: ignore[no-untyped-def]
    """A word and the word without a leading conjunction."""
    return lex.morphology.without_conjunction(word, keep=2)


def _recurring(match: re.Match[str], context: _Context) -> bool:
    """True when the expression names a recurring time (كل يوم جمعة, 21 مارس من كل عام, every year)."""
    grammar, text = context.grammar, context.text
    lex = grammar.lexicon
    start, end = match.span("body")
    if any(b in lex.recurrence_words for b in _bare(_previous_word(text, start), lex)):
        return True
    if context.present.isdisjoint(grammar.recurrence_first_words):
        return False
    return bool(
        grammar.recurrence_after.search(text[end : end + 60])
        or grammar.recurrence_before.search(text[max(0, start - 60) : start])
    )


def _acceptable(kind: str, match: re.Match[str], context: _Context) -> bool:
    lex = context.grammar.lexicon
    text = context.text
    groups = match.groupdict()
    if _recurring(match, context):
        return False
    if kind == "month":
        qualified = groups["mp"] or groups["mqb"] or groups["yeara"] or groups["quala"] or groups["yrela"]
        if lex.is_ambiguous_month(groups["montha"]) and not qualified and not groups["pqa"]:
            before = _previous_word(text, match.start("body"))
            stripped = lex.morphology.without_conjunction(before, keep=0)
            return any(key(b) in lex.month_context for b in stripped)
        return True
    if kind == "relday":
        word = key(groups["rel"])
        if word in lex.nowadays_words and not (
            groups["tod"] or groups["toda"] or groups["dp"] or groups["wd"]
        ):
            if context.grammar.nowadays.search(text, context.present):
                return False
            following = _next_words(text, match.end("body"))
            if following and lex.article and following[0].startswith(lex.article):
                adjective = any(following[0].endswith(s) for s in lex.adjective_suffixes)
                if adjective or key(following[0]) in lex.ordinals:
                    return False
        return True
    if "unitu" in groups and groups["unitu"] and not (groups["uqau"] or groups["uqbu"]):
        return False  # a bare unit word ("العام", "the year") is not a date
    if kind == "shift":
        rest = text[match.end("body") :]
        following = _next_words(text, match.end("body"))
        if re.match(r"\s*\d", rest):
            return False
        later = (
            key(groups.get("sb") or groups.get("sa", ""))
            in lex.shifts["later_before"] + lex.shifts["later_after"]
        )
        if later and context.tense == "past":
            return False  # "held their first talks in five years": a span of time, not a date ahead
        return not (following and following[0] in lex.of_words)
    return True


# -- resolution -------------------------------------------------------------------------------


def _resolve(candidate: _Candidate, context: _Context) -> tuple[DateSpan, str] | None:
    groups = {k: v for k, v in candidate.match.groupdict().items() if v is not None}
    lex = context.grammar.lexicon
    local = _governing_tense(context, candidate.start, candidate.end)
    if local != context.tense:
        context = replace(context, tense=local)
    before = _bare(_previous_word(context.text, candidate.start), lex)
    if any(b in lex.tense["past_lead_words"] for b in before):
        groups["_since"] = "1"
    resolver = _RESOLVERS[candidate.kind]
    try:
        return resolver(groups, context)
    except (ValueError, OverflowError, IndexError):
        return None  # an impossible date (31 April, year 0): not a date after all


def _qualifier(context: _Context, *texts: str | None, before: bool = False) -> str | None:
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


def _mode(qualifier: str | None, tense: str | None, default: str = cal.NEAREST) -> str:
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


def _bare_mode(qualifier: str | None, groups: dict[str, str], context: _Context) -> str:
    """Direction of a day + month or a month without a year.

    A qualifier decides, then منذ / since right before it (past), then the tense: a past sentence
    looks back, an explicitly future one forward; a present-tense verb (يأتي, تشهد, says) is no
    future cue, so the nearest occurrence wins, the past one when the gaps are similar.
    """
    if qualifier is not None:
        return _mode(qualifier, context.tense)
    if "_since" in groups or context.tense == "past":
        return cal.ON_OR_BEFORE
    if context.tense == "future":
        return cal.ON_OR_AFTER
    return cal.NEAREST_PAST


def _year_offset(groups: dict[str, str], s: str, context: _Context) -> int | None:
    kind = _qualifier(context, groups.get(f"yqa{s}"), groups.get(f"yqc{s}"), groups.get(f"yqb{s}"))
    if kind is None or kind == "recent":
        return None
    return QUALIFIER_OFFSETS[kind]


def _day_of(groups: dict[str, str], s: str, context: _Context) -> int:
    if f"dnum{s}" in groups:
        return int(groups[f"dnum{s}"])
    return context.grammar.lexicon.lookup(context.grammar.lexicon.ordinals, groups[f"dword{s}"])


def _month_of(groups: dict[str, str], s: str, context: _Context) -> tuple[str, int]:
    return context.grammar.lexicon.lookup(context.grammar.lexicon.months, groups[f"month{s}"])


def _unit_month(groups: dict[str, str], context: _Context) -> DateSpan | None:
    """The month of "الشهر الجاري / this month / next month" (None without a usable qualifier)."""
    kind = _qualifier(context, groups.get("uqau"), groups.get("uqbu"))
    if kind is None or kind == "recent":
        return None
    return _unit_span("month", QUALIFIER_OFFSETS[kind], context.published)


def _resolve_date(groups: dict[str, str], context: _Context) -> tuple[DateSpan, str] | None:
    day = _day_of(groups, "a", context)
    if "unitu" in groups:  # the 21st of this month
        month_span = _unit_month(groups, context)
        if month_span is None:
            return None
        return cal.day_span(month_span.start.replace(day=day)), "publication"
    calendar_name, month = _month_of(groups, "a", context)
    lex = context.grammar.lexicon
    weekday = lex.lookup(lex.weekdays, groups["wd"]) if "wd" in groups else None
    qualifier = _qualifier(context, groups.get("quala"), groups.get("pqa"))
    if calendar_name == "hijri":
        if "yeara" in groups:
            found = cal.hijri_date(int(groups["yeara"]), month, day)
            return (cal.day_span(found), "explicit") if found else None
        span = cal.hijri_near(context.published, month, day, _mode(qualifier, context.tense, cal.ON_OR_AFTER))
        return (span, "publication") if span else None
    if "yeara" in groups:
        if "hsufa" in groups:
            return None
        return cal.day_span(date(int(groups["yeara"]), month, day)), "explicit"
    offset = _year_offset(groups, "a", context)
    if offset is not None:
        return cal.day_span(date(context.published.year + offset, month, day)), "publication"
    found = cal.day_month_date(context.published, month, day, _bare_mode(qualifier, groups, context), weekday)
    return (cal.day_span(found), "publication") if found else None


def _resolve_month_week(groups: dict[str, str], context: _Context) -> tuple[DateSpan, str] | None:
    """The n-th seven days of a month (days 1-7, 8-14, ...) or its last seven days: a range."""
    lex = context.grammar.lexicon
    if "unitu" in groups:
        whole, anchor = _unit_month(groups, context), "publication"
        if whole is None:
            return None
    else:
        qualifier = _qualifier(context, groups.get("quala"), groups.get("pqa"))
        resolved = _month_span_of(groups, "a", context, qualifier)
        if resolved is None or resolved[0].granularity != "month":
            return None
        whole, anchor = resolved
    if "wl" in groups:
        return DateSpan(whole.end - timedelta(days=6), whole.end, "range"), anchor
    number = lex.lookup(lex.ordinals, groups["wo"])
    if not 1 <= number <= 5:
        return None
    first = whole.start + timedelta(days=7 * (number - 1))
    if first > whole.end:
        return None
    return DateSpan(first, min(whole.end, first + timedelta(days=6)), "range"), anchor


def _month_span_of(
    groups: dict[str, str], s: str, context: _Context, qualifier: str | None
) -> tuple[DateSpan, str] | None:
    """The span of a month expression (Gregorian or Hijri) with its year, qualifier or tense."""
    calendar_name, month = _month_of(groups, s, context)
    published = context.published
    if calendar_name == "hijri":
        if f"year{s}" in groups:
            span = cal.hijri_month_span(int(groups[f"year{s}"]), month)
            return (span, "explicit") if span else None
        span = cal.hijri_near(published, month, None, _mode(qualifier, context.tense, cal.ON_OR_AFTER))
        return (span, "publication") if span else None
    if f"year{s}" in groups:
        return cal.month_span(int(groups[f"year{s}"]), month), "explicit"
    offset = _year_offset(groups, s, context)
    if offset is not None:
        return cal.month_span(published.year + offset, month), "publication"
    year = cal.month_year(published, month, _bare_mode(qualifier, groups, context))
    return cal.month_span(year, month), "publication"


def _resolve_month(groups: dict[str, str], context: _Context) -> tuple[DateSpan, str] | None:
    qualifier = _qualifier(context, groups.get("quala"), groups.get("pqa"), groups.get("mqb"))
    return _month_span_of(groups, "a", context, qualifier)


def _resolve_range(groups: dict[str, str], context: _Context) -> tuple[DateSpan, str] | None:
    days_given = "dnuma" in groups or "dworda" in groups
    if "yeara" in groups and "yearb" in groups and not days_given and "montha" not in groups:
        first, last = int(groups["yeara"]), int(groups["yearb"])  # a range of years
        if not 1000 <= first <= last <= 2199:
            return None
        return DateSpan(date(first, 1, 1), date(last, 12, 31), "range"), "explicit"
    if not days_given:  # a range of months
        qualifier = _qualifier(context, groups.get("qualb"), groups.get("pqb"))
        last = _month_span_of(groups, "b", context, qualifier)
        if last is None:
            return None
        _, first_month = _month_of(groups, "a", context)
        year = int(groups["yeara"]) if "yeara" in groups else last[0].start.year
        if "yeara" not in groups and first_month > last[0].start.month:
            year -= 1
        return DateSpan(date(year, first_month, 1), last[0].end, "range"), last[1]
    day_a, day_b = _day_of(groups, "a", context), _day_of(groups, "b", context)
    month_b = _month_of(groups, "b", context)[1] if "monthb" in groups else None
    month_a = _month_of(groups, "a", context)[1] if "montha" in groups else None
    month_a = month_a or month_b
    month_b = month_b or month_a
    if month_a is None or month_b is None:
        return None
    if _month_of(groups, "a" if "montha" in groups else "b", context)[0] == "hijri":
        return None
    year_a = int(groups["yeara"]) if "yeara" in groups else None
    year_b = int(groups["yearb"]) if "yearb" in groups else None
    anchor = "explicit" if (year_a or year_b) else "publication"
    offset = _year_offset(groups, "b", context)
    if year_b is None and offset is not None:
        year_b = context.published.year + offset
    if year_a is None and year_b is None:
        mode = _bare_mode(_qualifier(context, groups.get("qualb"), groups.get("pqb")), groups, context)
        if mode in (cal.BEFORE, cal.ON_OR_BEFORE, cal.NEAREST_PAST):
            first = cal.day_month_date(context.published, month_a, day_a, mode)
            if first is None:
                return None
            year_a = first.year
        else:
            last = cal.day_month_date(context.published, month_b, day_b, mode)
            if last is None:
                return None
            year_b = last.year
    if year_a is None:
        year_a = year_b if (month_a, day_a) <= (month_b, day_b) else year_b - 1  # type: ignore[operator]
    if year_b is None:
        year_b = year_a if (month_a, day_a) <= (month_b, day_b) else year_a + 1
    first, last = date(year_a, month_a, day_a), date(year_b, month_b, day_b)
    if first > last:
        return None
    return DateSpan(first, last, "range"), anchor


def _resolve_numeric(groups: dict[str, str], context: _Context) -> tuple[DateSpan, str] | None:
    if "y" in groups:
        return cal.day_span(date(int(groups["y"]), int(groups["m"]), int(groups["d"]))), "explicit"
    first, second, year = int(groups["n1"]), int(groups["n2"]), int(groups["n3"])
    day, month = (first, second) if context.grammar.lexicon.numeric_order == "dmy" else (second, first)
    if month > 12 and day <= 12:
        day, month = month, day
    return cal.day_span(date(year, month, day)), "explicit"


def _unit_span(unit: str, offset: int, published: date) -> DateSpan:
    if unit == "week":
        return cal.iso_week(published, offset)
    if unit == "month":
        year, month = cal.shift_month(published.year, published.month, offset)
        return cal.month_span(year, month)
    if unit == "year":
        return cal.year_span(published.year + offset)
    return cal.day_span(published + timedelta(days=offset))


def _resolve_unit(groups: dict[str, str], context: _Context) -> tuple[DateSpan, str] | None:
    lex = context.grammar.lexicon
    published = context.published
    if "today" in groups:
        return cal.day_span(published), "publication"
    unit = lex.lookup(lex.unit_singular, groups["unitu"])
    kind = _qualifier(context, groups.get("uqau"), groups.get("uqbu"))
    if kind is None or kind == "recent":
        return None
    span = _unit_span(unit, QUALIFIER_OFFSETS[kind], published)
    if "ew" in groups and kind == "current":
        if key(groups["ew"]) in lex.earlier_words:
            return DateSpan(
                span.start, max(span.start, published - timedelta(days=1)), "range"
            ), "publication"
        return DateSpan(min(span.end, published + timedelta(days=1)), span.end, "range"), "publication"
    return span, "publication"


def _resolve_part(groups: dict[str, str], context: _Context) -> tuple[DateSpan, str] | None:
    lex = context.grammar.lexicon
    part = lex.lookup(lex.parts, groups["part"])
    anchor = "publication"
    if "montha" in groups:
        qualifier = _qualifier(context, groups.get("quala"), groups.get("pqa"))
        resolved = _month_span_of(groups, "a", context, qualifier)
        if resolved is None:
            return None
        whole, anchor = resolved
        unit = "month"
    elif "unitu" in groups:
        unit = lex.lookup(lex.unit_singular, groups["unitu"])
        kind = _qualifier(context, groups.get("uqau"), groups.get("uqbu"))
        if kind is None or kind == "recent":
            return None
        whole = _unit_span(unit, QUALIFIER_OFFSETS[kind], context.published)
    elif "defunit" in groups:
        words = groups["defunit"].split()
        unit = lex.lookup(lex.unit_singular, words[-1]) or lex.lookup(lex.unit_singular, groups["defunit"])
        whole = _unit_span(unit, 0, context.published)
    else:
        year = int(groups["yeary"])
        if "hsufy" in groups or not 1000 <= year <= 2199:
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


def _resolve_season(groups: dict[str, str], context: _Context) -> tuple[DateSpan, str] | None:
    lex = context.grammar.lexicon
    season = lex.lookup(lex.seasons, groups["season"])
    if "yeary" in groups:
        if "hsufy" in groups:
            return None
        return cal.season_span(season, int(groups["yeary"])), "explicit"
    offset = _year_offset(groups, "y", context)
    if offset is not None:
        return cal.season_span(season, context.published.year + offset), "publication"
    kind = _qualifier(context, groups.get("sqa"), groups.get("sqb"))
    if kind not in ("past", "future", "current"):
        return None
    return cal.season_near(context.published, season, QUALIFIER_OFFSETS[kind]), "publication"


def _count(groups: dict[str, str], digits: str, words: str, context: _Context) -> int | None:
    if digits in groups:
        return int(groups[digits])
    if words in groups:
        return context.grammar.lexicon.lookup(context.grammar.lexicon.numbers, groups[words])
    return None


def _resolve_shift(groups: dict[str, str], context: _Context) -> tuple[DateSpan, str] | None:
    lex = context.grammar.lexicon
    shift_word = key(groups.get("sb") or groups.get("sa", ""))
    backwards = shift_word in lex.shifts["ago_before"] + lex.shifts["ago_after"]
    if "ud" in groups:
        unit, count = lex.lookup(lex.unit_dual, groups["ud"]), 2
    elif "us" in groups:
        unit, count = lex.lookup(lex.unit_singular, groups["us"]), 1
    else:
        unit = lex.lookup(lex.unit_plural, groups["u"]) or lex.lookup(lex.unit_singular, groups["u"])
        count = _count(groups, "n", "nw", context)
    if unit is None or not count or count > 500:
        return None
    sign = -1 if backwards else 1
    published = context.published
    if unit == "day":
        return cal.day_span(published + timedelta(days=sign * count)), "publication"
    if unit == "week":
        return cal.iso_week(published + timedelta(weeks=sign * count)), "publication"
    return _unit_span(unit, sign * count, published), "publication"


def _resolve_window(groups: dict[str, str], context: _Context) -> tuple[DateSpan, str] | None:
    lex = context.grammar.lexicon
    words = groups["wu"]
    unit = lex.lookup(lex.unit_plural, words)
    count = _count(groups, "wn", "wnw", context)
    if unit is None:
        unit, count = lex.lookup(lex.unit_dual, words), 2
    kind = _qualifier(context, groups.get("wqa"), groups.get("wqb"))
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


def _resolve_relday(groups: dict[str, str], context: _Context) -> tuple[DateSpan, str] | None:
    lex = context.grammar.lexicon
    offset = lex.lookup(lex.relative_days, groups["rel"])
    return cal.day_span(context.published + timedelta(days=offset)), "publication"


def _resolve_weekday(groups: dict[str, str], context: _Context) -> tuple[DateSpan, str] | None:
    lex = context.grammar.lexicon
    weekday = lex.lookup(lex.weekdays, groups["wd"])
    kind = _qualifier(context, groups.get("wqa"), groups.get("wqb"))
    if kind == "current":
        mode = cal.ON_OR_AFTER
    else:
        mode = _mode(kind if kind in ("past", "future", "recent") else None, context.tense, cal.ON_OR_BEFORE)
    return cal.day_span(cal.weekday_near(context.published, weekday, mode)), "weekday"


def _resolve_anaphora(groups: dict[str, str], context: _Context) -> tuple[DateSpan, str] | None:
    lex = context.grammar.lexicon
    offset = lex.lookup(lex.anaphora, groups["ana"])
    if context.previous_day is None:
        return cal.day_span(context.published + timedelta(days=offset)), "publication"
    return cal.day_span(context.previous_day + timedelta(days=offset)), "previous"


def _resolve_year(groups: dict[str, str], context: _Context) -> tuple[DateSpan, str] | None:
    year = int(groups["yeara"])
    if "hsufa" in groups:
        span = cal.hijri_year_span(year) if 1300 <= year <= 1600 else None
        return (span, "explicit") if span else None
    if not 1000 <= year <= 2199:
        return None
    return cal.year_span(year), "explicit"


_RESOLVERS = {
    "range": _resolve_range,
    "numeric": _resolve_numeric,
    "date": _resolve_date,
    "mday": _resolve_date,
    "mweek": _resolve_month_week,
    "part": _resolve_part,
    "season": _resolve_season,
    "window": _resolve_window,
    "shift": _resolve_shift,
    "unit": _resolve_unit,
    "anaphora": _resolve_anaphora,
    "relday": _resolve_relday,
    "weekday": _resolve_weekday,
    "month": _resolve_month,
    "year": _resolve_year,
}
