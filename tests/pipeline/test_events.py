"""Event extraction on the repo's own sentences: triggers, actors, places, dating, discourse, noise."""

from __future__ import annotations

from datetime import date

import pytest

from service.pipeline import extract
from service.pipeline.gazetteer import Gazetteer
from service.resources import load_resource
from tests.pipeline.languages import CODES, LANGUAGES, language_of


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def events(text: str, published: str, gazetteer: Gazetteer, language: str = "ar"):
    return extract(text, date.fromisoformat(published), LANGUAGES[language], gazetteer)


def summary(candidate) -> tuple:
    return (
        candidate.type,
        candidate.date.start.isoformat(),
        candidate.date.end.isoformat(),
        candidate.date.granularity,
        sorted(a.id for a, _ in candidate.actors),
    )


@pytest.mark.parametrize("language", CODES)
def test_every_lexicon_example_extracts_its_type(language, gazetteer):
    for example in load_resource(f"{language}/events.yaml")["examples"]:
        found = extract(example["text"], example["published_at"], LANGUAGES[language], gazetteer)
        assert [c.type for c in found][:1] == [example["type"]], example["text"]


@pytest.mark.parametrize(
    "text, published, expected",
    [
        (
            "أجرى الرئيس الفرنسي إيمانويل ماكرون اتصالاً هاتفياً مع الرئيس المصري عبد الفتاح السيسي أمس.",
            "2024-03-05",
            ("phone_call", "2024-03-04", "2024-03-04", "day", ["abdel-fattah-el-sisi", "emmanuel-macron"]),
        ),
        (
            "عقد الرئيس الروسي فلاديمير بوتين والرئيس الصيني شي جين بينغ قمة افتراضية اليوم الثلاثاء.",
            "2024-03-05",
            ("video_summit", "2024-03-05", "2024-03-05", "day", ["vladimir-putin", "xi-jinping"]),
        ),
        (
            "زار ولي العهد السعودي الأمير محمد بن سلمان القاهرة في أواخر فبراير الماضي.",
            "2024-03-05",
            ("visit", "2024-02-21", "2024-02-29", "range", ["egypt", "mohammed-bin-salman"]),
        ),
        (
            "Russian President Vladimir Putin held talks with Turkish President Recep Tayyip Erdogan in Sochi on 4 September 2023.",
            "2023-09-06",
            ("talks", "2023-09-04", "2023-09-04", "day", ["recep-tayyip-erdogan", "vladimir-putin"]),
        ),
    ],
)
def test_dated_event_with_actors(text, published, expected, gazetteer):
    (candidate,) = events(text, published, gazetteer, language_of(text))
    assert summary(candidate) == expected
    assert candidate.expression is not None and candidate.expression.text in candidate.sentence


def test_future_tense_and_tomorrow_make_a_planned_event(gazetteer):
    (candidate,) = events(
        "يعقد الرئيس الروسي فلاديمير بوتين اجتماعا افتراضيا مع الرئيس الصيني شي جين بينغ غدا.",
        "2024-03-05",
        gazetteer,
    )
    assert candidate.status == "planned" and candidate.date.start == date(2024, 3, 6)
    (past,) = events(
        "التقى الرئيس الروسي فلاديمير بوتين الرئيس الصيني شي جين بينغ أمس.", "2024-03-05", gazetteer
    )
    assert past.status == "past"


def test_place_comes_from_the_sentence_but_not_for_calls(gazetteer):
    (visit,) = events(
        "التقى الرئيس الروسي فلاديمير بوتين الرئيس الصيني شي جين بينغ في بكين أمس.", "2024-03-05", gazetteer
    )
    assert visit.place is not None and visit.place.id == "beijing"
    (call,) = events(
        "تحدث الرئيس الروسي فلاديمير بوتين عبر الهاتف مع الرئيس الصيني شي جين بينغ من موسكو أمس.",
        "2024-03-05",
        gazetteer,
    )
    assert call.type == "phone_call" and call.place is None


