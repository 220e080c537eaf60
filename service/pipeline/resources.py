"""Load and check every language resource at start-up, so a broken data file fails fast."""

from __future__ import annotations

from datetime import date

from service.pipeline.temporal import find_temporal_expressions
from service.pipeline.triggers import event_languages, event_lexicon


def validate_resources() -> None:
    """Compile every lexicon and the gazetteer once; raises on the first invalid entry."""
    from service.usecases import base_gazetteer

    for language in event_languages():
        event_lexicon(language)
        find_temporal_expressions("", date(2000, 1, 1), language)
    base_gazetteer()
