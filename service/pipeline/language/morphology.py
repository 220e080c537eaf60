"""How words attach in one language, read from the `morphology` section of `<lang>/language.yaml`.

The one implementation of clitics, articles, contractions and endings: event triggers get regular
expressions from it, the gazetteer the forms of a word without its clitics, the temporal layer its
alternations, lookups and word stems. Every entry is normalised like article text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any

from service.pipeline.normalise import normalise_word


def alternation(phrases: Sequence[str]) -> str:
    """Regex alternatives, longest first (so a longer phrase wins over its prefix)."""
    return "|".join(sorted(phrases, key=len, reverse=True))


def spaced(prefix: str) -> str:
    """A prefix written as a separate word ("the ") is followed by any run of spaces."""
    return re.escape(prefix.rstrip()) + (r"\s+" if prefix.endswith(" ") else "")


def optional_words(items: Sequence[str]) -> str:
    """An optional group of prefixes (attached or written as separate words)."""
    return f"(?:{alternation([spaced(i) for i in items])})?" if items else ""


def optional_suffix(items: Sequence[str]) -> str:
    """An optional group of attached endings."""
    return f"(?:{alternation([re.escape(i) for i in items])})?" if items else ""


@dataclass(frozen=True)
class Morphology:
    """Clitics, article and endings of one language; methods turn them into forms and patterns."""

    conjunctions: tuple[str, ...] = ()
    prepositions: tuple[str, ...] = ()
    article: str = ""  # attached to the noun (Arabic al-)
    article_words: tuple[str, ...] = ()  # written as a separate word (English "the")
    possessives: tuple[str, ...] = ()  # separate words that make a noun definite too ("his visit")
    # preposition -> how it is written together with the article (Arabic li + al-: lil-)
    article_contractions: Mapping[str, str] = field(default_factory=dict)
    verb_prefixes: tuple[str, ...] = ()
    pronoun_suffixes: tuple[str, ...] = ()
    accusative_ending: str = ""
    feminine_ending: str = ""
    feminine_before_suffix: str = ""
    # the feminine ending as written before normalising: normalising folds it into a letter a
    # pronoun suffix also ends with, but a verb never ends in it as written
    feminine_written: str = ""
    adjective_ending: str = ""
    adjective_additions: tuple[str, ...] = ()

    @classmethod
    def from_data(cls, data: Mapping[str, Any]) -> Morphology:
        """Read and normalise the `morphology` section of language.yaml."""

        def words(key: str) -> tuple[str, ...]:
            return tuple(normalise_word(w) for w in data.get(key) or [])

        feminine = data.get("feminine_ending") or {}
        adjectives = data.get("adjective_endings") or {}
        contractions = data.get("article_contractions") or {}
        return cls(
            conjunctions=words("conjunctions"),
            prepositions=words("prepositions"),
            article=normalise_word(data.get("article") or ""),
            article_words=words("article_words"),
            possessives=words("possessives"),
            article_contractions={normalise_word(p): normalise_word(w) for p, w in contractions.items()},
            verb_prefixes=words("verb_prefixes"),
            pronoun_suffixes=words("pronoun_suffixes"),
            accusative_ending=normalise_word(data.get("accusative_ending") or ""),
            feminine_ending=normalise_word(feminine.get("written", "")),
            feminine_before_suffix=normalise_word(feminine.get("before_suffix", "")),
            feminine_written=feminine.get("written", ""),
            adjective_ending=normalise_word(adjectives.get("ending", "")),
            adjective_additions=tuple(adjectives.get("add") or ()),
        )

    # -- what may stand before a word -------------------------------------------------------------

    @property
    def definite_prefixes(self) -> tuple[str, ...]:
        """What makes a noun definite: the article alone, after a preposition, or as a word ("the ",
        "his ")."""
        prefixes = [self.article] if self.article else []
        for preposition in self.prepositions:
            if self.article and preposition not in self.article_contractions:
                prefixes.append(preposition + self.article)
        prefixes += self.article_contractions.values()
        prefixes += [word + " " for word in (*self.article_words, *self.possessives)]
        return tuple(prefixes)

    @property
    def proclitics(self) -> tuple[str, ...]:
        """Attached conjunctions and prepositions and their combinations, longest first."""
        singles = [*self.conjunctions, *self.prepositions]
        pairs = [c + p for c in self.conjunctions for p in self.prepositions]
        return tuple(sorted(singles + pairs, key=len, reverse=True))

    @property
    def contractions(self) -> tuple[tuple[str, str], ...]:
        """(written, meant) for the article contracted with a preposition, after any conjunction."""
        return tuple(
            (conjunction + written, self.article)
            for conjunction in ("", *self.conjunctions)
            for written in self.article_contractions.values()
        )

    def forms(self, word: str) -> list[tuple[str, int]]:
        """The word itself and the word without its clitics, each with the shift of its start."""
        forms = [(word, 0)]
        for prefix, replacement in self.contractions:
            if word.startswith(prefix) and len(word) > len(prefix) + 1:
                forms.append((replacement + word[len(prefix) :], len(prefix) - len(replacement) + 1))
        for prefix in self.proclitics:
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                forms.append((word[len(prefix) :], len(prefix)))
        return forms

    def without_conjunction(self, word: str, keep: int = 2) -> list[str]:
        """A word and the word without a leading conjunction, when `keep` letters or more remain."""
        return [word] + [
            word[len(c) :] for c in self.conjunctions if word.startswith(c) and len(word) - len(c) >= keep
        ]

    def stemmer(self):  # type: ignore[no-untyped-def]
        """A cached word -> {word, without clitics, without the article} function (temporal prefilter)."""
        return _stemmer(self.article, self.conjunctions, self.prepositions, tuple(self._elided().items()))

    def _elided(self) -> dict[str, str]:
        """preposition -> what remains of the article after it (li + al- = lil-: "l")."""
        return {p: written[len(p) :] for p, written in self.article_contractions.items()}

    # -- phrases with the article -------------------------------------------------------------------

    def definite(self, words: Iterable[str]) -> list[str]:
        """The words with the definite article: attached (al-) or as a separate word (the year)."""
        out: list[str] = []
        for word in words:
            if self.article:
                out.append(self.article + word)
            out.extend(f"{article} {word}" for article in self.article_words)
        return out

    def contracted_patterns(self, words: Iterable[str], pattern) -> list[str]:  # type: ignore[no-untyped-def]
        """Patterns for definite words after a contracting preposition (Arabic lil-am = li + al-am)."""
        out = []
        for preposition, remainder in self._elided().items():
            if preposition not in self.prepositions:
                continue
            out += [
                f"(?<={re.escape(preposition)})" + pattern(remainder + w[len(self.article) :])
                for w in words
                if self.article and w.startswith(self.article) and len(w) > len(self.article)
            ]
        return out

    def uncontracted(self, phrase: str) -> list[str]:
        """A matched phrase read back as written with the article (Arabic "lam" after li: "al-am")."""
        if not self.article:
            return []
        return [
            self.article + phrase[len(remainder) :]
            for remainder in self._elided().values()
            if phrase.startswith(remainder)
        ]

    def adjective_forms(self, adjectives: Iterable[str]) -> list[str]:
        """Feminine, plural and indefinite forms of nisba adjectives (Arabic al-rusi: al-rusiya, rusi ...)."""
        result = []
        for adjective in adjectives:
            variants = [adjective]
            if self.adjective_ending and adjective.endswith(self.adjective_ending) and " " not in adjective:
                variants += [adjective + suffix for suffix in self.adjective_additions]
            if self.article:
                variants += [
                    v[len(self.article) :]
                    for v in variants
                    if v.startswith(self.article) and len(v) > len(self.article) + 2
                ]
            result.extend(variants)
        return result

    # -- regular expressions for triggers -----------------------------------------------------------

    def noun(self, phrase: str, suffixes: bool = True) -> str:
        """A regex for a noun phrase with its possible endings (accusative ending, pronoun suffix);
        without `suffixes`, with no pronoun suffix (a noun with the article takes none)."""
        words = normalise_word(phrase).split()
        suffix = optional_suffix(self.pronoun_suffixes) if suffixes else ""
        parts = []
        for position, word in enumerate(words):
            last = position == len(words) - 1
            feminine = self.feminine_ending and word.endswith(self.feminine_ending)
            if last and feminine and self.feminine_before_suffix and suffixes:
                stem = re.escape(word[: -len(self.feminine_ending)])
                endings = alternation([re.escape(s) for s in self.pronoun_suffixes])
                parts.append(
                    f"{stem}(?:{re.escape(self.feminine_ending)}|{re.escape(self.feminine_before_suffix)}(?:{endings}))"
                )
                continue
            ending = ""
            if self.accusative_ending and not word.endswith(
                (self.accusative_ending, self.feminine_ending or "\0")
            ):
                ending = f"(?:{re.escape(self.accusative_ending)})?"
            parts.append(re.escape(word) + ending + (suffix if last else ""))
        return r"\s+".join(parts)

    def noun_core(self, phrase: str) -> str:
        """The letters every match of `noun(phrase)` starts with (its first word, a feminine ending cut)."""
        words = normalise_word(phrase).split()
        if not words:
            return ""
        first = words[0]
        feminine = self.feminine_ending and first.endswith(self.feminine_ending)
        if len(words) == 1 and feminine and self.feminine_before_suffix:
            return first[: -len(self.feminine_ending)]
        return first

    def prefix_letters(self) -> frozenset[str]:
        """Every character a prefix of `noun_prefix` or `verb_prefix` may hold (spaces aside)."""
        prefixes = (*self.conjunctions, *self.prepositions, *self.definite_prefixes, *self.verb_prefixes)
        return frozenset("".join(prefixes))

    def noun_prefix(self) -> str:
        """What may precede a noun trigger; a definite one is captured as `definite`."""
        definite = alternation([spaced(p) for p in self.definite_prefixes])
        indefinite = alternation([spaced(p) for p in self.prepositions])
        choices = [f"(?P<definite>{definite})"] if definite else []
        if indefinite:
            choices.append(f"(?:{indefinite})")
        return optional_words(self.conjunctions) + (f"(?:{'|'.join(choices)})?" if choices else "")

    def verb_prefix(self) -> str:
        """What may precede a verb trigger."""
        return optional_words(self.conjunctions) + optional_words(self.verb_prefixes)

    def word_list(self, words: Sequence[str], prepositions: bool = False) -> re.Pattern[str] | None:
        """Whole words or phrases, each possibly after a conjunction (and, with `prepositions`, a
        preposition: "in this country" written as one word); the phrase is group `word`."""
        if not words:
            return None
        escaped = [r"\s+".join(re.escape(w) for w in normalise_word(p).split()) for p in words]
        clitic = optional_words(self.conjunctions + (self.prepositions if prepositions else ()))
        return re.compile(rf"(?<!\w){clitic}(?P<word>{alternation(escaped)})(?!\w)")


@lru_cache(maxsize=16)
def _stemmer(
    article: str,
    conjunctions: tuple[str, ...],
    prepositions: tuple[str, ...],
    elided: tuple[tuple[str, str], ...],
):  # type: ignore[no-untyped-def]
    prefixes = tuple(c + p for c in ("", *conjunctions) for p in ("", *prepositions) if c + p)

    @lru_cache(maxsize=1 << 16)
    def stems(word: str) -> frozenset[str]:
        out = {word}
        for stem in [word] + [word[len(p) :] for p in prefixes if word.startswith(p) and len(word) > len(p)]:
            out.add(stem)
            if article and stem.startswith(article):
                out.add(stem[len(article) :])
            elif article and stem is not word:
                for preposition, remainder in elided:  # Arabic lil-am = li + al-am
                    if word[: len(word) - len(stem)].endswith(preposition) and stem.startswith(remainder):
                        out.add(stem[len(remainder) :])
        return frozenset(out)

    return stems
