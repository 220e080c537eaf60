"""Coreference: surnames, honorifics and bare offices refer back to people named in full."""

from __future__ import annotations

from datetime import date

import pytest

from service.pipeline import extract
from service.pipeline.gazetteer import Gazetteer
from tests.pipeline.languages import LANGUAGES


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def events(text: str, published: str, gazetteer: Gazetteer, language: str = "ar"):
    return extract(text, date.fromisoformat(published), LANGUAGES[language], gazetteer)


def test_surnames_and_offices_refer_back_to_people_named_in_full(gazetteer):
    text = (
        "التقى الرئيس الأمريكي جو بايدن أمس الاثنين رئيس الوزراء العراقي محمد شياع السوداني في البيت الأبيض. "
        "ومن المقرر أن يلتقي السوداني اليوم الثلاثاء وزير الخارجية الأمريكي أنتوني بلينكن."
    )
    first, second = events(text, "2024-04-16", gazetteer)
    assert {a.id for a, _ in second.actors} == {"mohammed-shia-al-sudani", "antony-blinken"}
    english = (
        "Joe Biden met Saudi Crown Prince Mohammed bin Salman in Jeddah on Friday. "
        "On Saturday the crown prince met Egyptian President Abdel Fattah el-Sisi, and Prince Mohammed "
        "later held talks with Emmanuel Macron by phone on Sunday."
    )
    found = events(english, "2022-07-18", gazetteer, "en")
    assert all("mohammed-bin-salman" in {a.id for a, _ in c.actors} for c in found)


@pytest.mark.parametrize(
    "text, published, expected",
    [
        (  # "the president of the republic", no nationality: the president named before
            "وصل رئيس الجمهورية، عبد المجيد تبون، إلى روما اليوم الأحد. "
            "ويقوم رئيس الجمهورية بزيارة عمل إلى إيطاليا يومي 2 و3 يونيو.",
            "2024-06-02",
            ("abdelmadjid-tebboune", "italy"),
        ),
    ],
)
def test_a_bare_office_of_the_own_country_refers_back(text, published, expected, gazetteer):
    visits = [
        c for c in events(text, published, gazetteer) if c.type == "visit" and c.date.granularity == "range"
    ]
    assert visits and all(tuple(sorted(a.id for a, _ in c.actors)) == expected for c in visits)


def test_a_bare_office_prefers_the_person_introduced_with_those_words(gazetteer):
    # two presidents named; "رئيس الجمهورية" was how the first was introduced, "الرئيس X" titles X
    text = (
        "استقبل رئيس الجمهورية عبد المجيد تبون اليوم الأحد في الجزائر الرئيس التركي رجب طيب أردوغان. "
        "وأكد رئيس الجمهورية خلال اللقاء متانة العلاقات."
    )
    found = with_coreferences_of(text, "2023-07-23", gazetteer)
    assert found[-1] == ("رئيس الجمهورية", "abdelmadjid-tebboune")


def with_coreferences_of(text: str, published: str, gazetteer: Gazetteer) -> list[tuple[str, str | None]]:
    from service.pipeline.coreference import with_coreferences
    from service.pipeline.document import read

    on = date.fromisoformat(published)
    arabic = LANGUAGES["ar"]
    mentions = gazetteer.find_actors(text, arabic, on)
    return [(m.text, m.actor_id) for m in with_coreferences(mentions, read(text, on), arabic, gazetteer)]


def test_a_subject_right_after_its_verb_is_the_sentences_own(gazetteer):
    text = (
        "أجرى الرئيس الأمريكي جو بايدن محادثات مع الرئيس الصيني شي جين بينغ في بالي أمس. "
        "وزار الرئيس الفرنسي إيمانويل ماكرون القاهرة في يونيو 2022."
    )
    visits = [c for c in events(text, "2022-11-15", gazetteer) if c.type == "visit"]
    assert [sorted(a.id for a, _ in c.actors) for c in visits] == [["egypt", "emmanuel-macron"]]
