"""temporal: table-driven cases per language, negatives, discourse, resource examples, properties."""

from __future__ import annotations

import copy
from datetime import date, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from service.pipeline.temporal import (
    LexiconError,
    find_temporal_expressions,
    get_lexicon,
    sentence_tense,
)
from service.pipeline.temporal.lexicon import build_lexicon
from service.resources import load_resource

D = date.fromisoformat

# (sentence, published_at, expression, start, end, granularity); all sentences written for this repo.
AR_CASES = [
    # relative days, with weekday and time of day
    ("أعلن المتحدث اليوم تأجيل الجلسة.", "2023-05-09", "اليوم", "2023-05-09", "2023-05-09", "day"),
    ("غادر الوفد بالأمس متوجها إلى الرباط.", "2023-05-09", "الأمس", "2023-05-08", "2023-05-08", "day"),
    ("وصل المبعوث أول أمس إلى صنعاء.", "2023-05-09", "أول أمس", "2023-05-07", "2023-05-07", "day"),
    ("تبدأ المحادثات بعد غد في فيينا.", "2023-05-09", "بعد غد", "2023-05-11", "2023-05-11", "day"),
    ("يزور الوزير غدًا الأربعاء العاصمة.", "2023-05-09", "غدًا الأربعاء", "2023-05-10", "2023-05-10", "day"),
    (
        "أكد الرئيس اليوم الثلاثاء دعم بلاده.",
        "2023-05-09",
        "اليوم الثلاثاء",
        "2023-05-09",
        "2023-05-09",
        "day",
    ),
    (
        "وقعت الحكومة ليلة أمس الاثنين الاتفاق.",
        "2023-05-09",
        "ليلة أمس الاثنين",
        "2023-05-08",
        "2023-05-08",
        "day",
    ),
    # bare and qualified weekdays
    ("اجتمع المجلس الأحد في الرياض.", "2023-05-09", "الأحد", "2023-05-07", "2023-05-07", "day"),
    ("سيجتمع المجلس الأحد في الرياض.", "2023-05-09", "الأحد", "2023-05-14", "2023-05-14", "day"),
    (
        "وكانت اللجنة قد أوصت الثلاثاء الماضي بالتمديد.",
        "2023-05-09",
        "الثلاثاء الماضي",
        "2023-05-02",
        "2023-05-02",
        "day",
    ),
    (
        "تنطلق الدورة الجديدة يوم الثلاثاء القادم.",
        "2023-05-09",
        "يوم الثلاثاء القادم",
        "2023-05-16",
        "2023-05-16",
        "day",
    ),
    (
        "يفتتح الرئيس المؤتمر الخميس الموافق 11 مايو.",
        "2023-05-09",
        "الخميس الموافق 11 مايو",
        "2023-05-11",
        "2023-05-11",
        "day",
    ),
    # day + month, ordinals, qualifiers, the same-month trap
    (
        "وقع البلدان الاتفاق في العاشر من مايو الماضي.",
        "2023-05-20",
        "العاشر من مايو الماضي",
        "2023-05-10",
        "2023-05-10",
        "day",
    ),
    (
        "زار الوزير الجزائر في الحادي والعشرين من آذار.",
        "2023-05-20",
        "الحادي والعشرين من آذار",
        "2023-03-21",
        "2023-03-21",
        "day",
    ),
    (
        "تنتهي المهلة في الخامس عشر من يونيو المقبل.",
        "2023-05-20",
        "الخامس عشر من يونيو المقبل",
        "2023-06-15",
        "2023-06-15",
        "day",
    ),
    (
        "بدأ الإضراب في 2 أيار (مايو) الجاري.",
        "2023-05-20",
        "2 أيار (مايو) الجاري",
        "2023-05-02",
        "2023-05-02",
        "day",
    ),
    (
        "جرت الانتخابات في 14 أكتوبر من العام الماضي.",
        "2023-05-20",
        "14 أكتوبر من العام الماضي",
        "2022-10-14",
        "2022-10-14",
        "day",
    ),
    ("افتتح المعرض في 9 جوان.", "2023-07-20", "9 جوان", "2023-06-09", "2023-06-09", "day"),
    # months, parts, seasons
    (
        "استضافت الدوحة المنتدى في نوفمبر الماضي.",
        "2023-05-20",
        "نوفمبر الماضي",
        "2022-11-01",
        "2022-11-30",
        "month",
    ),
    ("يعقد المؤتمر في أيلول المقبل.", "2023-05-20", "أيلول المقبل", "2023-09-01", "2023-09-30", "month"),
    ("تراجعت الصادرات في فيفري 2021.", "2023-05-20", "فيفري 2021", "2021-02-01", "2021-02-28", "month"),
    (
        "يبدأ تطبيق القرار مطلع الشهر المقبل.",
        "2023-05-20",
        "مطلع الشهر المقبل",
        "2023-06-01",
        "2023-06-10",
        "range",
    ),
    (
        "وصلت المساعدات في أواخر كانون الثاني الماضي.",
        "2023-05-20",
        "أواخر كانون الثاني الماضي",
        "2023-01-21",
        "2023-01-31",
        "range",
    ),
    (
        "شهدت المنطقة جفافا صيف العام الماضي.",
        "2023-05-20",
        "صيف العام الماضي",
        "2022-06-01",
        "2022-08-31",
        "season",
    ),
    # units, shifts and windows
    (
        "عقد الطرفان جولة محادثات الأسبوع الماضي.",
        "2023-05-20",
        "الأسبوع الماضي",
        "2023-05-08",
        "2023-05-14",
        "week",
    ),
    ("غادر السفير قبل خمسة أيام.", "2023-05-20", "قبل خمسة أيام", "2023-05-15", "2023-05-15", "day"),
    ("تنتهي الولاية بعد ثلاثة أشهر.", "2023-05-20", "بعد ثلاثة أشهر", "2023-08-01", "2023-08-31", "month"),
    ("وقعت الهدنة قبل عام.", "2023-05-20", "قبل عام", "2022-01-01", "2022-12-31", "year"),
    (
        "تسلم المنصب في السنة قبل الماضية.",
        "2023-05-20",
        "السنة قبل الماضية",
        "2021-01-01",
        "2021-12-31",
        "year",
    ),
    (
        "ارتفعت الأسعار خلال الأيام الماضية.",
        "2023-05-20",
        "خلال الأيام الماضية",
        "2023-05-13",
        "2023-05-19",
        "unknown",
    ),
    # explicit dates, numeric dates, ranges, years
    ("صدر المرسوم بتاريخ 3/11/2019.", "2023-05-20", "3/11/2019", "2019-11-03", "2019-11-03", "day"),
    ("نشر التقرير في ٢٠٢٢-٠٨-٠١.", "2023-05-20", "٢٠٢٢-٠٨-٠١", "2022-08-01", "2022-08-01", "day"),
    (
        "أعلن الاستقلال في 22 تشرين الثاني 1943.",
        "2023-05-20",
        "22 تشرين الثاني 1943",
        "1943-11-22",
        "1943-11-22",
        "day",
    ),
    (
        "تقام البطولة من 30 يونيو إلى 3 يوليو.",
        "2023-05-20",
        "من 30 يونيو إلى 3 يوليو",
        "2023-06-30",
        "2023-07-03",
        "range",
    ),
    (
        "انعقدت الجلسات يومي 8 و9 مايو الجاري.",
        "2023-05-20",
        "يومي 8 و9 مايو الجاري",
        "2023-05-08",
        "2023-05-09",
        "range",
    ),
    ("ارتفع التضخم منذ 2019 بشكل حاد.", "2023-05-20", "2019", "2019-01-01", "2019-12-31", "year"),
    ("تأسس الحزب سنة ١٩٤٦.", "2023-05-20", "سنة ١٩٤٦", "1946-01-01", "1946-12-31", "year"),
    # Hijri
    (
        "يبدأ العام الدراسي في 10 صفر 1446 هـ.",
        "2024-05-20",
        "10 صفر 1446 هـ",
        "2024-08-14",
        "2024-08-14",
        "day",
    ),
    ("تنطلق الحملة في الأول من رمضان.", "2024-05-20", "الأول من رمضان", "2025-03-01", "2025-03-01", "day"),
    ("أقيم الحفل في رجب 1445هـ.", "2024-05-20", "رجب 1445هـ", "2024-01-13", "2024-02-10", "month"),
]

