"""Gazetteer: actors (people, organisations, countries), offices over time and places, with matchers.

    records.py  ActorRecord, PlaceRecord, Tenure, ActorMention, PlaceMention
    core.py     Gazetteer: lookups by id, name and date; per-language tries built when first used
    matching.py Gazetteer.find_actors / find_places on a text
    trie.py     token tries and the word-by-word text they are matched on
    loading.py  the shipped data: YAML files, pycountry countries, GeoNames cities

Everything is normalised with `normalise_word`, tokenised into words and put in token tries, so
matching an article is one left-to-right pass over its words.
"""

from service.pipeline.gazetteer.core import Gazetteer
from service.pipeline.gazetteer.records import (
    ACTOR_KINDS,
    ActorMention,
    ActorRecord,
    GazetteerError,
    PlaceMention,
    PlaceRecord,
    Tenure,
)

__all__ = [
    "ACTOR_KINDS",
    "ActorMention",
    "ActorRecord",
    "Gazetteer",
    "GazetteerError",
    "PlaceMention",
    "PlaceRecord",
    "Tenure",
]
