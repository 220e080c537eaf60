"""Words that look like a trigger once normalised but are not one: part of a name, or a noun whose
written ending no verb takes."""

from __future__ import annotations

from datetime import date

import pytest

from service.pipeline import extract
from service.pipeline.document import read
from service.pipeline.gazetteer import Gazetteer
from service.pipeline.triggers import find_triggers
from tests.pipeline.languages import LANGUAGES


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


@pytest.mark.parametrize(
    "language, text",
    [
        ("ar", "تحدث فيصل بن فرحان في الرياض اليوم الأحد عن الأزمة."),  # ف+يصل (arrives) in a name
        ("ar", "أصدرت وزارة الخارجية الهندية اليوم الأحد بيانا عن الانتخابات."),  # وزارة, not و+زار+ه
    ],
)
def test_no_visit_from_a_look_alike(language: str, text: str, gazetteer: Gazetteer) -> None:
    found = extract(text, date(2024, 3, 10), LANGUAGES[language], gazetteer)
    assert [c.type for c in found if c.type == "visit"] == []


@pytest.mark.parametrize(
    "language, text, word",
    [
        ("ar", "وزاره الرئيس في مكتبه أمس.", "وزاره"),  # and visited him: a verb with a pronoun
        ("ar", "وزارة الخارجية أصدرت بيانا.", None),  # the ministry
    ],
)
def test_a_verb_never_ends_in_the_written_feminine_ending(language: str, text: str, word: str | None) -> None:
    visits = [
        t.text for t in find_triggers(read(text, date(2024, 3, 10)), LANGUAGES[language]) if t.type == "visit"
    ]
    assert visits == ([word] if word else [])


@pytest.mark.parametrize(
    "text, found",
    [
        ("نشر المغردون الصور على مواقع التواصل الاجتماعي.", []),  # an adjective, not ال+اجتماع+ي
        ("وعقد الاجتماع أمس في القاهرة.", ["الاجتماع"]),
        ("وبحث الوزيران في اجتماعهما أمس العلاقات.", ["اجتماعهما"]),
    ],
)
def test_a_noun_with_the_article_takes_no_pronoun_suffix(text: str, found: list[str]) -> None:
    assert [
        t.text for t in find_triggers(read(text, date(2024, 3, 10)), LANGUAGES["ar"]) if t.type == "meeting"
    ] == found


@pytest.mark.parametrize(
    "language, text",
    [
        (
            "en",
            "Ruto spoke with Sisi by phone on Monday. The two presidents stressed the need for an end to the "
            "fighting, the opening of crossings and a new prisoner exchange agreement.",
        ),
        (
            "ar",
            "أجرى الرئيس وليام روتو اليوم الإثنين اتصالا هاتفيا مع الرئيس عبد الفتاح السيسي. وأكد الرئيسان "
            "ضرورة وقف القتال، وفتح المعابر، والتوصل لاتفاقية لتبادل الأسرى.",
        ),
    ],
)
def test_a_need_stated_is_no_happening(language: str, text: str, gazetteer: Gazetteer) -> None:
    found = extract(text, date(2024, 2, 5), LANGUAGES[language], gazetteer)
    assert [c.type for c in found] == ["phone_call"]


def test_the_verb_of_a_since_clause_is_no_happening_and_its_people_take_no_part(gazetteer: Gazetteer) -> None:
    text = (
        "Ruto held talks with Sisi in Cairo on Monday, their first meeting since Ruto was elected president."
    )
    found = extract(text, date(2024, 2, 5), LANGUAGES["en"], gazetteer)
    assert {c.type for c in found} <= {"talks", "meeting"}
    assert all({a.id for a, _ in c.actors} == {"william-ruto", "abdel-fattah-el-sisi"} for c in found)


@pytest.mark.parametrize(
    "language, text",
    [
        (
            "en",
            "Ruto met Sisi in Cairo on Monday, their first meeting since March 2023, when they met in Nairobi.",
        ),
        (
            "ar",
            "التقى روتو السيسي في القاهرة يوم الاثنين في أول لقاء بين الزعيمين منذ مارس 2023، حين اجتمعا في نيروبي.",
        ),
    ],
)
def test_a_since_date_followed_by_when_dates_the_happening_it_tells(
    language: str, text: str, gazetteer: Gazetteer
) -> None:
    found = extract(text, date(2024, 2, 6), LANGUAGES[language], gazetteer)
    assert {(c.date.start, c.date.granularity) for c in found if c.type == "meeting"} == {
        (date(2024, 2, 5), "day"),
        (date(2023, 3, 1), "month"),
    }
