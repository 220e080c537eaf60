"""Ingest jobs over HTTP (no broker configured: the job runs on a thread of the app's process)."""

from __future__ import annotations

import json
import time

from flask.testing import FlaskClient

ELSEWHERE = {"REMOTE_ADDR": "203.0.113.9"}


def article(number: int, **fields: object) -> dict:
    """An English article of our own with a dated meeting; `number` makes its text unique."""
    day = 1 + number % 27
    text = (
        f"Egypt's foreign minister met his Jordanian counterpart in Amman on {day} March 2024 "
        f"to discuss water sharing, according to bulletin number {number}."
    )
    return {"text": text, "published_at": "2024-03-30", **fields}


def wait_for(client: FlaskClient, location: str, seconds: float = 60) -> dict:
    """The job's progress once it completed (fails after `seconds`)."""
    deadline = time.monotonic() + seconds
    while True:
        body = client.get(location).get_json()
        if body["status"] == "completed":
            return body
        assert time.monotonic() < deadline, f"job still {body['status']}: {body}"
        time.sleep(0.1)


def test_a_batch_is_accepted_at_once_and_ingested_in_the_background(client):
    seen_before = client.post("/api/v1/articles", json=article(0)).get_json()
    batch = [article(n) for n in range(5)]
    response = client.post("/api/v1/ingest-jobs", json=batch)
    assert response.status_code == 202
    accepted = response.get_json()
    assert response.headers["Location"] == f"/api/v1/ingest-jobs/{accepted['id']}"
    assert accepted["total"] == 5 and accepted["status"] in ("queued", "running", "completed")
    done = wait_for(client, response.headers["Location"])
    assert (done["done"], done["created"], done["failed"], done["pending"]) == (5, 4, 0, 0)
    assert done["errors"] == [] and done["finished_at"] >= done["submitted_at"]
    articles = client.get("/api/v1/articles").get_json()["items"]
    assert len(articles) == 5 and seen_before["id"] in {a["id"] for a in articles}
    assert client.get("/api/v1/events").get_json()["items"], "the meetings became events"


def test_a_json_lines_batch_is_accepted(client):
    lines = "\n".join(json.dumps(article(n)) for n in range(3)) + "\n\n"
    response = client.post("/api/v1/ingest-jobs", data=lines, content_type="application/x-ndjson")
    assert response.status_code == 202
    assert wait_for(client, response.headers["Location"])["created"] == 3


def test_a_bad_batch_is_refused_whole_naming_each_bad_article_by_index_and_field(client):
    batch = [article(0), article(1), {"text": "No date here."}, article(3, url="not a url"), article(4)]
    response = client.post("/api/v1/ingest-jobs", json=batch)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    errors = response.get_json()["errors"]
    assert set(errors) == {"2", "3"}
    assert "published_at" in errors["2"] and set(errors["3"]) == {"url"}
    assert client.get("/api/v1/articles").get_json()["items"] == []
    assert client.get("/api/v1/ingest-jobs/1").status_code == 404


def test_batches_that_are_no_list_of_articles_are_refused(client, app):
    post = client.post
    assert post("/api/v1/ingest-jobs", json=article(0)).get_json()["errors"] == {
        "_schema": ["Must be an array."]
    }
    assert post("/api/v1/ingest-jobs", json=[]).status_code == 422
    not_objects = post("/api/v1/ingest-jobs", json=[article(0), "text"])
    assert not_objects.status_code == 422 and set(not_objects.get_json()["errors"]) == {"1"}
    unstorable = post("/api/v1/ingest-jobs", json=[article(0), article(1, title="a\x00b")])
    assert unstorable.get_json()["errors"] == {"1": {"title": ["Must not contain NUL characters."]}}
    unknown_field = post("/api/v1/ingest-jobs", json=[article(0, colour="red")])
    assert "colour" in unknown_field.get_json()["errors"]["0"]
    lines = json.dumps(article(0)) + "\n{not json\n"
    malformed = post("/api/v1/ingest-jobs", data=lines, content_type="application/jsonl")
    assert malformed.status_code == 400 and "Line 2" in malformed.get_json()["detail"]
    assert post("/api/v1/ingest-jobs", data="x", content_type="text/plain").status_code == 415
    app.config["INGEST_JOB_MAX_ARTICLES"] = 2
    too_many = post("/api/v1/ingest-jobs", json=[article(n) for n in range(3)])
    assert too_many.status_code == 422 and "at most 2" in too_many.get_json()["errors"]["_schema"][0]


def test_a_batch_may_be_larger_than_one_articles_body_limit(client, app):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    app.config["INGEST_JOB_MAX_BYTES"] = 4000
    batch = [article(n) for n in range(8)]  # about 1,700 bytes
    assert (
        client.post("/api/v1/articles", json={"text": "x" * 1000, "published_at": "2024-01-01"}).status_code
        == 413
    )
    accepted = client.post("/api/v1/ingest-jobs", json=batch)
    assert accepted.status_code == 202
    wait_for(client, accepted.headers["Location"])
    too_large = client.post("/api/v1/ingest-jobs", json=batch * 3)
    assert too_large.status_code == 413 and too_large.content_type == "application/problem+json"


def test_unknown_jobs_are_not_found(client):
    response = client.get("/api/v1/ingest-jobs/999")
    assert response.status_code == 404 and response.content_type == "application/problem+json"


def test_submitting_a_job_is_a_write_that_needs_a_key(client):
    refused = client.post("/api/v1/ingest-jobs", json=[article(0)], environ_base=ELSEWHERE)
    assert refused.status_code == 401


def test_a_broker_that_cannot_be_reached_gives_503_and_leaves_no_job(database_url):
    from service import create_app

    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "AUTO_MIGRATE": False,
            "CELERY_BROKER_URL": "amqp://guest:guest@127.0.0.1:9//",  # nothing listens on port 9
        }
    )
    app.extensions["ingest_jobs"].celery.conf.broker_connection_timeout = 1
    client = app.test_client()
    try:
        response = client.post("/api/v1/ingest-jobs", json=[article(0)])
        assert response.status_code == 503 and response.headers["Retry-After"]
        assert "nothing was accepted" in response.get_json()["detail"]
        from service.models import IngestJob

        with app.extensions["sessionmaker"]() as session:
            assert session.query(IngestJob).count() == 0
    finally:
        app.extensions["engine"].dispose()
