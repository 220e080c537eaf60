"""Dated events: triggers found in sentences, given actors, a place and a date from the temporal layer.

Per sentence a trigger ("اتصال هاتفي", "visit") takes the temporal expression nearest to it, the
actors and the place named in the same sentence. Sentences without a date are handled by discourse:
a reference back ("the visit") joins the event it refers to; a new happening next to a dated one
takes that date; an undated happening in the article's lead is dated by the publication date;
anything else is background and yields nothing.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right, insort
from collections import Counter
from collections.abc import Callable, Iterable, Iterator, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from typing import TypeVar

from service.pipeline.coreference import with_coreferences
from service.pipeline.gazetteer import ActorMention, ActorRecord, Gazetteer, PlaceMention, PlaceRecord
from service.pipeline.merge import families, same_family
from service.pipeline.normalise import NormalisedText, Sentence, normalise
from service.pipeline.temporal import DateSpan, TemporalExpression, sentence_tense
from service.pipeline.triggers import EventLexicon, Trigger, event_languages, event_lexicon, find_triggers

_Spanned = TypeVar("_Spanned")

# Sentences of an article's lead (title and first lines): their undated happenings are the news
# of the day, dated by the publication date. Further down, undated happenings are background.
LEAD_SENTENCES = 3
# Lines this short (a byline, a time stamp, a photo caption) are not sentences of the lead.
LEAD_MIN_WORDS = 6
# How far (characters) around a trigger a duration or a "concluded" cue may stand.
DURATION_WINDOW = 60
CONCLUDE_WINDOW = 40
# Countries and organisations take part only when written close to the trigger ("talks between
# Russia and China", "المحادثات الروسية الصينية"); further away they belong to another clause.
# People count anywhere in the sentence. A place counts within PLACE_WINDOW of the trigger.
OTHERS_WINDOW = 40
PLACE_WINDOW = 100
# Video summits and calls happen in no one place: a city in their sentence is context, not venue.
PLACELESS_TYPES = ("video_summit", "phone_call")
# Families of happenings that take place somewhere (merge.TYPE_FAMILIES): a dateline is their venue.
IN_PERSON_FAMILIES = frozenset({"encounter", "travel"})
# Happenings held during a visit: without a day of their own they take the visit's dates, and a
# visit whose host is unnamed takes their counterpart as host. A visit is looked for in the same
# sentence or up to DURING_REACH sentences before.
DURING_VISIT_TYPES = ("meeting", "talks", "consultation", "agreement")
# The role of a country standing for a visit's unnamed host; a host person met during the visit
# takes its place (README, "How events are read").
HOST_COUNTRY_ROLE = "host_country"
# What one party signs during a visit is signed with its host.
SIGNED_TYPES = ("agreement",)
DURING_REACH = 3
# Meetings and talks of one person with several others named in turn are one event each.
PER_COUNTERPART_TYPES = ("meeting", "talks")
# A date attaches to its clause's verb before a noun at the same distance (see _assign_expressions).
NOUN_DISTANCE_FACTOR = 2.0
FOLLOWING_TRIGGER_FACTOR = 2.0
# A reference back ("the summit") already has its date; it takes one only when written close by.
DEFINITE_REACH = 100
# A reference back joins one of the nearest events told before (or after) it, never one further
# than this many events away (no article of normal length reports that many).
REFERENT_REACH = 200
# "وصل ... إلى الرياض": how far after an arrival verb its destination may be written.
ARRIVAL_REACH = 45

# Confidence ingredients (see README, "Confidence"): how the date was obtained ...
DATE_SCORES = {"explicit": 1.0, "publication": 0.9, "weekday": 0.85, "previous": 0.8, "discourse": 0.7}
UNDATED_SCORE = 0.4
# ... and how the actors were identified.
ACTOR_SCORES = {"name": 1.0, "role": 0.9, "counterpart": 0.85, "title": 0.8, "group": 0.8, "country": 0.7}


@dataclass(frozen=True)
class EventCandidate:
    """One event mention found in an article, ready to be stored and merged."""

    type: str
    trigger: str
    sentence: str
    span_start: int  # the sentence's span in the article text
    span_end: int
    expression: TemporalExpression | None
    resolution: str
    date: DateSpan
    status: str
    actors: tuple[tuple[ActorRecord, str], ...]  # (actor, role)
    place: PlaceRecord | None
    confidence: float
    implied: bool = False  # reported by a word that names another happening ("received X": the meeting)


@dataclass
class _Draft:
    """A trigger with what its sentence offers, before discourse decides its date."""

    trigger: Trigger
    sentence_index: int
    sentence_start: int
    sentence_end: int
    sentence: str
    language: str
    expression: TemporalExpression | None
    persons: list[str] = field(default_factory=list)
    others: list[str] = field(default_factory=list)
    place: PlaceRecord | None = None
    actor_via: str = "name"
    tense: str | None = None
    roles: dict[str, tuple[str, str]] = field(default_factory=dict)  # actor id -> (office, country)
    implied: bool = False  # a happening the trigger's word implies ("received X": a meeting)
    # titled people not in the gazetteer, shared by the article's drafts ("the two leaders" may
    # bring one into another sentence)
    unknown: dict[str, ActorRecord] = field(default_factory=dict)
    stand_ins: list[str] = field(default_factory=list)  # countries of officials named only by office
    own_subject: bool = False  # its sentence names who acts (no subject carried from before)
    # the sentence's other triggers: one naming the same happening ("welcomed" ... "visit") may
    # give it a length
    namesakes: tuple[Trigger, ...] = ()


# -- events ----------------------------------------------------------------------------------------


def _distance(a_start: int, a_end: int, b_start: int, b_end: int) -> int:
    if a_end <= b_start:
        return b_start - a_end
    if b_end <= a_start:
        return a_start - b_end
    return 0


def find_events(
    text: str,
    sentences: Sequence[Sentence],
    published_at: date,
    language: str,
    expressions: Iterable[list[TemporalExpression]],
    gazetteer: Gazetteer,
    stop: Callable[[], bool] | None = None,
) -> list[EventCandidate]:
    """Event mentions of one article, dated against its publication date.

    `expressions` gives each sentence's temporal expressions in turn and is read one sentence at
    a time; `stop` is asked before each sentence and, once true, ends the reading with the events
    of the sentences read so far.
    """
    if language not in event_languages():
        return []
    lexicon = event_lexicon(language)
    normalised = normalise(text)
    triggers = find_triggers(text, language, normalised)
    if not triggers:
        return []
    actor_mentions = gazetteer.find_actors(text, language, published_at)
    actor_mentions = with_coreferences(actor_mentions, text, normalised, language, published_at, gazetteer)
    triggers = [t for t in _outside_names(triggers, actor_mentions) if not _aimed_at(t, lexicon, normalised)]
    places = _outside_names(gazetteer.find_places(text, language), actor_mentions)
    dateline = _dateline(places, sentences, text)
    places = [p for p in places if p is not dateline]
    groups = _group_mentions(normalised, lexicon)
    # everything found in the article, filed under its sentence (long articles stay linear)
    starts = [sentence.start for sentence in sentences]
    triggers_in = _by_sentence(triggers, starts)
    mentions_in, places_in = _by_sentence(actor_mentions, starts), _by_sentence(places, starts)
    groups_in = _by_sentence(groups, starts)
    drafts: list[_Draft] = []
    unknown: dict[str, ActorRecord] = {}
    expressions_of_next_sentence = iter(expressions)
    for index, sentence in enumerate(sentences):
        if stop is not None and stop():
            break
        read_expressions = next(expressions_of_next_sentence, [])
        sentence_places = places_in.get(index, [])
        in_sentence = [
            t
            for t in triggers_in.get(index, [])
            if "place_after" not in t.needs
            or _place_follows(t, sentence_places, triggers_in[index], lexicon, normalised)
        ]
        if not in_sentence:
            continue
        if lexicon.habitual_cues is not None and lexicon.habitual_cues.search(
            normalised.of_original(sentence.start, sentence.end)
        ):
            continue  # "meet annually", "بشكل سنوي": a habit, not a happening
        since = _since_clauses(sentence, in_sentence, lexicon, normalised)
        sentence_expressions = [
            e
            for e in read_expressions
            if not _after_since(e, text, lexicon, normalised)
            and not _dates_a_saying(e, lexicon, normalised)
            and not _inside(e.start, since)
        ]
        claimed = _assign_expressions(in_sentence, sentence_expressions, text, lexicon, normalised)
        sentence_mentions = mentions_in.get(index, [])
        owners = _clause_owners(in_sentence, claimed, sentence_mentions, sentence.start, sentence.end)
        tense = sentence_tense(sentence.text, language)
        for trigger in in_sentence:
            draft = _Draft(
                trigger,
                index,
                sentence.start,
                sentence.end,
                sentence.text,
                language,
                claimed.get(trigger),
                tense=tense,
                unknown=unknown,
                namesakes=tuple(t for t in in_sentence if t is not trigger),
            )
            mine = [
                m
                for m in sentence_mentions
                if owners.get(m.start, trigger) == trigger
                and not _speaker_after(m, trigger, sentence, lexicon, normalised)
                and not _inside(m.start, since)
            ]
            _attach_actors(draft, mine, groups_in.get(index, []), gazetteer, lexicon, normalised)
            _possessor_as_visitor(draft, mine, gazetteer, lexicon)
            _attach_place(draft, sentence_places, gazetteer, lexicon, normalised)
            # the dateline city ("موسكو -", "BEIJING (AP) -") is the venue of what its line reports
            if (
                draft.place is None
                and dateline is not None
                and sentence.start <= dateline.start < sentence.end
                and families(trigger.type) & IN_PERSON_FAMILIES
            ):
                draft.place = gazetteer.place(dateline.place_id)
            if not (draft.persons or draft.others or draft.stand_ins or draft.actor_via.startswith("group:")):
                _capitals_as_countries(draft, sentence_places, gazetteer)
            # "استقبل"/"received" report a visit only with a venue, or a host and a guest named
            if "place" in trigger.needs and draft.place is None and len(draft.persons) < 2:
                continue
            for happening in _implied(draft):
                drafts.extend(_per_counterpart(happening, mine, gazetteer, lexicon, normalised))
    _inherit_subjects(drafts, mentions_in, gazetteer, lexicon.subject_follows_verb)
    _resolve_groups(drafts, actor_mentions, gazetteer, published_at)
    return _decide(drafts, text, published_at, lexicon, gazetteer, normalised, _lead_end(sentences))


def _outside_names(found: list[_Spanned], mentions: Sequence[ActorMention]) -> list[_Spanned]:
    """Triggers or places that are not a word of someone's name ("فيصل" reads as "ف+يصل", and
    arrives; "عمان" in "سلطان عمان هيثم" is the country of a title, not the city)."""
    names = sorted((m.start, m.end) for m in mentions if m.via == "name")
    starts = [start for start, _ in names]

    def inside_a_name(item: _Spanned) -> bool:
        start, end = item.start, item.end  # type: ignore[attr-defined]
        index = bisect_right(starts, start) - 1
        return index >= 0 and end <= names[index][1]

    return [item for item in found if not inside_a_name(item)]


# How many words may stand between an aim cue and its trigger ("reach a new trade agreement").
AIM_WORDS = 2


def _aimed_at(trigger: Trigger, lexicon: EventLexicon, normalised: NormalisedText) -> bool:
    """ "efforts to reach a ceasefire agreement", "التوصل إلى اتفاق": an aim, not a happening."""
    if lexicon.aim_cues is None or not trigger.noun:
        return False
    before = normalised.of_original(max(0, trigger.start - 30), trigger.start)
    cues = list(lexicon.aim_cues.finditer(before))
    return bool(cues) and len(before[cues[-1].end() :].split()) <= AIM_WORDS


def _implied(draft: _Draft) -> list[_Draft]:
    """The draft and the happenings its word also reports ("استقبل X": a visit and a meeting)."""
    implied = [
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
    return [draft, *implied]


def _per_counterpart(
    draft: _Draft,
    mentions: Sequence[ActorMention],
    gazetteer: Gazetteer,
    lexicon: EventLexicon,
    normalised: NormalisedText,
) -> list[_Draft]:
    """ "X met A and B", "يلتقي X الرئيس A ورئيس الوزراء B": one meeting per counterpart.

    The subject is the last person named before the trigger, else the first after it (a verb
    before its subject); everyone else named after the trigger is a counterpart. A multilateral
    meeting ("trilateral", "ثلاثي") stays one event.
    """
    if draft.trigger.type not in PER_COUNTERPART_TYPES or len(draft.persons) < 3:
        return [draft]
    sentence = normalised.of_original(draft.sentence_start, draft.sentence_end)
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


def _by_sentence(items: Sequence[_Spanned], starts: list[int]) -> dict[int, list[_Spanned]]:
    """Items (anything with a .start) grouped by the index of the sentence they start in."""
    grouped: dict[int, list[_Spanned]] = {}
    for item in items:
        grouped.setdefault(bisect_right(starts, _start(item)) - 1, []).append(item)
    return grouped


def _start(item: object) -> int:
    return item[0] if isinstance(item, tuple) else item.start  # type: ignore[attr-defined]


def _dateline(places: Sequence[PlaceMention], sentences: Sequence, text: str) -> PlaceMention | None:
    """A place opening the article's first body line and followed by a dash or an agency in brackets."""
    for sentence in sentences[:LEAD_SENTENCES]:
        for place in places:
            if place.start - sentence.start <= 2 and sentence.start <= place.start:
                following = text[place.end : place.end + 3].strip()
                if following[:1] in ("-", "–", "—", "(", ":", "،", ","):
                    return place
    return None


