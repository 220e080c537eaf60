"""People, countries and organisations an article names, and the group words standing for them.

    find_actors(doc, language, gazetteer) -> Actors(mentions, groups)

Mentions come from the gazetteer (names, offices, counterparts) and coreference (surnames and
bare offices referring back); group words ("the two leaders") are resolved later, by discourse.
"""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Protocol, TypeVar

from service.pipeline.coreference import with_coreferences, with_country_references
from service.pipeline.document import Document
from service.pipeline.gazetteer import ActorMention, Gazetteer

if TYPE_CHECKING:
    from service.pipeline.language import Language


class _Span(Protocol):
    @property
    def start(self) -> int: ...
    @property
    def end(self) -> int: ...


_Spanned = TypeVar("_Spanned", bound=_Span)


@dataclass(frozen=True)
class GroupMention:
    """A word standing for actors already named: "the two leaders" (persons), "the two countries"."""

    start: int
    end: int
    kind: str  # persons | countries


@dataclass(frozen=True)
class Actors:
    """The actor mentions of an article, in text order, and its group words."""

    mentions: list[ActorMention]
    groups: list[GroupMention]


def find_actors(doc: Document, language: Language, gazetteer: Gazetteer) -> Actors:
    """Takes a read document; returns the actors it names (coreferences included) and its group words."""
    mentions = gazetteer.find_actors(doc.text, language, doc.published_at, doc.norm)
    mentions = with_coreferences(mentions, doc, language, gazetteer)
    mentions = with_country_references(mentions, doc, language, gazetteer)  # "this country"
    return Actors(mentions, _group_mentions(doc, language))


def _group_mentions(doc: Document, language: Language) -> list[GroupMention]:
    lexicon = language.events
    if lexicon.group_pattern is None:
        return []
    spans = []
    for match in lexicon.group_pattern.finditer(doc.norm.text):
        kind = "countries" if match.group("word") in lexicon.country_groups else "persons"
        start, end = doc.norm.to_original(match.start(), match.end())
        spans.append(GroupMention(start, end, kind))
    return spans


def outside_names(found: Sequence[_Spanned], mentions: Sequence[ActorMention]) -> list[_Spanned]:
    """Triggers or places that are not a word of someone's name (a first name that reads as a verb
    with a clitic; the country in a ruler's title is not the city of the same name)."""
    names = sorted((m.start, m.end) for m in mentions if m.via == "name")
    starts = [start for start, _ in names]

    def inside_a_name(item: _Spanned) -> bool:
        index = bisect_right(starts, item.start) - 1
        return index >= 0 and item.end <= names[index][1]

    return [item for item in found if not inside_a_name(item)]
