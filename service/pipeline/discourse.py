"""Dating drafts by discourse: what a sentence without a date of its own refers to or follows.

    date_by_discourse(drafts, doc, language, gazetteer) -> [EventCandidate]

A draft with its own date and someone taking part is an event. One without: a reference back
("the visit") joins the event it refers to; a meeting during a visit takes the visit's dates; a
happening told next to a dated one of the same programme takes that date; an undated happening in
the lead (or a call, or another news item) took place on the publication day; anything else is
background and yields nothing.
"""

from __future__ import annotations

from bisect import bisect_right, insort
from collections.abc import Iterator
from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from service.pipeline.attach import IN_PERSON_FAMILIES, PLACELESS_TYPES
from service.pipeline.document import Document
from service.pipeline.events import DATE_SCORES, Draft, EventCandidate, candidate
from service.pipeline.gazetteer import ActorRecord, Gazetteer
from service.pipeline.merge import families, same_family
from service.pipeline.places import LEAD_SENTENCES
from service.pipeline.quotations import quotations, quoted
from service.pipeline.temporal import DateSpan
from service.pipeline.triggers import EventLexicon

if TYPE_CHECKING:
    from service.pipeline.language import Language

# Happenings held during a visit: without a day of their own they take the visit's dates, and a
# visit whose host is unnamed takes their counterpart as host. A visit is looked for in the same
# sentence or up to DURING_REACH sentences before.
DURING_VISIT_TYPES = ("meeting", "talks", "consultation", "agreement")
DURING_REACH = 3
# A reference back joins one of the nearest events told before (or after) it, never one further
# than this many events away (no article of normal length reports that many).
REFERENT_REACH = 200
# How far (characters) around a trigger a duration or a "concluded" cue may stand.
DURATION_WINDOW = 60
CONCLUDE_WINDOW = 40
DURATION_CUE_REACH = 25


def date_by_discourse(
    drafts: list[Draft], doc: Document, language: Language, gazetteer: Gazetteer
) -> list[EventCandidate]:
    """Takes an article's drafts; returns its event mentions, each dated by its own expression, by
    discourse or by publication (drafts that get no date are dropped), in text order."""
    lexicon = language.events
    published_at = doc.published_at
    events: list[tuple[Draft, EventCandidate]] = []
    # 1. Drafts with their own date and someone taking part.
    for draft in drafts:
        if draft.expression is None or not draft.has_participants:
            continue
        span = _widen(draft, draft.expression.date, doc, lexicon)
        events.append(
            (
                draft,
                candidate(draft, span, draft.expression, draft.expression.anchor, published_at, gazetteer),
            )
        )
    dated_in: dict[int, list[Draft]] = {}
    for draft, _ in events:
        dated_in.setdefault(draft.sentence_index, []).append(draft)
    told = _Told([event for _, event in events])
    quoted_spans = quotations(doc.text)
    hosts: list[tuple[EventCandidate, EventCandidate]] = []  # (visit, a meeting held during it)
    for draft in drafts:
        if draft.expression is not None and draft.has_participants:
            continue
        # 2. A reference back to an event already reported ("the visit", "the two leaders' call").
        target = _referent(draft, told)
        if target is not None:
            events.append((draft, _as_reference(draft, target)))
            told.add(events[-1][1])
            continue
        if not draft.has_participants or quoted(draft.trigger.start, quoted_spans):
            continue  # no one takes part, or words someone said: not a happening of its own
        # 3. A meeting or talks held during a visit told just before, without a day of its own,
        #    takes the visit's dates.
        visit = _visit_during(draft, events, drafts)
        if visit is not None:
            events.append((draft, _during(draft, visit, published_at, gazetteer)))
            told.add(events[-1][1])
            hosts.append((visit, events[-1][1]))
            continue
        # 4. A new happening told with or right after a dated one shares its date (the same
        #    day's programme: a visit, then the talks; talks, then the visit).
        previous = [
            d
            for d in dated_in.get(draft.sentence_index - 1, []) + dated_in.get(draft.sentence_index, [])
            if d.expression and _same_programme(d.trigger.type, draft.trigger.type)
        ]
        if previous and any(p in previous[-1].persons for p in draft.persons):
            expression = previous[-1].expression
            assert expression is not None
            events.append(
                (draft, candidate(draft, expression.date, expression, "discourse", published_at, gazetteer))
            )
            told.add(events[-1][1])
            continue
        # 5. The lead's undated news happened on the publication day; so did a call between two
        #    named people anywhere in the article (calls are reported the day they happen).
        remote_call = draft.trigger.type in PLACELESS_TYPES and len(draft.persons) >= 2
        news_item = (
            draft.persons
            and lexicon.news_item_cues
            and lexicon.news_item_cues.match(doc.normalised(draft.sentence_start, draft.sentence_end))
        )  # "Separately, ...": another item of the day's news
        lead = draft.sentence_index < LEAD_SENTENCES and (draft.persons or draft.stand_ins)
        if lead or remote_call or news_item:
            span = DateSpan(published_at, published_at, "day")
            events.append((draft, candidate(draft, span, None, "publication", published_at, gazetteer)))
            told.add(events[-1][1])
    events.sort(key=lambda pair: pair[0].trigger.start)
    candidates = _with_hosts([event for _, event in events], hosts)
    return _collapse_same_sentence(candidates)


