"""Who hosts a visit: the person met during it, else the country the visitor goes to (never the
visitor's own country)."""

from __future__ import annotations

from datetime import date

import pytest

from service.pipeline import extract
from service.pipeline.gazetteer import Gazetteer
from tests.pipeline.languages import LANGUAGES


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def visits(text: str, published: str, language: str, gazetteer: Gazetteer) -> set[tuple]:
    return {
        (c.date.start.isoformat(), tuple(sorted(a.id for a, _ in c.actors)))
        for c in extract(text, date.fromisoformat(published), LANGUAGES[language], gazetteer)
        if c.type == "visit"
    }


@pytest.mark.parametrize(
    "language, text, published, expected",
    [
        (  # the country written after the trigger is the destination
            "en",
            "Indian Prime Minister Narendra Modi began a state visit to Egypt on Sunday.",
            "2023-06-25",
            {("2023-06-25", ("egypt", "narendra-modi"))},
        ),
        (
            "ar",
            "بدأ رئيس الوزراء الهندي ناريندرا مودي اليوم الأحد زيارة رسمية إلى مصر.",
            "2023-06-25",
            {("2023-06-25", ("egypt", "narendra-modi"))},
        ),
        (  # no country written: the venue's country hosts
            "en",
            "Narendra Modi arrived in Cairo on Sunday for a visit.",
            "2023-06-25",
            {("2023-06-25", ("egypt", "narendra-modi"))},
        ),
        (  # a visit inside the visitor's own country has no foreign host
            "en",
            "Narendra Modi visited Mumbai on Sunday.",
            "2023-06-25",
            {("2023-06-25", ("narendra-modi",))},
        ),
    ],
)
def test_visit_host(language: str, text: str, published: str, expected: set, gazetteer: Gazetteer) -> None:
    assert visits(text, published, language, gazetteer) == expected


def test_a_host_met_during_the_visit_replaces_the_country(gazetteer: Gazetteer) -> None:
    text = (
        "Narendra Modi arrived in Cairo on Sunday for a visit. "
        "During the visit he met Egyptian President Abdel Fattah el-Sisi."
    )
    found = visits(text, "2023-06-25", "en", gazetteer)
    assert ("2023-06-25", ("abdel-fattah-el-sisi", "narendra-modi")) in found
    assert all("egypt" not in actors for _, actors in found if "abdel-fattah-el-sisi" in actors)


@pytest.mark.parametrize(
    "language, text, published, expected",
    [
        (  # the length is written next to another word for the same visit in the sentence
            "en",
            "Narendra Modi was welcomed to Cairo on Sunday by Abdel Fattah el-Sisi, marking the start of a "
            "two-day state visit.",
            "2023-06-25",
            {("visit", "2023-06-25", "2023-06-26"), ("meeting", "2023-06-25", "2023-06-25")},
        ),
    ],
)
def test_a_length_given_to_the_same_visit_in_the_sentence(
    language: str, text: str, published: str, expected: set, gazetteer: Gazetteer
) -> None:
    found = {
        (c.type, c.date.start.isoformat(), c.date.end.isoformat())
        for c in extract(text, date.fromisoformat(published), LANGUAGES[language], gazetteer)
    }
    assert found == expected


def test_the_possessor_of_a_visit_noun_is_its_visitor(gazetteer: Gazetteer) -> None:
    # the minister arrives today; the president's visit to Moscow was last month
    text = (
        "وصل وزير الخارجية الروسي سيرغي لافروف إلى دمشق اليوم الثلاثاء. "
        "وكانت زيارة الرئيس بشار الأسد إلى موسكو في مارس الماضي."
    )
    found = visits(text, "2023-04-18", "ar", gazetteer)
    assert ("2023-03-01", ("bashar-al-assad", "russia")) in found


@pytest.mark.parametrize(
    "language, text",
    [
        (  # "his counterpart" with no country: the holder of the same office in the country
            # visited; "tomorrow" dates the fair he opens, which is no event, not the talks
            "en",
            "Indian Prime Minister Narendra Modi landed in Cairo today to begin a three-day visit to Egypt, "
            "where he will have talks with his counterpart and open a trade fair tomorrow.",
        ),
        (
            "ar",
            "وصل رئيس الوزراء الهندي ناريندرا مودي إلى القاهرة اليوم الأحد في زيارة إلى مصر تستغرق ثلاثة أيام "
            "يعقد خلالها محادثات مع نظيره.",
        ),
    ],
)
def test_a_counterpart_without_country_is_the_hosts(language: str, text: str, gazetteer: Gazetteer) -> None:
    found = {
        (c.date.start.isoformat(), c.date.end.isoformat(), tuple(sorted(a.id for a, _ in c.actors)))
        for c in extract(text, date(2023, 6, 25), LANGUAGES[language], gazetteer)
        if c.type == "talks"
    }
    assert found == {("2023-06-25", "2023-06-27", ("mostafa-madbouly", "narendra-modi"))}


def test_a_counterpart_without_country_is_the_venues(gazetteer: Gazetteer) -> None:
    text = "Indian Prime Minister Narendra Modi is set for talks in Cairo on Monday with his counterpart."
    found = {
        tuple(sorted(a.id for a, _ in c.actors))
        for c in extract(text, date(2023, 6, 25), LANGUAGES["en"], gazetteer)
        if c.type == "talks"
    }
    assert found == {("mostafa-madbouly", "narendra-modi")}


KENYA_AND_EGYPT = {
    "ar": (
        "أعلنت نيروبي اليوم أن الرئيس وليام روتو سيبدأ الإثنين زيارة رسمية إلى مصر. "
        "وأوضحت الرئاسة أن هذه الزيارة إلى مصر ستدوم يومين بدءا من الإثنين. "
        "وقد زار الرئيس الكيني السابق أوهورو كينياتا مصر في 2015. "
        "أما الرئيس المصري عبد الفتاح السيسي فزار كينيا في 2017."
    ),
    "en": (
        "The Kenyan presidency said on Sunday that President William Ruto will begin a state visit to "
        "Egypt on Monday. This visit to Egypt will last two days from Monday, the statement said. The last visit by "
        "a Kenyan president to Egypt was made by Uhuru Kenyatta in 2015. Egyptian President Abdel Fattah "
        "el-Sisi visited Kenya in 2017."
    ),
}


@pytest.mark.parametrize("language", ["ar", "en"])
def test_the_host_countrys_leader_named_elsewhere_in_the_article_hosts_the_visit(
    language: str, gazetteer: Gazetteer
) -> None:
    found = visits(KENYA_AND_EGYPT[language], "2024-02-04", language, gazetteer)
    # Sisi led Egypt in 2015 and 2024; Kenyatta led Kenya in 2017; "this visit" is the first one told again
    assert found == {
        ("2024-02-05", ("abdel-fattah-el-sisi", "william-ruto")),
        ("2015-01-01", ("abdel-fattah-el-sisi", "uhuru-kenyatta")),
        ("2017-01-01", ("abdel-fattah-el-sisi", "uhuru-kenyatta")),
    }


def test_a_leader_who_did_not_yet_hold_office_hosts_no_visit(gazetteer: Gazetteer) -> None:
    text = (
        "Kenyan President Mwai Kibaki visited Egypt in 2008. "
        "Egyptian President Abdel Fattah el-Sisi visited Kenya in 2017."
    )
    found = visits(text, "2024-02-04", "en", gazetteer)
    assert ("2008-01-01", ("egypt", "mwai-kibaki")) in found
