"""Patterns tried only just before their cores, or only where their literals are written, find what a
scan of the whole text finds."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from service.pipeline.cores import DIGIT, matches_at, openings, required, satisfied
from service.pipeline.normalise import normalise
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


def test_required_literals_of_a_pattern():
    pattern = re.compile(r"(?<!\w)(?:w)?(?:early|mid)[\s\-]+(?:of\s+)?(?:may|june|\d{4})(?:\s+x)?(?!\w)")
    assert required(pattern) == (frozenset({"early", "mid"}), frozenset({"may", "june", DIGIT}))
    assert required(re.compile(r"(?i)early")) == ()


@pytest.mark.parametrize("code", CODES)
def test_a_pattern_skipped_for_a_missing_literal_has_no_match(code):
    grammar = LANGUAGES[code].grammar
    fixture = json.loads((Path(__file__).parents[1] / "fixtures" / "dev_timeline.json").read_text("utf-8"))
    texts = [normalise(a["text"]).text for a in fixture["articles"] if a["language"] == code]
    texts += [normalise(e.text).text for e in LANGUAGES[code].temporal.examples]
    patterns = [p for _, p in (*grammar.families, *grammar.blockers, *grammar.tense_phrases)]
    assert all(p in grammar.requirements for p in patterns)
    skipped = 0
    for text in texts:
        literals = {w for _, w in grammar.literals.iter(text)} | (
            {DIGIT} if re.search(r"\d", text) else set()
        )
        for pattern in patterns:
            if not satisfied(grammar.requirements[pattern], literals):
                skipped += 1
                assert pattern.search(text) is None
    assert skipped
