"""Places an article names, and its dateline (the city a report was filed from).

find_places(doc, language, gazetteer) -> Places(mentions, dateline)
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING

from service.pipeline.actors import Actors, outside_names
from service.pipeline.document import Document
from service.pipeline.gazetteer import Gazetteer, PlaceMention
from service.resources import load_resource

if TYPE_CHECKING:
    from service.pipeline.language import Language

# Sentences of an article's lead (title and first lines); a dateline opens one of them.
LEAD_SENTENCES = 3
# What follows a dateline city: a dash, an agency in brackets, a colon or a comma.
DATELINE_MARKS = tuple(load_resource("characters.yaml")["dateline_marks"])


@dataclass(frozen=True)
class Places:
    """The places named in an article; the dateline is kept apart from them."""

    mentions: list[PlaceMention]
    dateline: PlaceMention | None


def find_places(doc: Document, language: Language, gazetteer: Gazetteer, actors: Actors) -> Places:
    """Takes a read document and its actors; returns the places it names (none inside a person's
    name or title) and its dateline, if any."""
    places = outside_names(gazetteer.find_places(doc.text, language, doc.norm), actors.mentions)
    dateline = _dateline(places, doc)
    return Places([p for p in places if p is not dateline], dateline)


def _dateline(places: Sequence[PlaceMention], doc: Document) -> PlaceMention | None:
    """A place opening the article's first body line and followed by a dash or an agency in brackets."""
    for sentence in doc.sentences[:LEAD_SENTENCES]:
        for place in places:
            if place.start - sentence.start <= 2 and sentence.start <= place.start:
                following = doc.text[place.end : place.end + 3].strip()
                if following[:1] in DATELINE_MARKS:
                    return place
    return None
