"""The direction of a date without a year follows the tense of the verb that governs it."""

from datetime import date

import pytest

from service.pipeline.temporal import find_dates
from tests.pipeline.languages import LANGUAGES

# Published on Wednesday 13 March 2024.
PUBLISHED = date(2024, 3, 13)
D = date.fromisoformat

# (language, sentence, expression, start, end, granularity)
CASES = [
    # a bare weekday: past verb -> on or before publication, future verb -> the next one
    ("en", "The envoy arrived in Oslo on Monday.", "Monday", "2024-03-11", "2024-03-11", "day"),
    ("en", "The envoy will arrive in Oslo on Monday.", "Monday", "2024-03-18", "2024-03-18", "day"),
    ("ar", "وصل المبعوث إلى أوسلو يوم الاثنين.", "يوم الاثنين", "2024-03-11", "2024-03-11", "day"),
    ("ar", "سيصل المبعوث إلى أوسلو يوم الاثنين.", "يوم الاثنين", "2024-03-18", "2024-03-18", "day"),
    # الماضي / المقبل and last / next decide whatever the verb
    ("ar", "سيعلن الوفد نتائج جولة الاثنين الماضي.", "الاثنين الماضي", "2024-03-11", "2024-03-11", "day"),
    ("ar", "اجتمع الوفد لتحديد موعد الاثنين المقبل.", "الاثنين المقبل", "2024-03-18", "2024-03-18", "day"),
    (
        "en",
        "The panel will review what happened last Monday.",
        "last Monday",
        "2024-03-11",
        "2024-03-11",
        "day",
    ),
    # a reporting verb in the past does not pull a future verb's date back, and the reverse
    (
        "en",
        "The ministry said on Tuesday that the minister will travel to Rome on Monday.",
        "Monday",
        "2024-03-18",
        "2024-03-18",
        "day",
    ),
    (
        "en",
        "The ministry said on Tuesday that the minister will travel to Rome on Monday.",
        "Tuesday",
        "2024-03-12",
        "2024-03-12",
        "day",
    ),
    (
        "ar",
        "قالت الرئاسة إن الرئيس سيبدأ جولته الخليجية الاثنين.",
        "الاثنين",
        "2024-03-18",
        "2024-03-18",
        "day",
    ),
    (
        "ar",
        "أعلنت الخارجية الثلاثاء أن الوزير سيزور روما في 20 مارس.",
        "الثلاثاء",
        "2024-03-12",
        "2024-03-12",
        "day",
    ),
    (
        "ar",
        "أعلنت الخارجية الثلاثاء أن الوزير سيزور روما في 20 مارس.",
        "20 مارس",
        "2024-03-20",
        "2024-03-20",
        "day",
    ),
    # a past clause inside a future sentence, and two verbs in one sentence
    (
        "en",
        "The leaders planned new rounds when the president visited Ankara in May.",
        "May",
        "2023-05-01",
        "2023-05-31",
        "month",
    ),
    (
        "en",
        "The envoy arrived on Monday and will leave on Friday.",
        "Monday",
        "2024-03-11",
        "2024-03-11",
        "day",
    ),
    (
        "en",
        "The envoy arrived on Monday and will leave on Friday.",
        "Friday",
        "2024-03-15",
        "2024-03-15",
        "day",
    ),
    (
        "ar",
        "وكان الوزير قد التقى نظيره الاثنين، ومن المقرر أن يلتقيه مجددا في 10 مارس.",
        "الاثنين",
        "2024-03-11",
        "2024-03-11",
        "day",
    ),
    (
        "ar",
        "وكان الوزير قد التقى نظيره الاثنين، ومن المقرر أن يلتقيه مجددا في 10 مارس.",
        "10 مارس",
        "2025-03-10",
        "2025-03-10",
        "day",
    ),
    # a verb group counts as one: the auxiliary decides, an adjective in -ed does not
    ("en", "The summit is expected to be held on 20 March.", "20 March", "2024-03-20", "2024-03-20", "day"),
    ("en", "The talks will be held on 10 March.", "10 March", "2025-03-10", "2025-03-10", "day"),
    ("en", "The talks were held on 20 March.", "20 March", "2023-03-20", "2023-03-20", "day"),
    ("en", "The ministers will hold detailed talks on Monday.", "Monday", "2024-03-18", "2024-03-18", "day"),
    (
        "en",
        "On Friday, the delegation will travel to the United States.",
        "Friday",
        "2024-03-15",
        "2024-03-15",
        "day",
    ),
    # a fronted date takes the verb after it
    ("ar", "أما يوم الجمعة، فيستقبل الرئيس نظيره القبرصي.", "يوم الجمعة", "2024-03-15", "2024-03-15", "day"),
    # a planned-event word marks the future
    ("ar", "ناقش الوزراء القمة المرتقبة في مايو.", "مايو", "2024-05-01", "2024-05-31", "month"),
    (
        "en",
        "Delegates prepared for the forthcoming summit in May.",
        "May",
        "2024-05-01",
        "2024-05-31",
        "month",
    ),
    # a month alone follows the verb too
    ("ar", "زار الرئيس موسكو في فبراير.", "فبراير", "2024-02-01", "2024-02-29", "month"),
    ("ar", "سيزور الرئيس موسكو في فبراير.", "فبراير", "2025-02-01", "2025-02-28", "month"),
    # last / next week are ISO weeks, Monday to Sunday; منتصف is days 11-20
    ("ar", "التقى الوزير نظيره الأسبوع الماضي.", "الأسبوع الماضي", "2024-03-04", "2024-03-10", "week"),
    ("en", "The ministers will meet next week.", "next week", "2024-03-18", "2024-03-24", "week"),
    ("ar", "سيزور الوزير روما منتصف أبريل.", "منتصف أبريل", "2024-04-11", "2024-04-20", "range"),
    ("en", "The minister will visit Rome in mid-April.", "mid-April", "2024-04-11", "2024-04-20", "range"),
]


@pytest.mark.parametrize(
    ("language", "sentence", "expression", "start", "end", "granularity"),
    CASES,
    ids=[f"{c[0]}-{i}" for i, c in enumerate(CASES)],
)
def test_direction_follows_the_governing_verb(
    language: str, sentence: str, expression: str, start: str, end: str, granularity: str
) -> None:
    found = [
        (e.text, e.date.start, e.date.end, e.date.granularity)
        for e in find_dates(sentence, PUBLISHED, LANGUAGES[language])
    ]
    assert (expression, D(start), D(end), granularity) in found, found
