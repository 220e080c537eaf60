"""What keeps queries and ingestion flat as the database grows (docs/QUERIES.md; bench/bench_scale.py)."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest

from service import create_app, store, usecases
from service.migrate import upgrade
from service.models import Actor, Article, Event, EventActor, EventMention, MentionActor
from service.pipeline.normalise import normalise_word
from service.store import EventFilters
from tests.factories import seed
from tests.pipeline.languages import LANGUAGES, language_of
from tests.test_usecases import ingest


def _event(session, title: str, sentence: str, day: date, actors: tuple[str, ...]) -> Event:
    """An event with one mention of its own article, stored directly."""
    number = session.query(Article).count()
    article = Article(
        language="ar",
        text=sentence,
        published_at=datetime(day.year, day.month, day.day, tzinfo=UTC),
        published_date=day,
        content_hash=f"{number + 100:064d}",
        extractor_version="test",
    )
    event = Event(
        type="visit",
        title=title,
        date_start=day,
        date_end=day,
        granularity="day",
        status="past",
        confidence=0.9,
    )
    event.actor_links = [EventActor(actor_id=a, position=i) for i, a in enumerate(actors)]
    session.add_all([article, event])
    session.flush()
    session.add(
        EventMention(
            event_id=event.id,
            article=article,
            sentence=sentence,
            span_start=0,
            span_end=len(sentence),
            trigger="visit",
            resolution="explicit",
            type="visit",
            date_start=day,
            date_end=day,
            granularity="day",
            status="past",
            confidence=0.9,
            actor_links=[MentionActor(actor_id=a, position=i) for i, a in enumerate(actors)],
        )
    )
    session.commit()
    return event


def test_q_matches_text_normalised_like_the_pipeline(session):
    seed(session)
    wanted = _event(
        session, "Visit", "أعلنت الوزارة عن زيارة رسمية إلى القاهرة.", date(2024, 2, 1), ("egypt",)
    )

    def found(q: str) -> list[int]:
        return [e.id for e in store.page_events(session, EventFilters(q=q), 10, None, False).items]

    assert found("اعلنت") == [wanted.id]  # alef with hamza written bare
    assert found("زياره") == [wanted.id]  # ta marbuta written as ha
    assert found("HAKAN FIDAN") == found("hakan fidan") != []  # titles, case-folded
    assert found("100%") == []  # LIKE wildcards match themselves


def test_copied_columns_follow_their_rows(session):
    ids = seed(session)
    event = session.get(Event, ids["visit"])
    event.date_start = date(2024, 4, 30)
    session.commit()
    assert {link.date_start for link in event.actor_links} == {date(2024, 4, 30)}
    assert event.span_days == 31 and event.search_title == "hakan fidan visits cairo"
    assert store.widest_span(session) == 364  # the agreement: all of 2022


def test_one_actor_pages_in_order_through_its_index_to_the_last_page(session):
    seed(session)
    expected = [e.id for e in store.page_events(session, EventFilters(), 10, None, False).items]
    expected = [
        i for i in expected if "hakan-fidan" in {a.actor_id for a in session.get(Event, i).actor_links}
    ]
    for descending in (False, True):
        seen, cursor = [], None
        while True:
            page = store.page_events(session, EventFilters(actors=("Hakan Fidan",)), 1, cursor, descending)
            seen += [e.id for e in page.items]
            if page.next_cursor is None:
                break
            cursor = page.next_cursor
        assert seen == (expected[::-1] if descending else expected)


def test_merge_candidates_share_an_actor_and_overlap_in_time(session):
    seed(session)
    near = _event(session, "Visit", "Fidan visited Cairo.", date(2024, 5, 10), ("hakan-fidan",))
    same = _event(
        session, "Visit", "Fidan was in Cairo that day.", date(2024, 5, 10), ("hakan-fidan", "egypt")
    )
    _event(session, "Visit", "Putin visited Cairo.", date(2024, 5, 10), ("vladimir-putin",))
    _event(session, "Visit", "Fidan visited Cairo again.", date(2020, 5, 10), ("hakan-fidan",))
    mention = near.mentions[0]

    def probe(types: tuple[str, ...]) -> store.MergeProbe:
        return store.MergeProbe(
            mention.article_id, mention.date_start, mention.date_end, types, ("hakan-fidan",)
        )

    candidates = store.merge_candidate_ids(session, [probe(("visit",))])
    assert candidates == {mention.id, same.mentions[0].id}
    assert store.merge_candidate_ids(session, [probe(("talks",))]) == set()


def test_the_gazetteer_is_extended_not_rebuilt_when_an_actor_is_added(session, monkeypatch):
    before = usecases.gazetteer_for(session)
    assert usecases.gazetteer_for(session) is before
    usecases.create_actor(session, "Zorava Quintel", "person", {"ar": ["زورافا كوينتل"]}, None, None)
    monkeypatch.setattr(
        usecases, "base_gazetteer", lambda: pytest.fail("started again from the shipped data")
    )
    after = usecases.gazetteer_for(session)
    # Another thread may still be reading the gazetteer it was handed: that one is left unchanged.
    assert before.find_actor("Zorava Quintel") is None
    assert after.find_actor("زورافا كوينتل").id == "zorava-quintel"
    text = "Zorava Quintel spoke."
    assert [m.actor_id for m in after.find_actors(text, LANGUAGES[language_of(text)], date(2024, 1, 1))] == [
        "zorava-quintel"
    ]
    session.query(Actor).filter_by(id="zorava-quintel").delete()
    session.commit()
    monkeypatch.undo()
    assert usecases.gazetteer_for(session).find_actor("Zorava Quintel") is None  # gone: started again


def test_storing_a_shipped_actor_hands_out_the_same_gazetteer(session):
    before = usecases.gazetteer_for(session)
    ingest(session, "Vladimir Putin spoke by phone with Xi Jinping on Monday.", "2024-03-06")
    assert session.get(Actor, "vladimir-putin").names  # stored with its shipped names
    assert usecases.gazetteer_for(session) is before  # nothing new to add: no copy


def test_every_write_moves_the_version(session):
    version, _ = store.timeline_version(session)
    usecases.add_alias(session, "egypt", "en", "Arab Republic of Egypt")
    assert store.timeline_version(session)[0] == version + 1


def _overlapping(session, date_from, date_to, actor=None, q=None) -> list[int]:
    """Every stored event matching the filters, by brute force in Python, in (start, id) order."""
    events = session.query(Event).all()
    return [
        e.id
        for e in sorted(events, key=lambda e: (e.date_start, e.id))
        if (date_from is None or e.date_end >= date_from)
        and (date_to is None or e.date_start <= date_to)
        and (actor is None or actor in {link.actor_id for link in e.actor_links})
        and (q is None or q in e.title.lower() or any(q in m.sentence.lower() for m in e.mentions))
    ]


def _every_page(session, filters: EventFilters, descending: bool) -> list[int]:
    seen, cursor = [], None
    while True:
        page = store.page_event_rows(session, filters, 1, cursor, descending)
        seen += [row.id for row in page.batch.events]
        if page.next_cursor is None:
            return seen
        cursor = page.next_cursor


def test_window_pages_hold_the_events_carried_in_from_before_and_those_inside(session):
    seed(session)
    _event(session, "Visit", "A long stay reported.", date(2024, 5, 18), ("hakan-fidan",))
    cases = [
        (date(2024, 5, 15), date(2024, 5, 25), None, None),  # the May visit started before: carried in
        (date(2024, 5, 21), None, None, None),
        (None, date(2024, 5, 21), None, None),
        (date(2022, 6, 1), date(2024, 5, 20), "hakan-fidan", None),  # the 2022 agreement: carried in
        (date(2024, 5, 1), date(2024, 5, 31), None, "talks"),
    ]
    for date_from, date_to, actor, q in cases:
        expected = _overlapping(session, date_from, date_to, actor, q)
        assert expected, (date_from, date_to, actor, q)
        filters = EventFilters(actors=(actor,) if actor else (), date_from=date_from, date_to=date_to, q=q)
        assert _every_page(session, filters, False) == expected
        assert _every_page(session, filters, True) == expected[::-1]


def test_q_reads_the_same_pages_through_the_index_or_walking_dates(session, monkeypatch):
    seed(session)
    _event(session, "Visit", "Talks were held again.", date(2024, 5, 18), ("hakan-fidan",))
    expected = _overlapping(session, None, None, q="talks")
    assert len(expected) >= 2
    for few in (True, False):  # a rare word read through the trigram index first, a common one walked
        monkeypatch.setattr(store, "_few_mentions_say", lambda *_args, few=few: few)
        assert _every_page(session, EventFilters(q="talks"), False) == expected
        assert _every_page(session, EventFilters(q="talks"), True) == expected[::-1]


def _containing(session, q: str) -> list[int]:
    """Events whose normalised title or a mention's normalised sentence contains q, by brute force."""
    needle = normalise_word(q)
    events = sorted(session.query(Event).all(), key=lambda e: (e.date_start, e.id))
    return [
        e.id for e in events if needle in e.search_title or any(needle in m.search_text for m in e.mentions)
    ]


