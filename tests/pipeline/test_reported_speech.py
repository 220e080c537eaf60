"""Reported speech: a date right after a report verb dates the saying, not the event it reports, and
the speaker named after the event takes no part in it."""

from __future__ import annotations

from datetime import date

import pytest

from service.pipeline import extract
from service.pipeline.gazetteer import Gazetteer
from tests.pipeline.languages import LANGUAGES


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize(
    "language, text, published, event_type, expected",
    [
        (
            "en",
            "Narendra Modi will pay a visit to Egypt from June 24-25 to hold talks with Abdel Fattah "
            "el-Sisi, Indian foreign ministry spokesperson Arindam Bagchi said on Tuesday.",
            "2023-06-20",
            "talks",
            {("2023-06-24", "2023-06-25", ("abdel-fattah-el-sisi", "narendra-modi"))},
        ),
        (
            "ar",
            "يزور رئيس الوزراء الهندي ناريندرا مودي مصر يومي 24 و25 يونيو لإجراء محادثات مع الرئيس "
            "المصري عبد الفتاح السيسي، حسبما قال المتحدث أريندام باغشي اليوم الثلاثاء.",
            "2023-06-20",
            "talks",
            {("2023-06-24", "2023-06-25", ("abdel-fattah-el-sisi", "narendra-modi"))},
        ),
    ],
)
def test_reported_event_keeps_its_own_date_and_people(
    language: str, text: str, published: str, event_type: str, expected: set, gazetteer: Gazetteer
) -> None:
    found = {
        (c.date.start.isoformat(), c.date.end.isoformat(), tuple(sorted(a.id for a, _ in c.actors)))
        for c in extract(text, date.fromisoformat(published), LANGUAGES[language], gazetteer)
        if c.type == event_type
    }
    assert found == expected


@pytest.mark.parametrize(
    "language, text, published, expected",
    [
        (  # the summit's date is in the clause describing it; the invitation is the day's news
            "ar",
            "تلقى الرئيس المصري عبد الفتاح السيسي دعوة رسمية من الرئيس الفرنسي إيمانويل ماكرون لحضور "
            "القمة التي ستعقد في شهر يونيو المقبل.",
            "2024-03-05",
            {("message", "2024-03-05"), ("summit", "2024-06-01")},
        ),
        (
            "en",
            "Abdel Fattah el-Sisi received an official invitation from Emmanuel Macron to attend the "
            "summit which will be held in June.",
            "2024-03-05",
            {("message", "2024-03-05"), ("summit", "2024-06-01")},
        ),
    ],
)
def test_a_relative_clause_dates_the_noun_it_describes(
    language: str, text: str, published: str, expected: set, gazetteer: Gazetteer
) -> None:
    found = {
        (c.type, c.date.start.isoformat())
        for c in extract(text, date.fromisoformat(published), LANGUAGES[language], gazetteer)
        if c.type in ("message", "summit")
    }
    assert found == expected


def test_a_report_verb_of_the_next_sentence_makes_no_speaker(gazetteer: Gazetteer) -> None:
    text = "وصل الرئيس الفرنسي إيمانويل ماكرون إلى القاهرة اليوم الأحد للقاء عبد الفتاح السيسي\nوقال إن الزيارة مهمة."
    meetings = [
        c for c in extract(text, date(2024, 3, 10), LANGUAGES["ar"], gazetteer) if c.type == "meeting"
    ]
    assert {a.id for a, _ in meetings[0].actors} == {"emmanuel-macron", "abdel-fattah-el-sisi"}


@pytest.mark.parametrize(
    "language, text, published, expected",
    [
        (  # the since-clause names a year and a former leader: neither is the visit's
            "ar",
            "وصل فيصل بن فرحان وزير الخارجية السعودي إلى بغداد، في أول زيارة منذ قطع العلاقات، في أعقاب "
            "الغزو الذي قاده صدام حسين في عام 1990.",
            "2024-03-10",
            ("2024-03-10", ("faisal-bin-farhan", "iraq")),
        ),
        (
            "en",
            "Saudi Foreign Minister Faisal bin Farhan arrived in Baghdad, the first such visit since ties were cut "
            "in the wake of the invasion ordered by Saddam Hussein in 1990.",
            "2024-03-10",
            ("2024-03-10", ("faisal-bin-farhan", "iraq")),
        ),
    ],
)
def test_a_since_clause_neither_dates_nor_peoples_the_event(
    language: str, text: str, published: str, expected: tuple, gazetteer: Gazetteer
) -> None:
    visits = [
        c
        for c in extract(text, date.fromisoformat(published), LANGUAGES[language], gazetteer)
        if c.type == "visit"
    ]
    assert [(c.date.start.isoformat(), tuple(sorted(a.id for a, _ in c.actors))) for c in visits] == [
        expected
    ]


@pytest.mark.parametrize(
    "language, text",
    [
        ("ar", "وبحث الجانبان اليوم الأحد التوترات بين روسيا وأوكرانيا."),
        ("en", "The two sides on Sunday discussed tensions between Russia and Ukraine."),
    ],
)
def test_countries_in_a_conflict_are_its_topic_not_parties(
    language: str, text: str, gazetteer: Gazetteer
) -> None:
    found = extract(text, date(2024, 3, 10), LANGUAGES[language], gazetteer)
    assert all({"russia", "ukraine"} - {a.id for a, _ in c.actors} for c in found)
