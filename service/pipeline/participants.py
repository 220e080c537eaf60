"""Who takes part in a drafted happening, beyond the names next to its trigger.

A word reporting two happenings ("received X": a visit and a meeting), one meeting per counterpart,
one visit per destination listed with its own date, capitals standing for their countries, a
subject carried over from the sentence before, and group words ("the two leaders") standing for
people named earlier.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from dataclasses import replace
from datetime import date

from service.pipeline.document import Document, distance
from service.pipeline.events import NO_ACTOR, Draft, country_of, home_country, record_of
from service.pipeline.gazetteer import ActorMention, Gazetteer, PlaceMention
from service.pipeline.temporal import TemporalExpression
from service.pipeline.triggers import EventLexicon

# Meetings and talks of one person with several others named in turn are one event each.
PER_COUNTERPART_TYPES = ("meeting", "talks")
# Countries and organisations take part only when written close to the trigger ("talks between
# Russia and China"); further away they belong to another clause.
OTHERS_WINDOW = 40
# How far (characters) after a verb its subject may begin when the subject follows the verb.
SUBJECT_GAP = 2
# How many words may stand between listed destinations (", and then") and between a
# destination and its date ("in").
LIST_GAP_WORDS = 3


def implied(draft: Draft) -> list[Draft]:
    """The draft and the happenings its word also reports ("received X": a visit and a meeting)."""
    also = [
        replace(
            draft,
            trigger=replace(draft.trigger, type=event_type, implies=()),
            persons=list(draft.persons),
            others=list(draft.others),
            roles=dict(draft.roles),
            implied=True,
        )
        for event_type in draft.trigger.implies
    ]
    return [draft, *also]


def per_counterpart(
    draft: Draft,
    mentions: Sequence[ActorMention],
    gazetteer: Gazetteer,
    lexicon: EventLexicon,
    doc: Document,
) -> list[Draft]:
    """ "X met A and B": one meeting per counterpart.

    The subject is the last person named before the trigger, else the first after it (a verb
    before its subject); everyone else named after the trigger is a counterpart. A multilateral
    meeting ("trilateral") stays one event.
    """
    if draft.trigger.type not in PER_COUNTERPART_TYPES or len(draft.persons) < 3:
        return [draft]
    sentence = doc.normalised(draft.sentence_start, draft.sentence_end)
    if lexicon.multilateral_cues is not None and lexicon.multilateral_cues.search(sentence):
        return [draft]
    first_at: dict[str, int] = {}
    for mention in mentions:
        new = None if mention.actor_id else gazetteer.new_actor(mention, draft.language)
        actor_id = mention.actor_id or (new.id if new else None)
        if actor_id in draft.persons:
            first_at.setdefault(actor_id, mention.start)
    trigger = draft.trigger
    before = [p for p in draft.persons if first_at.get(p, trigger.start) < trigger.start]
    after = sorted((p for p in draft.persons if first_at.get(p, -1) >= trigger.end), key=first_at.__getitem__)
    if before:
        subject = before[-1]
    elif after:
        subject = after.pop(0)
    else:
        return [draft]
    if len(after) < 2:
        return [draft]
    return [
        replace(draft, persons=[subject, counterpart], others=list(draft.others), roles=dict(draft.roles))
        for counterpart in after
    ]


def capitals_as_countries(draft: Draft, places: Sequence[PlaceMention], gazetteer: Gazetteer) -> None:
    """With no one named, capitals next to the trigger stand for their countries ("Moscow and Tehran")."""
    trigger = draft.trigger
    for place in places:
        if not (draft.sentence_start <= place.start < draft.sentence_end):
            continue
        if distance(trigger.start, trigger.end, place.start, place.end) > OTHERS_WINDOW:
            continue
        country = gazetteer.country_of_place(place.place_id)
        if country and gazetteer.capital_of(country) == place.place_id and country not in draft.others:
            draft.others.append(country)
    if len(draft.others) < 2:
        draft.others.clear()  # one capital alone is where something happened, not who did it
        return
    draft.actor_via = "country"
    if draft.place is not None and draft.place.country in draft.others:
        draft.place = None  # the capitals are the parties here, not the venue


def host_counterpart(draft: Draft, mentions: Sequence[ActorMention], gazetteer: Gazetteer, on: date) -> None:
    """ "a state visit to Chile, where she is to meet her counterpart": a counterpart named with no
    country is the holder of the same office in the country the sentence's people
    go to (a country named there other than their own, else the venue's), or that country."""
    for mention in mentions:
        if not (mention.via == "counterpart" and mention.actor_id is None and mention.country is None):
            continue
        if not mention.office or not (draft.sentence_start <= mention.start < draft.sentence_end):
            continue
        homes = {home_country(record_of(p, draft, gazetteer), gazetteer, on) for p in draft.persons}
        written = [
            m.actor_id
            for m in mentions
            if m.actor_id and (gazetteer.actor(m.actor_id) or NO_ACTOR).kind == "country"
        ]
        venue = [draft.place.country] if draft.place is not None and draft.place.country else []
        country = next((c for c in [*written, *venue] if c not in homes), None)
        if country is None:
            continue
        holder = gazetteer.holder(mention.office, country, on)
        if holder is not None and holder not in draft.persons:
            draft.persons.append(holder)
            draft.roles[holder] = (mention.office, country)
        elif holder is None and country not in draft.stand_ins:
            draft.stand_ins.append(country)


def possessor_as_visitor(
    draft: Draft, mentions: Sequence[ActorMention], gazetteer: Gazetteer, lexicon: EventLexicon
) -> None:
    """In a language whose possessor follows its noun ("the visit of President X to Tehran"), the
    person right after a visit noun (a noun without the article: a construct) is the visitor;
    people written before the noun act in the sentence's other clauses."""
    trigger = draft.trigger
    if not (
        lexicon.possessor_follows_noun and trigger.noun and not trigger.definite and trigger.type == "visit"
    ):
        return
    possessor = next(
        (
            m.actor_id
            for m in mentions
            if m.actor_id
            and 0 <= m.start - trigger.end <= SUBJECT_GAP
            and (gazetteer.actor(m.actor_id) or NO_ACTOR).kind == "person"
        ),
        None,
    )
    if possessor is None:
        return
    before = {m.actor_id for m in mentions if m.end <= trigger.start} - {
        m.actor_id for m in mentions if m.start >= trigger.end
    }
    draft.persons[:] = [p for p in draft.persons if p not in before]
    draft.own_subject = True


def inherit_subjects(
    drafts: list[Draft],
    mentions_in: dict[int, list[ActorMention]],
    gazetteer: Gazetteer,
    subject_follows_verb: bool = False,
) -> None:
    """A sentence with no one named before its first trigger ("He will travel to Abu Dhabi to meet
    ...") continues the subject of the last sentence that had one.

    In a language whose subject may follow its verb ("visited President X Cairo"), a person written
    right after a verb trigger is the sentence's own subject."""
    last_subject: str | None = None
    by_sentence: dict[int, list[Draft]] = {}
    for draft in drafts:
        by_sentence.setdefault(draft.sentence_index, []).append(draft)
    for index, sentence_drafts in by_sentence.items():
        first = sentence_drafts[0]
        subject = next(
            (
                m.actor_id
                for m in mentions_in.get(index, [])
                if m.actor_id
                and (gazetteer.actor(m.actor_id) or NO_ACTOR).kind == "person"
                and (
                    m.start < first.trigger.start
                    or subject_follows_verb
                    and not first.trigger.noun
                    and 0 <= m.start - first.trigger.end <= SUBJECT_GAP
                )
            ),
            None,
        )
        if subject is None and last_subject is not None:
            for draft in sentence_drafts:
                if draft.persons and not draft.own_subject and last_subject not in draft.persons:
                    draft.persons.insert(0, last_subject)
        last_subject = subject or last_subject


def resolve_groups(
    drafts: list[Draft], mentions: Sequence[ActorMention], gazetteer: Gazetteer, published_at: date
) -> None:
    """Group words ("the two leaders") stand for the people of the latest event naming two or more;
    "the two countries" for those people's countries, else the countries the article names most."""
    country_counts = Counter(
        m.actor_id
        for m in mentions
        if m.actor_id and (gazetteer.actor(m.actor_id) or NO_ACTOR).kind == "country"
    )
    top_countries = [c for c, _ in sorted(country_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
    person_counts = Counter(
        m.actor_id
        for m in mentions
        if m.actor_id and (gazetteer.actor(m.actor_id) or NO_ACTOR).kind == "person"
    )
    latest_pair: list[str] = [p for p, _ in sorted(person_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
    for draft in drafts:
        if draft.actor_via == "group:persons" and len(draft.persons) >= 2:
            draft.actor_via = "name"  # "the two sides" are the people the sentence names
        elif draft.actor_via == "group:persons":
            for person in latest_pair:
                if person not in draft.persons:
                    draft.persons.append(person)
            draft.actor_via = "group"
        elif draft.actor_via == "group:countries":
            if not draft.persons:
                countries = [country_of(person, gazetteer, published_at) for person in latest_pair]
                if len(set(countries)) < 2 or None in countries:
                    countries = top_countries
                for country in countries:
                    if country not in draft.others:
                        draft.others.append(country)
            draft.actor_via = "group"
        if len(draft.persons) == 2:  # "the two ..." are a pair
            latest_pair = list(draft.persons)


def listed_visits(
    draft: Draft,
    expressions: Sequence[TemporalExpression],
    claimed: dict,
    countries: Sequence[ActorMention],
    lexicon: EventLexicon,
    doc: Document,
) -> list[Draft]:
    """ "after visiting Saudi Arabia in February, then Tunisia in December": each further country
    (of the sentence's `countries`) joined by a coordinator and followed by a date of its own is
    another visit by the visitor."""
    if (
        draft.trigger.type != "visit"
        or draft.expression is None
        or len(draft.persons) != 1
        or lexicon.coordinators is None
    ):
        return []
    taken = {id(e) for e in claimed.values()}
    end = draft.expression.end
    free = [e for e in expressions if id(e) not in taken and e.start >= end]
    visits = []
    for country in (m for m in countries if m.start >= end):
        gap = doc.normalised(end, country.start)
        if not lexicon.coordinators.search(gap) or len(gap.split()) > LIST_GAP_WORDS:
            break
        when = next((e for e in free if e.start >= country.end), None)
        if when is None or len(doc.text[country.end : when.start].split()) > LIST_GAP_WORDS:
            break
        visits.append(
            replace(
                draft, expression=when, persons=list(draft.persons), others=[country.actor_id], place=None
            )
        )
        end = when.end
    return visits