def _capitals_as_countries(draft: _Draft, places: Sequence[PlaceMention], gazetteer: Gazetteer) -> None:
    """With no one named, capitals next to the trigger stand for their countries ("وقعت موسكو وطهران")."""
    trigger = draft.trigger
    for place in places:
        if not (draft.sentence_start <= place.start < draft.sentence_end):
            continue
        if _distance(trigger.start, trigger.end, place.start, place.end) > OTHERS_WINDOW:
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


def _assign_expressions(
    triggers: list[Trigger],
    expressions: list[TemporalExpression],
    text: str,
    lexicon: EventLexicon,
    normalised: NormalisedText,
) -> dict[Trigger, TemporalExpression]:
    """Each expression dates the trigger nearest to it; a trigger keeps its nearest expression.

    A reference back ("the meeting") claims a date only when its sentence reports nothing new.
    """
    claimed: dict[Trigger, TemporalExpression] = {}
    fresh = [t for t in triggers if not t.definite or _described_next(t, lexicon, normalised)] or triggers

    def cost(trigger: Trigger, expression: TemporalExpression) -> float:
        # A date attaches to the verb of its clause ("met X in Jeddah on Sunday at the start of a
        # tour"), so nouns count as twice as far; and it follows its trigger ("talks with Modi on
        # Tuesday and met Pezeshkian on Wednesday") unless fronted with a comma ("In mid-May, ...").
        distance = _distance(trigger.start, trigger.end, expression.start, expression.end)
        factor = NOUN_DISTANCE_FACTOR if trigger.noun else 1.0
        if trigger.start >= expression.end:
            between = normalised.of_original(expression.end, trigger.start)
            if lexicon.clause_breaks and lexicon.clause_breaks.search(between):
                factor *= FOLLOWING_TRIGGER_FACTOR**3  # "... on Tuesday and met ...": another clause
            elif not any(text.find(comma, expression.end, trigger.start) >= 0 for comma in ",،"):
                factor *= FOLLOWING_TRIGGER_FACTOR
        return distance * factor

    for expression in expressions:
        nearest = min(fresh, key=lambda t: cost(t, expression))
        if (
            nearest.definite
            and _distance(nearest.start, nearest.end, expression.start, expression.end) > DEFINITE_REACH
            or nearest.definite
            and _clause_between(nearest, expression, lexicon, normalised)
        ):
            continue  # "the summit ... a dispute that began in 2017": the date is the dispute's
        current = claimed.get(nearest)
        if current is None or cost(nearest, expression) < cost(nearest, current):
            claimed[nearest] = expression
    return claimed


