"""Load and check every language resource at start-up, so a broken data file fails fast."""

from __future__ import annotations

from datetime import date
from functools import cache

from service.pipeline.gazetteer import Gazetteer
from service.pipeline.temporal import find_temporal_expressions
from service.pipeline.titles import validate_titles
from service.pipeline.triggers import event_languages, event_lexicon
from service.pipeline.world import shipped_world, validate_world
from service.resources import load_resource


def validate_resources() -> None:
    """Compile every lexicon and the gazetteer, check the world data; raises on invalid entries."""
    _validate_shipped_world()  # the gazetteer reads it
    for language in event_languages():
        event_lexicon(language)
        find_temporal_expressions("", date(2000, 1, 1), language)
    Gazetteer.load()
    validate_titles()


@cache
def _validate_shipped_world() -> None:
    validate_world(shipped_world(), (entry["id"] for entry in load_resource("actors.yaml")["actors"]))