def test_duration_widens_a_concluded_visit_backwards(gazetteer):
    text = "اختتم الرئيس الروسي فلاديمير بوتين زيارة إلى الهند استغرقت ثلاثة أيام يوم الأحد."
    (visit,) = events(text, "2024-03-05", gazetteer)
    assert (visit.date.start, visit.date.end, visit.date.granularity) == (
        date(2024, 3, 1),
        date(2024, 3, 3),
        "range",
    )
    (english,) = events(
        "Vladimir Putin began a two-day visit to India on Sunday.", "2024-03-05", gazetteer, "en"
    )
    assert (english.date.start, english.date.end) == (date(2024, 3, 3), date(2024, 3, 4))


def test_role_descriptions_resolve_on_the_events_date(gazetteer):
    (call,) = events(
        "أجرى الرئيس الأمريكي اتصالا هاتفيا مع الرئيس الروسي فلاديمير بوتين في 7 ديسمبر 2021.",
        "2025-06-01",
        gazetteer,
    )
    assert {a.id for a, _ in call.actors} == {"joe-biden", "vladimir-putin"}


def test_discourse_reference_joins_the_dated_event(gazetteer):
    text = (
        "التقى الرئيس الروسي فلاديمير بوتين الرئيس الصيني شي جين بينغ في بكين يوم الخميس. "
        "وخلال اللقاء، أكد الزعيمان أهمية التعاون الاقتصادي."
    )
    first, second = events(text, "2024-05-17", gazetteer)
    assert second.resolution == "discourse" and second.date == first.date
    assert {a.id for a, _ in second.actors} == {"vladimir-putin", "xi-jinping"}


def test_the_two_leaders_stand_for_the_people_just_named(gazetteer):
    text = (
        "التقى الرئيس الروسي فلاديمير بوتين الرئيس الصيني شي جين بينغ في بكين يوم الخميس. "
        "وكان الزعيمان قد تحدثا عبر الهاتف في شهر مارس الماضي."
    )
    call = next(c for c in events(text, "2024-05-17", gazetteer) if c.type == "phone_call")
    assert {a.id for a, _ in call.actors} == {"vladimir-putin", "xi-jinping"}
    assert (call.date.start, call.date.granularity) == (date(2024, 3, 1), "month")


def test_undated_news_in_the_lead_is_dated_by_publication(gazetteer):
    text = "بحث وزير الخارجية الصيني وانغ يي مع نظيره الروسي سيرغي لافروف في موسكو ملفات التعاون."
    (talks,) = events(text, "2024-04-09", gazetteer)
    assert talks.resolution == "publication" and talks.expression is None
    assert talks.date.start == date(2024, 4, 9) and talks.confidence < 0.7


def test_background_without_a_dated_happening_yields_nothing(gazetteer):
    text = (
        "يرى محللون أن العلاقات بين البلدين شهدت تطورا كبيرا خلال العقد الأخير. "
        "وتشكل التجارة والطاقة أساس هذه الشراكة، فيما تبقى المناورات العسكرية المشتركة رمزا للتقارب. "
        "ويقول الباحث إن القمم المتكررة تعكس رغبة الطرفين في مواجهة الضغوط الغربية. "
        "وتسعى الدولتان إلى توسيع منظمة شنغهاي للتعاون."
    )
    assert events(text, "2024-04-09", gazetteer) == []


def test_what_someone_said_is_not_a_summit(gazetteer):
    text = "قال المتحدث باسم الكرملين دميتري بيسكوف إن موسكو ترحب بأي مبادرة للسلام."
    assert [c.type for c in events(text, "2024-04-09", gazetteer)] == []


def test_unknown_person_named_with_a_title_is_still_an_actor(gazetteer):
    text = "التقى وزير الخارجية الأردني أيمن الصفدي وزير الخارجية الموريتاني محمد سالم ولد مرزوك في عمّان أمس."
    (meeting,) = events(text, "2024-04-09", gazetteer)
    assert len(meeting.actors) == 2


