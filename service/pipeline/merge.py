"""Merging: which event mentions describe the same real-world event, and what that event looks like.

Pure and deterministic: clusters depend only on the mentions' content, never on the order in
which articles arrived, so ingesting in any order (or re-merging after a delete) gives one timeline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

# Event types that can describe the same happening: a meeting reported elsewhere as talks; a
# video summit elsewhere called a call. Talks and meetings happen in person or remotely. A visit
# and the meetings held during it are separate events (README, "How events are read"), so a visit
# only matches a visit. Written outputs stay apart from encounters; other types only match themselves.
TYPE_FAMILIES: dict[str, frozenset[str]] = {
    "visit": frozenset({"travel"}),
    "summit": frozenset({"encounter"}),
    "consultation": frozenset({"encounter"}),
    "meeting": frozenset({"encounter", "remote"}),
    "talks": frozenset({"encounter", "remote"}),
    "video_summit": frozenset({"remote"}),
    "phone_call": frozenset({"remote"}),
    "statement": frozenset({"written"}),
    "agreement": frozenset({"written"}),
    "message": frozenset({"written"}),
    "announcement": frozenset({"written"}),
}


@dataclass(frozen=True)
class MentionFacts:
    """What merging needs to know about one event mention."""

    key: tuple[str, int, str]  # content-based identity: (article content hash, span start, trigger)
    type: str
    start: date
    end: date
    granularity: str
    people: frozenset[str]  # person actor ids
    others: frozenset[str]  # organisation and country actor ids
    location_id: str | None
    status: str
    confidence: float
    article: str  # article identity (content hash), to count independent sources


@dataclass(frozen=True)
class MergedEvent:
    type: str
    start: date
    end: date
    granularity: str
    actors: tuple[str, ...]
    location_id: str | None
    status: str
    confidence: float


def families(event_type: str) -> frozenset[str]:
    return TYPE_FAMILIES.get(event_type, frozenset({event_type}))


def same_family(a: str, b: str) -> bool:
    """Could events of these two types be the same happening?"""
    return bool(families(a) & families(b))


def related_types(event_type: str) -> tuple[str, ...]:
    """Every type that can describe the same happening as this one (itself included)."""
    return tuple(sorted({t for t in TYPE_FAMILIES if same_family(t, event_type)} | {event_type}))


def width(facts: MentionFacts) -> int:
    """Days covered: the smaller, the more precise."""
    return (facts.end - facts.start).days


def compatible(a: MentionFacts, b: MentionFacts) -> bool:
    """Could these two mentions report the same event?"""
    if not same_family(a.type, b.type):
        return False
    if a.start > b.end or b.start > a.end:
        return False
    if a.location_id and b.location_id and a.location_id != b.location_id:
        return False
    if a.people and b.people:
        return a.people <= b.people or b.people <= a.people
    actors_a, actors_b = a.people | a.others, b.people | b.others
    if not actors_a or not actors_b:
        return a.article == b.article and not actors_a and not actors_b
    return bool(actors_a & actors_b) and (actors_a <= actors_b or actors_b <= actors_a)


def _order(facts: MentionFacts) -> tuple:
    # Most precise first, then by content: the order never depends on ingestion order.
    return (width(facts), facts.start, facts.type, sorted(facts.people | facts.others), facts.key)


def cluster(mentions: Sequence[MentionFacts]) -> list[list[int]]:
    """Group mention indexes into events: a mention joins the first group it is compatible with in full."""
    groups: list[list[int]] = []
    for index in sorted(range(len(mentions)), key=lambda i: _order(mentions[i])):
        for group in groups:
            if all(compatible(mentions[index], mentions[other]) for other in group):
                group.append(index)
                break
        else:
            groups.append([index])
    return [sorted(group, key=lambda i: mentions[i].key) for group in groups]


def merge(mentions: Sequence[MentionFacts]) -> MergedEvent:
    """One event from the mentions of one group: the most precise date, the commonest type."""
    ordered = sorted(mentions, key=_order)
    best = ordered[0]
    type_votes = Counter(m.type for m in mentions)
    top = max(type_votes.values())
    event_type = next(m.type for m in ordered if type_votes[m.type] == top)
    actor_votes = Counter(actor for m in mentions for actor in sorted(m.people) + sorted(m.others))
    actors = tuple(sorted(actor_votes, key=lambda a: (-actor_votes[a], a)))
    location_votes = Counter(m.location_id for m in mentions if m.location_id)
    location = min(location_votes, key=lambda loc: (-location_votes[loc], loc)) if location_votes else None
    status = "past" if any(m.status == "past" for m in mentions) else "planned"
    sources = len({m.article for m in mentions})
    confidence = min(1.0, max(m.confidence for m in mentions) + 0.05 * (sources - 1))
    return MergedEvent(
        type=event_type,
        start=best.start,
        end=best.end,
        granularity=best.granularity,
        actors=actors,
        location_id=location,
        status=status,
        confidence=round(confidence, 3),
    )
