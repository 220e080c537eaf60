"""People read from the text: new actors for names the data does not know, office descriptions
resolved through the office tables on the event's date, and events that keep every participant."""

from __future__ import annotations

from datetime import date

import pytest

from service.pipeline import extract
from service.pipeline.gazetteer import ActorMention, Gazetteer
from service.pipeline.transliteration import latin_form
from tests.pipeline.languages import LANGUAGES, language_of


@pytest.fixture(scope="module")
def gazetteer() -> Gazetteer:
    return Gazetteer.load()


def titled(gazetteer: Gazetteer, text: str, language: str, on: date) -> ActorMention:
    """The one person the text introduces by a title and a name the data does not know."""
    found = [m for m in gazetteer.find_actors(text, LANGUAGES[language], on) if m.via == "title"]
    assert len(found) == 1, gazetteer.find_actors(text, LANGUAGES[language], on)
    return found[0]


# (text, office, country, name as written): offices the tables do not list. An Arabic name has no
# capitals to end it: news closes it with a comma, a preposition or a word with the article.
NEW_PEOPLE_EN = [
    (
        "Uruguayan Deputy Foreign Minister Martín Etcheverry arrived on Monday.",
        "deputy_foreign_minister",
        "uruguay",
        "Martín Etcheverry",
    ),
    (
        "Chile's interior minister, Rodrigo Valdés Fuentes, said on Friday.",
        "interior_minister",
        "chile",
        "Rodrigo Valdés Fuentes",
    ),
    (
        "Kenyan Finance Minister Peter Omondi Kamau met bankers.",
        "finance_minister",
        "kenya",
        "Peter Omondi Kamau",
    ),
    (
        "The Norwegian Trade Minister Ingrid Solberg Haugen visited the port.",
        "trade_minister",
        "norway",
        "Ingrid Solberg Haugen",
    ),
    (
        "Nigeria's energy minister, Chidi Okafor, toured the refinery.",
        "energy_minister",
        "nigeria",
        "Chidi Okafor",
    ),
    (
        "Interior Minister Tomás Berger of Paraguay opened the border post.",
        "interior_minister",
        "paraguay",
        "Tomás Berger",
    ),
    (
        "Finance Minister Lindiwe Dube of South Africa presented the budget.",
        "finance_minister",
        "south-africa",
        "Lindiwe Dube",
    ),
    (
        "Indonesian Health Minister Sri Wahyuni Hartono spoke first.",
        "health_minister",
        "indonesia",
        "Sri Wahyuni Hartono",
    ),
    ("Polish Justice Minister Tomasz Wróbel resigned.", "justice_minister", "poland", "Tomasz Wróbel"),
    (
        "Vietnam's deputy prime minister, Tran Van Long, arrived in Hanoi.",
        "deputy_prime_minister",
        "vietnam",
        "Tran Van Long",
    ),
    (
        "Mexican Economy Minister Alejandra Ruiz Cortés held talks.",
        "economy_minister",
        "mexico",
        "Alejandra Ruiz Cortés",
    ),
    ("Canadian Ambassador Claire Dubois presented her credentials.", "ambassador", "canada", "Claire Dubois"),
    (
        "Swedish Deputy Defence Minister Erik Lindqvist inspected the base.",
        "deputy_defence_minister",
        "sweden",
        "Erik Lindqvist",
    ),
    (
        "Deputy Foreign Minister Kwame Mensah of Ghana will attend.",
        "deputy_foreign_minister",
        "ghana",
        "Kwame Mensah",
    ),
    (
        "Moroccan Interior Minister Karim Bennani chaired the meeting.",
        "interior_minister",
        "morocco",
        "Karim Bennani",
    ),
    (
        "Senegal's trade minister, Aminata Diallo, signed the deal.",
        "trade_minister",
        "senegal",
        "Aminata Diallo",
    ),
    (
        "Peruvian Energy Minister Jorge Quispe Mamani flew to Lima.",
        "energy_minister",
        "peru",
        "Jorge Quispe Mamani",
    ),
    (
        "Greek Finance Minister Nikos Papadakis answered questions.",
        "finance_minister",
        "greece",
        "Nikos Papadakis",
    ),
    (
        "Japanese Deputy Prime Minister Hiroshi Tanabe gave a speech.",
        "deputy_prime_minister",
        "japan",
        "Hiroshi Tanabe",
    ),
    (
        "Tunisian Health Minister Leila Trabelsi Ben Ali visited the clinic.",
        "health_minister",
        "tunisia",
        "Leila Trabelsi Ben Ali",
    ),
    (
        "Australia's trade minister, Liam O'Connell, landed in Jakarta.",
        "trade_minister",
        "australia",
        "Liam O'Connell",
    ),
    (
        "Argentine Economy Minister Julián Ferreyra announced the plan.",
        "economy_minister",
        "argentina",
        "Julián Ferreyra",
    ),
    (
        "Italian Interior Minister Giulia Santoro met police chiefs.",
        "interior_minister",
        "italy",
        "Giulia Santoro",
    ),
    (
        "Brazilian Justice Minister Renato Alves Pinto testified.",
        "justice_minister",
        "brazil",
        "Renato Alves Pinto",
    ),
    (
        "Vice President Edmundo Falcón of Paraguay opened the summit.",
        "vice_president",
        "paraguay",
        "Edmundo Falcón",
    ),
]

