"""Triggers: the lexicon of each language compiles, and words are found with their attachments."""

from __future__ import annotations

import json
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import SimpleNamespace

import pytest

from service.pipeline.document import read
from service.pipeline.language import Language
from service.pipeline.triggers import find_triggers
from tests.pipeline.languages import CODES, LANGUAGES

DAY = date(2024, 3, 5)


def test_lexicons_compile_for_every_language_folder():
    assert LANGUAGES
    for language in LANGUAGES.values():
        assert language.events.patterns


def test_triggers_handle_clitics_and_tanween():
    arabic = LANGUAGES["ar"]
    found = find_triggers(
        read("وأجرى الوزيران اتصالاً هاتفياً، وبحثا الأوضاع، ثم أعلنا زيارته المرتقبة.", DAY), arabic
    )
    assert [t.type for t in found] == ["phone_call", "talks", "visit"]
    assert [t.definite for t in find_triggers(read("وخلال الزيارة وفي زيارة", DAY), arabic)] == [True, False]


def _every_pattern_scanned(language: Language) -> SimpleNamespace:
    """The language with its trigger patterns scanned over the whole text (no core prefilter)."""
    lexicon = language.events
    return SimpleNamespace(
        events=replace(lexicon, cores=None, scanned=frozenset(range(len(lexicon.patterns))))
    )


def _texts(language: Language) -> list[str]:
    """The language's example sentences and fixture articles, and every trigger word of its
    lexicon after every prefix (attached or separate), at the start, inside and after other words."""
    events = language.resource("events.yaml")
    morphology = language.morphology
    texts = [str(e["text"]) for e in events.get("examples", [])]
    fixture = json.loads((Path(__file__).parents[1] / "fixtures" / "dev_timeline.json").read_text("utf-8"))
    texts += [a["text"] for a in fixture["articles"] if a["language"] == language.code]
    prefixes = ["", *morphology.proclitics, *morphology.definite_prefixes, *morphology.verb_prefixes]
    prefixes += [p.replace(" ", "\n\t ") for p in prefixes if " " in p]  # any run of spaces
    for entry in events["triggers"].values():
        words = [*entry.get("nouns", []), *entry.get("verbs", [])]
        texts.append("\n".join(f"{p}{w}, x{w} {w}x  {p}  {p}{p}{w}." for w in words for p in prefixes))
    return texts


@pytest.mark.parametrize("code", CODES)
def test_triggers_found_through_their_cores_are_those_a_whole_scan_finds(code):
    language = LANGUAGES[code]
    scanned = _every_pattern_scanned(language)
    for text in _texts(language):
        doc = read(text, DAY)
        assert find_triggers(doc, language) == find_triggers(doc, scanned)  # type: ignore[arg-type]
