r"""Trying a pattern only where it can match: just before a core, a literal word every match holds.

Trigger and office patterns read `(?<!\w)` + optional prefixes + one of their phrases, and every
phrase opens with a literal word (its core). A match therefore starts at the core or before it
across characters the prefixes may hold (spaces included). Trying the pattern only at those
positions finds exactly what `finditer` finds, without trying it at every word of the text.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Iterable, Iterator


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