NEW_PEOPLE_AR = [
    (
        "وصل نائب وزير الخارجية الأوروغواياني خوان مارتينيز، أمس",
        "deputy_foreign_minister",
        "uruguay",
        "خوان مارتينيز",
    ),
    ("قال وزير الداخلية التشيلي رودريغو فوينتس، إن", "interior_minister", "chile", "رودريغو فوينتس"),
    ("التقى وزير المالية الكيني بيتر أوموندي، بالمصرفيين", "finance_minister", "kenya", "بيتر أوموندي"),
    ("زارت وزيرة التجارة النرويجية إنغريد هاوغن، الميناء", "trade_minister", "norway", "إنغريد هاوغن"),
    ("تفقد وزير الطاقة النيجيري تشيدي أوكافور، المصفاة", "energy_minister", "nigeria", "تشيدي أوكافور"),
    ("افتتح وزير العدل الكيني توماس بيرغر، المعبر", "justice_minister", "kenya", "توماس بيرغر"),
    ("قدمت وزيرة الاقتصاد التونسية ليندوي دوبي، الميزانية", "economy_minister", "tunisia", "ليندوي دوبي"),
    ("تحدث وزير الصحة الإندونيسي سري هارتونو، أولا", "health_minister", "indonesia", "سري هارتونو"),
    ("استقال وزير العدل البولندي توماش فروبل", "justice_minister", "poland", "توماش فروبل"),
    ("وصل نائب رئيس الوزراء الفيتنامي تران فان لونغ", "deputy_prime_minister", "vietnam", "تران فان لونغ"),
    ("عقد وزير الداخلية البرازيلي ماركوس رويث، محادثات", "interior_minister", "brazil", "ماركوس رويث"),
    ("قدم السفير الكندي كلير دوبوا، أوراق اعتماده", "ambassador", "canada", "كلير دوبوا"),
    (
        "تفقد نائب وزير الدفاع السويدي إريك ليندكفيست، القاعدة",
        "deputy_defence_minister",
        "sweden",
        "إريك ليندكفيست",
    ),
    ("سيحضر نائب وزير الخارجية الغاني كوامي منساه", "deputy_foreign_minister", "ghana", "كوامي منساه"),
    ("ترأس وزير الداخلية المغربي كريم بناني، الاجتماع", "interior_minister", "morocco", "كريم بناني"),
    ("وقعت وزيرة التجارة السنغالية أميناتا ديالو، الاتفاق", "trade_minister", "senegal", "أميناتا ديالو"),
    ("توجه وزير الطاقة البيروفي خورخي كيسبي، إلى ليما", "energy_minister", "peru", "خورخي كيسبي"),
    (
        "أجاب وزير المالية اليوناني نيكوس باباداكيس، عن الأسئلة",
        "finance_minister",
        "greece",
        "نيكوس باباداكيس",
    ),
    (
        "ألقى نائب رئيس الوزراء الياباني هيروشي تانابي، كلمة",
        "deputy_prime_minister",
        "japan",
        "هيروشي تانابي",
    ),
    ("زارت وزيرة الصحة التونسية ليلى الطرابلسي، العيادة", "health_minister", "tunisia", "ليلى الطرابلسي"),
    ("وصل وزير التجارة الأسترالي ليام أوكونيل، إلى جاكرتا", "trade_minister", "australia", "ليام أوكونيل"),
    ("أعلن وزير الاقتصاد الأرجنتيني خوليان فيريرا، الخطة", "economy_minister", "argentina", "خوليان فيريرا"),
    (
        "التقت وزيرة الداخلية الإيطالية جوليا سانتورو، قادة الشرطة",
        "interior_minister",
        "italy",
        "جوليا سانتورو",
    ),
    ("أدلى وزير العدل البرازيلي ريناتو ألفيس، بشهادته", "justice_minister", "brazil", "ريناتو ألفيس"),
    ("قال السفير الإسباني خافيير مورينو، إن", "ambassador", "spain", "خافيير مورينو"),
]


