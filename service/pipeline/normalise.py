"""Text normalisation for matching: letter variants, digits, diacritics, with offsets kept.

Normalising never loses track of where a character came from: every stage that matches on
normalised text reports spans back into the original text through `NormalisedText.to_original`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass
from functools import cached_property

from service.resources import load_resource

# One character in, one character out (str.translate keeps lengths equal), and characters dropped:
# the tables are data (service/resources/characters.yaml).
_CHARACTERS = load_resource("characters.yaml")


def _base_letters(ranges: list[str]) -> dict[str, str]:
    """Letter -> its base letter, for the letters in `ranges` that are one letter plus accents."""
    folded = {}
    for span in ranges:
        first, _, last = span.partition("-")
        for code in range(ord(first), ord(last or first) + 1):
            letters = [c for c in unicodedata.normalize("NFKD", chr(code)) if not unicodedata.combining(c)]
            if len(letters) == 1 and letters[0] != chr(code):
                folded[chr(code)] = letters[0]
    return folded


_FOLD = str.maketrans(
    {
        **{chr(ord(zero) + i): str(i) for zero in _CHARACTERS["digits"] for i in range(10)},
        **_base_letters(_CHARACTERS.get("fold_accents", [])),
        **_CHARACTERS["fold"],
    }
)
_DROP = re.compile("[" + "".join(_CHARACTERS["drop"]) + "]")
_WORDS = re.compile(r"\w+")


@dataclass(frozen=True)
class NormalisedText:
    """Normalised text plus, for each of its characters, the index it came from in the original."""

    text: str
    offsets: tuple[int, ...]
    original_length: int

    @cached_property
    def words(self) -> list[tuple[int, int, str]]:
        """(start, end, word) of every run of word characters, found once for every matcher."""
        return [(m.start(), m.end(), m.group()) for m in _WORDS.finditer(self.text)]

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the normalised text back to the original text."""
        if start >= len(self.offsets):
            return self.original_length, self.original_length
        original_start = self.offsets[start]
        original_end = self.offsets[end - 1] + 1 if end > start else original_start
        return original_start, original_end

    def of_original(self, start: int, end: int) -> str:
        """The normalised text of the original span [start, end), the same as normalising that
        substring, without normalising it again."""
        return self.text[bisect_left(self.offsets, start) : bisect_left(self.offsets, end)]

    def part(self, start: int, end: int) -> NormalisedPart:
        """The original span [start, end) as its own normalised text (offsets from `start`), the same
        as normalising that substring, without normalising it again."""
        first, last = bisect_left(self.offsets, start), bisect_left(self.offsets, end)
        return NormalisedPart(self.text[first:last], self, first, start, end - start)


@dataclass(frozen=True)
class NormalisedPart:
    """A span of a normalised text read as its own (a sentence): its offsets count from the span's
    start in the original, looked up in the whole text's offsets rather than copied."""

    text: str
    whole: NormalisedText
    first: int  # index in whole.offsets of the part's first character
    original_start: int
    original_length: int

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a [start, end) span of the part back to the original span (offsets from its start)."""
        if start >= len(self.text):
            return self.original_length, self.original_length
        offsets, shift = self.whole.offsets, self.first
        original_start = offsets[shift + start] - self.original_start
        original_end = offsets[shift + end - 1] + 1 - self.original_start if end > start else original_start
        return original_start, original_end


def _kept_offsets(text: str) -> list[int]:
    """Indexes of the characters `normalise` keeps (runs between dropped ones, built in C)."""
    offsets: list[int] = []
    kept_from = 0
    for dropped in _DROP.finditer(text):
        offsets.extend(range(kept_from, dropped.start()))
        kept_from = dropped.end()
    offsets.extend(range(kept_from, len(text)))
    return offsets


def is_ignorable(char: str) -> bool:
    """True for characters `normalise` drops (tatweel, diacritics, invisible marks)."""
    return bool(_DROP.match(char))


def normalise_word(word: str) -> str:
    """Normalise a lexicon entry the same way as text, so resources can be written as plain words."""
    return normalise(word).text.strip()


def normalise(text: str) -> NormalisedText:
    """Fold letter variants and digits, drop diacritics and tatweel, lowercase Latin letters."""
    text = unicodedata.normalize("NFC", text)
    # Fast path (whole-string operations); it gives the same result as the character loop below
    # whenever lowercasing keeps every character a single character and no context rule applies.
    offsets = _kept_offsets(text) if _DROP.search(text) else None
    kept_text = _DROP.sub("", text) if offsets is not None else text
    folded = kept_text.translate(_FOLD)
    lowered = folded.lower()
    if len(lowered) == len(folded) and "Σ" not in folded and "İ" not in kept_text:
        return NormalisedText(lowered, tuple(offsets if offsets is not None else range(len(text))), len(text))
    kept: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if _DROP.match(char):
            continue
        folded = char.translate(_FOLD)
        kept.append(folded.lower() if len(folded.lower()) == 1 else folded)
        offsets.append(index)
    return NormalisedText("".join(kept), tuple(offsets), len(text))
