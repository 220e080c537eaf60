"""A gazetteer extended with stored actors is the gazetteer built with them, and the one extended is unchanged."""

from __future__ import annotations

from datetime import date

from service.pipeline.gazetteer import ActorRecord, Gazetteer
from tests.pipeline.languages import LANGUAGES


def test_with_actors_equals_a_build_with_the_same_extra_actors() -> None:
    extras = [
        ActorRecord("zarqa-testperson", "Zarqa Testperson", "person", None, {"ar": ("زرقاء تستبيرسون",)}),
        ActorRecord("vladimir-putin", "Vladimir Putin", "person", None, {"en": ("Vova Testalias",)}),
    ]
    text = "Vova Testalias met Zarqa Testperson in Moscow."
    on = date(2024, 6, 1)
    english = LANGUAGES["en"]
    base = Gazetteer.load()
    found_before = base.find_actors(text, english, on)  # English tries built before extending
    extended = base.with_actors(extras)
    built = Gazetteer.load(extra_actors=extras)
    assert extended.actors() == built.actors()
    assert extended.places() == built.places()
    assert sorted(extended.tenures(), key=repr) == sorted(built.tenures(), key=repr)
    assert extended.find_actors(text, english, on) == built.find_actors(text, english, on)
    assert extended.find_places(text, english) == built.find_places(text, english)
    # The shipped gazetteer it shares its tries with is left as it was.
    assert base.find_actor("Vova Testalias") is None
    assert base.find_actors(text, english, on) == found_before
    assert "zarqa-testperson" not in [m.actor_id for m in found_before]
    arabic = LANGUAGES["ar"]  # tries first built after extending: from the extended actors
    assert extended.find_actor("زرقاء تستبيرسون").id == "zarqa-testperson"
    assert extended.find_actors("زرقاء تستبيرسون", arabic, on) == built.find_actors(
        "زرقاء تستبيرسون", arabic, on
    )