@pytest.mark.parametrize(("text", "office", "country", "name"), NEW_PEOPLE_EN + NEW_PEOPLE_AR)
def test_a_person_the_data_does_not_know_is_read_with_office_and_country(
    gazetteer: Gazetteer, text: str, office: str, country: str, name: str
) -> None:
    language = language_of(text)
    mention = titled(gazetteer, text, language, date(2024, 6, 1))
    assert (mention.office, mention.country, mention.proposed_name) == (office, country, name)
    record = gazetteer.new_actor(mention, LANGUAGES[language])
    assert record is not None and record.kind == "person" and gazetteer.actor(record.id) is None
    assert (record.office, record.country, record.names[language]) == (office, country, (name,))
    assert record.id.isascii() and record.id == record.id.lower() and " " not in record.id
    table = LANGUAGES[language].transliteration
    article = LANGUAGES[language].morphology.article
    assert record.name == (latin_form(name, table, article) if table else name)


def test_new_people_are_many_per_language() -> None:
    assert len(NEW_PEOPLE_EN) >= 25 and len(NEW_PEOPLE_AR) >= 25


@pytest.mark.parametrize(
    ("arabic", "latin"),
    [
        ("باولو رانغيل", "Bawlu Rangil"),
        ("فيكتور أوربان", "Fiktur Urban"),
        ("عبد الفتاح السيسي", "Abd al-Ftah al-Sisi"),
        ("تشيدي أوكافور", "Chidi Ukafur"),
    ],
)
def test_arabic_names_get_a_latin_display_form_by_the_table(arabic: str, latin: str) -> None:
    arabic_folder = LANGUAGES["ar"]
    assert latin_form(arabic, arabic_folder.transliteration, arabic_folder.morphology.article) == latin


