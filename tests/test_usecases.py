"""Use cases on a real session: the timeline never depends on ingestion order, deletes or reprocessing."""

from __future__ import annotations

import json
import threading
import time
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, date, datetime

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import select

from service import usecases
from service.models import Article, Base, Event
from service.vocabulary import EXTRACTOR_VERSION
from tests.conftest import shared_path

# Our own small news set: one visit reported vaguely and precisely by two outlets, a tour the
# next day elsewhere, a call, and a planned meeting.
ARTICLES = [
    (
        "في منتصف شهر مارس، استقبل الرئيس الصيني شي جين بينغ الرئيس الروسي فلاديمير بوتين في بكين لإجراء محادثات.",
        "2023-04-02",
    ),
    (
        "أشاد الرئيس الروسي فلاديمير بوتين بمحادثاته مع الرئيس الصيني شي جين بينغ في بكين يوم الخميس.",
        "2023-03-17",
    ),
    ("قام الرئيس الروسي فلاديمير بوتين بجولة في مدينة شانغهاي يوم الجمعة.", "2023-03-17"),
    ("أجرى الرئيس الروسي فلاديمير بوتين اتصالاً هاتفياً مع الرئيس التركي رجب طيب أردوغان أمس.", "2023-03-17"),
    (
        "Turkish President Recep Tayyip Erdogan will meet Russian President Vladimir Putin in Sochi next week.",
        "2023-03-17",
    ),
]


def ingest(session, text: str, published: str) -> usecases.IngestResult:
    day = date.fromisoformat(published)
    return usecases.ingest_article(
        session,
        usecases.ArticleInput(
            text=text,
            published_at=datetime(day.year, day.month, day.day, tzinfo=UTC),
            published_date=day,
            published_time_known=False,
        ),
    )


def snapshot(session) -> list[tuple]:
    """The timeline as content, independent of row ids."""
    rows = []
    for event in session.scalars(select(Event)):
        mentions = sorted((m.article.content_hash, m.span_start, m.trigger) for m in event.mentions)
        rows.append(
            (
                event.type,
                event.date_start,
                event.date_end,
                event.granularity,
                event.status,
                tuple(sorted(link.actor_id for link in event.actor_links)),
                event.location_id,
                event.confidence,
                tuple(mentions),
            )
        )
    return sorted(rows)


def empty(session) -> None:
    for table in reversed(Base.metadata.sorted_tables):
        session.execute(table.delete())
    session.commit()
    session.expunge_all()


def test_same_talks_from_two_articles_are_one_event_with_the_precise_date(session):
    for text, published in ARTICLES:
        ingest(session, text, published)
    in_beijing = [row for row in snapshot(session) if row[6] == "beijing"]
    talks = [row for row in in_beijing if row[0] != "visit"]
    assert len(talks) == 1
    assert (talks[0][1], talks[0][3]) == (date(2023, 3, 16), "day")
    assert len({m[0] for m in talks[0][8]}) == 2, "both articles are sources"
    visits = [row for row in in_beijing if row[0] == "visit"]
    assert len(visits) == 1 and visits[0][3] == "range", "the visit during which they talked is its own event"
    assert any(row[6] == "shanghai" for row in snapshot(session)), "the next day's tour stays its own event"


@settings(max_examples=6, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(order=st.permutations(range(len(ARTICLES))))
def test_timeline_is_the_same_whatever_the_ingestion_order(session, order):
    empty(session)
    for index in range(len(ARTICLES)):
        ingest(session, *ARTICLES[index])
    expected = snapshot(session)
    empty(session)
    for index in order:
        ingest(session, *ARTICLES[index])
    assert snapshot(session) == expected


def test_deleting_and_reingesting_restores_the_timeline(session):
    results = [ingest(session, text, published) for text, published in ARTICLES]
    before = snapshot(session)
    usecases.delete_article(session, results[1].article.id)
    after_delete = snapshot(session)
    beijing = [row for row in after_delete if row[6] == "beijing"]
    assert beijing and all(row[3] == "range" for row in beijing), (
        "without the precise report the vague date is all we know"
    )
    ingest(session, *ARTICLES[1])
    assert snapshot(session) == before


def test_reprocess_is_idempotent_and_equals_a_fresh_ingest(app, session):
    for text, published in ARTICLES:
        ingest(session, text, published)
    fresh = snapshot(session)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["reprocess"])
    assert result.exit_code == 0 and "reprocessed 5" in result.output
    session.expire_all()
    assert snapshot(session) == fresh
    for article in session.scalars(select(Article)):
        article.extractor_version = "0"
    session.commit()
    result = runner.invoke(args=["reprocess", "--stale-only"])
    assert "reprocessed 5" in result.output
    assert runner.invoke(args=["reprocess", "--stale-only"]).output.startswith("reprocessed 0")
    session.expire_all()
    assert snapshot(session) == fresh
    assert {a.extractor_version for a in session.scalars(select(Article))} == {EXTRACTOR_VERSION}