# How far (characters) after a noun trigger a relative word may open the clause describing it.
RELATIVE_REACH = 30


def _described_next(trigger: Trigger, lexicon: EventLexicon, normalised: NormalisedText) -> bool:
    """ "the summit which will be held in April", "القمة التي ستعقد": a definite noun described by
    a relative clause introduces a new event rather than referring back to one."""
    if lexicon.relative_words is None or not trigger.noun:
        return False
    return bool(
        lexicon.relative_words.search(normalised.of_original(trigger.end, trigger.end + RELATIVE_REACH))
    )


def _group_mentions(normalised: NormalisedText, lexicon: EventLexicon) -> list[tuple[int, int, str]]:
    """Spans of "the two leaders"-like words, with which kind of actors they stand for."""
    if lexicon.group_pattern is None:
        return []
    spans = []
    for match in lexicon.group_pattern.finditer(normalised.text):
        word = match.group("word")
        kind = "countries" if word in lexicon.country_groups else "persons"
        start, end = normalised.to_original(match.start(), match.end())
        spans.append((start, end, kind))
    return spans


def _attach_actors(
    draft: _Draft,
    mentions: Sequence[ActorMention],
    groups: list[tuple[int, int, str]],
    gazetteer: Gazetteer,
    lexicon: EventLexicon,
    normalised: NormalisedText,
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
            _distance(trigger.start, trigger.end, mention.start, mention.end) > OTHERS_WINDOW
            or _is_topic(mention, lexicon, normalised)  # "لبحث الوضع في السودان": a topic, not a party
        ):
            continue
        target = draft.persons if kind == "person" else draft.others
        if actor_id not in target:
            target.append(actor_id)
            vias.append(mention.via)
    in_sentence = [g for g in groups if draft.sentence_start <= g[0] < draft.sentence_end]
    if in_sentence:  # the group word nearest the trigger speaks for it
        start, end, kind = min(
            in_sentence, key=lambda g: _distance(g[0], g[1], draft.trigger.start, draft.trigger.end)
        )
        draft.actor_via = "group:" + kind
    else:
        draft.actor_via = min(vias, key=lambda v: -ACTOR_SCORES.get(v, 0.8)) if vias else "name"