@pytest.mark.parametrize(
    "q",
    [
        "talks",  # a title and mentions
        "TALKS IN",  # case folded, a space inside
        "اعلنت",  # hamza written bare
        's "quoted" w',  # quotes: text to the index, not its query syntax
        "50% of",  # LIKE wildcards match themselves
        "a_b",
        "Ca",  # two characters: shorter than a trigram
        "no such words",
    ],
)
def test_q_finds_exactly_the_events_containing_it_on_either_path(session, monkeypatch, q):
    seed(session)
    _event(session, "Visit", "أعلنت الوزارة عن زيارة.", date(2024, 2, 1), ("egypt",))
    _event(session, "Visit", 'A "quoted" word and 50% of talks in a_b.', date(2024, 3, 1), ("egypt",))
    _event(session, "Visit", "Half (50 %) of them; ab.", date(2024, 3, 2), ("egypt",))
    expected = _containing(session, q)
    for few in (True, False):  # read through the trigram index first, or walking dates
        monkeypatch.setattr(store, "_few_mentions_say", lambda *_args, few=few: few)
        assert _every_page(session, EventFilters(q=q), False) == expected, few
        filtered = store.filtered_events(session, EventFilters(q=q)).order_by(Event.date_start, Event.id)
        assert list(session.scalars(filtered.with_only_columns(Event.id))) == expected


