"""Load and check every language resource at start-up, so a broken data file fails fast."""

from __future__ import annotations

from functools import cache

from service.pipeline.gazetteer import Gazetteer
from service.pipeline.language import shipped_languages
from service.pipeline.titles import validate_titles
from service.pipeline.world import shipped_world, validate_world
from service.resources import load_resource


def validate_resources() -> None:
    """Compile every language's lexicons and the gazetteer, check the world data; raises if invalid."""
    _validate_shipped_world()  # the gazetteer reads it
    for language in shipped_languages().values():
        _ = (language.events, language.grammar, language.names)
    Gazetteer.load()
    validate_titles()


@cache
def _validate_shipped_world() -> None:
    validate_world(shipped_world(), (entry["id"] for entry in load_resource("actors.yaml")["actors"]))
