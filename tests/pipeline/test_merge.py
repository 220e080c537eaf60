"""Merging: which mentions are one event, deterministic whatever the order they arrive in."""

from __future__ import annotations

from datetime import date

from hypothesis import given
from hypothesis import strategies as st

from service.pipeline.merge import MentionFacts, cluster, compatible, merge


def facts(key: int, type_: str, start: str, end: str, people=(), place=None, article="a", granularity=None):
    s, e = date.fromisoformat(start), date.fromisoformat(end)
    return MentionFacts(
        key=(article, key, type_),
        type=type_,
        start=s,
        end=e,
        granularity=granularity or ("day" if s == e else "range"),
        people=frozenset(people),
        others=frozenset(),
        location_id=place,
        status="past",
        confidence=0.8,
        article=article,
    )


VISIT_MID_MAY = facts(1, "visit", "2024-05-11", "2024-05-20", {"putin", "xi"}, "beijing", "x")
TALKS_MID_MAY = facts(5, "talks", "2024-05-11", "2024-05-20", {"putin", "xi"}, "beijing", "x")
TALKS_16 = facts(2, "talks", "2024-05-16", "2024-05-16", {"putin", "xi"}, "beijing", "y")
TOUR_17 = facts(3, "visit", "2024-05-17", "2024-05-17", {"putin"}, "harbin", "y")
CALL_16 = facts(4, "phone_call", "2024-05-16", "2024-05-16", {"putin", "biden"}, None, "y")


def test_vague_and_precise_reports_of_the_same_talks_are_compatible():
    assert compatible(TALKS_MID_MAY, TALKS_16)


def test_a_visit_and_the_talks_held_during_it_are_two_events():
    assert not compatible(VISIT_MID_MAY, TALKS_16)
    assert not compatible(VISIT_MID_MAY, facts(6, "meeting", "2024-05-16", "2024-05-16", {"putin", "xi"}))
    assert compatible(VISIT_MID_MAY, facts(7, "visit", "2024-05-16", "2024-05-16", {"putin"}, "beijing", "z"))


def test_other_place_other_people_or_other_kind_are_not():
    assert not compatible(TALKS_16, TOUR_17), "Beijing and Harbin are two happenings"
    assert not compatible(TALKS_16, CALL_16), "a call with someone else is another event"
    assert not compatible(VISIT_MID_MAY, facts(5, "visit", "2024-06-01", "2024-06-02", {"putin", "xi"}))
    assert not compatible(TALKS_16, facts(6, "agreement", "2024-05-16", "2024-05-16", {"putin", "xi"}))


def test_merge_keeps_the_most_precise_date_and_every_actor():
    merged = merge([TALKS_MID_MAY, TALKS_16])
    assert (merged.start, merged.end, merged.granularity) == (date(2024, 5, 16), date(2024, 5, 16), "day")
    assert set(merged.actors) == {"putin", "xi"} and merged.location_id == "beijing"
    assert merged.confidence == 0.85, "a second independent source adds 0.05"


ALL = [VISIT_MID_MAY, TALKS_MID_MAY, TALKS_16, TOUR_17, CALL_16]


def _as_sets(mentions, groups):
    return sorted(sorted(mentions[i].key for i in group) for group in groups)


def test_seed_like_mentions_make_four_events():
    assert _as_sets(ALL, cluster(ALL)) == sorted(
        [[VISIT_MID_MAY.key], sorted([TALKS_MID_MAY.key, TALKS_16.key]), [TOUR_17.key], [CALL_16.key]]
    )


@given(st.permutations(ALL))
def test_clustering_does_not_depend_on_order(order):
    assert _as_sets(order, cluster(order)) == _as_sets(ALL, cluster(ALL))
