"""The sentence the temporal layer is reading, and small helpers on its words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from .grammar import Grammar

if TYPE_CHECKING:
    from .tense import TenseLayout

WORD = re.compile(r"[^\W\d_]+")


@dataclass
class Context:
    """One normalised sentence being read, with what resolving its expressions needs."""

    grammar: Grammar
    published: date
    tense: str | None
    text: str  # normalised sentence
    previous_day: date | None  # last day-level date resolved so far in the article
    present: set[str]  # the sentence's words and their stems (trigger prefilter)
    layout: TenseLayout | None = field(default=None)  # verbs and clauses, read when first needed


def previous_word(text: str, start: int) -> str:
    """The word right before a position (within 40 characters)."""
    words = WORD.findall(text[max(0, start - 40) : start])
    return words[-1] if words else ""


def next_words(text: str, end: int, count: int = 1) -> list[str]:
    """The words right after a position (within 60 characters)."""
    return WORD.findall(text[end : end + 60])[:count]


def bare(word: str, lex) -> list[str]:  # type: ignore[no-untyped-def]
    """A word and the word without a leading conjunction."""
    return lex.morphology.without_conjunction(word, keep=2)
