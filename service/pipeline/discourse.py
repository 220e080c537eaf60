"""Dating drafts by discourse: what a sentence without a date of its own refers to or follows.

    date_by_discourse(drafts, doc, language, gazetteer) -> [EventCandidate]

A draft with its own date and someone taking part is an event. One without: a reference back
("the visit") joins the event it refers to (references.py); a meeting during a visit takes the
visit's dates; a happening told next to a dated one of the same programme takes that date; what
"the two leaders" did takes the date of their encounter; an undated happening in the lead (or a
call, or another news item) took place on the publication day; anything else is background and
yields nothing. A title's event that the lead retells with a date of its own takes the lead's date.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date, timedelta
from typing import TYPE_CHECKING

from service.pipeline.attach import IN_PERSON_FAMILIES, PLACELESS_TYPES
from service.pipeline.document import Document
from service.pipeline.durations import widen
from service.pipeline.events import (
    HOST_COUNTRY_ROLE,
    Draft,
    EventCandidate,
    candidate,
    home_country,
    record_of,
)
from service.pipeline.gazetteer import ActorRecord, Gazetteer
from service.pipeline.merge import families, same_family
from service.pipeline.places import LEAD_SENTENCES
from service.pipeline.quotations import quotations, quoted
from service.pipeline.references import Told, as_reference, referent
from service.pipeline.sentences import Sentence
from service.pipeline.temporal import DateSpan
from service.pipeline.twins import collapse_same_sentence, without_country_twins

if TYPE_CHECKING:
    from collections.abc import Sequence

    from service.pipeline.language import Language

# Lines this short (a byline, a time stamp, a photo caption) are not sentences of the lead.
LEAD_MIN_WORDS = 6
# Happenings held during a visit: without a day of their own they take the visit's dates, and a
# visit whose host is unnamed takes their counterpart as host. A visit is looked for in the same
# sentence or up to DURING_REACH sentences before.
DURING_VISIT_TYPES = ("meeting", "talks", "consultation", "agreement")
DURING_REACH = 3
# A headline with no date of its own reports news: a lead happening that ended more than this
# long before publication is background the lead adds, not the headline's news retold; a
# headline's own date ("this week") is refined by a lead date at most this far from it.
HEADLINE_NEWS_DAYS = 31
# What one party signs during a visit is signed with its host.
SIGNED_TYPES = ("agreement",)
# The offices of a country's leader, who hosts its visitors.
LEADER_OFFICES = frozenset(("president", "king", "queen", "emir", "sultan", "head_of_state"))


def date_by_discourse(
    drafts: list[Draft], doc: Document, language: Language, gazetteer: Gazetteer
) -> list[EventCandidate]:
    """Takes an article's drafts; returns its event mentions, each dated by its own expression, by
    discourse or by publication (drafts that get no date are dropped), in text order."""
    lexicon = language.events
    published_at = doc.published_at
    lead = lead_end(doc.sentences)
    events: list[tuple[Draft, EventCandidate]] = []
    # 1. Drafts with their own date and someone taking part.
    for draft in drafts:
        if draft.expression is None or not draft.has_participants:
            continue
        span = widen(draft, draft.expression.date, doc, lexicon)
        expression = draft.expression
        events.append((draft, candidate(draft, span, expression, expression.anchor, published_at, gazetteer)))
    dated_in: dict[int, list[Draft]] = {}
    for draft, _ in events:
        dated_in.setdefault(draft.sentence_index, []).append(draft)
    told = Told([event for _, event in events])
    quoted_spans = quotations(doc.text)
    hosts: list[tuple[EventCandidate, EventCandidate]] = []  # (visit, a meeting held during it)
    for draft in drafts:
        if draft.expression is not None and draft.has_participants:
            continue
        # 2. A reference back to an event already reported ("the visit", "the two leaders' call").
        target = referent(draft, told)
        if target is not None and draft.sentence_index < lead and not draft.trigger.definite:
            # the lead's own news ("leaves for Colombo"), not an earlier happening recalled later
            target = target if _is_news(target.date, published_at) else None
        if target is not None:
            events.append((draft, as_reference(draft, target)))
            told.add(events[-1][1])
            continue
        if (
            not draft.has_participants
            and not dated_in.get(draft.sentence_index)  # no other happening dated in its sentence
            and (pair := _pair_visiting(draft, events)) is not None
        ):
            # "the programme includes a bilateral meeting": the visitor's and host's, during the visit
            draft, visit = replace(draft, persons=pair[0]), pair[1]
            events.append((draft, _during(draft, visit, published_at, gazetteer)))
            told.add(events[-1][1])
            continue
        if not draft.has_participants or quoted(draft.trigger.start, quoted_spans):
            continue  # no one takes part, or words someone said: not a happening of its own
        # 3. A meeting or talks held during a visit told just before, without a day of its own,
        #    takes the visit's dates.
        visit = _visit_during(draft, events, drafts, gazetteer)
        if visit is None and (joined := _with_lead_visitor(draft, events, lead, gazetteer)) is not None:
            # "during talks with the prime minister, ...": the visit the article reports, its visitor's talks
            draft, visit = joined
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
        # 5. "The two leaders also signed ...": a pair named by a group word did it at their
        #    latest dated encounter told before.
        encounter = _pair_encounter(draft, events)
        if encounter is not None:
            events.append((draft, _during(draft, encounter, published_at, gazetteer)))
            told.add(events[-1][1])
            continue
        # 6. The lead's undated news happened on the publication day; so did a call between two
        #    named people anywhere in the article (calls are reported the day they happen).
        remote_call = draft.trigger.type in PLACELESS_TYPES and len(draft.persons) >= 2
        news_item = (
            draft.persons
            and lexicon.news_item_cues
            and lexicon.news_item_cues.match(doc.normalised(draft.sentence_start, draft.sentence_end))
        )  # "Separately, ...": another item of the day's news
        in_lead = draft.sentence_index < lead and (draft.persons or draft.stand_ins)
        if in_lead or remote_call or news_item:
            span = DateSpan(published_at, published_at, "day")
            events.append((draft, candidate(draft, span, None, "publication", published_at, gazetteer)))
            told.add(events[-1][1])
    events.sort(key=lambda pair: pair[0].trigger.start)
    events = _without_retellings(events, gazetteer)
    events = _title_as_lead(events, lead, published_at)
    candidates = _with_hosts([event for _, event in events], hosts)
    candidates = _hosted_by_named_leader(candidates, gazetteer)
    return without_country_twins(collapse_same_sentence(candidates), gazetteer)


def lead_end(sentences: Sequence[Sentence]) -> int:
    """Index of the first sentence after the lead: LEAD_SENTENCES full sentences, not counting the
    short lines (bylines, time stamps, captions) between them."""
    full = 0
    for index, sentence in enumerate(sentences):
        if len(sentence.text.split()) >= LEAD_MIN_WORDS:
            full += 1
            if full == LEAD_SENTENCES:
                return index + 1
    return len(sentences)


def _title_as_lead(
    events: list[tuple[Draft, EventCandidate]], lead_end: int, published_at: date
) -> list[tuple[Draft, EventCandidate]]:
    """The title restates the lead: a title's event that a lead sentence reports again, with the
    same type and people and a date of its own, takes the lead's date ("to tour Chile this month"
    over "will tour Chile on May 4-6"). The lead's date must refine the title's own date, or, for
    a title with none, be news rather than an earlier happening the lead recalls."""
    people = {id(c): {a.id for a, _ in c.actors if a.kind == "person"} for _, c in events}
    retold = []
    for draft, event in events:
        if draft.sentence_index == 0 and people[id(event)]:
            lead = next(
                (
                    c
                    for d, c in events
                    if 0 < d.sentence_index < lead_end
                    and d.expression is not None
                    and c.type == event.type
                    and people[id(event)] <= people[id(c)]
                    and c.date != event.date
                    and _refines(c.date, event, published_at)
                ),
                None,
            )
            if lead is not None:
                event = replace(
                    event,
                    date=lead.date,
                    expression=lead.expression,
                    resolution="discourse",
                    status=lead.status,
                )
        retold.append((draft, event))
    return retold


def _without_retellings(
    events: list[tuple[Draft, EventCandidate]], gazetteer: Gazetteer
) -> list[tuple[Draft, EventCandidate]]:
    """ "This visit will last two days": a definite mention naming no one but countries, dated
    within an event of its kind told before that involves those countries, tells that event again."""
    kept: list[tuple[Draft, EventCandidate]] = []
    for draft, event in events:
        countries = {a.id for a, _ in event.actors}
        # "this visit, 'a working visit' ...": a definite trigger of the sentence names it
        definite = [
            t for t in (draft.trigger, *draft.namesakes) if t.definite and same_family(t.type, event.type)
        ]
        if (
            definite
            and not draft.persons
            and any(
                same_family(told.type, event.type)
                and told.date.start <= event.date.end
                and event.date.start <= told.date.end
                and countries <= _involved(told, gazetteer)
                for _, told in kept
            )
        ):
            continue
        kept.append((draft, event))
    return kept


def _involved(event: EventCandidate, gazetteer: Gazetteer) -> set[str]:
    """The actors of an event and the countries its people represent."""
    involved = {a.id for a, _ in event.actors}
    involved.update(
        country
        for a, _ in event.actors
        if a.kind == "person" and (country := home_country(a, gazetteer, event.date.start))
    )
    return involved


def _refines(lead: DateSpan, title: EventCandidate, published_at: date) -> bool:
    if title.expression is not None:  # "this week" refined by "on Jan. 3-4" (possibly just after)
        near = timedelta(days=HEADLINE_NEWS_DAYS)
        return title.date.start - near <= lead.end and lead.start <= title.date.end + near
    return _is_news(lead, published_at)


def _is_news(span: DateSpan, published_at: date) -> bool:
    """Could a headline with no date of its own report this (not long over by publication)?"""
    return span.end >= published_at - timedelta(days=HEADLINE_NEWS_DAYS)


def _same_programme(a: str, b: str) -> bool:
    """Could these happenings be told as one day's programme (a visit and the talks during it)?"""
    return same_family(a, b) or bool(families(a) & IN_PERSON_FAMILIES and families(b) & IN_PERSON_FAMILIES)


