"""Ids that last: reprocessing keeps them, deletes never free them, merges redirect, splits keep them."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from service import store, usecases
from service.models import Article, Event, EventRedirect
from tests.test_usecases import ARTICLES, ingest

# Three reports of one day in Beijing: Putin meets Erdogan (X), Putin holds talks with Xi (A1, A2
# from two outlets), and a vague "Putin held talks in Beijing in March" (B) that fits either one.
# Merging is complete-linkage (every member compatible with every other), most precise first, so B
# joins the Erdogan meeting while X is stored, and the Xi talks when it is not.
X = "Russian President Vladimir Putin met Turkish President Recep Tayyip Erdogan in Beijing on 16 March 2023."
A1 = "Russian President Vladimir Putin held talks with Chinese President Xi Jinping in Beijing on 16 March 2023."
A2 = "Vladimir Putin and Xi Jinping met in Beijing on 16 March 2023, the two leaders said."
B = "Russian President Vladimir Putin held talks in Beijing in March 2023."


def ingest_text(session, text: str, published: str = "2023-04-01") -> usecases.IngestResult:
    return ingest(session, text, published)


def event_ids(session) -> dict[tuple, int]:
    """Each event's id keyed by its evidence (article content, span, trigger and type of each mention)."""
    session.expire_all()
    return {
        tuple(
            sorted((m.article.content_hash, m.span_start, m.trigger, m.type) for m in event.mentions)
        ): event.id
        for event in session.scalars(select(Event))
    }


def event_of(session, article_id: int) -> int:
    (event,) = usecases.get_article(session, article_id)[1]
    return event.id


def redirect_of(session, old_id: int) -> int | None:
    session.expire_all()
    return session.scalar(select(EventRedirect.event_id).where(EventRedirect.old_id == old_id))


def test_reprocessing_without_a_rule_change_keeps_every_event_id(app, session):
    for text, published in ARTICLES:
        ingest_text(session, text, published)
    before = event_ids(session)
    assert len(before) >= 4
    result = app.test_cli_runner().invoke(args=["reprocess"])
    assert result.exit_code == 0 and "reprocessed 5" in result.output
    assert event_ids(session) == before
    assert session.scalar(select(EventRedirect.old_id)) is None, "nothing merged or vanished"


def test_a_deleted_article_id_is_never_reused_and_its_events_keep_theirs(session):
    results = [ingest_text(session, text, published) for text, published in ARTICLES]
    before = event_ids(session)
    deleted = results[1].article.id  # the precise report of the Beijing talks, also told by article 0
    beijing = event_of(session, deleted)
    usecases.delete_article(session, deleted)
    assert beijing in event_ids(session).values(), "the talks still have article 0's mention"
    again = ingest_text(session, *ARTICLES[1])
    assert again.created and again.article.id > max(r.article.id for r in results)
    assert event_of(session, again.article.id) == beijing
    assert sorted(event_ids(session).values()) == sorted(before.values())


def test_deleting_the_newest_article_and_event_frees_neither_id(session):
    first = ingest_text(session, A1)
    last = ingest_text(session, X, "2023-04-02")
    last_event = event_of(session, last.article.id)
    usecases.delete_article(session, last.article.id)
    again = ingest_text(session, X, "2023-04-02")
    assert again.article.id > last.article.id
    assert event_of(session, again.article.id) > last_event
    assert redirect_of(session, last_event) is None, "it vanished: no event to send anyone to"
    assert session.scalar(select(EventRedirect.old_id).where(EventRedirect.old_id == last_event))
    assert first.article.id in {a.id for a in session.scalars(select(Article))}


def test_a_split_leaves_the_id_with_the_larger_part_and_a_merge_redirects_the_smaller(session):
    a1, a2, b = (ingest_text(session, text) for text in (A1, A2, B))
    talks = event_of(session, a1.article.id)
    assert event_of(session, a2.article.id) == event_of(session, b.article.id) == talks, "one event of three"

    # The Erdogan meeting takes the vague report away: the Xi talks (two mentions) keep the id.
    x = ingest_text(session, X)
    assert event_of(session, a1.article.id) == event_of(session, a2.article.id) == talks
    meeting = event_of(session, x.article.id)
    assert meeting != talks and event_of(session, b.article.id) == meeting

    # Without it they merge again: the larger event keeps its id, the other one redirects to it.
    usecases.delete_article(session, x.article.id)
    assert event_of(session, b.article.id) == talks
    assert redirect_of(session, meeting) == talks
    assert usecases.get_event(session, talks).id == talks
    with pytest.raises(usecases.Moved) as moved:
        usecases.get_event(session, meeting)
    assert moved.value.event_id == talks

    # Split again: the id stays with the Xi talks; the merged-away id never comes back.
    x = ingest_text(session, X)
    again = event_of(session, x.article.id)
    assert event_of(session, a1.article.id) == talks and again not in {talks, meeting}
    assert redirect_of(session, meeting) == talks


def test_ids_redirected_to_an_event_that_vanishes_are_gone_too(session):
    a1, a2, b = (ingest_text(session, text) for text in (A1, A2, B))
    talks = event_of(session, a1.article.id)
    x = ingest_text(session, X)
    meeting = event_of(session, x.article.id)
    usecases.delete_article(session, x.article.id)  # the meeting merges into the talks
    for result in (a1, a2, b):
        usecases.delete_article(session, result.article.id)
    assert redirect_of(session, meeting) is None and redirect_of(session, talks) is None
    for gone in (meeting, talks):
        with pytest.raises(usecases.Gone):
            usecases.get_event(session, gone)
    with pytest.raises(usecases.NotFound) as never:
        usecases.get_event(session, max(meeting, talks) + 1000)
    assert not isinstance(never.value, usecases.Gone), "an id never handed out is 404, not 410"


def test_a_redirect_follows_its_event_when_that_one_merges_too(session):
    """Chains collapse: one redirect, never a chain of them."""
    first, second, third = (ingest_text(session, A1.replace("16", day)) for day in ("14", "15", "16"))
    ids = [event_of(session, result.article.id) for result in (first, second, third)]
    store.retire_event(session, ids[0], ids[1])
    store.retire_event(session, ids[1], ids[2])
    session.commit()
    assert redirect_of(session, ids[0]) == ids[2] and redirect_of(session, ids[1]) == ids[2]
