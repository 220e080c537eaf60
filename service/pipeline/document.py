"""An article read once: normalised once, split into sentences once, every span an offset into its text.

    doc = read(text, published_at)

Every later stage matches on `doc.norm` (or a part of it) and reports spans in the original text.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import Protocol, TypeVar

from service.pipeline.normalise import NormalisedPart, NormalisedText, normalise
from service.pipeline.sentences import Sentence, split_sentences


class Spanned(Protocol):
    @property
    def start(self) -> int: ...


_Item = TypeVar("_Item", bound=Spanned)


@dataclass(frozen=True)
class Document:
    """One article: its text, publication date, normalised text and sentences."""

    text: str
    published_at: date
    norm: NormalisedText
    sentences: tuple[Sentence, ...]
    starts: tuple[int, ...]  # where each sentence starts, for bisecting

    def normalised(self, start: int, end: int) -> str:
        """The normalised text of the original span [start, end)."""
        return self.norm.of_original(start, end)

    def sentence_norm(self, index: int) -> NormalisedPart:
        """One sentence as its own normalised text (offsets from the sentence's start)."""
        sentence = self.sentences[index]
        return self.norm.part(sentence.start, sentence.end)

    def sentence_of(self, position: int) -> int:
        """The index of the sentence a position falls in (the last one starting at or before it)."""
        return bisect_right(self.starts, position) - 1

    def by_sentence(self, items: Sequence[_Item]) -> dict[int, list[_Item]]:
        """Items (anything with a .start) grouped by the index of the sentence they start in."""
        grouped: dict[int, list[_Item]] = {}
        for item in items:
            grouped.setdefault(self.sentence_of(item.start), []).append(item)
        return grouped


def read(text: str, published_at: date) -> Document:
    """Normalise an article and split it into sentences, once for every stage after."""
    sentences = tuple(split_sentences(text))
    return Document(text, published_at, normalise(text), sentences, tuple(s.start for s in sentences))


def distance(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    """Characters between two spans (0 when they touch or overlap)."""
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0
