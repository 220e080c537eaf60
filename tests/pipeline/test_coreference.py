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
