"""Dashboard aggregates over HTTP, identical on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import pytest

from service import stats
from tests.factories import seed


@pytest.fixture
def known(session):
    return seed(session)


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_counts_by_month_fill_the_gaps(client, known):
    body = _get(client, "/api/v1/stats/events?interval=month&from=2023-01-01")
    keys = [b["key"] for b in body["buckets"]]
    assert keys[0] == "2023-03" and keys[-1] == "2024-05" and len(keys) == 15
    counts = {b["key"]: b["count"] for b in body["buckets"]}
    assert counts["2023-03"] == 1 and counts["2024-05"] == 2 and counts["2023-04"] == 0
    assert body["total"] == 3 and "by" not in body["buckets"][0]


def test_counts_by_year_split_by_type(client, known):
    body = _get(client, "/api/v1/stats/events?interval=year&split=type")
    assert body["buckets"] == [
        {"key": "2022", "count": 1, "by": {"agreement": 1}},
        {"key": "2023", "count": 1, "by": {"phone_call": 1}},
        {"key": "2024", "count": 2, "by": {"talks": 1, "visit": 1}},
    ]


def test_split_by_actor_counts_each_event_once_in_the_total(client, known):
    body = _get(client, "/api/v1/stats/events?interval=year&split=actor&from=2024-01-01")
    assert body["buckets"] == [
        {"key": "2024", "count": 2, "by": {"egypt": 1, "hakan-fidan": 2, "vladimir-putin": 1}}
    ]


def test_week_keys_are_iso_weeks(client, known):
    body = _get(client, "/api/v1/stats/events?interval=week&type=talks&type=visit")
    keys = [b["key"] for b in body["buckets"]]
    assert keys[0] == "2024-W18" and keys[-1] == "2024-W21"  # 2024-05-01 is in ISO week 18


def test_interval_must_be_known(client, known):
    assert client.get("/api/v1/stats/events?interval=hour").status_code == 422


def test_most_active_actors_and_pairs(client, known):
    body = _get(client, "/api/v1/stats/actors")
    assert body["actors"][0] == {"id": "hakan-fidan", "name": "Hakan Fidan", "kind": "person", "count": 3}
    first = body["pairs"][0]
    assert [a["id"] for a in first["actors"]] == ["egypt", "hakan-fidan"] and first["count"] == 2


def test_actor_stats_respect_the_period(client, known):
    body = _get(client, "/api/v1/stats/actors?from=2023-01-01&to=2023-12-31&limit=5")
    assert [a["id"] for a in body["actors"]] == ["vladimir-putin", "xi-jinping"]
    assert body["pairs"] == [
        {
            "actors": [
                {"id": "vladimir-putin", "name": "Vladimir Putin", "kind": "person", "count": 1},
                {"id": "xi-jinping", "name": "Xi Jinping", "kind": "person", "count": 1},
            ],
            "count": 1,
        }
    ]


@pytest.mark.parametrize(
    "day, interval, key",
    [
        (date(2024, 12, 30), "week", "2025-W01"),
        (date(2021, 1, 3), "week", "2020-W53"),
        (date(2024, 2, 29), "month", "2024-02"),
        (date(2024, 2, 29), "day", "2024-02-29"),
        (date(2024, 2, 29), "year", "2024"),
    ],
)
def test_bucket_keys(day, interval, key):
    assert stats.bucket_key(day, interval) == key
    assert stats.bucket_key(stats.bucket_start(day, interval), interval) == key


def test_december_rolls_over_to_january():
    assert stats.next_bucket(date(2024, 12, 1), "month") == date(2025, 1, 1)
