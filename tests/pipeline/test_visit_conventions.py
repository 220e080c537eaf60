"""The visit conventions: a visit and the meetings or talks during it are separate events, a
meeting without a day of its own takes the visit's dates, each counterpart met is a meeting of
its own, and "received X" reports both a visit and a meeting."""

from __future__ import annotations

from datetime import date

import pytest

from service.pipeline import extract
from service.pipeline.gazetteer import Gazetteer
from tests.pipeline.languages import LANGUAGES


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def summaries(text: str, published: str, language: str, gazetteer: Gazetteer) -> set[tuple]:
    return {
        (
            c.type,
            c.date.start.isoformat(),
            c.date.end.isoformat(),
            tuple(sorted(a.id for a, _ in c.actors)),
        )
        for c in extract(text, date.fromisoformat(published), LANGUAGES[language], gazetteer)
    }


PUTIN_XI = ("vladimir-putin", "xi-jinping")
MODI_SISI = ("abdel-fattah-el-sisi", "narendra-modi")


@pytest.mark.parametrize(
    "language, text, published, expected",
    [
        (  # a reception reports the visit and the meeting of host and guest
            "ar",
            "استقبل الرئيس الصيني شي جين بينغ الرئيس الروسي فلاديمير بوتين في بكين اليوم الأحد.",
            "2024-05-12",
            {
                ("visit", "2024-05-12", "2024-05-12", PUTIN_XI),
                ("meeting", "2024-05-12", "2024-05-12", PUTIN_XI),
            },
        ),
        (
            "en",
            "Chinese President Xi Jinping received Russian President Vladimir Putin in Beijing on Sunday.",
            "2024-05-12",
            {
                ("visit", "2024-05-12", "2024-05-12", PUTIN_XI),
                ("meeting", "2024-05-12", "2024-05-12", PUTIN_XI),
            },
        ),
        (  # talks during a two-day visit, no day of their own: the visit's dates
            "en",
            "Indian Prime Minister Narendra Modi arrived in Cairo on Monday for a two-day visit. "
            "During the visit, he will hold talks with Egyptian President Abdel Fattah el-Sisi.",
            "2024-05-13",
            {
                ("visit", "2024-05-13", "2024-05-14", MODI_SISI),
                ("talks", "2024-05-13", "2024-05-14", MODI_SISI),
            },
        ),
        (  # a call received is a call, not a visit received
            "en",
            "Narendra Modi received a phone call from Abdel Fattah el-Sisi in New Delhi on Monday.",
            "2024-05-13",
            {("phone_call", "2024-05-13", "2024-05-13", MODI_SISI)},
        ),
        (
            "ar",
            "تلقى الرئيس المصري عبد الفتاح السيسي اتصالاً من رئيس الوزراء الهندي ناريندرا مودي اليوم الاثنين.",
            "2024-05-13",
            {("phone_call", "2024-05-13", "2024-05-13", MODI_SISI)},
        ),
    ],
)
def test_a_visit_and_the_meeting_during_it_are_two_events(language, text, published, expected, gazetteer):
    found = summaries(text, published, language, gazetteer)
    assert expected <= found
    # further mentions may repeat one of them with fewer people (merging folds them), nothing else
    assert {kind for kind, *_ in found} == {kind for kind, *_ in expected}


def test_the_visitor_meets_each_counterpart_in_a_meeting_of_its_own(gazetteer):
    text = (
        "وصل رئيس الوزراء الهندي ناريندرا مودي إلى القاهرة اليوم الاثنين. "
        "ومن المقرر أن يلتقي مودي خلال الزيارة الرئيس عبد الفتاح السيسي ورئيس الوزراء مصطفى مدبولي."
    )
    found = summaries(text, "2024-05-13", "ar", gazetteer)
    meetings = {actors for kind, _, _, actors in found if kind == "meeting"}
    assert meetings == {MODI_SISI, ("mostafa-madbouly", "narendra-modi")}
    assert ("visit", "2024-05-13", "2024-05-13", MODI_SISI) in found, "the first person met hosts the visit"


def test_a_trilateral_meeting_stays_one_event(gazetteer):
    text = "Narendra Modi held a trilateral meeting with Xi Jinping and Vladimir Putin in Kazan on Tuesday."
    found = summaries(text, "2024-10-23", "en", gazetteer)
    assert [actors for kind, _, _, actors in found if kind == "meeting"] == [
        ("narendra-modi", "vladimir-putin", "xi-jinping")
    ]


