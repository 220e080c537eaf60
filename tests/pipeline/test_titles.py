"""Event titles: every example in <lang>/titles.yaml renders as written, and broken files are refused."""

from __future__ import annotations

from datetime import date

import pytest

from service.pipeline.gazetteer import Gazetteer
from service.pipeline.titles import (
    TitleTemplateError,
    event_labels,
    hosts,
    parse_labels,
    parse_templates,
    render_title,
    title_languages,
    title_templates,
)
from service.resources import load_resource
from service.vocabulary import EVENT_TYPES, GRANULARITIES


def test_titles_ship_in_arabic_and_english_with_english_the_default():
    assert title_languages() == ("en", "ar")


@pytest.mark.parametrize(
    "language, example",
    [
        (language, example)
        for language in title_languages()
        for example in load_resource(f"{language}/titles.yaml")["examples"]
    ],
)
def test_every_example_renders_as_written(language, example):
    templates = title_templates(language)
    assert render_title(templates, example["type"], example["actors"], example["place"]) == example["title"]


@pytest.mark.parametrize("language", title_languages())
@pytest.mark.parametrize("event_type", EVENT_TYPES)
def test_every_type_has_a_title_whatever_the_event_knows(language, event_type):
    templates = title_templates(language)
    for actors in ([], ["A"], ["A", "B"], ["A", "B", "C"]):
        for place in (None, "P"):
            title = render_title(templates, event_type, actors, place)
            assert title and "{" not in title
            assert all(name in title for name in actors) or event_type == "election"


def test_hosts_are_named_after_visitors():
    templates = title_templates("en")
    title = render_title(templates, "visit", ["Vladimir Putin", "Xi Jinping"], "Moscow", hosts={0})
    assert title == "Xi Jinping visits Moscow and meets Vladimir Putin"


def test_hosts_are_the_actors_at_home_in_the_venues_country():
    gazetteer = Gazetteer.load()
    actors = [("vladimir-putin", "person"), ("xi-jinping", "person"), ("china", "country")]
    assert hosts(gazetteer, actors, "russia", date(2023, 3, 21)) == {0}
    assert hosts(gazetteer, actors, "china", date(2023, 3, 21)) == {1, 2}
    assert hosts(gazetteer, actors, None, date(2023, 3, 21)) == set()


GOOD = {
    "join": {"separator": ", ", "last": " and "},
    "templates": {event_type: ["{actor} did it", "It happened"] for event_type in EVENT_TYPES},
}


def test_a_good_file_parses():
    assert parse_templates("xx", GOOD).templates["visit"] == ("{actor} did it", "It happened")


@pytest.mark.parametrize(
    "broken, message",
    [
        ({**GOOD, "templates": {k: v for k, v in GOOD["templates"].items() if k != "visit"}}, "visit"),
        ({**GOOD, "templates": {**GOOD["templates"], "vist": ["Visit"]}}, "vist"),
        ({**GOOD, "templates": {**GOOD["templates"], "visit": ["{visitor} came", "Visit"]}}, "visitor"),
        ({**GOOD, "templates": {**GOOD["templates"], "visit": ["{actor} came"]}}, "last template"),
        ({**GOOD, "templates": {**GOOD["templates"], "visit": []}}, "no template"),
        ({"templates": GOOD["templates"]}, "join"),
    ],
)
def test_a_broken_file_is_refused_naming_the_problem(broken, message):
    with pytest.raises(TitleTemplateError, match=message):
        parse_templates("xx", broken)


@pytest.mark.parametrize("language", title_languages())
def test_every_title_language_labels_every_type_and_granularity(language):
    labels = event_labels(language)
    assert set(labels.types) == set(EVENT_TYPES) and set(labels.granularities) == set(GRANULARITIES)
    assert all(labels.types.values()) and all(labels.granularities.values()) and labels.actors


LABELS = {
    "actors": "Actors",
    "types": {event_type: event_type for event_type in EVENT_TYPES},
    "granularities": {name: name for name in GRANULARITIES},
}


@pytest.mark.parametrize(
    "broken, message",
    [
        ({}, "labels"),
        (
            {"labels": {**LABELS, "types": {k: v for k, v in LABELS["types"].items() if k != "visit"}}},
            "visit",
        ),
        ({"labels": {**LABELS, "granularities": {"day": "day"}}}, "week"),
        ({"labels": {k: v for k, v in LABELS.items() if k != "actors"}}, "actors"),
    ],
)
def test_labels_missing_a_type_or_granularity_are_refused(broken, message):
    with pytest.raises(TitleTemplateError, match=message):
        parse_labels("xx", broken)
