"""Event triggers: the words that report a happening, found with the language's lexicon.

Each language's `events.yaml` lists triggers per event type, the cue words around them and how
words attach (`morphology`); this module compiles it once and finds triggers in normalised text.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache

from service.pipeline.normalise import NormalisedText, normalise, normalise_word
from service.resources import RESOURCES_DIR, load_resource
from service.vocabulary import EVENT_TYPES


@dataclass(frozen=True)
class Trigger:
    type: str
    start: int  # span in the original text
    end: int
    text: str
    strength: float
    definite: bool  # "the visit": refers back to an event already reported
    needs: tuple[str, ...]
    noun: bool = False  # a noun ("زيارة", "talks") rather than a verb ("زار", "met")
    implies: tuple[str, ...] = ()  # further happenings the word reports ("received X": a visit and a meeting)


@dataclass(frozen=True)
class EventLexicon:
    # type, regex, strength, needs, implied types
    patterns: tuple[tuple[str, re.Pattern[str], float, tuple[str, ...], tuple[str, ...]], ...]
    person_groups: frozenset[str]
    country_groups: frozenset[str]
    group_pattern: re.Pattern[str] | None
    durations: tuple[tuple[re.Pattern[str], int], ...]
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
    report_verbs: re.Pattern[str] | None = None
    # per type, its nouns without pronoun suffixes: a noun with the article must match one in full
    bare_nouns: dict[str, re.Pattern[str]] = field(default_factory=dict)
    relative_words: re.Pattern[str] | None = None
    subject_follows_verb: bool = False
    possessor_follows_noun: bool = False
    aim_cues: re.Pattern[str] | None = None


# -- lexicon ---------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Morphology:
    """How words attach to each other in a language (the `morphology` section of events.yaml)."""

    conjunctions: tuple[str, ...] = ()
    definite_prefixes: tuple[str, ...] = ()
    indefinite_prefixes: tuple[str, ...] = ()
    verb_prefixes: tuple[str, ...] = ()
    pronoun_suffixes: tuple[str, ...] = ()
    accusative_ending: str = ""
    feminine_ending: str = ""
    feminine_before_suffix: str = ""
    # the feminine ending as written before normalising (ة): normalising folds it into a letter a
    # pronoun suffix also ends with (ه), but a verb never ends in it as written
    feminine_written: str = ""

    @classmethod
    def from_data(cls, data: dict) -> Morphology:
        def words(key: str) -> tuple[str, ...]:
            return tuple(normalise(w).text for w in data.get(key, []))

        feminine = data.get("feminine_ending") or {}
        return cls(
            conjunctions=words("conjunctions"),
            definite_prefixes=words("definite_prefixes"),
            indefinite_prefixes=words("indefinite_prefixes"),
            verb_prefixes=words("verb_prefixes"),
            pronoun_suffixes=words("pronoun_suffixes"),
            accusative_ending=normalise_word(data.get("accusative_ending", "")),
            feminine_ending=normalise_word(feminine.get("written", "")),
            feminine_before_suffix=normalise_word(feminine.get("before_suffix", "")),
            feminine_written=feminine.get("written", ""),
        )

    def noun(self, phrase: str, suffixes: bool = True) -> str:
        """A regex for a noun phrase with its possible endings (اجتماعا افتراضيا، زيارته); without
        `suffixes`, with no pronoun suffix (a noun with the article takes none)."""
        words = normalise_word(phrase).split()
        suffix = _optional(self.pronoun_suffixes) if suffixes else ""
        parts = []
        for position, word in enumerate(words):
            last = position == len(words) - 1
            feminine = self.feminine_ending and word.endswith(self.feminine_ending)
            if last and feminine and self.feminine_before_suffix and suffixes:
                stem = re.escape(word[: -len(self.feminine_ending)])
                suffixes = alternation([re.escape(s) for s in self.pronoun_suffixes])
                parts.append(
                    f"{stem}(?:{re.escape(self.feminine_ending)}|{re.escape(self.feminine_before_suffix)}(?:{suffixes}))"
                )
                continue
            ending = ""
            if self.accusative_ending and not word.endswith(
                (self.accusative_ending, self.feminine_ending or "\0")
            ):
                ending = f"(?:{re.escape(self.accusative_ending)})?"
            parts.append(re.escape(word) + ending + (suffix if last else ""))
        return r"\s+".join(parts)

    def noun_prefix(self) -> str:
        definite = alternation([_spaced(p) for p in self.definite_prefixes])
        indefinite = alternation([_spaced(p) for p in self.indefinite_prefixes])
        choices = [f"(?P<definite>{definite})"] if definite else []
        if indefinite:
            choices.append(f"(?:{indefinite})")
        return optional_words(self.conjunctions) + (f"(?:{'|'.join(choices)})?" if choices else "")

    def verb_prefix(self) -> str:
        return optional_words(self.conjunctions) + optional_words(self.verb_prefixes)


def _spaced(prefix: str) -> str:
    # a prefix written as a separate word ("the ") is followed by any run of spaces
    return re.escape(prefix.rstrip()) + (r"\s+" if prefix.endswith(" ") else "")


def _optional(items: Sequence[str]) -> str:
    return f"(?:{alternation([re.escape(i) for i in items])})?" if items else ""


def optional_words(items: Sequence[str]) -> str:
    return f"(?:{alternation([_spaced(i) for i in items])})?" if items else ""


def alternation(phrases: Sequence[str]) -> str:
    return "|".join(sorted(phrases, key=len, reverse=True))


def _word_list_pattern(words: Sequence[str], morphology: Morphology) -> re.Pattern[str] | None:
    if not words:
        return None
    escaped = [r"\s+".join(re.escape(w) for w in normalise_word(word).split()) for word in words]
    conjunction = optional_words(morphology.conjunctions)
    return re.compile(rf"(?<!\w){conjunction}(?P<word>{alternation(escaped)})(?!\w)")


def _venue_pattern(data: dict, morphology: Morphology) -> re.Pattern[str] | None:
    """Venue words ending the text right before a place: separate ("في", "in the city of") or
    attached to it ("بـ")."""
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


@cache
def event_lexicon(language: str) -> EventLexicon:
    """Compile the trigger lexicon of one language (cached)."""
    data = load_resource(f"{language}/events.yaml")
    morphology = Morphology.from_data(data.get("morphology", {}))
    patterns = []
    bare_nouns: dict[str, list[str]] = defaultdict(list)
    for key, entry in data["triggers"].items():
        event_type = entry.get("type", key)
        if event_type not in EVENT_TYPES:
            raise ValueError(f"{language}/events.yaml: trigger {key!r} has unknown type {event_type!r}")
        nouns = [morphology.noun(p) for p in entry.get("nouns", [])]
        bare_nouns[event_type].extend(morphology.noun(p, suffixes=False) for p in entry.get("nouns", []))
        verbs = [r"\s+".join(re.escape(w) for w in normalise_word(p).split()) for p in entry.get("verbs", [])]
        alternatives = []
        if nouns:
            alternatives.append(f"{morphology.noun_prefix()}(?P<noun>{alternation(nouns)})")
        if verbs:
            alternatives.append(
                f"{morphology.verb_prefix()}(?:{alternation(verbs)}){_optional(morphology.pronoun_suffixes)}"
            )
        regex = re.compile(rf"(?<!\w)(?:{'|'.join(alternatives)})(?!\w)")
        implies = tuple(entry.get("implies", []))
        for implied in implies:
            if implied not in EVENT_TYPES:
                raise ValueError(f"{language}/events.yaml: trigger {key!r} implies unknown type {implied!r}")
        strength = float(entry.get("strength", 0.8))
        patterns.append((event_type, regex, strength, tuple(entry.get("needs", [])), implies))
    groups = data.get("groups", {})
    person_groups = frozenset(normalise_word(g) for g in groups.get("persons", []))
    country_groups = frozenset(normalise_word(g) for g in groups.get("countries", []))
    durations = tuple(
        (re.compile(rf"(?<!\w){re.escape(normalise_word(phrase))}(?!\w)"), int(days))
        for phrase, days in data.get("durations", {}).items()
    )
    return EventLexicon(
        patterns=tuple(patterns),
        person_groups=person_groups,
        country_groups=country_groups,
        group_pattern=_word_list_pattern(sorted(person_groups | country_groups), morphology),
        durations=durations,
        duration_cues=_word_list_pattern(data.get("duration_cues", []), morphology),
        conclude_cues=_word_list_pattern(data.get("conclude_cues", []), morphology),
        habitual_cues=_word_list_pattern(data.get("habitual_cues", []), morphology),
        since_words=_word_list_pattern(data.get("since_words", []), morphology),
        topic_cues=_word_list_pattern(data.get("topic_cues", []), morphology),
        venue_words=_venue_pattern(data.get("venue_words", {}), morphology),
        clause_breaks=_word_list_pattern(data.get("clause_breaks", []), morphology),
        news_item_cues=_word_list_pattern(data.get("news_item_cues", []), morphology),
        multilateral_cues=_word_list_pattern(data.get("multilateral_cues", []), morphology),
        morphology=morphology,
        bare_nouns={
            event_type: re.compile(alternation(regexes))
            for event_type, regexes in bare_nouns.items()
            if regexes
        },
        report_verbs=_word_list_pattern(data.get("report_verbs", []), morphology),
        relative_words=_word_list_pattern(data.get("relative_words", []), morphology),
        subject_follows_verb=bool(data.get("subject_follows_verb", False)),
        possessor_follows_noun=bool(data.get("possessor_follows_noun", False)),
        aim_cues=_word_list_pattern(data.get("aim_cues", []), morphology),
    )


@cache
def event_languages() -> tuple[str, ...]:
    """Languages that ship an event lexicon (a folder under service/resources with events.yaml)."""
    return tuple(sorted(p.parent.name for p in RESOURCES_DIR.glob("*/events.yaml")))


# -- triggers --------------------------------------------------------------------------------------


def find_triggers(text: str, language: str, normalised: NormalisedText | None = None) -> list[Trigger]:
    """Event triggers in text order; where two overlap, the longer wins."""
    lexicon = event_lexicon(language)
    normalised = normalised or normalise(text)
    found: list[tuple[int, int, Trigger]] = []
    for event_type, regex, strength, needs, implies in lexicon.patterns:
        for match in regex.finditer(normalised.text):
            start, end = normalised.to_original(match.start(), match.end())
            groups = match.groupdict()
            if not groups.get("noun") and _written_as_noun(text[start:end], lexicon.morphology):
                continue  # "وزارة" (a ministry) is not "و+زار+ه" (and visited him)
            if (
                groups.get("definite")
                and groups.get("noun")
                and _suffixed(groups["noun"], event_type, lexicon)
            ):
                continue  # "الاجتماعي" (social) is not "ال+اجتماع+ي": the article takes no pronoun
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


def _written_as_noun(word: str, morphology: Morphology) -> bool:
    """Does a verb match end, as written, in the feminine ending that only nouns take?"""
    return bool(morphology.feminine_written) and word.endswith(morphology.feminine_written)


def _suffixed(noun: str, event_type: str, lexicon: EventLexicon) -> bool:
    """Does a noun match only with a pronoun suffix (which a noun with the article cannot take)?"""
    bare = lexicon.bare_nouns.get(event_type)
    return bare is not None and bare.fullmatch(noun) is None