def _possessor_as_visitor(
    draft: _Draft, mentions: Sequence[ActorMention], gazetteer: Gazetteer, lexicon: EventLexicon
) -> None:
    """ "زيارة الرئيس X إلى طهران": in a language whose possessor follows its noun, the person right
    after a visit noun (a noun without the article: a construct) is the visitor; people written
    before the noun act in the sentence's other clauses."""
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
            and (gazetteer.actor(m.actor_id) or _NO_ACTOR).kind == "person"
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


def _attach_place(
    draft: _Draft,
    places: Sequence[PlaceMention],
    gazetteer: Gazetteer,
    lexicon: EventLexicon,
    normalised: NormalisedText,
) -> None:
    trigger = draft.trigger
    if trigger.type in PLACELESS_TYPES:
        return
    in_sentence = [
        p
        for p in places
        if draft.sentence_start <= p.start < draft.sentence_end
        and _distance(p.start, p.end, trigger.start, trigger.end) <= PLACE_WINDOW
        and not _is_topic(p, lexicon, normalised)
    ]
    # A venue is introduced by a venue preposition ("في موسكو", "in Doha", "إلى بكين") or is the
    # object of a visit ("زار القاهرة", "visited Cairo"); other places are context.
    venues = [p for p in in_sentence if _after_venue_word(p, lexicon, normalised)]
    if trigger.type == "visit":
        venues += [p for p in in_sentence if p.start >= trigger.end][:1]
    if not venues:
        return
    # the nearest venue; at equal distance the one after the trigger ("visit to Beijing")
    chosen = min(
        venues, key=lambda p: (_distance(p.start, p.end, trigger.start, trigger.end), p.start < trigger.start)
    )
    draft.place = gazetteer.place(chosen.place_id)


def _after_venue_word(place: PlaceMention, lexicon: EventLexicon, normalised: NormalisedText) -> bool:
    if lexicon.venue_words is None:
        return False
    return bool(lexicon.venue_words.search(normalised.of_original(max(0, place.start - 25), place.start)))


_QUOTE_PAIRS = {'"': '"', "“": "”", "«": "»", "„": "“"}


def _quotations(text: str) -> tuple[list[int], list[int]]:
    """Where quotations open and close, each paragraph read once (an unclosed one runs to its end)."""
    opens: list[int] = []
    closes: list[int] = []
    opened: str | None = None
    for match in _QUOTE_OR_BREAK.finditer(text):
        char, at = match.group(), match.start()
        if char == "\n":
            if opened is not None:
                closes.append(at)
            opened = None
        elif opened is None:
            if char in _QUOTE_PAIRS:
                opened = _QUOTE_PAIRS[char]
                opens.append(at)
        elif char == opened:
            opened = None
            closes.append(at)
    if opened is not None:
        closes.append(len(text))
    return opens, closes


_QUOTE_OR_BREAK = re.compile("[\n" + "".join(sorted({*_QUOTE_PAIRS, *_QUOTE_PAIRS.values()})) + "]")


def _quoted(trigger: Trigger, quotations: tuple[list[int], list[int]]) -> bool:
    """Is the trigger inside a quotation in its paragraph (reported speech)?"""
    opens, closes = quotations
    index = bisect_left(opens, trigger.start) - 1  # the last quotation opened before the trigger
    return index >= 0 and trigger.start <= closes[index]


