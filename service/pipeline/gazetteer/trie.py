"""Token tries and the text they are matched on: every lexicon phrase found at every word, in one pass.

A phrase (a name, an office, a place) is normalised and split into words; the trie maps word
sequences to what they mean (`Entry`). `TokenText` is an article split into words, each word also
read without its clitics (the language's morphology), with the entries found starting there.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, NamedTuple

from service.pipeline.language.morphology import Morphology
from service.pipeline.normalise import NormalisedText, normalise, normalise_word

_WORD = re.compile(r"\w+")
# Pattern slots that stand for a category of atoms; any other slot is a literal word.
SLOTS = ("role", "counterpart", "capital", "country")
# Words of one multi-word entry may be separated by spaces, a hyphen, an apostrophe or a dot (U.S.).
JOIN = re.compile(r"\s+|\s*-\s*|'|\.")
_JOIN_AFTER_INITIAL = re.compile(r"\.\s+")
# A name may follow a title after a comma ("the foreign minister, Jane Roe").
NAME_JOIN = re.compile(r"\s*,?\s*")


@dataclass(frozen=True)
class Entry:
    """What a lexicon phrase means: a category plus a value (actor id, office list, place id, ...)."""

    category: str  # actor | role | counterpart | capital | place | word
    value: Any
    exact_case: str | None = None  # English acronyms (US, UN) only match when written in capitals


@dataclass
class Trie:
    children: dict[str, Trie] = field(default_factory=dict)
    entries: list[Entry] = field(default_factory=list)

    def add(self, tokens: list[str], entry: Entry) -> None:
        node = self
        for token in tokens:
            node = node.children.setdefault(token, Trie())
        if entry not in node.entries:
            node.entries.append(entry)


# find_actors and find_places are usually called on the same article one after the other.
normalised_cached = lru_cache(maxsize=8)(normalise)


def phrase_tokens(phrase: str) -> list[str]:
    """The normalised words of a lexicon phrase."""
    return _WORD.findall(normalise_word(str(phrase)))


class Atom(NamedTuple):  # a tuple: made for every phrase found in every article, it must be cheap
    """A lexicon phrase found in the text: token range [first, last] and character span."""

    first: int
    last: int
    start: int
    end: int
    entry: Entry


@dataclass(frozen=True)
class LanguageTries:
    """Everything needed to match one language: tries, word forms, combination patterns, name rules."""

    code: str
    trie: Trie
    morphology: Morphology
    patterns: Mapping[str, tuple[tuple[str, ...], ...]]
    pattern_words: frozenset[str]  # literal words opening a pattern (elsewhere one opens at an atom)
    not_name_words: frozenset[str]
    former_words: frozenset[str]
    name_connectors: frozenset[str]
    article: str
    capitalised_names: bool
    form_cache: dict[str, list[tuple[str, int]]] = field(default_factory=dict, compare=False, repr=False)
    # word -> the trie nodes its forms open (most words open none); emptied when names are added
    start_cache: dict[str, list[tuple[Trie, int]]] = field(default_factory=dict, compare=False, repr=False)

    def starts(self, word: str, forms: list[tuple[str, int]]) -> list[tuple[Trie, int]]:
        """The trie nodes a word's forms open, with the shift of each form's start."""
        cached = self.start_cache.get(word)
        if cached is None:
            children = self.trie.children
            cached = [(children[form], shift) for form, shift in forms if form in children]
            if len(self.start_cache) < 200_000:
                self.start_cache[word] = cached
        return cached


class TokenText:
    """A normalised text split into words, with lexicon atoms found at every word."""

    def __init__(self, text: str, language: LanguageTries, norm: NormalisedText | None = None) -> None:
        self.original = text
        self.norm: NormalisedText = norm or normalised_cached(text)
        self.words = self.norm.words
        self.language = language
        self.named_counterparts: set[int] = set()  # starts of "counterpart + name" mentions
        self.atoms: list[list[Atom]] = []
        starts_of = language.start_cache
        for index, (_, _, word) in enumerate(self.words):
            starts = starts_of.get(word)
            if starts is None:
                starts = language.starts(word, self.forms(index))
            self.atoms.append(self._atoms_at(index, starts) if starts else [])

    def joined(self, left: int, right: int, pattern: re.Pattern[str] = JOIN) -> bool:
        """True when words `left` and `right` are neighbours within one phrase."""
        gap = self.norm.text[self.words[left][1] : self.words[right][0]]
        if pattern.fullmatch(gap):
            return True
        return len(self.words[left][2]) == 1 and bool(_JOIN_AFTER_INITIAL.fullmatch(gap))

    def forms(self, index: int) -> list[tuple[str, int]]:
        """The word itself and the word without its proclitics, with the shift of its start."""
        word = self.words[index][2]
        cached = self.language.form_cache.get(word)
        if cached is not None:
            return cached
        forms = self.language.morphology.forms(word)
        if len(self.language.form_cache) < 200_000:
            self.language.form_cache[word] = forms
        return forms

    def _atoms_at(self, index: int, starts: list[tuple[Trie, int]]) -> list[Atom]:
        found: list[Atom] = []
        for first, shift in starts:
            node: Trie | None = first
            last = index
            while node is not None:
                for entry in node.entries:
                    start = self.words[index][0] + shift
                    atom = Atom(index, last, start, self.words[last][1], entry)
                    if self._case_ok(atom):
                        found.append(atom)
                nxt = last + 1
                if nxt >= len(self.words):
                    break
                node = node.children.get(self.words[nxt][2])  # the next word first: cheaper than the gap
                if node is None or not self.joined(last, nxt):
                    break
                last = nxt
        found.sort(key=lambda a: (a.start - a.end, a.start))
        return found

    def _case_ok(self, atom: Atom) -> bool:
        start, end = self.norm.to_original(atom.start, atom.end)
        if atom.entry.exact_case is not None:
            return re.sub(r"\W", "", self.original[start:end]) == atom.entry.exact_case
        if self.language.capitalised_names and atom.entry.category in ("actor", "place"):
            return self.original[start : start + 1].isupper()
        return True

    def span(self, start: int, end: int) -> tuple[int, int, str]:
        """Map a normalised span to (start, end, text) in the original text."""
        first, last = self.norm.to_original(start, end)
        return first, last, self.original[first:last]


def add_phrase(trie: Trie, phrase: str, entry: Entry, merge: bool = False) -> None:
    """File a phrase under its words; with `merge`, actor ids sharing a name join one entry."""
    words = phrase_tokens(phrase)
    if not words:
        return
    node = trie
    for token in words:
        node = node.children.setdefault(token, Trie())
    _file(node, _with_case(phrase, entry), merge)


def with_phrases(trie: Trie, phrases: Iterable[tuple[str, Entry]], merge: bool = False) -> Trie:
    """A trie with these phrases filed too (as add_phrase files them); `trie` is left as it was.

    Only the nodes on the new phrases' paths are copied; every other node is shared, so the cost
    is the new phrases' words (and the root's children), not the whole trie.
    """
    copied: set[int] = set()  # ids of the nodes copied by this call: those may be changed

    def copy(node: Trie) -> Trie:
        twin = Trie(dict(node.children), list(node.entries))
        copied.add(id(twin))
        return twin

    root = copy(trie)
    for phrase, entry in phrases:
        words = phrase_tokens(phrase)
        if not words:
            continue
        node = root
        for token in words:
            child = node.children.get(token)
            if child is None or id(child) not in copied:
                child = Trie() if child is None else copy(child)
                copied.add(id(child))
                node.children[token] = child
            node = child
        _file(node, _with_case(phrase, entry), merge)
    return root


def _with_case(phrase: str, entry: Entry) -> Entry:
    """The entry, restricted to its exact spelling when the phrase is a short acronym (US, UN)."""
    stripped = phrase.replace(".", "").strip()
    if stripped.isupper() and stripped.isascii() and len(stripped) <= 5:
        return Entry(entry.category, entry.value, stripped)
    return entry


def _file(node: Trie, entry: Entry, merge: bool) -> None:
    """Add the entry to the node of its phrase; with `merge`, into an entry of the same kind."""
    if merge:
        for index, existing in enumerate(node.entries):
            if existing.category == entry.category and existing.exact_case == entry.exact_case:
                ids = existing.value + tuple(v for v in entry.value if v not in existing.value)
                node.entries[index] = Entry(existing.category, ids, existing.exact_case)
                return
    if entry not in node.entries:
        node.entries.append(entry)


def non_overlapping(candidates: list[tuple[int, int, Any]]) -> list[Any]:
    """Longest candidates first (ties: earlier found); drop overlaps with kept ones; return in text order."""
    kept: list[tuple[int, int, Any]] = []
    occupied = bytearray(max((end for _, end, _ in candidates), default=0))  # one flag per character
    for start, end, item in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if any(occupied[start:end]):
            continue
        occupied[start:end] = b"\x01" * (end - start)
        kept.append((start, end, item))
    return [item for _, _, item in sorted(kept, key=lambda c: c[0])]
