"""Dashboard aggregates over HTTP, identical on SQLite and PostgreSQL."""

from __future__ import annotations

from datetime import date

import jsonschema
import pandas
import pytest
import yaml
from sqlalchemy import select

from service import stats
from service.api.openapi import OPENAPI_PATH
from service.models import Article, EventMention
from tests.factories import seed


@pytest.fixture
def known(session):
    return seed(session)


def sourced(session, known):
    """Give the seeded articles a source or only a URL: visit and talks from Anadolu, the call by URL."""
    for key, source, url in (
        ("visit", "Anadolu", None),
        ("talks", "Anadolu", "https://www.aa.com.tr/en/talks"),
        ("call", None, "https://www.aa.com.tr/ar/call"),
    ):
        mention = session.scalars(select(EventMention).where(EventMention.event_id == known[key])).one()
        article = session.get(Article, mention.article_id)
        article.source, article.url = source, url
    session.commit()


def _get(client, url):
    response = client.get(url)
    assert response.status_code == 200, response.get_json()
    return response.get_json()


def test_buckets_cover_the_requested_range_with_zeros_and_carry_their_dates(client, known):
    body = _get(client, "/api/v1/stats/events?interval=month&from=2024-01-01&to=2024-12-31")
    assert [b["key"] for b in body["buckets"]] == [f"2024-{month:02d}" for month in range(1, 13)]
    february = body["buckets"][1]
    assert february == {"key": "2024-02", "start": "2024-02-01", "end": "2024-02-29", "count": 0}
    assert {b["key"]: b["count"] for b in body["buckets"]}["2024-05"] == 2
    assert (body["start"], body["end"], body["total"]) == ("2024-01-01", "2024-12-31", 2)


def test_a_range_without_events_has_its_buckets_at_zero(client, known):
    body = _get(client, "/api/v1/stats/events?interval=month&from=2020-01-01&to=2020-03-31")
    assert [(b["key"], b["count"]) for b in body["buckets"]] == [
        ("2020-01", 0),
        ("2020-02", 0),
        ("2020-03", 0),
    ]
    assert body["total"] == 0


def test_without_from_and_to_buckets_span_the_events(client, known):
    body = _get(client, "/api/v1/stats/events?interval=month&from=2023-01-01")
    keys = [b["key"] for b in body["buckets"]]
    assert keys[0] == "2023-01" and keys[-1] == "2024-05" and len(keys) == 17
    counts = {b["key"]: b["count"] for b in body["buckets"]}
    assert counts["2023-03"] == 1 and counts["2024-05"] == 2 and counts["2023-04"] == 0
    assert body["total"] == 3 and "by" not in body["buckets"][0] and "series" not in body
    assert _get(client, "/api/v1/stats/events?type=election")["buckets"] == []  # no range, no events


def test_an_event_that_began_before_from_counts_in_the_first_bucket(client, known):
    body = _get(client, "/api/v1/stats/events?interval=month&from=2022-06-15&to=2022-07-31")
    assert [(b["key"], b["start"], b["count"]) for b in body["buckets"]] == [
        ("2022-06", "2022-06-01", 1),  # the year-long 2022 agreement
        ("2022-07", "2022-07-01", 0),
    ]


def test_counts_by_year_split_by_type(client, known):
    body = _get(client, "/api/v1/stats/events?interval=year&split=type")
    assert [(b["key"], b["count"], b["by"]) for b in body["buckets"]] == [
        ("2022", 1, {"agreement": 1}),
        ("2023", 1, {"phone_call": 1}),
        ("2024", 2, {"talks": 1, "visit": 1}),
    ]


def test_split_by_actor_counts_each_event_once_in_the_total_and_names_the_actors(client, known):
    body = _get(client, "/api/v1/stats/events?interval=year&split=actor&from=2024-01-01&to=2024-12-31")
    assert body["buckets"] == [
        {
            "key": "2024",
            "start": "2024-01-01",
            "end": "2024-12-31",
            "count": 2,
            "by": {"egypt": 1, "hakan-fidan": 2, "vladimir-putin": 1},
        }
    ]
    assert body["series"] == [
        {"id": "hakan-fidan", "name": "Hakan Fidan", "count": 2},
        {"id": "egypt", "name": "Egypt", "count": 1},
        {"id": "vladimir-putin", "name": "Vladimir Putin", "count": 1},
    ]


