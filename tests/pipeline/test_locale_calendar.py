"""Each language's calendar.yaml is exactly what dateparser's locale data generates, and extends the lexicon."""

from __future__ import annotations

import pytest

from service.pipeline.normalise import normalise_word
from service.pipeline.temporal.lexicon import CALENDAR_NAME
from service.pipeline.temporal.locale_calendar import calendar_vocabulary, render, with_calendar
from service.resources import RESOURCES_DIR
from tests.pipeline.languages import LANGUAGES

GENERATED = sorted(path.parent.name for path in RESOURCES_DIR.glob(f"*/{CALENDAR_NAME}"))


@pytest.mark.parametrize("language", GENERATED)
def test_the_committed_calendar_equals_a_fresh_generation(language):
    committed = (RESOURCES_DIR / language / CALENDAR_NAME).read_text(encoding="utf-8")
    assert committed == render(language), f"run: flask calendar-vocabulary {language}"


@pytest.mark.parametrize("language", GENERATED)
def test_every_generated_word_not_excluded_is_in_the_lexicon(language):
    lexicon = LANGUAGES[language].temporal
    calendar = calendar_vocabulary(language)
    excluded = {normalise_word(w) for w in lexicon_exclusions(language)}
    for number, words in calendar["weekdays"].items():
        for word in words:
            if normalise_word(word) not in excluded:
                assert lexicon.weekdays[normalise_word(word)] == number


def lexicon_exclusions(language: str) -> list[str]:
    from service.resources import load_resource

    return load_resource(f"{language}/temporal.yaml").get("calendar_exclude") or []


def test_generated_words_join_the_hand_made_ones_minus_the_excluded():
    temporal = {
        "calendar_exclude": ["sun"],
        "months": {"entries": {5: ["mai"]}},
        "weekdays": {"entries": {}},
        "relative_days": {"entries": [{"words": ["tonight"], "offset": 0}]},
    }
    calendar = {
        "months": {5: ["may"]},
        "weekdays": {6: ["sun", "sunday"]},
        "relative_days": {-1: ["yesterday"], 0: ["today"]},
    }
    merged = with_calendar(temporal, calendar)
    assert merged["months"]["entries"] == {5: ["may", "mai"]}
    assert merged["weekdays"]["entries"] == {6: ["sunday"]}
    assert merged["relative_days"]["entries"] == [
        {"words": ["yesterday"], "offset": -1},
        {"words": ["today"], "offset": 0},
        {"words": ["tonight"], "offset": 0},
    ]
    assert temporal["months"]["entries"] == {5: ["mai"]}  # the loaded resource is not changed