def _pair_encounter(draft: Draft, events: list[tuple[Draft, EventCandidate]]) -> EventCandidate | None:
    """The latest in-person encounter told before a happening whose people a group word names
    ("the presidents signed ...") with those same people; None when the group word named nobody."""
    if draft.actor_via != "group" or len(draft.persons) < 2:
        return None
    earlier = [
        event
        for earlier_draft, event in events
        if earlier_draft.sentence_index < draft.sentence_index
        and families(event.type) & IN_PERSON_FAMILIES
        and set(draft.persons) <= {a.id for a, _ in event.actors if a.kind == "person"}
    ]
    # the meeting itself rather than the visit it was part of
    return next((c for c in reversed(earlier) if c.type != "visit"), earlier[-1] if earlier else None)


def _with_lead_visitor(
    draft: Draft, events: list[tuple[Draft, EventCandidate]], lead: int, gazetteer: Gazetteer
) -> tuple[Draft, EventCandidate] | None:
    """Undated talks or a meeting with one counterpart of the host side, named by name, anywhere in
    an article whose lead reports a visit: held during that visit, by its visitor and that
    counterpart (None otherwise; one known only by office, far from the lead, is too unsure)."""
    if draft.trigger.type not in DURING_VISIT_TYPES:
        return None
    visit_draft, visit = next(((d, e) for d, e in events if e.type == "visit"), (None, None))
    if (
        visit_draft is None
        or visit is None
        or not visit_draft.sentence_index < min(lead, draft.sentence_index)
    ):
        return None
    people = [a for a, _ in visit.actors if a.kind == "person"]
    counterparts = [p for p in draft.persons if p not in {a.id for a in people}]
    if len(counterparts) != 1 or counterparts[0] in draft.roles:
        return None
    on = visit.date.start
    side = home_country(record_of(counterparts[0], draft, gazetteer), gazetteer, on)

    def countries(person: ActorRecord) -> set[str | None]:  # a monarch may reign over several
        return {t.country for t in gazetteer.offices_of(person.id, on)} | {
            home_country(person, gazetteer, on)
        }

    visitors = [a for a in people if side not in countries(a)]
    hosts = {a.id for a, _ in visit.actors if a.kind == "country"}.union(*(countries(a) for a in people))
    if side is None or len(visitors) != 1 or side not in hosts:
        return None
    return replace(draft, persons=[visitors[0].id, *counterparts]), visit


