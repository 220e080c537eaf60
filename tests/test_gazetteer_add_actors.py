"""A gazetteer extended in place with stored actors is the gazetteer built with them."""

from __future__ import annotations

from datetime import date

from service.compiled import fresh_gazetteer
from service.pipeline.gazetteer import ActorRecord, Gazetteer
from tests.pipeline.languages import LANGUAGES


def test_add_actors_equals_a_build_with_the_same_extra_actors() -> None:
    extras = [
        ActorRecord("zarqa-testperson", "Zarqa Testperson", "person", None, {"ar": ("زرقاء تستبيرسون",)}),
        ActorRecord("vladimir-putin", "Vladimir Putin", "person", None, {"en": ("Vova Testalias",)}),
    ]
    base = Gazetteer.load()
    extended = fresh_gazetteer()
    extended.add_actors(extras)
    built = Gazetteer.load(extra_actors=extras)
    assert extended.actors() == built.actors()
    assert extended.places() == built.places()
    assert sorted(extended.tenures(), key=repr) == sorted(built.tenures(), key=repr)
    text = "Vova Testalias met Zarqa Testperson in Moscow."
    on = date(2024, 6, 1)
    english = LANGUAGES["en"]
    assert extended.find_actors(text, english, on) == built.find_actors(text, english, on)
    assert extended.find_places(text, english) == built.find_places(text, english)
    assert base.find_actor("Vova Testalias") is None  # the shipped copy is left as it was
