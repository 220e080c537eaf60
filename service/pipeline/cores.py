r"""Trying a pattern only where it can match: just before a core, a literal word every match holds.

Trigger and office patterns read `(?<!\w)` + optional prefixes + one of their phrases, and every
phrase opens with a literal word (its core). A match therefore starts at the core or before it
across characters the prefixes may hold (spaces included). Trying the pattern only at those
positions finds exactly what `finditer` finds, without trying it at every word of the text.

`required` reads any compiled pattern's parse tree for the literals its matches must hold (sets of
which one must be present, all sets at once): a text holding none of one set has no match.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator
from re import _constants as sre  # the parse tree's opcodes: what `required` reads
from re import _parser
from typing import Any


def reach(text: str, core: int, letters: Collection[str]) -> range:
    """The positions a match holding a core at `core` may start at (back across prefix letters)."""
    start = core
    while start > 0 and (text[start - 1] in letters or text[start - 1].isspace()):
        start -= 1
    return range(start, core + 1)


def openings(text: str, cores: Iterable[str], letters: Collection[str]) -> list[int]:
    """Every position a match may start at, from every occurrence of every core, in order."""
    positions: set[int] = set()
    for core in cores:
        found = text.find(core)
        while found >= 0:
            positions.update(reach(text, found, letters))
            found = text.find(core, found + 1)
    return sorted(positions)


def matches_at(regex: re.Pattern[str], text: str, positions: list[int]) -> Iterator[re.Match[str]]:
    """What `regex.finditer(text)` finds when every match starts at one of `positions` (ascending)."""
    end = 0
    for position in positions:
        if position >= end and (match := regex.match(text, position)) is not None:
            yield match
            end = match.end()


DIGIT = "\\d"  # stands in `required` for "any decimal digit"
Requirement = tuple[frozenset[str], ...]  # every set must have a member in the text


def required(pattern: re.Pattern[str]) -> Requirement:
    """Sets of literals (or DIGIT) such that every match of `pattern` holds a member of each set.

    Read from the parse tree: a literal run is required, so is what a group or a repeat of at least
    one holds; an alternation requires one of its branches' literals. Sets with a one-letter member
    are dropped (they exclude nothing); so is everything under a case-insensitive flag.
    """
    if pattern.flags & re.IGNORECASE:
        return ()
    found = _required(list(_parser.parse(pattern.pattern, pattern.flags)))
    return tuple(dict.fromkeys(c for c in found if all(len(w) > 1 for w in c)))


def satisfied(requirement: Requirement, present: Collection[str]) -> bool:
    """Does a text whose literals (and DIGIT) are `present` meet every set of the requirement?"""
    return all(not clause.isdisjoint(present) for clause in requirement)


def _required(items: list[tuple[Any, Any]]) -> list[frozenset[str]]:
    clauses: list[frozenset[str]] = []
    run = ""
    for op, av in [*items, (None, None)]:
        if op is sre.LITERAL:
            run += chr(av)
            continue
        if run:
            clauses.append(frozenset([run]))
            run = ""
        if op is sre.IN:
            chars = _one_of(av)
            if chars:
                clauses.append(chars)
        elif op is sre.SUBPATTERN:
            _, add_flags, _, inner = av
            if not add_flags & sre.SRE_FLAG_IGNORECASE:
                clauses.extend(_required(list(inner)))
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
            low, _, inner = av
            if low >= 1:
                clauses.extend(_required(list(inner)))
        elif op is sre.ATOMIC_GROUP:
            clauses.extend(_required(list(av)))
        elif op is sre.BRANCH:
            branch = _either(av[1])
            if branch:
                clauses.append(branch)
    return clauses


def _one_of(items: list[tuple[Any, Any]]) -> frozenset[str] | None:
    """The characters (or DIGIT) a character class stands for, when it lists them."""
    out: set[str] = set()
    for op, av in items:
        if op is sre.LITERAL:
            out.add(chr(av))
        elif op is sre.CATEGORY and av is sre.CATEGORY_DIGIT:
            out.add(DIGIT)
        else:
            return None
    return frozenset(out)


def _either(branches: list[Any]) -> frozenset[str] | None:
    """One set of literals some branch's match holds a member of (the most selective set of each)."""
    out: set[str] = set()
    for branch in branches:
        clauses = [c for c in _required(list(branch)) if all(len(w) > 1 for w in c)]
        if not clauses:
            return None
        out |= max(clauses, key=lambda c: (min(len(w) for w in c), -len(c)))
    return frozenset(out)