EN_CASES = [
    (
        "The minister flew to Rome this morning.",
        "2023-05-09",
        "this morning",
        "2023-05-09",
        "2023-05-09",
        "day",
    ),
    (
        "Talks will continue tomorrow (Wednesday) in Vienna.",
        "2023-05-09",
        "tomorrow (Wednesday)",
        "2023-05-10",
        "2023-05-10",
        "day",
    ),
    (
        "The envoy arrived in Sanaa the day after tomorrow, officials said.",
        "2023-05-09",
        "the day after tomorrow",
        "2023-05-11",
        "2023-05-11",
        "day",
    ),
    ("The council met Sunday in Riyadh.", "2023-05-09", "Sunday", "2023-05-07", "2023-05-07", "day"),
    ("The council will meet Sunday in Riyadh.", "2023-05-09", "Sunday", "2023-05-14", "2023-05-14", "day"),
    (
        "The committee recommended an extension last Tuesday.",
        "2023-05-09",
        "last Tuesday",
        "2023-05-02",
        "2023-05-02",
        "day",
    ),
    (
        "The two sides signed the deal on the 10th of May.",
        "2023-05-20",
        "the 10th of May",
        "2023-05-10",
        "2023-05-10",
        "day",
    ),
    (
        "The deadline expires on June 15, officials said.",
        "2023-05-20",
        "June 15",
        "2023-06-15",
        "2023-06-15",
        "day",
    ),
    ("Elections were held on Oct. 14 last year.", "2023-05-20", "Oct. 14", "2022-10-14", "2022-10-14", "day"),
    (
        "Doha hosted the forum last November.",
        "2023-05-20",
        "last November",
        "2022-11-01",
        "2022-11-30",
        "month",
    ),
    (
        "The conference opens in September 2024.",
        "2023-05-20",
        "September 2024",
        "2024-09-01",
        "2024-09-30",
        "month",
    ),
    ("Aid arrived in late January.", "2023-05-20", "late January", "2023-01-21", "2023-01-31", "range"),
    (
        "The rule takes effect at the beginning of next month.",
        "2023-05-20",
        "the beginning of next month",
        "2023-06-01",
        "2023-06-10",
        "range",
    ),
    (
        "Drought hit the region last summer.",
        "2023-05-20",
        "last summer",
        "2022-06-01",
        "2022-08-31",
        "season",
    ),
    ("The ambassador left five days ago.", "2023-05-20", "five days ago", "2023-05-15", "2023-05-15", "day"),
    (
        "The mandate ends in three months.",
        "2023-05-20",
        "in three months",
        "2023-08-01",
        "2023-08-31",
        "month",
    ),
    ("The sides held talks last week.", "2023-05-20", "last week", "2023-05-08", "2023-05-14", "week"),
    ("Prices rose over the past few days.", "2023-05-20", "past few days", None, None, None),
    ("The decree was dated 2019-11-03.", "2023-05-20", "2019-11-03", "2019-11-03", "2019-11-03", "day"),
    (
        "Independence was declared on November 22, 1943.",
        "2023-05-20",
        "November 22, 1943",
        "1943-11-22",
        "1943-11-22",
        "day",
    ),
    (
        "The tournament runs from June 30 to July 3.",
        "2023-05-20",
        "from June 30 to July 3",
        "2023-06-30",
        "2023-07-03",
        "range",
    ),
    ("The party was founded in 1946.", "2023-05-20", "1946", "1946-01-01", "1946-12-31", "year"),
    (
        "He served as envoy between 2011 and 2014.",
        "2023-05-20",
        "between 2011 and 2014",
        "2011-01-01",
        "2014-12-31",
        "range",
    ),
]

