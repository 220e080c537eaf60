"""Agreements: plural nouns and the signing ceremony are triggers; countries that signed and the
leaders who signed for them are one event; what a visitor signs during a visit is signed with the
host country; a summit takes part with its organisation."""

from __future__ import annotations

from datetime import date

import pytest

from service.pipeline import extract
from service.pipeline.gazetteer import Gazetteer
from tests.pipeline.languages import LANGUAGES


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def agreements(text: str, published: str, language: str, gazetteer: Gazetteer) -> set[tuple]:
    return {
        (c.date.start.isoformat(), tuple(sorted(a.id for a, _ in c.actors)))
        for c in extract(text, date.fromisoformat(published), LANGUAGES[language], gazetteer)
        if c.type == "agreement"
    }


@pytest.mark.parametrize(
    "language, text, published, expected",
    [
        (
            "en",
            "Egypt and India on Sunday signed three agreements on trade.\n"
            "Egyptian President Abdel Fattah el-Sisi and Indian Prime Minister Narendra Modi attended the "
            "signing ceremony in Cairo.",
            "2023-06-25",
            {("2023-06-25", ("abdel-fattah-el-sisi", "narendra-modi"))},
        ),
        (  # signed during a visit by the visitor alone: with the host country
            "en",
            "Narendra Modi arrived in Cairo on Sunday for a two-day visit. "
            "During the visit, Modi will sign memorandums of understanding on trade.",
            "2023-06-25",
            {("2023-06-25", ("egypt", "narendra-modi"))},
        ),
    ],
)
def test_agreements(language: str, text: str, published: str, expected: set, gazetteer: Gazetteer) -> None:
    assert agreements(text, published, language, gazetteer) == expected


@pytest.mark.parametrize(
    "language, text",
    [
        (
            "ar",
            "بحث الرئيس المصري عبد الفتاح السيسي اليوم الأحد مع ناريندرا مودي جهود التوصل إلى اتفاق تجاري.",
        ),
        ("ar", "أكد عبد الفتاح السيسي وناريندرا مودي اليوم الأحد ضرورة التوصل لاتفاقية تجارية."),
        (
            "en",
            "Abdel Fattah el-Sisi and Narendra Modi on Sunday discussed efforts to reach a trade agreement.",
        ),
    ],
)
def test_an_agreement_aimed_at_is_no_agreement(language: str, text: str, gazetteer: Gazetteer) -> None:
    assert agreements(text, "2023-06-25", language, gazetteer) == set()


@pytest.mark.parametrize(
    "language, text, published, expected",
    [
        (
            "en",
            "Narendra Modi met Abdel Fattah el-Sisi in Cairo on Sunday. "
            "They discussed trade, energy and the situation in the region at length. "
            "Both sides praised the growing ties between their economies. "
            "The two leaders signed four agreements on energy and trade.",
            "2023-06-26",
            {("2023-06-25", ("abdel-fattah-el-sisi", "narendra-modi"))},
        ),
    ],
)
def test_a_pair_named_by_a_group_word_acts_at_their_latest_encounter(
    language: str, text: str, published: str, expected: set, gazetteer: Gazetteer
) -> None:
    assert agreements(text, published, language, gazetteer) == expected


def test_countries_signing_right_after_a_visit_sign_during_it(gazetteer: Gazetteer) -> None:
    text = (
        "Narendra Modi will pay a state visit to Egypt between June 24 and 26. "
        "Egypt and India will sign agreements on energy and trade."
    )
    assert agreements(text, "2023-06-20", "en", gazetteer) == {("2023-06-24", ("egypt", "india"))}


def test_signed_during_a_visit_with_a_host_person_is_signed_with_the_venues_country(
    gazetteer: Gazetteer,
) -> None:
    text = (
        "Narendra Modi arrived in Cairo on Sunday for a visit hosted by Abdel Fattah el-Sisi. "
        "Modi will sign an agreement on green hydrogen during the visit."
    )
    assert agreements(text, "2023-06-25", "en", gazetteer) == {("2023-06-25", ("egypt", "narendra-modi"))}


@pytest.mark.parametrize(
    "language, text",
    [
        (
            "en",
            "The Emir of Qatar, Tamim bin Hamad Al Thani, opened the Gulf Cooperation Council summit on Tuesday.",
        ),
        ("ar", "افتتح أمير قطر الشيخ تميم بن حمد آل ثاني اليوم الثلاثاء قمة مجلس التعاون الخليجي."),
    ],
)
def test_the_organisation_whose_summit_it_is_takes_part(
    language: str, text: str, gazetteer: Gazetteer
) -> None:
    summits = [
        c for c in extract(text, date(2024, 12, 3), LANGUAGES[language], gazetteer) if c.type == "summit"
    ]
    assert summits and all(
        {"tamim-bin-hamad-al-thani", "gulf-cooperation-council"} <= {a.id for a, _ in c.actors}
        for c in summits
    )


def test_an_agreement_reached_is_an_agreement(gazetteer: Gazetteer) -> None:
    # a purpose ("to reach", "efforts to reach") is an aim; "succeeded in reaching" is no purpose
    text = (
        "أعلن الرئيس المصري عبد الفتاح السيسي اليوم الأحد أن الوسطاء نجحوا في التوصل إلى اتفاق بين الطرفين."
    )
    assert agreements(text, "2023-06-25", "ar", gazetteer)