# (description, language, first date, holder then, second date, holder then)
OFFICES_ON_TWO_DATES = [
    ("وزير الخارجية البرتغالي", "ar", "2012-06-01", "paulo-portas", "2024-06-01", "paulo-rangel"),
    ("the Portuguese Foreign Minister", "en", "2012-06-01", "paulo-portas", "2024-06-01", "paulo-rangel"),
    ("الرئيس الصربي", "ar", "2012-06-01", "tomislav-nikolic", "2024-06-01", "aleksandar-vucic"),
    ("Serbia's president", "en", "2012-06-01", "tomislav-nikolic", "2024-06-01", "aleksandar-vucic"),
    ("رئيس الأوروغواي", "ar", "2012-06-01", "jose-mujica", "2024-06-01", "luis-lacalle-pou"),
    ("the Chilean President", "en", "2012-06-01", "sebastian-pinera", "2024-06-01", "gabriel-boric"),
    ("الرئيس الكيني", "ar", "2012-06-01", "mwai-kibaki", "2024-06-01", "william-ruto"),
    ("Nigerian President", "en", "2012-06-01", "goodluck-jonathan", "2024-06-01", "bola-tinubu"),
    ("الرئيس الإندونيسي", "ar", "2012-06-01", "susilo-bambang-yudhoyono", "2024-06-01", "joko-widodo"),
    ("Brazil's foreign minister", "en", "2012-06-01", "antonio-patriota", "2024-06-01", "mauro-vieira"),
    ("رئيس الوزراء الياباني", "ar", "2012-06-01", "yoshihiko-noda", "2024-06-01", "fumio-kishida"),
    ("the foreign minister of India", "en", "2012-06-01", "s-m-krishna", "2024-06-01", "s-jaishankar"),
    ("رئيس الحكومة الإسبانية", "ar", "2012-06-01", "mariano-rajoy", "2024-06-01", "pedro-sanchez"),
    ("Italian Prime Minister", "en", "2012-06-01", "mario-monti", "2024-06-01", "giorgia-meloni"),
    ("الرئيس البولندي", "ar", "2012-06-01", "bronislaw-komorowski", "2024-06-01", "andrzej-duda"),
    (
        "Mexico's president",
        "en",
        "2012-06-01",
        "felipe-calderon",
        "2024-06-01",
        "andres-manuel-lopez-obrador",
    ),
    (
        "الرئيسة الأرجنتينية",
        "ar",
        "2012-06-01",
        "cristina-fernandez-de-kirchner",
        "2024-06-01",
        "javier-milei",
    ),
    ("the Canadian Prime Minister", "en", "2012-06-01", "stephen-harper", "2024-06-01", "justin-trudeau"),
    ("رئيس الوزراء الأسترالي", "ar", "2012-06-01", "julia-gillard", "2024-06-01", "anthony-albanese"),
    ("German Chancellor", "en", "2012-06-01", "angela-merkel", "2024-06-01", "olaf-scholz"),
    ("الرئيس الفرنسي", "ar", "2012-06-01", "francois-hollande", "2024-06-01", "emmanuel-macron"),
    ("the South Korean President", "en", "2012-06-01", "lee-myung-bak", "2024-06-01", "yoon-suk-yeol"),
    ("رئيس الوزراء السويدي", "ar", "2012-06-01", "fredrik-reinfeldt", "2024-06-01", "ulf-kristersson"),
    ("Morocco's foreign minister", "en", "2012-06-01", "saadeddine-othmani", "2024-06-01", "nasser-bourita"),
    ("الرئيس التونسي", "ar", "2012-06-01", "moncef-marzouki", "2024-06-01", "kais-saied"),
    ("Senegalese President", "en", "2012-06-01", "macky-sall", "2024-06-01", "bassirou-diomaye-faye"),
    ("رئيس الوزراء الفيتنامي", "ar", "2012-06-01", "nguyen-tan-dung", "2024-06-01", "pham-minh-chinh"),
    ("Norway's foreign minister", "en", "2012-06-01", "jonas-gahr-store", "2024-06-01", "espen-barth-eide"),
]


@pytest.mark.parametrize(("text", "language", "first", "then", "second", "now"), OFFICES_ON_TWO_DATES)
def test_an_office_description_is_its_holder_on_the_date(
    gazetteer: Gazetteer, text: str, language: str, first: str, then: str, second: str, now: str
) -> None:
    for on, expected in ((first, then), (second, now)):
        mentions = gazetteer.find_actors(text, LANGUAGES[language], date.fromisoformat(on))
        assert [m.actor_id for m in mentions] == [expected], (on, mentions)