def test_split_by_location_leaves_unplaced_events_in_the_total_only(client, known):
    body = _get(client, "/api/v1/stats/events?interval=year&split=location")
    assert [(b["key"], b["count"], b["by"]) for b in body["buckets"]] == [
        ("2022", 1, {}),
        ("2023", 1, {}),
        ("2024", 2, {"cairo": 1, "moscow": 1}),
    ]
    assert body["series"] == [
        {"id": "cairo", "name": "Cairo", "count": 1},
        {"id": "moscow", "name": "Moscow", "count": 1},
    ]


def test_split_by_source_uses_the_source_else_the_url_host(client, known, session):
    sourced(session, known)
    body = _get(client, "/api/v1/stats/events?interval=year&split=source&from=2023-01-01")
    assert [(b["key"], b["by"]) for b in body["buckets"]] == [
        ("2023", {"aa.com.tr": 1}),
        ("2024", {"Anadolu": 2}),
    ]
    assert body["series"][0] == {"id": "Anadolu", "name": "Anadolu", "count": 2}


def test_week_keys_are_iso_weeks(client, known):
    body = _get(client, "/api/v1/stats/events?interval=week&type=talks&type=visit")
    keys = [b["key"] for b in body["buckets"]]
    assert keys[0] == "2024-W18" and keys[-1] == "2024-W21"  # 2024-05-01 is in ISO week 18
    assert body["buckets"][0]["start"] == "2024-04-29" and body["buckets"][0]["end"] == "2024-05-05"


def test_interval_must_be_known(client, known):
    assert client.get("/api/v1/stats/events?interval=hour").status_code == 422
    assert client.get("/api/v1/stats/events?split=weather").status_code == 422


def test_too_many_buckets_is_a_422_naming_the_interval(client, known):
    response = client.get("/api/v1/stats/events?interval=day&from=1900-01-01&to=2024-12-31")
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert "coarser interval" in response.get_json()["errors"]["interval"][0]
    assert client.get("/api/v1/stats/events?interval=year&from=1900-01-01&to=2024-12-31").status_code == 200


def test_granularity_filter_leaves_out_year_and_month_dates(client, known):
    body = _get(client, "/api/v1/stats/events?interval=year&granularity=day,range")
    assert [(b["key"], b["count"]) for b in body["buckets"]] == [("2023", 1), ("2024", 1)]


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


# -- the dashboard shape: long rows a Grafana Infinity JSON query reads as a time series ------------


def test_rows_are_a_long_time_series_frame_that_pivots_to_one_column_per_actor(client, known):
    rows = _get(
        client, "/api/v1/stats/events?interval=month&split=actor&from=2024-01-01&to=2024-06-30&format=rows"
    )
    frame = pandas.DataFrame(rows)
    # a valid data frame: every field present in every row, one type per field, no nulls
    assert sorted(frame.columns) == ["series", "series_id", "time", "value"]
    assert frame.notna().all().all() and frame["value"].dtype.kind == "i"
    frame["time"] = pandas.to_datetime(frame["time"], utc=True, format="ISO8601")
    assert frame["time"].is_monotonic_increasing  # Grafana wants time ascending
    wide = frame.pivot(index="time", columns="series", values="value")  # what Grafana's LongToWide does
    assert list(wide.index.strftime("%Y-%m-%d")) == [f"2024-{m:02d}-01" for m in range(1, 7)]
    assert sorted(wide.columns) == ["Egypt", "Hakan Fidan", "Vladimir Putin"]
    assert wide.loc["2024-05-01", "Hakan Fidan"] == 2 and wide.loc["2024-05-01", "Egypt"] == 1
    assert int(wide.to_numpy().sum()) == 4 and not wide.isna().any().any()  # zeros, not gaps


def test_rows_without_a_split_are_one_series_and_an_empty_range_is_zeros(client, known):
    rows = _get(client, "/api/v1/stats/events?interval=year&from=2020-01-01&to=2021-12-31&format=rows")
    assert rows == [
        {"time": "2020-01-01T00:00:00Z", "series": "events", "series_id": "events", "value": 0},
        {"time": "2021-01-01T00:00:00Z", "series": "events", "series_id": "events", "value": 0},
    ]


def test_the_bucket_answer_matches_its_openapi_schema(client, known):
    spec = yaml.safe_load(OPENAPI_PATH.read_text(encoding="utf-8"))
    responses = spec["paths"]["/api/v1/stats/events"]["get"]["responses"]["200"]["content"][
        "application/json"
    ]
    schema = {**responses["schema"], "components": spec["components"]}
    for query in ("split=actor&from=2024-01-01", "interval=week", "split=source&format=rows", "format=rows"):
        body = _get(client, f"/api/v1/stats/events?{query}")
        jsonschema.validate(body, schema, cls=jsonschema.Draft202012Validator)
