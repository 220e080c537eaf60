"""Text normalisation for matching: Arabic letter variants, digits, diacritics, sentences.

Normalising never loses track of where a character came from: every stage that matches on
normalised text reports spans back into the original text through `NormalisedText.to_original`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left
from dataclasses import dataclass

# One character in, one character out (str.translate keeps lengths equal).
_FOLD = str.maketrans(
    {
        # Arabic-Indic and Persian digits
        **{chr(0x0660 + i): str(i) for i in range(10)},
        **{chr(0x06F0 + i): str(i) for i in range(10)},
        # alef with hamza / madda / wasla -> bare alef
        "أ": "ا",
        "إ": "ا",
        "آ": "ا",
        "ٱ": "ا",
        # taa marbuta -> haa, alef maqsura and Persian yeh -> yaa, Persian kaf -> kaf
        "ة": "ه",
        "ى": "ي",
        "ی": "ي",
        "ک": "ك",
        "ؤ": "و",
        "ئ": "ي",
        # Arabic punctuation -> Latin punctuation
        "،": ",",
        "؛": ";",
        "؟": "?",
        "٪": "%",
        "٫": ".",
        "٬": ",",
        # typographic quotes and dashes
        "“": '"',
        "”": '"',
        "«": '"',
        "»": '"',
        "’": "'",
        "‘": "'",
        "–": "-",
        "—": "-",
        "\u00a0": " ",
        "\u202f": " ",
        "\u2009": " ",
        "\t": " ",
    }
)

# Characters dropped entirely: tatweel, Arabic diacritics (harakat, shadda, sukun,
# superscript alef), and invisible direction/joiner marks.
_DROP = re.compile("[\u0640\u064b-\u065f\u0670\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]")


@dataclass(frozen=True)
class NormalisedText:
    """Normalised text plus, for each of its characters, the index it came from in the original."""

    text: str
    offsets: tuple[int, ...]
    original_length: int

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


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article, with its character span in the article text."""

    start: int
    end: int
    text: str


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
    offsets = [i for i, char in enumerate(text) if not _DROP.match(char)] if _DROP.search(text) else None
    kept_text = "".join(text[i] for i in offsets) if offsets is not None else text
    folded = kept_text.translate(_FOLD)
    lowered = folded.lower()
    if len(lowered) == len(folded) and "Σ" not in folded and "İ" not in kept_text:
        return NormalisedText(lowered, tuple(offsets if offsets is not None else range(len(text))), len(text))
    kept: list[str] = []
    offsets: list[int] = []
    for index, char in enumerate(text):
        if _DROP.match(char):
            continue
        kept.append(char.translate(_FOLD).lower() if len(char.lower()) == 1 else char)
        offsets.append(index)
    return NormalisedText("".join(kept), tuple(offsets), len(text))


# A sentence longer than this (characters) is cut into clauses: windows stay bounded whatever the text.
MAX_SENTENCE = 600

# A sentence ends at . ! ? (or their Arabic forms) followed by space, or at a line break.
_SENTENCE_END = re.compile(r"[.!?؟]+[\"'”»)]*\s+|\n+")
# A dot after a short capitalised word or initials (Mr., Gen., U.S.) or before a digit or a
# lowercase letter (Nov. 11, 3. round) is an abbreviation, not the end of a sentence; a dot after
# a longer word (Doha., Iran.) ends one.
_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:[A-Z][a-z]{0,2}|(?:[A-Z]\.)+[A-Z])\.$")


def split_sentences(text: str) -> list[Sentence]:
    """Split article text into sentences with spans into the same text (blank ones dropped)."""
    sentences: list[Sentence] = []
    position = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith(".") and _is_abbreviation(text, match.start(), match.end()):
            continue
        _append_sentence(text, position, match.end(), sentences)
        position = match.end()
    _append_sentence(text, position, len(text), sentences)
    return sentences


def _is_abbreviation(text: str, dot: int, after: int) -> bool:
    following = text[after : after + 1]
    if following.isdigit() or following.islower():
        return True
    return bool(_ABBREVIATION.search(text[max(0, dot - 6) : dot + 1]))


def _append_sentence(text: str, start: int, end: int, sentences: list[Sentence]) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    begin = start + len(chunk) - len(chunk.lstrip())
    end = begin + len(stripped)
    while end - begin > MAX_SENTENCE:  # a run-on text: bounded clauses, so later windows stay small
        cut = _clause_cut(text, begin + MAX_SENTENCE // 2, begin + MAX_SENTENCE)
        _append_sentence(text, begin, cut, sentences)
        begin = cut
        while begin < end and text[begin].isspace():
            begin += 1
    if begin < end:
        sentences.append(Sentence(begin, end, text[begin:end]))


_CLAUSE_PUNCTUATION = ",،;؛:"
_SPACE = re.compile(r"\s+")


def _clause_cut(text: str, floor: int, limit: int) -> int:
    """Where to cut an overlong sentence in [floor, limit]: after the last clause punctuation,
    else at the last space, else at the limit."""
    punctuation = max(text.rfind(mark, floor, limit) for mark in _CLAUSE_PUNCTUATION)
    if punctuation >= 0:
        return punctuation + 1
    spaces = [match.start() for match in _SPACE.finditer(text, floor, limit)]
    return spaces[-1] if spaces else limit
