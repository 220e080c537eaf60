"""The lead and references back: short lines (bylines, captions) do not end the lead; "his visit"
refers back like "the visit"; a place inside a person's title is not a venue."""

from __future__ import annotations

from datetime import date

import pytest

from service.pipeline import extract
from service.pipeline.gazetteer import Gazetteer
from tests.pipeline.languages import LANGUAGES


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def test_captions_and_time_stamps_do_not_end_the_lead(gazetteer: Gazetteer) -> None:
    text = (
        "أمير قطر يصل إلى القاهرة في أول جولة له هذا العام\n"
        "نشر 3 مارس 2024 - 10:15\n"
        "صورة أرشيفية\n"
        "الشيخ تميم\n"
        "وصل أمير قطر الشيخ تميم بن حمد آل ثاني إلى القاهرة للقاء الرئيس المصري عبد الفتاح السيسي.\n"
    )
    found = extract(text, date(2024, 3, 3), LANGUAGES["ar"], gazetteer)
    meetings = [c for c in found if c.type == "meeting"]
    assert meetings and all(c.date.start == date(2024, 3, 3) for c in meetings)


def test_his_visit_refers_back_to_the_visit(gazetteer: Gazetteer) -> None:
    text = (
        "Narendra Modi arrived in Cairo on Sunday for a three-day visit. "
        "During his visit, Modi will meet Abdel Fattah el-Sisi."
    )
    found = extract(text, date(2023, 6, 25), LANGUAGES["en"], gazetteer)
    meetings = [c for c in found if c.type == "meeting"]
    assert [(c.date.start, c.date.end) for c in meetings] == [(date(2023, 6, 25), date(2023, 6, 27))]


@pytest.mark.parametrize(
    "language, text",
    [("ar", "استقبل الملك سلمان سلطان عمان هيثم بن طارق اليوم الأحد.")],
)
def test_a_place_inside_a_title_is_no_venue(language: str, text: str, gazetteer: Gazetteer) -> None:
    found = extract(text, date(2021, 7, 11), LANGUAGES[language], gazetteer)
    assert found and all(c.place is None for c in found)


def test_the_title_takes_the_date_the_lead_gives_the_same_event(gazetteer: Gazetteer) -> None:
    text = (
        "Narendra Modi will visit Egypt this week\n\n"
        "Indian Prime Minister Narendra Modi will make a state visit to Egypt on June 24-25 at the "
        "invitation of President Abdel Fattah el-Sisi, the Indian government announced on Sunday.\n"
    )
    visits = [c for c in extract(text, date(2023, 6, 18), LANGUAGES["en"], gazetteer) if c.type == "visit"]
    assert visits and {(c.date.start, c.date.end) for c in visits} == {(date(2023, 6, 24), date(2023, 6, 25))}


@pytest.mark.parametrize(
    "language, text",
    [
        (
            "en",
            "Kenyan President William Ruto arrived in Japan yesterday.\n\n"
            "Ruto also travelled to Japan in May 2019, officials said.",
        ),
        (
            "ar",
            "وصل الرئيس الكيني وليام روتو إلى اليابان أمس.\n\nوكان روتو قد زار اليابان في مايو 2019 حسب مسؤولين.",
        ),
    ],
)
def test_a_title_keeps_its_own_date_when_the_lead_recalls_an_earlier_visit(
    language: str, text: str, gazetteer: Gazetteer
) -> None:
    visits = [c for c in extract(text, date(2024, 2, 6), LANGUAGES[language], gazetteer) if c.type == "visit"]
    assert sorted((c.date.start, c.date.end) for c in visits) == [
        (date(2019, 5, 1), date(2019, 5, 31)),
        (date(2024, 2, 5), date(2024, 2, 5)),
    ]


@pytest.mark.parametrize(
    "language, text",
    [
        (
            "en",
            "Kenyan President William Ruto leaves for Japan\n\nRuto said the trip would deepen trade ties.",
        ),
        ("ar", "الرئيس الكيني يغادر إلى اليابان\n\nوقال روتو إن الرحلة ستعزز التجارة بين البلدين."),
    ],
)
def test_an_undated_headline_is_the_days_news_not_an_earlier_visit_told_later(
    language: str, text: str, gazetteer: Gazetteer
) -> None:
    text += {"en": " Ruto visited Japan in May 2019.", "ar": " وزار روتو اليابان في مايو 2019."}[language]
    visits = [c for c in extract(text, date(2024, 2, 6), LANGUAGES[language], gazetteer) if c.type == "visit"]
    headline = [c for c in visits if c.span_start == 0]
    assert [(c.date.start, {a.id for a, _ in c.actors}) for c in headline] == [
        (date(2024, 2, 6), {"william-ruto", "japan"})
    ]


@pytest.mark.parametrize(
    "language, text",
    [
        (
            "en",
            "Kenyan President William Ruto arrived in Japan on Monday. He visited this country in May 2019.",
        ),
        ("ar", "وصل الرئيس الكيني وليام روتو إلى اليابان الاثنين. وقد زار روتو هذه البلاد في مايو 2019."),
    ],
)
def test_this_country_is_the_country_named_last(language: str, text: str, gazetteer: Gazetteer) -> None:
    found = extract(text, date(2024, 2, 6), LANGUAGES[language], gazetteer)
    earlier = [c for c in found if c.date.start == date(2019, 5, 1)]
    assert earlier and all("japan" in {a.id for a, _ in c.actors} for c in earlier)