def test_countries_are_actors_when_no_person_is_named(gazetteer):
    text = "وقعت مصر واليونان اتفاقية لترسيم الحدود البحرية في 6 أغسطس 2020."
    (agreement,) = events(text, "2020-08-08", gazetteer)
    assert agreement.type == "agreement"
    assert {a.kind for a, _ in agreement.actors} == {"country"} and len(agreement.actors) == 2


def test_habits_and_since_dates_are_not_happenings(gazetteer):
    habit = "ويعقد الرئيس الروسي فلاديمير بوتين والرئيس الصيني شي جين بينغ قمة بشكل سنوي منذ عام 2013."
    assert events(habit, "2024-04-09", gazetteer) == []
    english = (
        "Russian President Vladimir Putin and Chinese President Xi Jinping have met annually since 2013."
    )
    assert events(english, "2024-04-09", gazetteer, "en") == []


def test_capitals_stand_for_their_countries_when_no_one_is_named(gazetteer):
    (agreement,) = events(
        "ووقعت موسكو وطهران في يناير 2025 معاهدة شراكة استراتيجية.", "2025-02-01", gazetteer
    )
    assert {a.id for a, _ in agreement.actors} == {"russia", "iran"} and agreement.place is None


def test_dateline_is_the_venue_of_its_own_line_only(gazetteer):
    text = (
        "الدوحة - التقى أمير قطر الشيخ تميم بن حمد آل ثاني الرئيس التركي رجب طيب أردوغان اليوم.\n"
        "ومن المقرر أن يلتقي أردوغان الرئيس الإيراني غدا."
    )
    first, second = events(text, "2023-12-04", gazetteer)
    assert first.place is not None and first.place.id == "doha"
    assert second.place is None


def test_two_dated_happenings_in_one_sentence_keep_their_own_people(gazetteer):
    text = "Russian President Vladimir Putin held talks with Narendra Modi on Tuesday and met Masoud Pezeshkian on Wednesday."
    talks, meeting = events(text, "2024-10-23", gazetteer, "en")
    assert (talks.date.start, {a.id for a, _ in talks.actors}) == (
        date(2024, 10, 22),
        {"vladimir-putin", "narendra-modi"},
    )
    assert (meeting.date.start, {a.id for a, _ in meeting.actors}) == (
        date(2024, 10, 23),
        {"vladimir-putin", "masoud-pezeshkian"},
    )


def test_the_subject_carries_over_to_a_sentence_without_one(gazetteer):
    text = (
        "Japanese Prime Minister Fumio Kishida met Saudi Crown Prince Mohammed bin Salman in Jeddah on Sunday. "
        "He will travel to Abu Dhabi on Monday to meet UAE President Mohamed bin Zayed."
    )
    _, second = events(text, "2023-07-16", gazetteer, "en")
    assert {a.id for a, _ in second.actors} == {"fumio-kishida", "mohamed-bin-zayed"}
    assert second.place is not None and second.place.id == "abu-dhabi"


def test_a_place_talked_about_is_not_the_venue(gazetteer):
    (call,) = events(
        "بحث الرئيس المصري عبد الفتاح السيسي مع الملك عبد الله الثاني الأوضاع في قطاع غزة خلال لقاء اليوم.",
        "2023-10-16",
        gazetteer,
    )
    assert call.place is None


def test_a_happening_only_quoted_is_not_dated_by_publication(gazetteer):
    text = (
        "ورحب الرئيس التركي رجب طيب أردوغان بالزوار. "
        'وقال أردوغان: "إن الاتفاق مع الرئيس الروسي فلاديمير بوتين سيصمد رغم كل شيء". '
        "وأضاف أن الحوار مستمر."
    )
    assert [c.type for c in events(text, "2023-09-05", gazetteer)] == []


def test_an_emergency_session_of_a_body_is_a_meeting_and_its_topic_no_party(gazetteer):
    (session,) = events(
        "عقد مجلس الأمن الدولي جلسة طارئة أمس لبحث الوضع في السودان.", "2024-03-05", gazetteer
    )
    assert session.type == "meeting" and session.date.start == date(2024, 3, 4)
    assert [a.id for a, _ in session.actors] == ["un-security-council"]