def _place_follows(
    trigger: Trigger,
    places: Sequence[PlaceMention],
    triggers: Sequence[Trigger],
    lexicon: EventLexicon,
    normalised: NormalisedText,
) -> bool:
    """ "وصل ... إلى الجزائر", "arrived in Doha": a venue comes soon after, before any other trigger."""
    following = [t.start for t in triggers if t.start > trigger.start]
    limit = min([trigger.end + ARRIVAL_REACH, *following])
    return any(trigger.end <= p.start < limit and _after_venue_word(p, lexicon, normalised) for p in places)


def _clause_between(
    trigger: Trigger, expression: TemporalExpression, lexicon: EventLexicon, normalised: NormalisedText
) -> bool:
    """Does a new clause ("عندما", "when") open between a trigger and a date?"""
    if lexicon.clause_breaks is None:
        return False
    if trigger.end <= expression.start:
        between = normalised.of_original(trigger.end, expression.start)
    else:
        between = normalised.of_original(expression.end, trigger.start)
    return bool(lexicon.clause_breaks.search(between))


def _after_since(
    expression: TemporalExpression, text: str, lexicon: EventLexicon, normalised: NormalisedText
) -> bool:
    """A date in a clause opened by "since"/"منذ" ("منذ المصافحة في الدوحة في نوفمبر 2022") starts a
    state of affairs; it does not date a happening."""
    if lexicon.since_words is None:
        return False
    window = text[max(0, expression.start - 80) : expression.start]
    clause = re.split(r"[,،:;؛.]", window)[-1]
    return bool(
        lexicon.since_words.search(normalised.of_original(expression.start - len(clause), expression.start))
        or lexicon.since_words.match(normalised.of_original(expression.start, expression.end))
    )


def _since_clauses(
    sentence: Sentence, triggers: Sequence[Trigger], lexicon: EventLexicon, normalised: NormalisedText
) -> list[tuple[int, int]]:
    """Spans of "since ..." clauses ("the first visit since the fall of X's government in 2011"): from
    the since-word to the next trigger, clause break or the sentence's end. What they name (dates,
    people) tells the state of affairs, not who took part in the event or when."""
    if lexicon.since_words is None:
        return []
    local = normalised.of_original(sentence.start, sentence.end)
    base = bisect_left(normalised.offsets, sentence.start)
    spans = []
    for match in lexicon.since_words.finditer(local):
        start = normalised.offsets[base + match.start()]
        end = min([t.start for t in triggers if t.start > start] + [sentence.end])
        breaks = lexicon.clause_breaks.search(local, match.end()) if lexicon.clause_breaks else None
        if breaks is not None:
            end = min(end, normalised.offsets[base + breaks.start()])
        spans.append((start, end))
    return spans


def _inside(position: int, spans: Sequence[tuple[int, int]]) -> bool:
    return any(start <= position < end for start, end in spans)


# How far (characters) a report verb may stand from the date or the speaker it goes with
# ("said on Thursday", "Mao said", "قال المتحدث").
REPORT_REACH = 4


def _dates_a_saying(
    expression: TemporalExpression, lexicon: EventLexicon, normalised: NormalisedText
) -> bool:
    """ "..., the spokesperson said on Thursday": the date is the saying's, not the event's."""
    if lexicon.report_verbs is None:
        return False
    before = normalised.of_original(max(0, expression.start - 30), expression.start).rstrip()
    for word in (" on", " في"):  # a preposition the expression may leave out
        if before.endswith(word):
            before = before[: -len(word)].rstrip()
    verbs = list(lexicon.report_verbs.finditer(before))
    return bool(verbs) and verbs[-1].end() == len(before)


def _speaker_after(
    mention: ActorMention,
    trigger: Trigger,
    sentence: Sentence,
    lexicon: EventLexicon,
    normalised: NormalisedText,
) -> bool:
    """A person next to a report verb of their sentence, after the trigger ("..., spokesperson Mao
    said") speaks of the event; they take no part in it."""
    if lexicon.report_verbs is None or mention.start < trigger.end:
        return False
    after = normalised.of_original(mention.end, min(sentence.end, mention.end + 20))
    before = normalised.of_original(max(sentence.start, mention.start - 30), mention.start).rstrip()
    following = lexicon.report_verbs.match(after.lstrip())
    if following is not None and len(after) - len(after.lstrip()) <= REPORT_REACH:
        return True
    preceding = list(lexicon.report_verbs.finditer(before))
    return bool(preceding) and len(before) - preceding[-1].end() <= REPORT_REACH


def _is_topic(
    mention: PlaceMention | ActorMention, lexicon: EventLexicon, normalised: NormalisedText
) -> bool:
    """ "The situation in Gaza", "الأوضاع في غزة": a place or country talked about, not a venue or a party."""
    if lexicon.topic_cues is None:
        return False
    return bool(lexicon.topic_cues.search(normalised.of_original(max(0, mention.start - 25), mention.start)))