def test_people_the_data_does_not_know_each_get_their_own_meeting(gazetteer):
    # 1995: before the office tables begin, so all three are read from the text as new people.
    text = (
        "Portuguese Foreign Minister Paulo Rangel met Chilean Foreign Minister Carlos Fuentes "
        "and Peruvian Foreign Minister Marta Quiroga in Lima on Monday."
    )
    meetings = [
        c for c in extract(text, date(1995, 3, 15), LANGUAGES["en"], gazetteer) if c.type == "meeting"
    ]
    pairs = sorted(tuple(record.id for record, _role in c.actors) for c in meetings)
    assert pairs == [("paulo-rangel", "carlos-fuentes"), ("paulo-rangel", "marta-quiroga")]
    assert {c.date.start for c in meetings} == {date(1995, 3, 13)}


@pytest.mark.parametrize(
    "language, text",
    [
        (
            "en",
            "Kenyan President William Ruto will visit Egypt tomorrow at the invitation of President Abdel "
            "Fattah el-Sisi. The programme includes a welcome ceremony, a bilateral meeting and a state dinner.",
        ),
        (
            "ar",
            "يزور الرئيس الكيني وليام روتو مصر غدا بدعوة من الرئيس عبد الفتاح السيسي. "
            "ويشمل البرنامج مراسم استقبال واجتماعا ثنائيا وعشاء رسميا.",
        ),
    ],
)
def test_a_meeting_naming_no_one_during_a_visit_is_the_visitors_and_hosts(
    language: str, text: str, gazetteer: Gazetteer
) -> None:
    found = summaries(text, "2024-02-04", language, gazetteer)
    assert ("meeting", "2024-02-05", "2024-02-05", ("abdel-fattah-el-sisi", "william-ruto")) in found


def test_talks_with_a_counterpart_later_in_a_visit_article_are_the_visitors_during_the_visit(
    gazetteer: Gazetteer,
) -> None:
    text = (
        "Kenyan President William Ruto will pay a state visit to Japan from March 6 to 9 at Emperor "
        "Naruhito's invitation. Kenya and Japan will sign agreements on trade. Officials said the "
        "programme was agreed weeks ago. Business leaders will travel with him. The delegation is large. "
        "During talks with Prime Minister Fumio Kishida, discussions will focus on trade and debt."
    )
    found = summaries(text, "2024-03-01", "en", gazetteer)
    assert ("talks", "2024-03-06", "2024-03-09", ("fumio-kishida", "william-ruto")) in found


def test_talks_with_someone_from_neither_side_are_no_talks_of_the_visit(gazetteer: Gazetteer) -> None:
    text = (
        "Kenyan President William Ruto will pay a state visit to Japan from March 6 to 9 at Emperor "
        "Naruhito's invitation. Kenya and Japan will sign agreements on trade. Officials said the "
        "programme was agreed weeks ago. Business leaders will travel with him. The delegation is large. "
        "Japan recently turned down talks with Ukrainian President Volodymyr Zelenskyy on the matter."
    )
    found = summaries(text, "2024-03-01", "en", gazetteer)
    assert not [t for t in found if "volodymyr-zelenskyy" in t[3]]


@pytest.mark.parametrize(
    "language, text",
    [
        (
            "en",
            "Kenyan President William Ruto will visit Egypt on Wednesday. He left Nairobi on Monday on the "
            "instructions of Deputy President Rigathi Gachagua for a visit to Egypt.",
        ),
        (
            "ar",
            "يزور الرئيس الكيني وليام روتو مصر الأربعاء. وكان روتو غادر الاثنين نيروبي بتوجيه من نائبه "
            "ريغاثي غاتشاغوا في زيارة إلى مصر.",
        ),
    ],
)
def test_the_day_of_leaving_and_who_sent_the_traveller_are_not_the_visits(
    language: str, text: str, gazetteer: Gazetteer
) -> None:
    visits = [t for t in summaries(text, "2024-02-05", language, gazetteer) if t[0] == "visit"]
    assert visits and all(t[1] == "2024-02-07" and "rigathi-gachagua" not in t[3] for t in visits)


@pytest.mark.parametrize(
    "language, text",
    [
        (
            "en",
            "Ruto has visited Japan in March 2023, then China in October 2023 and India in December 2023.",
        ),
        ("ar", "وزار روتو اليابان في مارس 2023، ثم الصين في أكتوبر 2023 والهند في ديسمبر 2023."),
    ],
)
def test_each_destination_listed_with_its_own_date_is_a_visit(
    language: str, text: str, gazetteer: Gazetteer
) -> None:
    visits = {(t[1], t[3]) for t in summaries(text, "2024-02-04", language, gazetteer) if t[0] == "visit"}
    assert visits == {
        ("2023-03-01", ("japan", "william-ruto")),
        ("2023-10-01", ("china", "william-ruto")),
        ("2023-12-01", ("india", "william-ruto")),
    }


def test_countries_sharing_one_date_are_not_split_into_visits(gazetteer: Gazetteer) -> None:
    text = "Ruto visited Japan and China in March 2023."
    visits = [t for t in summaries(text, "2024-02-04", "en", gazetteer) if t[0] == "visit"]
    assert len(visits) == 1
