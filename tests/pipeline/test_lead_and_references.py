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