def _clause_owners(
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


# How far (characters) after a verb its subject may begin when the subject follows the verb.
SUBJECT_GAP = 2


def _inherit_subjects(
    drafts: list[_Draft],
    mentions_in: dict[int, list[ActorMention]],
    gazetteer: Gazetteer,
    subject_follows_verb: bool = False,
) -> None:
    """A sentence with no one named before its first trigger ("He will travel to Abu Dhabi to meet
    ...", "ويتوجه إلى أبوظبي للقاء ...") continues the subject of the last sentence that had one.

    In a language whose subject may follow its verb ("وزار الرئيس X القاهرة"), a person written
    right after a verb trigger is the sentence's own subject."""
    last_subject: str | None = None
    by_sentence: dict[int, list[_Draft]] = {}
    for draft in drafts:
        by_sentence.setdefault(draft.sentence_index, []).append(draft)
    for index, sentence_drafts in by_sentence.items():
        first = sentence_drafts[0]
        subject = next(
            (
                m.actor_id
                for m in mentions_in.get(index, [])
                if m.actor_id
                and (gazetteer.actor(m.actor_id) or _NO_ACTOR).kind == "person"
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


def _resolve_groups(
    drafts: list[_Draft], mentions: Sequence[ActorMention], gazetteer: Gazetteer, published_at: date
) -> None:
    """Group words ("the two leaders") stand for the people of the latest event naming two or more;
    "the two countries" for those people's countries, else the countries the article names most."""
    country_counts = Counter(
        m.actor_id
        for m in mentions
        if m.actor_id and (gazetteer.actor(m.actor_id) or _NO_ACTOR).kind == "country"
    )
    top_countries = [c for c, _ in sorted(country_counts.items(), key=lambda kv: (-kv[1], kv[0]))[:2]]
    person_counts = Counter(
        m.actor_id
        for m in mentions
        if m.actor_id and (gazetteer.actor(m.actor_id) or _NO_ACTOR).kind == "person"
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
                countries = [_country_of(person, gazetteer, published_at) for person in latest_pair]
                if len(set(countries)) < 2 or None in countries:
                    countries = top_countries
                for country in countries:
                    if country not in draft.others:
                        draft.others.append(country)
            draft.actor_via = "group"
        if len(draft.persons) == 2:  # "the two ..." are a pair
            latest_pair = list(draft.persons)


_NO_ACTOR = ActorRecord(id="", name="", kind="", wikidata=None, names={})


def _country_of(person: str, gazetteer: Gazetteer, on: date) -> str | None:
    return next((tenure.country for tenure in gazetteer.offices_of(person, on)), None)


def _lead_end(sentences: Sequence[Sentence]) -> int:
    """Index of the first sentence after the lead: LEAD_SENTENCES full sentences, not counting the
    short lines (bylines, time stamps, captions) between them."""
    full = 0
    for index, sentence in enumerate(sentences):
        if len(sentence.text.split()) >= LEAD_MIN_WORDS:
            full += 1
            if full == LEAD_SENTENCES:
                return index + 1
    return len(sentences)


def _decide(
    drafts: list[_Draft],
    text: str,
    published_at: date,
    lexicon: EventLexicon,
    gazetteer: Gazetteer,
    normalised: NormalisedText,
    lead_end: int = LEAD_SENTENCES,
) -> list[EventCandidate]:
    """Date every draft: by its own expression, by discourse, by publication (lead), or drop it."""
    events: list[tuple[_Draft, EventCandidate]] = []
    # 1. Drafts with their own date and someone taking part.
    for draft in drafts:
        if draft.expression is None or not (draft.persons or draft.others or draft.stand_ins):
            continue
        span = _widen(draft, draft.expression.date, text, lexicon, normalised)
        events.append(
            (
                draft,
                _candidate(draft, span, draft.expression, draft.expression.anchor, published_at, gazetteer),
            )
        )
    dated_in: dict[int, list[_Draft]] = {}
    for draft, _ in events:
        dated_in.setdefault(draft.sentence_index, []).append(draft)
    told = _Told([candidate for _, candidate in events])
    quotations = _quotations(text)
    hosts: list[tuple[EventCandidate, EventCandidate]] = []  # (visit, a meeting held during it)
    for draft in drafts:
        if draft.expression is not None and (draft.persons or draft.others or draft.stand_ins):
            continue
        # 2. A reference back to an event already reported ("the visit", "the two leaders' call").
        target = _referent(draft, told, gazetteer)
        if target is not None:
            events.append((draft, _as_reference(draft, target)))
            told.add(events[-1][1])
            continue
        if not (draft.persons or draft.others or draft.stand_ins) or _quoted(draft.trigger, quotations):
            continue  # no one takes part, or words someone said: not a happening of its own
        # 3. A meeting or talks held during a visit told just before, without a day of its own,
        #    takes the visit's dates.
        visit = _visit_during(draft, events, drafts, gazetteer)
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
                (draft, _candidate(draft, expression.date, expression, "discourse", published_at, gazetteer))
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
            and lexicon.news_item_cues.match(normalised.of_original(draft.sentence_start, draft.sentence_end))
        )  # "من جهة أخرى، ..." / "Separately, ...": another item of the day's news
        lead = draft.sentence_index < lead_end and (draft.persons or draft.stand_ins)
        if lead or remote_call or news_item:
            span = DateSpan(published_at, published_at, "day")
            events.append((draft, _candidate(draft, span, None, "publication", published_at, gazetteer)))
            told.add(events[-1][1])
    events.sort(key=lambda pair: pair[0].trigger.start)
    candidates = _with_hosts([candidate for _, candidate in events], hosts)
    return _without_country_twins(_collapse_same_sentence(candidates), gazetteer)


def _same_programme(a: str, b: str) -> bool:
    """Could these happenings be told as one day's programme (a visit and the talks during it)?"""
    return same_family(a, b) or bool(families(a) & IN_PERSON_FAMILIES and families(b) & IN_PERSON_FAMILIES)


def _pair_encounter(draft: _Draft, events: list[tuple[_Draft, EventCandidate]]) -> EventCandidate | None:
    """The latest in-person encounter told before a happening whose people a group word names
    ("the presidents signed ...") with those same people; None when the group word named nobody."""
    if draft.actor_via != "group" or len(draft.persons) < 2:
        return None
    earlier = [
        candidate
        for earlier_draft, candidate in events
        if earlier_draft.sentence_index < draft.sentence_index
        and families(candidate.type) & IN_PERSON_FAMILIES
        and set(draft.persons) <= {a.id for a, _ in candidate.actors if a.kind == "person"}
    ]
    # the meeting itself rather than the visit it was part of
    return next((c for c in reversed(earlier) if c.type != "visit"), earlier[-1] if earlier else None)


def _visit_during(
    draft: _Draft, events: list[tuple[_Draft, EventCandidate]], drafts: list[_Draft], gazetteer: Gazetteer
) -> EventCandidate | None:
    """The visit an undated meeting or talks was held during: told in its sentence, or in one of
    the DURING_REACH sentences before it with the same visitor or a reference back ("during the
    visit", "خلال الزيارة") in the meeting's sentence; the nearest one."""
    if draft.trigger.type not in DURING_VISIT_TYPES:
        return None
    refers_to_visit = any(
        d.sentence_index == draft.sentence_index and d.trigger.type == "visit" for d in drafts
    )
    best: tuple[int, EventCandidate] | None = None
    for visit_draft, candidate in events:
        if candidate.type != "visit":
            continue
        gap = draft.sentence_index - visit_draft.sentence_index
        if not 0 <= gap <= DURING_REACH:
            continue
        people = {a.id for a, _ in candidate.actors if a.kind == "person"}
        if gap and not (
            refers_to_visit or people & set(draft.persons) or _same_countries(draft, candidate, gazetteer)
        ):
            continue
        if best is None or gap < best[0]:
            best = (gap, candidate)
    return best[1] if best else None


def _same_countries(draft: _Draft, visit: EventCandidate, gazetteer: Gazetteer) -> bool:
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


def _during(draft: _Draft, visit: EventCandidate, published_at: date, gazetteer: Gazetteer) -> EventCandidate:
    candidate = _candidate(draft, visit.date, visit.expression, "discourse", published_at, gazetteer)
    if candidate.place is None and visit.place is not None:
        candidate = replace(candidate, place=visit.place)
    if candidate.type in SIGNED_TYPES and len(candidate.actors) == 1:
        # "during the visit, X will sign ...": the host country is the other party
        hosts = [
            (a, "participant") for a, role in visit.actors if role == HOST_COUNTRY_ROLE or a.kind == "country"
        ]
        candidate = replace(candidate, actors=(*candidate.actors, *hosts[:1]))
    return candidate


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


def _widen(
    draft: _Draft, span: DateSpan, text: str, lexicon: EventLexicon, normalised: NormalisedText
) -> DateSpan:
    """A day-level date becomes a range when the text gives the event a length in days, next to its
    trigger or to another word of its sentence naming the same happening ("welcomed ..., marking
    the start of a three-day visit")."""
    if span.granularity != "day" or not lexicon.durations:
        return span
    namesakes = [t for t in draft.namesakes if same_family(t.type, draft.trigger.type)]
    for trigger in (draft.trigger, *namesakes):
        widened = _widen_by(trigger, draft, span, lexicon, normalised, cued_ok=trigger is draft.trigger)
        if widened is not None:
            return widened
    return span


def _widen_by(
    trigger: Trigger,
    draft: _Draft,
    span: DateSpan,
    lexicon: EventLexicon,
    normalised: NormalisedText,
    cued_ok: bool,
) -> DateSpan | None:
    """The range a duration next to this trigger gives, if any; `cued_ok` also accepts a duration
    introduced by a cue word after the trigger ("a visit that lasts two days")."""
    window_start = max(draft.sentence_start, trigger.start - DURATION_WINDOW)
    window_end = min(draft.sentence_end, trigger.end + DURATION_WINDOW)
    local = normalised.of_original(window_start, window_end)
    trigger_at = len(normalised.of_original(window_start, trigger.start))
    for regex, days in lexicon.durations:
        for match in regex.finditer(local):
            before_trigger = match.end() <= trigger_at
            adjacent = before_trigger and trigger_at - match.end() <= 2
            cued = lexicon.duration_cues is not None and lexicon.duration_cues.search(
                local[max(0, match.start() - 25) : match.start()]
            )
            if days < 2 or not (adjacent or (cued_ok and cued and not before_trigger)):
                continue
            concluded = lexicon.conclude_cues is not None and lexicon.conclude_cues.search(
                local[max(0, trigger_at - CONCLUDE_WINDOW) : trigger_at]
            )
            if concluded:
                return DateSpan(span.start - timedelta(days=days - 1), span.end, "range")
            return DateSpan(span.start, span.end + timedelta(days=days - 1), "range")
    return None


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


def _referent(draft: _Draft, told: _Told, gazetteer: Gazetteer) -> EventCandidate | None:
    """The already reported event an undated mention refers back to, if any: the nearest one told
    before its sentence; one told later only when none was before."""
    for candidate in told.nearest(draft.sentence_start):
        if not same_family(draft.trigger.type, candidate.type):
            continue
        people = {a.id for a, _ in candidate.actors if a.kind == "person"}
        others = {a.id for a, _ in candidate.actors if a.kind != "person"}
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
        if draft.place is not None and candidate.place is not None and draft.place.id != candidate.place.id:
            continue
        if draft.place is not None and candidate.place is None and mine_people:
            continue
        return candidate
    return None


def _as_reference(draft: _Draft, target: EventCandidate) -> EventCandidate:
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


def _candidate(
    draft: _Draft,
    span: DateSpan,
    expression: TemporalExpression | None,
    resolution: str,
    published_at: date,
    gazetteer: Gazetteer,
) -> EventCandidate:
    persons = [_role_holder_on(p, draft, gazetteer, span.start) for p in draft.persons]
    actor_ids = [*persons, *draft.stand_ins] if persons else [*draft.others, *draft.stand_ins]
    actors = tuple(
        (_record(actor_id, draft, gazetteer), "participant") for actor_id in dict.fromkeys(actor_ids)
    )
    host = _host_country(draft, persons, gazetteer, span.start)
    if host is not None and host not in actor_ids:
        actors = (*actors, (_record(host, draft, gazetteer), HOST_COUNTRY_ROLE))
    date_score = (
        DATE_SCORES.get(resolution, 0.7)
        if expression is not None or resolution == "discourse"
        else UNDATED_SCORE
    )
    actor_score = ACTOR_SCORES.get(draft.actor_via, 0.8) if persons else ACTOR_SCORES["country"]
    confidence = round(0.5 * date_score + 0.3 * draft.trigger.strength + 0.2 * actor_score, 3)
    return EventCandidate(
        type=draft.trigger.type,
        trigger=draft.trigger.text,
        sentence=draft.sentence,
        span_start=draft.sentence_start,
        span_end=draft.sentence_end,
        expression=expression,
        resolution=resolution,
        date=span,
        status=_status(span, published_at, draft.tense),
        actors=actors,
        place=draft.place,
        confidence=confidence,
        implied=draft.implied,
    )


def _host_country(draft: _Draft, persons: list[str], gazetteer: Gazetteer, on: date) -> str | None:
    """The country a visit naming only its visitor goes to: it stands for the unnamed host.

    The destination is a country written next to the trigger ("a visit to Egypt"), else the
    country of the visit's venue; never the visitor's own country (a return home is no visit).
    """
    if draft.trigger.type != "visit" or len(persons) != 1 or draft.stand_ins:
        return None
    visitor = _record(persons[0], draft, gazetteer)
    home = visitor.country or _country_of(visitor.id, gazetteer, on)
    written = [c for c in draft.others if (gazetteer.actor(c) or _NO_ACTOR).kind == "country"]
    venue = [draft.place.country] if draft.place is not None and draft.place.country else []
    return next((country for country in [*written, *venue] if country != home), None)


def _role_holder_on(actor_id: str, draft: _Draft, gazetteer: Gazetteer, on: date) -> str:
    # Role descriptions were resolved on the publication date; an event dated elsewhere may have
    # had another holder ("the US president" in a 2025 article about a 2021 call).
    if actor_id not in draft.roles:
        return actor_id
    office, country = draft.roles[actor_id]
    return gazetteer.holder(office, country, on) or actor_id


def _record(actor_id: str, draft: _Draft, gazetteer: Gazetteer) -> ActorRecord:
    return gazetteer.actor(actor_id) or draft.unknown[actor_id]


def _status(span: DateSpan, published_at: date, tense: str | None) -> str:
    if span.start > published_at:
        return "planned"
    if span.end < published_at:
        return "past"
    return "planned" if tense == "future" else "past"


def _collapse_same_sentence(candidates: list[EventCandidate]) -> list[EventCandidate]:
    """Two triggers of one sentence about one happening ("met ... to discuss") are one mention:
    the one with its own date and the strongest trigger stays."""
    kept: list[EventCandidate] = []
    in_sentence: dict[int, list[int]] = {}  # sentence start -> indexes in kept
    for candidate in candidates:
        twin = next(
            (
                index
                for index in in_sentence.get(candidate.span_start, [])
                if same_family(kept[index].type, candidate.type)
                and kept[index].date == candidate.date
                and {a.id for a, _ in kept[index].actors} == {a.id for a, _ in candidate.actors}
            ),
            None,
        )
        if twin is None:
            in_sentence.setdefault(candidate.span_start, []).append(len(kept))
            kept.append(candidate)
        elif _rank(candidate) > _rank(kept[twin]):
            kept[twin] = candidate
    return kept


def _without_country_twins(candidates: list[EventCandidate], gazetteer: Gazetteer) -> list[EventCandidate]:
    """ "Turkey and Albania signed ..." and "Erdogan and Rama took part in the signing" are one
    happening: a mention naming only countries goes when another of the same kind and date names
    people who represent exactly those countries."""
    represented: list[tuple[EventCandidate, frozenset[str]]] = []
    for candidate in candidates:
        people = [a for a, _ in candidate.actors if a.kind == "person"]
        countries = {_home_country(a, gazetteer, candidate.date.start) for a in people}
        if people and None not in countries:
            represented.append((candidate, frozenset(c for c in countries if c)))

    def twin(candidate: EventCandidate) -> bool:
        if any(a.kind == "person" for a, _ in candidate.actors):
            return False
        countries = {a.id for a, _ in candidate.actors if a.kind == "country"}
        return len(countries) >= 2 and any(
            same_family(other.type, candidate.type)
            and other.date == candidate.date
            and represents == countries
            for other, represents in represented
        )

    return [c for c in candidates if not twin(c)]


def _home_country(person: ActorRecord, gazetteer: Gazetteer, on: date) -> str | None:
    return person.country or _country_of(person.id, gazetteer, on)


def _rank(candidate: EventCandidate) -> tuple[bool, bool, float]:
    # a happening named by its own word ("held talks") outranks one implied by another ("received")
    return (not candidate.implied, candidate.resolution != "discourse", candidate.confidence)