def test_the_text_index_follows_titles_sentences_and_deletions(session):
    ids = seed(session)
    added = _event(session, "Visit", "Zorvath delegation arrived.", date(2024, 2, 1), ("egypt",))
    assert _every_page(session, EventFilters(q="zorvath"), False) == [added.id]
    event = session.get(Event, ids["visit"])
    event.title = "Quillon summit"
    session.commit()
    assert _every_page(session, EventFilters(q="quillon"), False) == [event.id]
    assert _every_page(session, EventFilters(q="visits cairo"), False) == []
    usecases.delete_article(session, added.mentions[0].article_id)  # its mention goes by cascade
    assert _every_page(session, EventFilters(q="delegation"), False) == []


def test_q_walks_the_dates_on_sqlite_without_a_text_index(tmp_path):
    url = f"sqlite:///{tmp_path / 'before_0010.db'}"
    upgrade(url, "0009")  # as an SQLite library without the trigram tokenizer leaves it
    app = create_app({"TESTING": True, "DATABASE_URL": url, "AUTO_MIGRATE": False})
    with app.extensions["sessionmaker"]() as session:
        seed(session)
        expected = _containing(session, "talks")
        assert expected and _every_page(session, EventFilters(q="talks"), False) == expected
    app.extensions["engine"].dispose()
