"""References back: an undated mention ("the visit", "the two leaders' call") joins an event told before.

Told(events) files what was reported so far; referent(draft, told) finds the event a mention
refers back to; as_reference(draft, event) is the mention as one more report of it.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Iterator
from dataclasses import replace

from service.pipeline.events import DATE_SCORES, Draft, EventCandidate
from service.pipeline.merge import same_family

# A reference back joins one of the nearest events told before (or after) it, never one further
# than this many events away (no article of normal length reports that many).
REFERENT_REACH = 200


class Told:
    """The events reported so far, filed by the start of their sentence (nearest first lookups)."""

    def __init__(self, events: list[EventCandidate]) -> None:
        self.starts: list[int] = []
        self.at: dict[int, list[EventCandidate]] = {}
        for event in events:
            self.add(event)

    def add(self, event: EventCandidate) -> None:
        if event.span_start not in self.at:
            insort(self.starts, event.span_start)
            self.at[event.span_start] = []
        self.at[event.span_start].append(event)

    def nearest(self, position: int) -> Iterator[EventCandidate]:
        """Events told at or before `position`, nearest first, then those told after, nearest first
        (in the order they were reported when told in the same sentence); at most REFERENT_REACH
        each way, so an article with thousands of events stays linear."""
        split = bisect_right(self.starts, position)
        for indexes in (range(split - 1, -1, -1), range(split, len(self.starts))):
            seen = 0
            for index in indexes:
                for event in self.at[self.starts[index]]:
                    yield event
                    seen += 1
                if seen >= REFERENT_REACH:
                    break


def referent(draft: Draft, told: Told) -> EventCandidate | None:
    """The already reported event an undated mention refers back to, if any: the nearest one told
    before its sentence; one told later only when none was before."""
    for event in told.nearest(draft.sentence_start):
        if not same_family(draft.trigger.type, event.type):
            continue
        people = {a.id for a, _ in event.actors if a.kind == "person"}
        others = {a.id for a, _ in event.actors if a.kind != "person"}
        mine_people, mine_others = set(draft.persons), set(draft.others) | set(draft.stand_ins)
        if mine_people:
            # a reference back adds no one new; a mention naming more people is a happening of its
            # own, unless it names the event as known ("during the visit, he met X")
            if not (people and mine_people <= people) and not (
                draft.trigger.definite and draft.trigger.type == "visit" and people & mine_people
            ):
                continue
        elif mine_others:
            if not (mine_others & (others | people)) and not draft.trigger.definite:
                continue
        elif not draft.trigger.definite:
            continue
        if draft.place is not None and event.place is not None and draft.place.id != event.place.id:
            continue
        if draft.place is not None and event.place is None and mine_people:
            continue
        return event
    return None


def as_reference(draft: Draft, target: EventCandidate) -> EventCandidate:
    return replace(
        target,
        trigger=draft.trigger.text,
        sentence=draft.sentence,
        span_start=draft.sentence_start,
        span_end=draft.sentence_end,
        expression=draft.expression,
        resolution="discourse",
        confidence=round(min(target.confidence, 0.5 * DATE_SCORES["discourse"] + 0.5 * target.confidence), 3),
    )