AR_NEGATIVES = [
    "ارتفعت نسبة البطالة إلى 12% العام الحالي",  # only the year phrase may match; checked separately
]
NEGATIVES = {
    "ar": [
        "بلغت نسبة المشاركة 47% في الاستفتاء.",
        "وزعت المنظمة 2500 سلة غذائية على الأسر.",
        "خصصت الحكومة 450 مليون دولار للمشروع.",
        "فاز الفريق في الجولة الـ15 من الدوري.",
        "يمكن الاتصال على الرقم 0097143001234.",
        "أكد القرار 1701 ضرورة وقف الأعمال العدائية.",
        "قال المحلل جمعة العلي إن الأزمة طويلة.",
        "حضر ممثلون عن السبتيين المؤتمر.",
        "تتابع الوزارة الأحداث في المنطقة.",
        "أقيم حفل غداء على شرف الضيوف.",
        "نظمت الجمعية أمسية شعرية.",
        "أعلنت شركة نيسان عن طراز جديد.",
        "تحتفل البلاد باليوم الوطني بعروض عسكرية.",
        "مارس الوزير ضغوطا على الشركاء.",
        "نحن اليوم أمام تحديات كبيرة.",
        "التقت ماي بزعماء الحزب في لندن.",
        "شارك 1500 طالب في المسابقة.",
    ],
    "en": [
        "Turnout reached 47% in the referendum.",
        "The agency delivered 2,500 food parcels.",
        "The government allocated $450 million to the project.",
        "Officials may announce the results soon.",
        "Thousands joined a march through the capital.",
        "Security Council Resolution 1701 calls for a ceasefire.",
        "Diplomacy today is no longer confined to embassies.",
        "Former prime minister Theresa May spoke at the event.",
        "The statement ran to 5,000 words.",
        "The team won its 15th round match.",
    ],
}


