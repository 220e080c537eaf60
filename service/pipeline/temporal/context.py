"""The sentence the temporal layer is reading, and small helpers on its words."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from typing import TYPE_CHECKING

from service.pipeline.cores import DIGIT, satisfied

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
    found_literals: set[str] | None = field(default=None)  # see `literals`


def literals(context: Context) -> set[str]:
    """The grammar's required literals the sentence holds (DIGIT when it has a digit), found once."""
    if context.found_literals is None:
        automaton = context.grammar.literals
        found = {word for _, word in automaton.iter(context.text)} if automaton is not None else set()
        if "#" in context.present:
            found.add(DIGIT)
        context.found_literals = found
    return context.found_literals


def may_match(context: Context, pattern: re.Pattern[str]) -> bool:
    """False when a literal set every match of the pattern holds is missing from the sentence."""
    requirement = context.grammar.requirements.get(pattern)
    return not requirement or satisfied(requirement, literals(context))


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
