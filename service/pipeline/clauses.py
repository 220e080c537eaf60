"""Which date and which people belong to which trigger of a sentence, read from its clauses and cues.

Small tests on the words around a trigger, a date or a name: a clause break, "since", a topic
("the situation in Gaza"), a venue word ("in", "at"), an arrival verb's destination.
"""

from __future__ import annotations

import re
from bisect import bisect_left
from collections.abc import Sequence

from service.pipeline.document import Document, distance
from service.pipeline.gazetteer import ActorMention, PlaceMention
from service.pipeline.sentences import Sentence
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
# How far (characters) after a noun trigger a relative word may open the clause describing it.
RELATIVE_REACH = 30
# How far (characters) a report verb may stand from the date or the speaker it goes with
# ("said on Thursday", "Mao said").
REPORT_REACH = 4
# How many words may stand between an aim cue and its trigger ("reach a new trade agreement").
AIM_WORDS = 2
# How many words (the place left) may stand between a departure verb and the date it takes.
DEPARTURE_WORDS = 2
# How many words a since-clause's own verb may stand after the since-word ("since X Y was elected").
SINCE_VERB_WORDS = 5
# How far before a noun trigger a need word ("stressed the need for") still governs it.
NEED_REACH = 120
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
    named_at: set[int] | frozenset[int] = frozenset(),
) -> dict[Trigger, TemporalExpression]:
    """Each expression dates the trigger nearest to it; a trigger keeps its nearest expression.

    A date after "and"/"then" + a word that names no one ("talks with X and open a
    trade fair tomorrow") dates that other clause's verb, which is no trigger: nobody claims it (`named_at`:
    where the sentence's names start).

    A reference back ("the meeting") claims a date only when its sentence reports nothing new.
    """
    claimed: dict[Trigger, TemporalExpression] = {}
    fresh = [t for t in triggers if not t.definite or _described_next(t, doc, lexicon)] or triggers

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
        if _other_clause_after(nearest, expression, doc, lexicon, named_at):
            continue
        current = claimed.get(nearest)
        if current is None or cost(nearest, expression) < cost(nearest, current):
            claimed[nearest] = expression
    return claimed


def _other_clause_after(
    trigger: Trigger,
    expression: TemporalExpression,
    doc: Document,
    lexicon: EventLexicon,
    named_at: set[int] | frozenset[int],
) -> bool:
    """Between a trigger and a later date, does a coordinator open a clause that does not start
    with someone's name ("... and open a trade fair tomorrow", not "... and Xi on Tuesday")?"""
    if lexicon.coordinators is None or trigger.end > expression.start:
        return False
    offsets = doc.norm.offsets
    base = bisect_left(offsets, trigger.end)
    between = doc.normalised(trigger.end, expression.start)
    for match in lexicon.coordinators.finditer(between):
        rest = between[match.end() :]
        word_at = base + match.end() + (len(rest) - len(rest.lstrip()))
        if word_at < len(offsets) and offsets[word_at] not in named_at:
            return True
    return False


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


def after_venue_word(place: PlaceMention | ActorMention, doc: Document, lexicon: EventLexicon) -> bool:
    """Is the place introduced by a venue word ("in Doha", "at the Kremlin")?"""
    if lexicon.venue_words is None:
        return False
    return bool(lexicon.venue_words.search(doc.normalised(max(0, place.start - CUE_REACH), place.start)))


def place_follows(
    trigger: Trigger,
    destinations: Sequence[PlaceMention | ActorMention],
    triggers: Sequence[Trigger],
    doc: Document,
    lexicon: EventLexicon,
) -> bool:
    """ "arrived in Doha", "left for Sri Lanka": a place or country comes soon after, before any
    other trigger, introduced by a venue word or by the trigger itself."""
    following = [t.start for t in triggers if t.start > trigger.start]
    limit = min([trigger.end + ARRIVAL_REACH, *following])
    return any(
        trigger.end <= d.start < limit
        and (after_venue_word(d, doc, lexicon) or not doc.text[trigger.end : d.start].strip())
        for d in destinations
    )


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


def _described_next(trigger: Trigger, doc: Document, lexicon: EventLexicon) -> bool:
    """ "the summit which will be held in April": a definite noun described by a relative clause
    introduces a new event rather than referring back to one."""
    if lexicon.relative_words is None or not trigger.noun:
        return False
    return bool(lexicon.relative_words.search(doc.normalised(trigger.end, trigger.end + RELATIVE_REACH)))


def aimed_at(trigger: Trigger, doc: Document, lexicon: EventLexicon) -> bool:
    """ "efforts to reach a ceasefire agreement", "stressed the need for ... and a new agreement":
    an aim, not a happening."""
    if not trigger.noun:
        return False
    if lexicon.aim_cues is not None:
        before = doc.normalised(max(0, trigger.start - 30), trigger.start)
        cues = list(lexicon.aim_cues.finditer(before))
        if cues and len(before[cues[-1].end() :].split()) <= AIM_WORDS:
            return True
    if lexicon.need_cues is not None:
        # a list of needs runs on across commas, but not past the sentence's start
        sentence = doc.sentences[doc.sentence_of(trigger.start)]
        before = doc.normalised(max(sentence.start, trigger.start - NEED_REACH), trigger.start)
        return bool(lexicon.need_cues.search(before))
    return False