def _check(cases: list[tuple], language: str) -> None:
    for sentence, published, expression, start, end, granularity in cases:
        found = find_temporal_expressions(sentence, D(published), language)
        if start is None:
            assert all(expression not in e.text for e in found), (sentence, found)
            continue
        got = [(e.text, e.date.start, e.date.end, e.date.granularity) for e in found]
        assert (expression, D(start), D(end), granularity) in got, (sentence, got)


@pytest.mark.parametrize("case", AR_CASES, ids=lambda c: c[2])
def test_arabic(case: tuple) -> None:
    _check([case], "ar")


@pytest.mark.parametrize("case", EN_CASES, ids=lambda c: c[2])
def test_english(case: tuple) -> None:
    _check([case], "en")


@pytest.mark.parametrize(
    ("language", "sentence"), [(lang, s) for lang, items in NEGATIVES.items() for s in items]
)
def test_negatives(language: str, sentence: str) -> None:
    assert find_temporal_expressions(sentence, D("2023-05-20"), language) == []


def test_quantity_next_to_a_date_phrase() -> None:
    found = find_temporal_expressions("ارتفعت نسبة البطالة إلى 12% العام الحالي.", D("2023-05-20"), "ar")
    assert [e.text for e in found] == ["العام الحالي"]


def test_anaphora_within_sentence_and_across_sentences() -> None:
    text = (
        "اختتم الوزير زيارته إلى طوكيو يوم الجمعة. وقال في مؤتمر صحفي إن المحادثات كانت مثمرة. "
        "وكان قد التقى رئيس الوزراء في اليوم السابق."
    )
    found = find_temporal_expressions(text, D("2024-05-19"), "ar")
    assert [(e.text, e.date.start, e.anchor) for e in found] == [
        ("يوم الجمعة", D("2024-05-17"), "weekday"),
        ("اليوم السابق", D("2024-05-16"), "previous"),
    ]
    english = "The envoy reached Ankara on Tuesday and met the president the following day."
    found = find_temporal_expressions(english, D("2024-05-19"), "en")
    assert [(e.text, e.date.start) for e in found][-1] == ("the following day", D("2024-05-15"))


def test_anaphora_falls_back_to_publication() -> None:
    found = find_temporal_expressions("The minister had arrived the previous day.", D("2024-05-19"), "en")
    assert [(e.date.start, e.anchor) for e in found] == [(D("2024-05-18"), "publication")]


def test_offsets_index_the_original_text_and_language_is_detected() -> None:
    text = "مقدمة.\n\nوصل الرئيس غداً الأربعاء إلى القاهرة، وسيغادر يوم الجمعة المقبل."
    found = find_temporal_expressions(text, D("2021-12-14"))
    assert [text[e.start : e.end] for e in found] == [e.text for e in found]
    assert [e.text for e in found] == ["غداً الأربعاء", "يوم الجمعة المقبل"]


@pytest.mark.parametrize(
    ("sentence", "language", "tense"),
    [
        ("سيزور الرئيس الصين الأسبوع المقبل.", "ar", "future"),
        ("من المقرر أن يصل الوفد غدا.", "ar", "future"),
        ("وكان الوزير قد أعلن ذلك.", "ar", "past"),
        ("أعلن الوزير ذلك أمس.", "ar", "past"),
        ("The president will visit China next week.", "en", "future"),
        ("The president visited China last week.", "en", "past"),
        ("Ministers are scheduled to meet in Oslo.", "en", "future"),
    ],
)
def test_sentence_tense(sentence: str, language: str, tense: str) -> None:
    assert sentence_tense(sentence, language) == tense


# -- resources --------------------------------------------------------------------------------


def _examples() -> list:
    return [(lang, ex) for lang in ("ar", "en") for ex in get_lexicon(lang).examples]