def _same_programme(a: str, b: str) -> bool:
    """Could these happenings be told as one day's programme (a visit and the talks during it)?"""
    return same_family(a, b) or bool(families(a) & IN_PERSON_FAMILIES and families(b) & IN_PERSON_FAMILIES)


def _visit_during(
    draft: Draft, events: list[tuple[Draft, EventCandidate]], drafts: list[Draft]
) -> EventCandidate | None:
    """The visit an undated meeting or talks was held during: told in its sentence, or in one of
    the DURING_REACH sentences before it with the same visitor or a reference back ("during the
    visit") in the meeting's sentence; the nearest one."""
    if draft.trigger.type not in DURING_VISIT_TYPES:
        return None
    refers_to_visit = any(
        d.sentence_index == draft.sentence_index and d.trigger.type == "visit" for d in drafts
    )
    best: tuple[int, EventCandidate] | None = None
    for visit_draft, event in events:
        if event.type != "visit":
            continue
        gap = draft.sentence_index - visit_draft.sentence_index
        if not 0 <= gap <= DURING_REACH:
            continue
        people = {a.id for a, _ in event.actors if a.kind == "person"}
        if gap and not (refers_to_visit or people & set(draft.persons)):
            continue
        if best is None or gap < best[0]:
            best = (gap, event)
    return best[1] if best else None


def _during(draft: Draft, visit: EventCandidate, published_at: date, gazetteer: Gazetteer) -> EventCandidate:
    event = candidate(draft, visit.date, visit.expression, "discourse", published_at, gazetteer)
    if event.place is None and visit.place is not None:
        event = replace(event, place=visit.place)
    return event


def _with_hosts(
    candidates: list[EventCandidate], hosts: list[tuple[EventCandidate, EventCandidate]]
) -> list[EventCandidate]:
    """A visit naming only its visitor takes as host the first person met during it."""
    host_of: dict[int, ActorRecord] = {}
    for visit, meeting in hosts:
        people = [a for a, _ in visit.actors if a.kind == "person"]
        if len(people) != 1 or id(visit) in host_of:
            continue
        met = [a for a, _ in meeting.actors if a.kind == "person" and a.id != people[0].id]
        if met and any(a.id == people[0].id for a, _ in meeting.actors):
            host_of[id(visit)] = met[0]
    if not host_of:
        return candidates
    return [
        replace(c, actors=(*c.actors, (host_of[id(c)], "participant"))) if id(c) in host_of else c
        for c in candidates
    ]


def _widen(draft: Draft, span: DateSpan, doc: Document, lexicon: EventLexicon) -> DateSpan:
    """A day-level date becomes a range when the text gives the event a length in days."""
    if span.granularity != "day" or not lexicon.durations:
        return span
    trigger = draft.trigger
    window_start = max(draft.sentence_start, trigger.start - DURATION_WINDOW)
    window_end = min(draft.sentence_end, trigger.end + DURATION_WINDOW)
    local = doc.normalised(window_start, window_end)
    trigger_at = len(doc.normalised(window_start, trigger.start))
    for regex, days in lexicon.durations:
        for match in regex.finditer(local):
            before_trigger = match.end() <= trigger_at
            adjacent = before_trigger and trigger_at - match.end() <= 2
            cued = lexicon.duration_cues is not None and lexicon.duration_cues.search(
                local[max(0, match.start() - DURATION_CUE_REACH) : match.start()]
            )
            if days < 2 or not (adjacent or (cued and not before_trigger)):
                continue
            concluded = lexicon.conclude_cues is not None and lexicon.conclude_cues.search(
                local[max(0, trigger_at - CONCLUDE_WINDOW) : trigger_at]
            )
            if concluded:
                return DateSpan(span.start - timedelta(days=days - 1), span.end, "range")
            return DateSpan(span.start, span.end + timedelta(days=days - 1), "range")
    return span


class _Told:
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


def _referent(draft: Draft, told: _Told) -> EventCandidate | None:
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


def _as_reference(draft: Draft, target: EventCandidate) -> EventCandidate:
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


def _collapse_same_sentence(candidates: list[EventCandidate]) -> list[EventCandidate]:
    """Two triggers of one sentence about one happening ("met ... to discuss") are one mention:
    the one with its own date and the strongest trigger stays."""
    kept: list[EventCandidate] = []
    in_sentence: dict[int, list[int]] = {}  # sentence start -> indexes in kept
    for event in candidates:
        twin = next(
            (
                index
                for index in in_sentence.get(event.span_start, [])
                if same_family(kept[index].type, event.type)
                and kept[index].date == event.date
                and {a.id for a, _ in kept[index].actors} == {a.id for a, _ in event.actors}
            ),
            None,
        )
        if twin is None:
            in_sentence.setdefault(event.span_start, []).append(len(kept))
            kept.append(event)
        elif _rank(event) > _rank(kept[twin]):
            kept[twin] = event
    return kept


def _rank(event: EventCandidate) -> tuple[bool, bool, float]:
    # a happening named by its own word ("held talks") outranks one implied by another ("received")
    return (not event.implied, event.resolution != "discourse", event.confidence)