def test_a_misspelt_name_after_the_right_office_is_the_holder(gazetteer: Gazetteer) -> None:
    on = date(2021, 2, 15)
    for text in (
        "Jordanian Foreign Minister Ayman Safadie said",
        "Foreign Minister Ayman Safadie said",
    ):
        (mention,) = gazetteer.find_actors(text, LANGUAGES["en"], on)
        assert (mention.actor_id, mention.country) == ("ayman-safadi", "jordan")


def test_a_known_name_between_title_and_country(gazetteer: Gazetteer) -> None:
    (mention,) = gazetteer.find_actors(
        "President Aleksandar Vucic of Serbia spoke.", LANGUAGES["en"], date(2024, 6, 1)
    )
    assert (mention.actor_id, mention.office, mention.country) == ("aleksandar-vucic", "president", "serbia")


def test_headline_words_are_no_names(gazetteer: Gazetteer) -> None:
    mentions = gazetteer.find_actors(
        "Foreign Minister Holds Talks With Envoy", LANGUAGES["en"], date(2024, 6, 1)
    )
    assert all(m.proposed_name is None for m in mentions)


def people(text: str, on: str, language: str, gazetteer: Gazetteer) -> list[tuple[str, frozenset[str]]]:
    return [
        (event.type, frozenset(actor.id for actor, _ in event.actors))
        for event in extract(text, date.fromisoformat(on), LANGUAGES[language], gazetteer)
    ]


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Serbian President Aleksandar Vucic will host Portuguese Foreign Minister Paulo Rangel in "
            "Belgrade next Tuesday for talks on energy.",
            "en",
            {"aleksandar-vucic", "paulo-rangel"},
        ),
        (
            "استقبل الرئيس الصربي ألكسندر فوتشيتش رئيس الوزراء المجري فيكتور أوربان في بلغراد أمس الثلاثاء.",
            "ar",
            {"aleksandar-vucic", "viktor-orban"},
        ),
        (
            "Egyptian President Abdel Fattah el-Sisi will host Portuguese Foreign Minister Paulo Rangel in "
            "Cairo next Tuesday",
            "en",
            {"abdel-fattah-el-sisi", "paulo-rangel"},
        ),
    ],
)
def test_the_issues_sentences_give_their_event_with_every_participant(
    gazetteer: Gazetteer, text: str, language: str, expected: set[str]
) -> None:
    found = people(text, "2025-03-05", language, gazetteer)
    assert found and all(actors == expected for _, actors in found), found


@pytest.mark.parametrize(
    ("text", "language", "expected"),
    [
        (
            "Uruguayan Deputy Foreign Minister Martín Etcheverry met Bolivian Ambassador Rosa Quispe in "
            "Madrid on Monday.",
            "en",
            {"martin-etcheverry", "rosa-quispe"},
        ),
        (
            "التقى نائب وزير الخارجية الأوروغواياني خوان مارتينيز نظيره البوليفي في مدريد يوم الاثنين.",
            "ar",
            {"khuan-martiniz", "bolivia"},  # the counterpart's holder is unknown: the country stands in
        ),
        ("التقى السفير الكندي وزير المالية الكيني في نيروبي يوم الاثنين.", "ar", {"canada", "kenya"}),
    ],
)
def test_no_event_is_dropped_for_an_unknown_participant(
    gazetteer: Gazetteer, text: str, language: str, expected: set[str]
) -> None:
    assert [actors for _, actors in people(text, "2025-03-05", language, gazetteer)] == [expected]


def test_a_later_surname_refers_back_to_the_new_person(gazetteer: Gazetteer) -> None:
    text = (
        "Uruguayan Deputy Foreign Minister Martín Etcheverry arrived in Madrid on Monday. "
        "Etcheverry met the Spanish Prime Minister on Tuesday."
    )
    found = people(text, "2025-03-05", "en", gazetteer)
    assert ("meeting", frozenset({"martin-etcheverry", "pedro-sanchez"})) in found