@pytest.mark.parametrize(("language", "example"), _examples(), ids=lambda x: getattr(x, "text", x)[:40])
def test_resource_examples(language: str, example) -> None:  # type: ignore[no-untyped-def]
    if example.tense is not None:
        assert sentence_tense(example.text, language) == example.tense
        return
    found = find_temporal_expressions(example.text, example.published_at, language)
    if example.expression is None:
        assert found == []
        return
    got = [(e.text, e.date.start, e.date.end, e.date.granularity) for e in found]
    assert (example.expression, example.start, example.end, example.granularity) in got, got


def test_every_category_has_examples() -> None:
    for language in ("ar", "en"):
        categories = {ex.category for ex in get_lexicon(language).examples}
        assert len(categories) >= 17, (language, categories)


def test_resources_are_validated() -> None:
    data = copy.deepcopy(load_resource("ar/temporal.yaml"))
    del data["weekdays"]
    with pytest.raises(LexiconError, match="weekdays"):
        build_lexicon(data, "ar")
    data = copy.deepcopy(load_resource("ar/temporal.yaml"))
    data["months"]["entries"][13] = ["شهر ثالث عشر"]
    with pytest.raises(LexiconError, match="13"):
        build_lexicon(data, "ar")
    data = copy.deepcopy(load_resource("en/temporal.yaml"))
    data["parts"]["examples"] = []
    with pytest.raises(LexiconError, match="example"):
        build_lexicon(data, "en")


# -- properties -------------------------------------------------------------------------------

dates = st.dates(min_value=date(1990, 1, 1), max_value=date(2060, 12, 31))
AR_WEEKDAYS = ["الاثنين", "الثلاثاء", "الأربعاء", "الخميس", "الجمعة", "السبت", "الأحد"]


def _only(sentence: str, published: date, language: str = "ar"):  # type: ignore[no-untyped-def]
    found = find_temporal_expressions(sentence, published, language)
    assert len(found) == 1, (sentence, published, found)
    return found[0]


@settings(max_examples=60, deadline=None)
@given(dates)
def test_tomorrow_is_publication_plus_one(published: date) -> None:
    assert _only("يصل الوفد غداً إلى عمان.", published).date.start == published + timedelta(days=1)
    assert _only("The delegation arrives tomorrow.", published, "en").date.start == published + timedelta(
        days=1
    )


@settings(max_examples=60, deadline=None)
@given(dates, st.integers(0, 6))
def test_weekday_direction(published: date, weekday: int) -> None:
    name = AR_WEEKDAYS[weekday]
    past = _only(f"التقى الوزير نظيره {name} في العاصمة.", published).date.start
    assert past.weekday() == weekday and 0 <= (published - past).days <= 6
    future = _only(f"سيلتقي الوزير نظيره {name} في العاصمة.", published).date.start
    assert future.weekday() == weekday and 0 <= (future - published).days <= 6
    last = _only(f"وكان الوزير قد التقى نظيره {name} الماضي.", published).date.start
    assert last.weekday() == weekday and 1 <= (published - last).days <= 7
    following = _only(f"يلتقي الوزير نظيره {name} المقبل.", published).date.start
    assert following.weekday() == weekday and 1 <= (following - published).days <= 7


@settings(max_examples=60, deadline=None)
@given(dates, st.integers(1, 12), st.sampled_from(["", " الماضي", " المقبل", " الجاري"]))
def test_months_cover_whole_months(published: date, month: int, qualifier: str) -> None:
    name = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو", "يوليو", "أغسطس", "سبتمبر", "أكتوبر",
            "نوفمبر", "ديسمبر"][month - 1]  # fmt: skip
    span = _only(f"عقد المؤتمر في شهر {name}{qualifier}.", published).date
    assert span.granularity == "month" and span.start.day == 1 and span.start.month == month
    assert (span.end + timedelta(days=1)).day == 1 and span.end.month == month
    if qualifier == " الماضي":
        assert span.end < published.replace(day=1)
    if qualifier == " المقبل":
        assert span.start > published


@settings(max_examples=40, deadline=None)
@given(dates, st.sampled_from([s for s, *_ in AR_CASES]))
def test_spans_are_substrings_and_ordered(published: date, sentence: str) -> None:
    text = "مقدمة الخبر. " + sentence
    for expression in find_temporal_expressions(text, published, "ar"):
        assert text[expression.start : expression.end] == expression.text
        assert expression.date.start <= expression.date.end