def _pair_visiting(
    draft: Draft, events: list[tuple[Draft, EventCandidate]]
) -> tuple[list[str], EventCandidate] | None:
    """The visitor and host of the nearest visit told in a meeting noun's sentence or the
    DURING_REACH before it, for a meeting naming no one; None without such a visit."""
    if draft.trigger.type not in DURING_VISIT_TYPES or not draft.trigger.noun:
        return None
    visits = [
        (draft.sentence_index - visit_draft.sentence_index, event)
        for visit_draft, event in events
        if event.type == "visit" and 0 <= draft.sentence_index - visit_draft.sentence_index <= DURING_REACH
    ]
    if not visits:
        return None
    _, visit = min(visits, key=lambda pair: pair[0])
    people = [a.id for a, _ in visit.actors if a.kind == "person"]
    return (people, visit) if len(people) == 2 else None


def _visit_during(
    draft: Draft, events: list[tuple[Draft, EventCandidate]], drafts: list[Draft], gazetteer: Gazetteer
) -> EventCandidate | None:
    """The visit an undated meeting or talks was held during: told in its sentence, or in one of
    the DURING_REACH sentences before it with the same visitor, a country it involves, or a
    reference back ("during the visit") in the meeting's sentence; the nearest one."""
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
        if gap and not (
            refers_to_visit or people & set(draft.persons) or _same_countries(draft, event, gazetteer)
        ):
            continue
        if best is None or gap < best[0]:
            best = (gap, event)
    return best[1] if best else None


