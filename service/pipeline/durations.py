"""Lengths: a day-level date becomes a range when the text gives the event a length in days.

widen(draft, span, doc, lexicon) -> DateSpan
"""

from __future__ import annotations

from datetime import timedelta

from service.pipeline.document import Document
from service.pipeline.events import Draft
from service.pipeline.merge import same_family
from service.pipeline.temporal import DateSpan
from service.pipeline.triggers import EventLexicon, Trigger

# How far (characters) around a trigger a duration or a "concluded" cue may stand.
DURATION_WINDOW = 60
CONCLUDE_WINDOW = 40
DURATION_CUE_REACH = 25


def widen(draft: Draft, span: DateSpan, doc: Document, lexicon: EventLexicon) -> DateSpan:
    """A day-level date becomes a range when the text gives the event a length in days, next to its
    trigger or to another word of its sentence naming the same happening ("welcomed ..., marking
    the start of a three-day visit")."""
    if span.granularity != "day" or not lexicon.durations:
        return span
    namesakes = [t for t in draft.namesakes if same_family(t.type, draft.trigger.type)]
    for trigger in (draft.trigger, *namesakes):
        widened = _widen_by(trigger, draft, span, doc, lexicon, cued_ok=trigger is draft.trigger)
        if widened is not None:
            return widened
    return span


def _widen_by(
    trigger: Trigger, draft: Draft, span: DateSpan, doc: Document, lexicon: EventLexicon, cued_ok: bool
) -> DateSpan | None:
    """The range a duration next to this trigger gives, if any; `cued_ok` also accepts a duration
    introduced by a cue word after the trigger ("a visit that lasts two days")."""
    window_start = max(draft.sentence_start, trigger.start - DURATION_WINDOW)
    window_end = min(draft.sentence_end, trigger.end + DURATION_WINDOW)
    local = doc.normalised(window_start, window_end)
    trigger_at = len(doc.normalised(window_start, trigger.start))
    for regex, days, phrase in lexicon.durations:
        if phrase not in local:
            continue  # the pattern is this phrase as a whole word: no need to scan for it
        for match in regex.finditer(local):
            before_trigger = match.end() <= trigger_at
            adjacent = before_trigger and trigger_at - match.end() <= 2
            cued = lexicon.duration_cues is not None and lexicon.duration_cues.search(
                local[max(0, match.start() - DURATION_CUE_REACH) : match.start()]
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
