"""Event triggers: the words that report a happening, found with the language's lexicon.

Each language's `events.yaml` lists triggers per event type and the cue words around them; how
words attach comes from the language's morphology (language.yaml). This module compiles the
lexicon once per language and finds triggers in normalised text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import ahocorasick

from service.pipeline.cores import matches_at, reach
from service.pipeline.document import Document
from service.pipeline.language.morphology import Morphology, alternation, optional_suffix, optional_words
from service.pipeline.normalise import normalise_word
from service.vocabulary import EVENT_TYPES

if TYPE_CHECKING:
    from service.pipeline.language import Language


@dataclass(frozen=True)
class Trigger:
    type: str
    start: int  # span in the original text
    end: int
    text: str
    strength: float
    definite: bool  # "the visit": refers back to an event already reported
    needs: tuple[str, ...]
    noun: bool = False  # a noun ("visit", "talks") rather than a verb ("visited", "met")
    implies: tuple[str, ...] = ()  # further happenings the word reports ("received X": a visit and a meeting)


@dataclass(frozen=True)
class EventLexicon:
    # type, regex, strength, needs, implied types
    patterns: tuple[tuple[str, re.Pattern[str], float, tuple[str, ...], tuple[str, ...]], ...]
    person_groups: frozenset[str]
    country_groups: frozenset[str]
    group_pattern: re.Pattern[str] | None
    durations: tuple[tuple[re.Pattern[str], int, str], ...]  # (pattern, days, the phrase it matches)
    duration_cues: re.Pattern[str] | None
    conclude_cues: re.Pattern[str] | None
    habitual_cues: re.Pattern[str] | None
    since_words: re.Pattern[str] | None
    topic_cues: re.Pattern[str] | None
    venue_words: re.Pattern[str] | None
    clause_breaks: re.Pattern[str] | None
    news_item_cues: re.Pattern[str] | None
    multilateral_cues: re.Pattern[str] | None
    morphology: Morphology
    # Every match of a trigger pattern holds one of its cores (the first word of a trigger, without
    # its prefixes): one Aho-Corasick pass finds them all, core -> (length, pattern indexes), and a
    # pattern is tried only just before its cores, across letters a prefix may hold.
    cores: ahocorasick.Automaton | None
    prefix_letters: frozenset[str]
    scanned: frozenset[int]  # patterns with a word no core stands for: scanned whole
    report_verbs: re.Pattern[str] | None = None
    report_prepositions: tuple[str, ...] = ()  # may stand between a report verb and its date
    departure_verbs: re.Pattern[str] | None = None  # "left on Monday": the date of the leaving
    instruction_cues: re.Pattern[str] | None = None  # "on the instructions of X": X takes no part
    when_words: re.Pattern[str] | None = None  # "since October, when they met": that clause's date
    # per type, its nouns without pronoun suffixes: a noun with the article must match one in full
    bare_nouns: dict[str, re.Pattern[str]] = field(default_factory=dict)
    relative_words: re.Pattern[str] | None = None
    subject_follows_verb: bool = False
    possessor_follows_noun: bool = False
    aim_cues: re.Pattern[str] | None = None
    need_cues: re.Pattern[str] | None = None
    coordinators: re.Pattern[str] | None = None


# -- lexicon ---------------------------------------------------------------------------------------


def _venue_pattern(data: dict, morphology: Morphology) -> re.Pattern[str] | None:
    """Venue words ending the text right before a place: separate ("in", "in the city of") or
    attached to it (an Arabic preposition clitic)."""
    conjunction = optional_words(morphology.conjunctions)
    separate = [
        r"\s+".join(re.escape(w) for w in normalise_word(x).split()) for x in data.get("separate", [])
    ]
    attached = [re.escape(normalise_word(x)) for x in data.get("attached", [])]
    choices = []
    if separate:
        choices.append(rf"{conjunction}(?:{alternation(separate)})\s+")
    if attached:
        choices.append(rf"{conjunction}(?:{alternation(attached)})")
    return re.compile(rf"(?:^|\s)(?:{'|'.join(choices)})$") if choices else None


def build_event_lexicon(language: Language) -> EventLexicon:
    """Compile the trigger lexicon of one language (a `Language` does it once, when first used)."""
    data = language.resource("events.yaml") or {"triggers": {}}
    morphology = language.morphology
    where = f"{language.code}/events.yaml"
    patterns = []
    cores: dict[str, set[int]] = {}
    scanned: set[int] = set()
    bare_nouns: dict[str, list[str]] = defaultdict(list)
    for key, entry in data["triggers"].items():
        event_type = entry.get("type", key)
        if event_type not in EVENT_TYPES:
            raise ValueError(f"{where}: trigger {key!r} has unknown type {event_type!r}")
        nouns = [morphology.noun(p) for p in entry.get("nouns", [])]
        bare_nouns[event_type].extend(morphology.noun(p, suffixes=False) for p in entry.get("nouns", []))
        verbs = [r"\s+".join(re.escape(w) for w in normalise_word(p).split()) for p in entry.get("verbs", [])]
        alternatives = []
        if nouns:
            alternatives.append(f"{morphology.noun_prefix()}(?P<noun>{alternation(nouns)})")
        if verbs:
            alternatives.append(
                f"{morphology.verb_prefix()}(?:{alternation(verbs)}){optional_suffix(morphology.pronoun_suffixes)}"
            )
        regex = re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")
        implies = tuple(entry.get("implies", []))
        for implied in implies:
            if implied not in EVENT_TYPES:
                raise ValueError(f"{where}: trigger {key!r} implies unknown type {implied!r}")
        strength = float(entry.get("strength", 0.8))
        words = [morphology.noun_core(p) for p in entry.get("nouns", [])]
        words += [(normalise_word(p).split() or [""])[0] for p in entry.get("verbs", [])]
        if all(words):
            for word in words:
                cores.setdefault(word, set()).add(len(patterns))
        else:
            scanned.add(len(patterns))
        patterns.append((event_type, regex, strength, tuple(entry.get("needs", [])), implies))
    automaton = None
    if cores:
        automaton = ahocorasick.Automaton()
        for word, indexes in cores.items():
            automaton.add_word(word, (len(word), tuple(sorted(indexes))))
        automaton.make_automaton()
    groups = data.get("groups", {})
    person_groups = frozenset(normalise_word(g) for g in groups.get("persons", []))
    country_groups = frozenset(normalise_word(g) for g in groups.get("countries", []))
    durations = tuple(
        (re.compile(rf"(?<!\w){re.escape(normalise_word(phrase))}(?!\w)"), int(days), normalise_word(phrase))
        for phrase, days in data.get("durations", {}).items()
    )
    return EventLexicon(
        patterns=tuple(patterns),
        person_groups=person_groups,
        country_groups=country_groups,
        group_pattern=morphology.word_list(sorted(person_groups | country_groups)),
        durations=durations,
        duration_cues=morphology.word_list(data.get("duration_cues", [])),
        conclude_cues=morphology.word_list(data.get("conclude_cues", [])),
        habitual_cues=morphology.word_list(data.get("habitual_cues", [])),
        since_words=morphology.word_list(data.get("since_words", [])),
        topic_cues=morphology.word_list(data.get("topic_cues", [])),
        venue_words=_venue_pattern(data.get("venue_words", {}), morphology),
        clause_breaks=morphology.word_list(data.get("clause_breaks", [])),
        news_item_cues=morphology.word_list(data.get("news_item_cues", [])),
        multilateral_cues=morphology.word_list(data.get("multilateral_cues", [])),
        morphology=morphology,
        cores=automaton,
        prefix_letters=morphology.prefix_letters(),
        scanned=frozenset(scanned),
        bare_nouns={
            event_type: re.compile(alternation(regexes))
            for event_type, regexes in bare_nouns.items()
            if regexes
        },
        report_verbs=morphology.word_list(data.get("report_verbs", [])),
        report_prepositions=tuple(normalise_word(w) for w in data.get("report_prepositions", [])),
        departure_verbs=morphology.word_list(data.get("departure_verbs", [])),
        instruction_cues=morphology.word_list(data.get("instruction_cues", [])),
        when_words=morphology.word_list(data.get("when_words", [])),
        relative_words=morphology.word_list(data.get("relative_words", [])),
        subject_follows_verb=bool(data.get("subject_follows_verb", False)),
        possessor_follows_noun=bool(data.get("possessor_follows_noun", False)),
        aim_cues=morphology.word_list(data.get("aim_cues", [])),
        need_cues=morphology.word_list(data.get("need_cues", [])),
        coordinators=morphology.word_list(data.get("coordinators", [])),
    )


# -- triggers --------------------------------------------------------------------------------------


def find_triggers(doc: Document, language: Language) -> list[Trigger]:
    """Takes a read document; returns its event triggers in text order (of two that overlap, the longer)."""
    lexicon = language.events
    normalised, text = doc.norm, doc.text
    found: list[tuple[int, int, Trigger]] = []
    openings = _openings(lexicon, normalised.text)
    for index, (event_type, regex, strength, needs, implies) in enumerate(lexicon.patterns):
        if index in lexicon.scanned:
            matches: Iterator[re.Match[str]] = regex.finditer(normalised.text)
        elif index in openings:
            matches = matches_at(regex, normalised.text, openings[index])
        else:
            continue  # none of its words is in the text
        for match in matches:
            start, end = normalised.to_original(match.start(), match.end())
            groups = match.groupdict()
            if not groups.get("noun") and _written_as_noun(text[start:end], lexicon.morphology):
                continue  # a verb match ending in the feminine noun ending (a ministry, not "visited him")
            if (
                groups.get("definite")
                and groups.get("noun")
                and _suffixed(groups["noun"], event_type, lexicon)
            ):
                continue  # the article takes no pronoun suffix: an adjective ("social"), not "its meeting"
            trigger = Trigger(
                event_type,
                start,
                end,
                text[start:end],
                strength,
                bool(groups.get("definite")),
                needs,
                bool(groups.get("noun")),
                implies,
            )
            found.append((match.start(), match.end(), trigger))
    found.sort(key=lambda item: (-(item[1] - item[0]), item[0]))
    chosen: list[tuple[int, int, Trigger]] = []
    occupied = bytearray(len(normalised.text))  # one flag per character: linear in the triggers
    for start, end, trigger in found:
        if not any(occupied[start:end]):
            occupied[start:end] = b"\x01" * (end - start)
            chosen.append((start, end, trigger))
    return [trigger for _, _, trigger in sorted(chosen, key=lambda item: item[0])]


def _openings(lexicon: EventLexicon, text: str) -> dict[int, list[int]]:
    """Per pattern, every position a match of it may start at: from each of its cores found in the
    text (one Aho-Corasick pass for all patterns) back across the characters its prefixes may hold."""
    if lexicon.cores is None:
        return {}
    reaches: dict[int, range] = {}  # core start -> the positions a match holding it may start at
    openings: dict[int, set[int]] = {}
    for end, (length, indexes) in lexicon.cores.iter(text):
        core = end - length + 1
        if core not in reaches:
            reaches[core] = reach(text, core, lexicon.prefix_letters)
        for index in indexes:
            openings.setdefault(index, set()).update(reaches[core])
    return {index: sorted(positions) for index, positions in openings.items()}


def _written_as_noun(word: str, morphology: Morphology) -> bool:
    """Does a verb match end, as written, in the feminine ending that only nouns take?"""
    return bool(morphology.feminine_written) and word.endswith(morphology.feminine_written)


def _suffixed(noun: str, event_type: str, lexicon: EventLexicon) -> bool:
    """Does a noun match only with a pronoun suffix (which a noun with the article cannot take)?"""
    bare = lexicon.bare_nouns.get(event_type)
    return bare is not None and bare.fullmatch(noun) is None