def test_seed_articles_merge_the_same_in_any_order(session):
    manifest_path = shared_path("seeds", "manifest.json")
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    seeds = [
        ((manifest_path.parent / a["file"]).read_text(encoding="utf-8"), a["published_at"])
        for a in manifest["articles"]
    ]
    for text, published in seeds:
        ingest(session, text, published)
    forward = snapshot(session)
    empty(session)
    for text, published in reversed(seeds):
        ingest(session, text, published)
    assert snapshot(session) == forward


# -- extraction: outside the write transaction, within a time budget ----------------------------

BUDGET_SENTENCES = [
    "Russian President Vladimir Putin held a phone call with Xi Jinping on 3 March 2023.",
    "Turkish President Recep Tayyip Erdogan met Vladimir Putin in Sochi on 4 September 2023.",
    "Xi Jinping visited Moscow on 20 March 2023.",
]


def test_an_article_whose_extraction_runs_out_of_time_is_stored_with_what_was_found(app, monkeypatch):
    real_extract = usecases.extract
    budget = 0.2

    def slow_extract(text, published, language, gazetteer, stop=None):
        """The pipeline's contract: stop() is asked between sentences; what was found so far is kept."""
        found = []
        for sentence in BUDGET_SENTENCES:
            if stop is not None and stop():
                break
            time.sleep(budget)  # each sentence takes the whole budget
            found += real_extract(sentence, published, language, gazetteer)
        return found

    monkeypatch.setattr(usecases, "extract", slow_extract)
    app.config["EXTRACTION_BUDGET_SECONDS"] = budget
    client = app.test_client()
    article = {"text": " ".join(BUDGET_SENTENCES), "published_at": "2023-09-05"}
    response = client.post("/api/v1/articles", json=article)
    assert response.status_code == 201
    body = response.get_json()
    assert [e["type"] for e in body["events"]] == ["phone_call"], "only the first sentence was read"
    assert "time budget of 0.2 s" in body["extraction_note"]
    assert (
        client.get(f"/api/v1/articles/{body['id']}").get_json()["extraction_note"] == body["extraction_note"]
    )

    monkeypatch.setattr(usecases, "extract", real_extract)
    quick = client.post("/api/v1/articles", json={**article, "published_at": "2023-09-06"}).get_json()
    assert quick["extraction_note"] is None and len(quick["events"]) == 3


def test_a_slow_extraction_does_not_hold_up_other_writers(app, monkeypatch):
    real_extract = usecases.extract
    started, release = threading.Event(), threading.Event()

    def extract(text, published, language, gazetteer, stop=None):
        if "slow" in text:
            started.set()
            release.wait(60)
        return real_extract(text, published, language, gazetteer, stop=stop)

    monkeypatch.setattr(usecases, "extract", extract)
    slow = {"text": "A slow one: " + BUDGET_SENTENCES[0], "published_at": "2023-03-05"}
    fast = {"text": BUDGET_SENTENCES[1], "published_at": "2023-09-05"}
    with ThreadPoolExecutor(max_workers=1) as pool:
        slow_post = pool.submit(lambda: app.test_client().post("/api/v1/articles", json=slow).status_code)
        assert started.wait(30)
        began = time.monotonic()
        try:
            fast_status = app.test_client().post("/api/v1/articles", json=fast).status_code
            waited = time.monotonic() - began
        finally:
            release.set()
        assert slow_post.result() == 201
    assert fast_status == 201 and waited < 10, f"the fast post waited {waited:.1f} s for the slow one"


# -- read_ahead: the export reads its next batch while it writes this one -------------------------


def _wait_for(condition, seconds: float = 5) -> bool:
    deadline = time.monotonic() + seconds
    while not condition():
        if time.monotonic() > deadline:
            return False
        time.sleep(0.005)
    return True


def test_read_ahead_reads_the_next_item_while_the_caller_uses_this_one():
    asked = []

    def batches():
        for number in range(5):
            asked.append(number)
            yield number

    ahead = usecases.read_ahead(batches())
    assert next(ahead) == 0 and asked == [0]  # the first is read when asked for, nothing more
    assert next(ahead) == 1
    assert _wait_for(lambda: asked == [0, 1, 2])  # read while the caller holds 1
    assert list(ahead) == [2, 3, 4]


def test_read_ahead_raises_a_failed_read_when_its_item_is_asked_for():
    def batches():
        yield "first"
        yield "second"
        raise ConnectionError("the database went away")

    ahead = usecases.read_ahead(batches())
    assert [next(ahead), next(ahead)] == ["first", "second"]
    with pytest.raises(ConnectionError):
        next(ahead)


def test_closing_read_ahead_waits_for_the_read_in_progress():
    reading, finished = threading.Event(), threading.Event()

    def batches():
        yield 1
        yield 2
        reading.set()
        time.sleep(0.2)  # a slow query: the session must not be closed under it
        finished.set()
        yield 3

    ahead = usecases.read_ahead(batches())
    assert [next(ahead), next(ahead)] == [1, 2]
    assert reading.wait(5)
    ahead.close()
    assert finished.is_set()
