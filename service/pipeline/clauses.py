"""Which date and which people belong to which trigger of a sentence, read from its clauses and cues.

Small tests on the words around a trigger, a date or a name: a clause break, "since", a topic
("the situation in Gaza"), a venue word ("in", "at"), an arrival verb's destination.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from service.pipeline.document import Document, distance
from service.pipeline.gazetteer import ActorMention, PlaceMention
from service.pipeline.temporal import TemporalExpression
from service.pipeline.triggers import EventLexicon, Trigger
from service.resources import load_resource

# A date attaches to its clause's verb before a noun at the same distance (see assign_expressions).
NOUN_DISTANCE_FACTOR = 2.0
FOLLOWING_TRIGGER_FACTOR = 2.0
# A reference back ("the summit") already has its date; it takes one only when written close by.
DEFINITE_REACH = 100
# How far after an arrival verb ("arrived in") its destination may be written.
ARRIVAL_REACH = 45
# How far back (characters) a cue before a place or a name is looked for.
CUE_REACH = 25
# How far back a "since" clause is looked for before a date, and what ends a clause.
SINCE_REACH = 80
_CHARACTERS = load_resource("characters.yaml")
CLAUSE_PUNCTUATION = re.compile("[" + re.escape("".join(_CHARACTERS["clause_marks"]) + ".") + "]")
COMMAS = tuple(_CHARACTERS["commas"])


def assign_expressions(
    triggers: list[Trigger],
    expressions: list[TemporalExpression],
    doc: Document,
    lexicon: EventLexicon,
) -> dict[Trigger, TemporalExpression]:
    """Each expression dates the trigger nearest to it; a trigger keeps its nearest expression.

    A reference back ("the meeting") claims a date only when its sentence reports nothing new.
    """
    claimed: dict[Trigger, TemporalExpression] = {}
    fresh = [t for t in triggers if not t.definite] or triggers

    def cost(trigger: Trigger, expression: TemporalExpression) -> float:
        # A date attaches to the verb of its clause ("met X in Jeddah on Sunday at the start of a
        # tour"), so nouns count as twice as far; and it follows its trigger ("talks with Modi on
        # Tuesday and met Pezeshkian on Wednesday") unless fronted with a comma ("In mid-May, ...").
        gap = distance(trigger.start, trigger.end, expression.start, expression.end)
        factor = NOUN_DISTANCE_FACTOR if trigger.noun else 1.0
        if trigger.start >= expression.end:
            between = doc.normalised(expression.end, trigger.start)
            if lexicon.clause_breaks and lexicon.clause_breaks.search(between):
                factor *= FOLLOWING_TRIGGER_FACTOR**3  # "... on Tuesday and met ...": another clause
            elif not any(doc.text.find(comma, expression.end, trigger.start) >= 0 for comma in COMMAS):
                factor *= FOLLOWING_TRIGGER_FACTOR
        return gap * factor

    for expression in expressions:
        nearest = min(fresh, key=lambda t: cost(t, expression))
        if (
            nearest.definite
            and distance(nearest.start, nearest.end, expression.start, expression.end) > DEFINITE_REACH
            or nearest.definite
            and _clause_between(nearest, expression, doc, lexicon)
        ):
            continue  # "the summit ... a dispute that began in 2017": the date is the dispute's
        current = claimed.get(nearest)
        if current is None or cost(nearest, expression) < cost(nearest, current):
            claimed[nearest] = expression
    return claimed


def clause_owners(
    triggers: list[Trigger],
    claimed: dict[Trigger, TemporalExpression],
    mentions: Sequence[ActorMention],
    sentence_start: int,
    sentence_end: int,
) -> dict[int, Trigger]:
    """With two dated happenings in one sentence ("met X on Tuesday and Y on Wednesday", "talks in
    Abu Dhabi ... then the same day talks in Riyadh"), the people written after a dated trigger, up
    to the next one, are its own; the subject before the first is everyone's."""
    dated = sorted((t for t in triggers if t in claimed), key=lambda t: t.start)
    if len(dated) < 2:
        return {}
    owners: dict[int, Trigger] = {}
    for mention in mentions:
        if sentence_start <= mention.start < sentence_end:
            preceding = [t for t in dated if t.start <= mention.start]
            if preceding:
                owners[mention.start] = preceding[-1]
    return owners


def after_since(expression: TemporalExpression, doc: Document, lexicon: EventLexicon) -> bool:
    """A date in a clause opened by "since" starts a state of affairs; it does not date a happening."""
    if lexicon.since_words is None:
        return False
    window = doc.text[max(0, expression.start - SINCE_REACH) : expression.start]
    clause = CLAUSE_PUNCTUATION.split(window)[-1]
    return bool(
        lexicon.since_words.search(doc.normalised(expression.start - len(clause), expression.start))
        or lexicon.since_words.match(doc.normalised(expression.start, expression.end))
    )


def is_topic(mention: PlaceMention | ActorMention, doc: Document, lexicon: EventLexicon) -> bool:
    """ "The situation in Gaza": a place or country talked about, not a venue or a party."""
    if lexicon.topic_cues is None:
        return False
    return bool(lexicon.topic_cues.search(doc.normalised(max(0, mention.start - CUE_REACH), mention.start)))


def after_venue_word(place: PlaceMention, doc: Document, lexicon: EventLexicon) -> bool:
    """Is the place introduced by a venue word ("in Doha", "at the Kremlin")?"""
    if lexicon.venue_words is None:
        return False
    return bool(lexicon.venue_words.search(doc.normalised(max(0, place.start - CUE_REACH), place.start)))


def place_follows(
    trigger: Trigger,
    places: Sequence[PlaceMention],
    triggers: Sequence[Trigger],
    doc: Document,
    lexicon: EventLexicon,
) -> bool:
    """ "arrived in Doha": a venue comes soon after, before any other trigger."""
    following = [t.start for t in triggers if t.start > trigger.start]
    limit = min([trigger.end + ARRIVAL_REACH, *following])
    return any(trigger.end <= p.start < limit and after_venue_word(p, doc, lexicon) for p in places)


def _clause_between(
    trigger: Trigger, expression: TemporalExpression, doc: Document, lexicon: EventLexicon
) -> bool:
    """Does a new clause ("when") open between a trigger and a date?"""
    if lexicon.clause_breaks is None:
        return False
    if trigger.end <= expression.start:
        between = doc.normalised(trigger.end, expression.start)
    else:
        between = doc.normalised(expression.end, trigger.start)
    return bool(lexicon.clause_breaks.search(between))
