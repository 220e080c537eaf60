"""Many clients at once (real threads, each its own client and session, on each real database):
nothing lost, nothing duplicated, no 500."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine

from service import create_app, usecases
from service.models import Actor, Base
from tests.test_usecases import ingest

MONTHS = ("March", "April", "May", "June")


def at_once(calls: list[Callable[[], Any]]) -> list[Any]:
    """Run every call in its own thread, all released together by a barrier; their results in order."""
    barrier = threading.Barrier(len(calls))

    def run(call: Callable[[], Any]) -> Any:
        barrier.wait()
        return call()

    with ThreadPoolExecutor(max_workers=len(calls)) as pool:
        return list(pool.map(run, calls))


@pytest.fixture
def service(database_url: str) -> Iterator[Flask]:
    """An app with a pool large enough for every thread to hold its own connection."""
    options = {"TESTING": True, "DATABASE_URL": database_url, "AUTO_MIGRATE": False}
    application = create_app(options)
    yield application
    application.extensions["engine"].dispose()


def empty(database_url: str) -> None:
    engine = create_engine(database_url)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()


def post(app: Flask, article: dict) -> Callable[[], tuple[int, Any]]:
    def call() -> tuple[int, Any]:
        response = app.test_client().post("/api/v1/articles", json=article)
        return response.status_code, response.get_json()

    return call


def timeline(app: Flask) -> list[tuple]:
    """Events as content (type, dates, actors, place, sources), independent of ids and order."""
    items = app.test_client().get("/api/v1/events?limit=500").get_json()["items"]
    return sorted(
        (
            e["type"],
            e["date"]["start"],
            e["date"]["end"],
            tuple(sorted(a["id"] for a in e["actors"])),
            (e.get("location") or {}).get("id"),
            tuple(sorted(m["article_id"] for m in e["mentions"])),
        )
        for e in items
    )


# -- defect 2: a race on a new actor or place must not lose an article ----------------------------


def meetings(count: int) -> list[dict]:
    """Distinct articles that all name the same actors and places, none of them stored yet."""
    return [
        {
            "text": (
                f"Turkish President Recep Tayyip Erdogan met Russian President Vladimir Putin in Sochi "
                f"on {day % 28 + 1} {MONTHS[day % len(MONTHS)]} 2023, and Egyptian President Abdel Fattah "
                f"el-Sisi held talks with Chinese President Xi Jinping in Cairo the same day."
            ),
            "published_at": "2023-07-01",
            "source": f"wire {day}",
        }
        for day in range(count)
    ]


def test_articles_posted_at_once_are_all_stored(service, database_url):
    lost = 0
    for _round in range(2):
        empty(database_url)
        articles = meetings(12)
        results = at_once([post(service, article) for article in articles])
        assert [status for status, _ in results] == [201] * len(articles), [
            body for status, body in results if status != 201
        ]
        stored = service.test_client().get("/api/v1/articles?limit=100").get_json()["items"]
        lost += len(articles) - len(stored)
        assert sorted(a["source"] for a in stored) == sorted(a["source"] for a in articles)
    assert lost == 0


def test_the_same_article_posted_at_once_is_stored_once(service):
    article = meetings(1)[0]
    results = at_once([post(service, article) for _ in range(6)])
    assert sorted(status for status, _ in results) == [200] * 5 + [201]
    assert len({body["id"] for _, body in results}) == 1
    assert len(service.test_client().get("/api/v1/articles").get_json()["items"]) == 1


# -- defect 3: concurrent reports of one event are one event, as if ingested one after another ----

CALL_REPORTS = [
    "Russian President Vladimir Putin held a phone call with Turkish President Recep Tayyip Erdogan "
    "on 3 March 2023.",
    "Turkish President Recep Tayyip Erdogan and Russian President Vladimir Putin spoke by phone on "
    "Friday, 3 March 2023, about grain exports.",
    "أجرى الرئيس الروسي فلاديمير بوتين اتصالاً هاتفياً مع الرئيس التركي رجب طيب أردوغان يوم 3 مارس 2023.",
    "بحث الرئيس التركي رجب طيب أردوغان في اتصال هاتفي مع الرئيس الروسي فلاديمير بوتين يوم 3 مارس 2023 "
    "ملف الحبوب.",
]


def call_reports() -> list[dict]:
    return [
        {"text": text, "published_at": "2023-03-05", "source": f"outlet {i}"}
        for i, text in enumerate(CALL_REPORTS)
    ]


# Stores the actors first, so the reports race only on merging.
WARM_UP = {
    "text": "Vladimir Putin and Recep Tayyip Erdogan met in Sochi on 4 September 2021.",
    "published_at": "2021-09-05",
}


def test_reports_of_one_call_posted_at_once_merge_like_a_sequential_ingest(service, database_url):
    client = service.test_client()
    for article in [WARM_UP, *call_reports()]:
        assert client.post("/api/v1/articles", json=article).status_code == 201
    sequential = [e for e in timeline(service) if e[0] == "phone_call"]
    assert len(sequential) == 1 and len(sequential[0][5]) == len(CALL_REPORTS), "the reports are of one call"
    failed_rounds = split_rounds = 0
    for _round in range(10):
        empty(database_url)
        assert client.post("/api/v1/articles", json=WARM_UP).status_code == 201
        results = at_once([post(service, article) for article in call_reports()])
        failed_rounds += any(status != 201 for status, _ in results)
        calls = [e for e in timeline(service) if e[0] == "phone_call"]
        # Article ids differ between rounds: compare everything but them, and count the sources.
        same = [e[:5] for e in calls] == [e[:5] for e in sequential]
        split_rounds += not (same and len(calls[0][5]) == len(CALL_REPORTS))
    assert (failed_rounds, split_rounds) == (0, 0), "rounds with a failed post, with a split call"


# -- defect 4: reads and writes while articles are deleted -----------------------------------------


def test_reads_during_a_stream_of_deletes_never_fail(service):
    client = service.test_client()
    ids = []
    for article in call_reports() + meetings(8):
        response = client.post("/api/v1/articles", json=article)
        assert response.status_code == 201
        ids.append(response.get_json()["id"])
    done = threading.Event()
    failures: list[tuple[str, int, Any]] = []
    reads = [0]

    def delete_all() -> None:
        deleter = service.test_client()
        try:
            for article_id in ids:
                status = deleter.delete(f"/api/v1/articles/{article_id}").status_code
                if status != 204:
                    failures.append(("delete", status, article_id))
        finally:
            done.set()

    def read() -> None:
        reader = service.test_client()
        while not done.is_set():
            for url in ("/api/v1/events?limit=100", "/api/v1/timeline?limit=100", "/api/v1/events/1"):
                response = reader.get(url)
                reads[0] += 1
                if response.status_code >= 500:
                    failures.append((url, response.status_code, response.get_json()))

    at_once([delete_all, read, read, read])
    assert failures == []
    assert reads[0] > 0
    assert client.get("/api/v1/events").get_json()["items"] == []


def test_delete_and_post_touching_one_event_both_succeed_or_one_conflicts(service, database_url):
    wrong_rounds = 0
    for _round in range(5):
        empty(database_url)
        reports = call_reports()
        first = service.test_client().post("/api/v1/articles", json=reports[0]).get_json()["id"]
        deleter = service.test_client()
        delete_status, (post_status, _) = at_once(
            [
                lambda first=first, deleter=deleter: deleter.delete(f"/api/v1/articles/{first}").status_code,
                post(service, reports[1]),
            ]
        )
        assert delete_status in (204, 409) and post_status in (201, 409), (delete_status, post_status)
        # The timeline is that of the articles left: one call with their reports, or nothing.
        left = (delete_status == 409) + (post_status == 201)
        events = timeline(service)
        wrong_rounds += [len(e[5]) for e in events] != ([left] if left else [])
    assert wrong_rounds == 0


# -- the merge lock is taken after an article's actors are stored ---------------------------------


def test_an_actor_merged_while_an_article_is_stored_is_not_stored_again(postgresql_url, monkeypatch):
    # PostgreSQL only: a SQLite writer holds the database from its first statement, so no merge
    # can come between. Here one does, right before the article stores its actors.
    empty(postgresql_url)
    app = create_app({"TESTING": True, "DATABASE_URL": postgresql_url, "AUTO_MIGRATE": False})
    sessions = app.extensions["sessionmaker"]
    with sessions() as session:
        usecases.create_actor(session, "Zorava Quintel", "person", {}, None, None)
        usecases.create_actor(session, "Zorava Quintel Marr", "person", {}, None, None)
    real_ensure_entities = usecases._ensure_entities
    merges = []

    def merge_first(session, candidates, gazetteer):  # type: ignore[no-untyped-def]
        if not merges:  # another client merges the actor the article names, once
            with sessions() as other:
                merges.append(usecases.merge_actor(other, "zorava-quintel", "zorava-quintel-marr"))
        real_ensure_entities(session, candidates, gazetteer)

    monkeypatch.setattr(usecases, "_ensure_entities", merge_first)
    with sessions() as session:
        text = "Zorava Quintel met Russian President Vladimir Putin in Moscow on Monday."
        result = ingest(session, text, "2024-03-06")
        named = {link.actor_id for event in result.events for link in event.actor_links}
        assert merges and session.get(Actor, "zorava-quintel") is None
        assert named == {"zorava-quintel-marr", "vladimir-putin"}
        with pytest.raises(usecases.ActorMoved):
            usecases.get_actor(session, "zorava-quintel")
    app.extensions["engine"].dispose()
    empty(postgresql_url)
