"""Drafts: each trigger with the date, actors and place its sentence gives it.

    attach(doc, language, triggers, dates, actors, places, gazetteer, stop) -> [Draft]

Per sentence a trigger takes the temporal expression nearest to it (clauses.py), the actors and
the place named near it; then subjects carry over between sentences and group words are resolved
(participants.py). Discourse (discourse.py) dates what has no date of its own.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from service.pipeline.actors import Actors, GroupMention, outside_names
from service.pipeline.clauses import (
    after_since,
    after_venue_word,
    aimed_at,
    assign_expressions,
    clause_owners,
    dates_a_saying,
    inside,
    instructed_by,
    is_topic,
    place_follows,
    since_clauses,
    since_when,
    speaker_after,
)
from service.pipeline.document import Document, distance
from service.pipeline.events import ACTOR_SCORES, Draft
from service.pipeline.gazetteer import ActorMention, ActorRecord, Gazetteer, PlaceMention
from service.pipeline.merge import families
from service.pipeline.participants import (
    OTHERS_WINDOW,
    capitals_as_countries,
    host_counterpart,
    implied,
    inherit_subjects,
    listed_visits,
    per_counterpart,
    possessor_as_visitor,
    resolve_groups,
)
from service.pipeline.places import Places
from service.pipeline.temporal import ArticleDates
from service.pipeline.triggers import EventLexicon, Trigger

if TYPE_CHECKING:
    from service.pipeline.language import Language

# People count anywhere in the sentence; a place counts within PLACE_WINDOW of the trigger.
PLACE_WINDOW = 100
# Video summits and calls happen in no one place: a city in their sentence is context, not venue.
PLACELESS_TYPES = ("video_summit", "phone_call")
# Families of happenings that take place somewhere (merge.TYPE_FAMILIES): a dateline is their venue.
IN_PERSON_FAMILIES = frozenset({"encounter", "travel"})


def attach(
    doc: Document,
    language: Language,
    triggers: list[Trigger],
    dates: ArticleDates,
    actors: Actors,
    places: Places,
    gazetteer: Gazetteer,
    stop: Callable[[], bool] | None = None,
) -> list[Draft]:
    """Takes everything found in a document; returns one draft per trigger (and per happening it
    implies) that has what it needs. `dates` is read for the sentences with triggers; `stop` is
    asked before each sentence and, once true, ends the reading with the drafts made so far."""
    lexicon = language.events
    # a word of someone's name, or an aim ("to reach an agreement"), reports no happening
    triggers = [t for t in outside_names(triggers, actors.mentions) if not aimed_at(t, doc, lexicon)]
    triggers_in = doc.by_sentence(triggers)
    mentions_in, places_in = doc.by_sentence(actors.mentions), doc.by_sentence(places.mentions)
    groups_in = doc.by_sentence(actors.groups)
    drafts: list[Draft] = []
    unknown: dict[str, ActorRecord] = {}
    for index, sentence in enumerate(doc.sentences):
        if stop is not None and stop():
            break
        if index not in triggers_in:
            continue
        sentence_places = places_in.get(index, [])
        sentence_mentions = mentions_in.get(index, [])
        countries = _countries(sentence_mentions, gazetteer)
        destinations = [*sentence_places, *countries]
        in_sentence = [
            t
            for t in triggers_in.get(index, [])
            if "place_after" not in t.needs
            or place_follows(t, destinations, triggers_in[index], doc, lexicon)
        ]
        if not in_sentence:
            continue
        if lexicon.habitual_cues is not None and lexicon.habitual_cues.search(
            doc.normalised(sentence.start, sentence.end)
        ):
            continue  # "meet annually": a habit, not a happening
        read = dates.of(index)  # only sentences with triggers are read for dates
        since = since_clauses(sentence, in_sentence, doc, lexicon)
        in_sentence = [t for t in in_sentence if t.noun or not inside(t.start, since)]
        sentence_expressions = [e for e in read.expressions if not dates_a_saying(e, doc, lexicon)]
        when = since_when(since, sentence_expressions, in_sentence, doc, lexicon)  # "since May, when ..."
        sentence_expressions = [
            e for e in sentence_expressions if not after_since(e, doc, lexicon) and not inside(e.start, since)
        ]
        named_at = {m.start for m in sentence_mentions}
        claimed = assign_expressions(in_sentence, sentence_expressions, doc, lexicon, named_at) | when
        owners = clause_owners(in_sentence, claimed, sentence_mentions, sentence.start, sentence.end)
        for trigger in in_sentence:
            draft = Draft(
                trigger,
                index,
                sentence.start,
                sentence.end,
                sentence.text,
                language,
                claimed.get(trigger),
                tense=read.tense,
                unknown=unknown,
                namesakes=tuple(t for t in in_sentence if t is not trigger),
            )
            mine = [
                m
                for m in sentence_mentions
                if owners.get(m.start, trigger) == trigger
                and not speaker_after(m, trigger, sentence, doc, lexicon)
                and not instructed_by(m, sentence, doc, lexicon)
                and not inside(m.start, since)
            ]
            _attach_actors(draft, mine, groups_in.get(index, []), gazetteer, lexicon, doc)
            possessor_as_visitor(draft, mine, gazetteer, lexicon)
            _attach_place(draft, sentence_places, gazetteer, lexicon, doc)
            host_counterpart(
                draft, mine, gazetteer, doc.published_at
            )  # after the place: it may be the venue's
            # the dateline city ("MOSCOW -", "BEIJING (AP) -") is the venue of what its line reports
            dateline = places.dateline
            if (
                draft.place is None
                and dateline is not None
                and sentence.start <= dateline.start < sentence.end
                and families(trigger.type) & IN_PERSON_FAMILIES
            ):
                draft.place = gazetteer.place(dateline.place_id)
            if not (draft.has_participants or draft.actor_via.startswith("group:")):
                capitals_as_countries(draft, sentence_places, gazetteer)
            # "received" reports a visit only with a venue, or a host and a guest named
            if "place" in trigger.needs and draft.place is None and len(draft.persons) < 2:
                continue
            for happening in implied(draft):
                drafts.extend(per_counterpart(happening, mine, gazetteer, lexicon, doc))
            # "visited Saudi Arabia in February, then Tunisia in December"
            drafts.extend(listed_visits(draft, sentence_expressions, claimed, countries, lexicon, doc))
    inherit_subjects(drafts, mentions_in, gazetteer, lexicon.subject_follows_verb)
    resolve_groups(drafts, actors.mentions, gazetteer, doc.published_at)
    return drafts


def _attach_actors(
    draft: Draft,
    mentions: Sequence[ActorMention],
    groups: list[GroupMention],
    gazetteer: Gazetteer,
    lexicon: EventLexicon,
    doc: Document,
) -> None:
    vias: list[str] = []
    for mention in mentions:
        if not (draft.sentence_start <= mention.start < draft.sentence_end):
            continue
        actor_id = mention.actor_id
        if actor_id is None and mention.proposed_name:
            new = gazetteer.new_actor(mention, draft.language)
            if new is not None:
                actor_id = new.id
                draft.unknown.setdefault(actor_id, new)
        # an official named only by office, whose holder that day is unknown, takes part as the
        # country (a known holder takes part in person; adding the country too splits merges)
        unnamed = mention.via in ("role", "counterpart") and actor_id is None and mention.country
        if unnamed and mention.country not in draft.stand_ins:
            draft.stand_ins.append(mention.country)
        if not actor_id:
            continue
        if mention.via in ("role", "counterpart") and mention.office and mention.country:
            draft.roles[actor_id] = (mention.office, mention.country)
        record = gazetteer.actor(actor_id)
        kind = record.kind if record else "person"
        trigger = draft.trigger
        if kind != "person" and (
            distance(trigger.start, trigger.end, mention.start, mention.end) > OTHERS_WINDOW
            or is_topic(mention, doc, lexicon)  # "to discuss the situation in Sudan": a topic, not a party
        ):
            continue
        target = draft.persons if kind == "person" else draft.others
        if actor_id not in target:
            target.append(actor_id)
            vias.append(mention.via)
    in_sentence = [g for g in groups if draft.sentence_start <= g.start < draft.sentence_end]
    if in_sentence:  # the group word nearest the trigger speaks for it
        nearest = min(
            in_sentence, key=lambda g: distance(g.start, g.end, draft.trigger.start, draft.trigger.end)
        )
        draft.actor_via = "group:" + nearest.kind
    else:
        draft.actor_via = min(vias, key=lambda v: -ACTOR_SCORES.get(v, 0.8)) if vias else "name"


def _attach_place(
    draft: Draft, places: Sequence[PlaceMention], gazetteer: Gazetteer, lexicon: EventLexicon, doc: Document
) -> None:
    trigger = draft.trigger
    if trigger.type in PLACELESS_TYPES:
        return
    in_sentence = [
        p
        for p in places
        if draft.sentence_start <= p.start < draft.sentence_end
        and distance(p.start, p.end, trigger.start, trigger.end) <= PLACE_WINDOW
        and not is_topic(p, doc, lexicon)
    ]
    # A venue is introduced by a venue preposition ("in Doha", "to Beijing") or is the object of a
    # visit ("visited Cairo"); other places are context.
    venues = [p for p in in_sentence if after_venue_word(p, doc, lexicon)]
    if trigger.type == "visit":
        venues += [p for p in in_sentence if p.start >= trigger.end][:1]
    if not venues:
        return
    # the nearest venue; at equal distance the one after the trigger ("visit to Beijing")
    chosen = min(
        venues, key=lambda p: (distance(p.start, p.end, trigger.start, trigger.end), p.start < trigger.start)
    )
    draft.place = gazetteer.place(chosen.place_id)


def _countries(mentions: list[ActorMention], gazetteer: Gazetteer) -> list[ActorMention]:
    """The mentions naming a country ("left for Sri Lanka"), which a journey may lead to."""
    records = [gazetteer.actor(m.actor_id) if m.actor_id else None for m in mentions]
    return [m for m, r in zip(mentions, records, strict=True) if r is not None and r.kind == "country"]
