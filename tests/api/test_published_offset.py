"""A publication time keeps the offset it was sent with, and anchors dates on its local day."""

from __future__ import annotations

import csv
import io

import pytest

# A call reported as having happened "yesterday": its date is the day before the publication day.
CALL_YESTERDAY = "أجرى الرئيس الروسي فلاديمير بوتين اتصالاً هاتفياً مع الرئيس الصيني شي جين بينغ أمس."


@pytest.mark.parametrize(
    "sent",
    [
        "2024-05-01T10:00:00+03:00",
        "2024-05-01T23:30:00-05:00",
        "2024-05-01T10:00:00+05:45",
        "2024-05-01T10:00:00.250000+00:00",
        "2024-05-01",
    ],
)
def test_published_at_comes_back_as_sent(client, sent):
    created = client.post("/api/v1/articles", json={"text": CALL_YESTERDAY, "published_at": sent})
    assert created.status_code == 201, created.get_json()
    assert created.get_json()["published_at"] == sent
    article_id = created.get_json()["id"]
    assert client.get(f"/api/v1/articles/{article_id}").get_json()["published_at"] == sent
    listed = client.get("/api/v1/articles").get_json()["items"]
    assert [a["published_at"] for a in listed] == [sent]
    mentions = [m for e in client.get("/api/v1/events").get_json()["items"] for m in e["mentions"]]
    assert mentions and {m["published_at"] for m in mentions} == {sent}


def test_z_is_the_zero_offset(client):
    created = client.post(
        "/api/v1/articles", json={"text": CALL_YESTERDAY, "published_at": "2024-05-01T10:00:00Z"}
    )
    assert created.get_json()["published_at"] == "2024-05-01T10:00:00+00:00"


def test_an_evening_publication_west_of_utc_is_dated_by_its_local_day(client):
    # 23:30 at -05:00 is already 2 May in UTC; "yesterday" is still 30 April where it was published.
    created = client.post(
        "/api/v1/articles", json={"text": CALL_YESTERDAY, "published_at": "2024-05-01T23:30:00-05:00"}
    )
    (event,) = created.get_json()["events"]
    assert event["date"]["start"] == event["date"]["end"] == "2024-04-30"


def test_an_early_publication_east_of_utc_is_dated_by_its_local_day(client):
    # 01:00 at +03:00 is still 30 April in UTC; "yesterday" is already 30 April locally, not 29.
    created = client.post(
        "/api/v1/articles", json={"text": CALL_YESTERDAY, "published_at": "2024-05-01T01:00:00+03:00"}
    )
    (event,) = created.get_json()["events"]
    assert event["date"]["start"] == "2024-04-30"


def test_dates_resolve_on_the_local_day_too(client):
    response = client.post(
        "/api/v1/dates/resolve", json={"text": "اليوم", "published_at": "2024-05-01T23:30:00-05:00"}
    )
    (expression,) = response.get_json()["expressions"]
    assert expression["date"]["start"] == "2024-05-01"


def test_the_csv_first_reported_date_is_the_local_publication_day(client):
    client.post(
        "/api/v1/articles", json={"text": CALL_YESTERDAY, "published_at": "2024-05-01T23:30:00-05:00"}
    )
    text = client.get("/api/v1/events/export?format=csv").get_data(as_text=True)
    (row,) = csv.DictReader(io.StringIO(text.lstrip("\ufeff")))
    assert row["first_reported"] == "2024-05-01"


def test_an_article_of_an_ingest_job_keeps_its_offset(client):
    from tests.api.test_ingest_jobs import wait_for

    sent = "2024-05-01T23:30:00-05:00"
    accepted = client.post("/api/v1/ingest-jobs", json=[{"text": CALL_YESTERDAY, "published_at": sent}])
    assert accepted.status_code == 202, accepted.get_json()
    assert wait_for(client, accepted.headers["Location"])["created"] == 1
    (article,) = client.get("/api/v1/articles").get_json()["items"]
    assert article["published_at"] == sent