def since_clauses(
    sentence: Sentence, triggers: Sequence[Trigger], doc: Document, lexicon: EventLexicon
) -> list[tuple[int, int]]:
    """Spans of "since ..." clauses ("the first visit since the fall of X's government in 2011"): from
    the since-word to the next trigger (past the clause's own verb: "since X was elected
    president"), clause break or the sentence's end. What they name (dates, people, that verb)
    tells the state of affairs, not who took part in the event or when."""
    if lexicon.since_words is None:
        return []
    normalised = doc.norm
    local = normalised.of_original(sentence.start, sentence.end)
    base = bisect_left(normalised.offsets, sentence.start)
    spans = []
    for match in lexicon.since_words.finditer(local):
        start = normalised.offsets[base + match.start()]
        following = sorted((t for t in triggers if t.start > start), key=lambda t: t.start)
        if following and _own_verb(following[0], doc.text[start : following[0].start]):
            following = following[1:]
        end = min([t.start for t in following] + [sentence.end])
        breaks = lexicon.clause_breaks.search(local, match.end()) if lexicon.clause_breaks else None
        if breaks is not None:
            end = min(end, normalised.offsets[base + breaks.start()])
        spans.append((start, end))
    return spans


def since_when(
    spans: Sequence[tuple[int, int]],
    expressions: Sequence[TemporalExpression],
    triggers: Sequence[Trigger],
    doc: Document,
    lexicon: EventLexicon,
) -> dict[Trigger, TemporalExpression]:
    """ "the first meeting since October, when they met in Astana": a since-clause's date followed
    by a when-clause dates the happening that clause tells (and nothing else)."""
    if lexicon.when_words is None:
        return {}
    dated = {}
    for start, end in spans:
        inside_span = [e for e in expressions if start <= e.start < end]
        after = [t for t in triggers if t.start >= end]
        if not inside_span or not after:
            continue
        trigger = min(after, key=lambda t: t.start)
        between = doc.normalised(end, trigger.start)
        if lexicon.when_words.match(between.lstrip()) and len(between.split()) <= SINCE_VERB_WORDS:
            dated[trigger] = inside_span[-1]
    return dated


def _own_verb(trigger: Trigger, between: str) -> bool:
    """Is a verb the since-clause's own ("since X was elected"): close after the since-word, with
    no punctuation between ("since the handshake in 2022, steps followed: X visited ...")?"""
    return (
        not trigger.noun
        and len(between.split()) <= SINCE_VERB_WORDS
        and not CLAUSE_PUNCTUATION.search(between)
    )


def inside(position: int, spans: Sequence[tuple[int, int]]) -> bool:
    """Is a position inside one of the spans?"""
    return any(start <= position < end for start, end in spans)


def dates_a_saying(expression: TemporalExpression, doc: Document, lexicon: EventLexicon) -> bool:
    """ "..., the spokesperson said on Thursday", "he left Riyadh yesterday": the date is the
    saying's or the leaving's, not the event's."""
    before = doc.normalised(max(0, expression.start - 30), expression.start).rstrip()
    for word in lexicon.report_prepositions:  # a preposition the expression may leave out
        if before.endswith(" " + word):
            before = before[: -len(word) - 1].rstrip()
    said = list(lexicon.report_verbs.finditer(before)) if lexicon.report_verbs is not None else []
    if said and said[-1].end() == len(before):
        return True
    # the place left may stand between ("left Nairobi on Monday")
    left = list(lexicon.departure_verbs.finditer(before)) if lexicon.departure_verbs is not None else []
    return bool(left) and len(before[left[-1].end() :].split()) <= DEPARTURE_WORDS


def instructed_by(mention: ActorMention, sentence: Sentence, doc: Document, lexicon: EventLexicon) -> bool:
    """ "left on the instructions of King X": the one who gave the instruction takes no part."""
    if lexicon.instruction_cues is None:
        return False
    before = doc.normalised(max(sentence.start, mention.start - 40), mention.start).rstrip()
    cues = list(lexicon.instruction_cues.finditer(before))
    return bool(cues) and len(before[cues[-1].end() :].split()) <= REPORT_REACH


def speaker_after(
    mention: ActorMention, trigger: Trigger, sentence: Sentence, doc: Document, lexicon: EventLexicon
) -> bool:
    """A person next to a report verb of their sentence, after the trigger ("..., spokesperson Mao
    said") speaks of the event; they take no part in it."""
    if lexicon.report_verbs is None or mention.start < trigger.end:
        return False
    after = doc.normalised(mention.end, min(sentence.end, mention.end + 20))
    before = doc.normalised(max(sentence.start, mention.start - 30), mention.start).rstrip()
    following = lexicon.report_verbs.match(after.lstrip())
    if following is not None and len(after) - len(after.lstrip()) <= REPORT_REACH:
        return True
    preceding = list(lexicon.report_verbs.finditer(before))
    return bool(preceding) and len(before) - preceding[-1].end() <= REPORT_REACH