def _same_countries(draft: Draft, visit: EventCandidate, gazetteer: Gazetteer) -> bool:
    """Does a happening naming only countries ("Brazil and the UK will sign ...") name a country the
    visit involves (the host country, a country its people hold office in, its venue's country)?"""
    if draft.persons or len(draft.others) < 2:
        return False
    countries = {a.id for a, _ in visit.actors if a.kind == "country"}
    for actor, _ in visit.actors:
        countries.update(t.country for t in gazetteer.offices_of(actor.id, visit.date.start))
    if visit.place is not None and visit.place.country:
        countries.add(visit.place.country)
    return bool(set(draft.others) & countries)


def _during(draft: Draft, visit: EventCandidate, published_at: date, gazetteer: Gazetteer) -> EventCandidate:
    event = candidate(draft, visit.date, visit.expression, "discourse", published_at, gazetteer)
    if event.place is None and visit.place is not None:
        event = replace(event, place=visit.place)
    if event.type in SIGNED_TYPES and len(event.actors) == 1:
        # "during the visit, X will sign ...": the host country is the other party
        # (the venue's country when the host is a person)
        hosts = [a for a, role in visit.actors if role == HOST_COUNTRY_ROLE or a.kind == "country"]
        signer = event.actors[0][0]
        venue = visit.place.country if visit.place is not None else None
        if not hosts and venue and venue != home_country(signer, gazetteer, visit.date.start):
            hosts = [record_of(venue, draft, gazetteer)]
        event = replace(event, actors=(*event.actors, *((a, "participant") for a in hosts[:1])))
    return event


def _with_hosts(
    candidates: list[EventCandidate], hosts: list[tuple[EventCandidate, EventCandidate]]
) -> list[EventCandidate]:
    """A visit naming only its visitor takes as host the first person met during it (in place of
    the host country standing in for them)."""
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
        replace(
            c,
            actors=(
                *((a, role) for a, role in c.actors if role != HOST_COUNTRY_ROLE),
                (host_of[id(c)], "participant"),
            ),
        )
        if id(c) in host_of
        else c
        for c in candidates
    ]


def _hosted_by_named_leader(candidates: list[EventCandidate], gazetteer: Gazetteer) -> list[EventCandidate]:
    """A visit to a country whose leader the article names elsewhere (as president, king, emir on
    the visit's dates) has that leader as its host, in place of the country standing in for them."""
    named = {a.id: a for c in candidates for a, _ in c.actors if a.kind == "person"}
    hosted = []
    for event in candidates:
        people = [a for a, _ in event.actors if a.kind == "person"]
        countries = [a.id for a, role in event.actors if role == HOST_COUNTRY_ROLE]
        if event.type == "visit" and len(people) == 1 and countries:
            leaders = [
                person
                for person in named.values()
                if person.id != people[0].id
                and any(
                    t.country == countries[0] and t.office in LEADER_OFFICES
                    for day in (event.date.start, event.date.end)
                    for t in gazetteer.offices_of(person.id, day)
                )
            ]
            if len(leaders) == 1:
                actors = [(a, role) for a, role in event.actors if role != HOST_COUNTRY_ROLE]
                event = replace(event, actors=(*actors, (leaders[0], "participant")))
        hosted.append(event)
    return hosted
