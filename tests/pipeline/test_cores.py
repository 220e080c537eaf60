"""Patterns tried only just before their cores find what a scan of the whole text finds."""

from __future__ import annotations

import re

import pytest

from service.pipeline.cores import matches_at, openings
from tests.pipeline.languages import CODES, LANGUAGES


def _spans(matches) -> list[tuple[int, int]]:  # type: ignore[no-untyped-def]
    return [m.span() for m in matches]


def test_a_pattern_is_found_after_prefixes_spaces_and_not_inside_words():
    regex = re.compile(r"(?<!\w)(?:and\s+|w)?(?:the\s+talks|talk)(?!\w)")
    text = "talk, and  the talks; wtalk xtalk talks and\n\tthe talks the talk"
    positions = openings(text, ["the", "talk"], frozenset("andw"))
    assert _spans(matches_at(regex, text, positions)) == _spans(regex.finditer(text))
    assert len(_spans(regex.finditer(text))) == 5


@pytest.mark.parametrize("code", CODES)
def test_office_words_found_through_their_first_words_are_those_a_whole_scan_finds(code):
    language = LANGUAGES[code]
    names = language.names
    if names is None:
        pytest.skip("no roles.yaml")
    conjunctions = ["", *language.morphology.conjunctions]
    conjunctions += [c.replace(" ", "\n ") for c in conjunctions if " " in c]
    for _, regex, first_words in names.offices:
        forms = sorted(
            {w for alternative in regex.pattern.split("|") for w in re.findall(r"\w+", alternative)}
        )
        text = " ".join(
            f"{c}{w} x{w} {c}{c}{w}, {w}{w}" for w in [*first_words, *forms] for c in conjunctions
        )
        text += " " + " ".join(first_words)
        positions = openings(text, first_words, names.conjunction_letters)
        assert _spans(matches_at(regex, text, positions)) == _spans(regex.finditer(text))
