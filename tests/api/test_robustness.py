"""Nothing a client sends produces a 500: hostile values, huge ids, forged cursors, random parameters."""

from __future__ import annotations

import base64
import json

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

EVENT_PARAMETERS = [
    "actor",
    "type",
    "from",
    "to",
    "location",
    "status",
    "article_id",
    "min_confidence",
    "q",
    "sort",
    "limit",
    "cursor",
]


def _cursor(values) -> str:
    return base64.urlsafe_b64encode(json.dumps(values).encode()).decode()


def test_nul_characters_are_refused_with_the_field_named(client):
    response = client.post("/api/v1/articles", json={"text": "a\x00b", "published_at": "2024-05-17"})
    assert response.status_code == 422 and "text" in response.get_json()["errors"]
    response = client.get("/api/v1/events?q=a%00b")
    assert response.status_code == 422 and "q" in response.get_json()["errors"]
    assert client.get("/api/v1/actors/a%00b").status_code == 404
    assert client.get("/api/v1/articles").get_json()["items"] == []


def test_ids_beyond_32_bits_are_unknown_not_errors(client):
    assert client.get("/api/v1/articles/99999999999999").status_code == 404
    assert client.delete("/api/v1/articles/99999999999999").status_code == 404
    assert client.get("/api/v1/events/99999999999999").status_code == 404
    assert client.get("/api/v1/events?article_id=99999999999999").status_code == 422


def test_forged_cursors_are_refused(client):
    for forged in (
        ["2024-01-01", "x"],
        ["not a date", 1],
        [1, 2, 3],
        "text",
        ["2024-01-01", 2**40],
        ["2024-01-01", True],
    ):
        response = client.get(f"/api/v1/events?cursor={_cursor(forged)}")
        assert response.status_code == 422, forged
        assert "cursor" in response.get_json()["errors"]
    assert client.get(f"/api/v1/articles?cursor={_cursor(['x'])}").status_code == 422
    assert client.get(f"/api/v1/actors?cursor={_cursor([1, 2])}").status_code == 422


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.dictionaries(
        st.sampled_from(EVENT_PARAMETERS + ["bogus"]),
        st.text(st.characters(codec="utf-8", exclude_categories=["Cs"]), max_size=30),
        max_size=4,
    )
)
def test_random_event_queries_never_fail_the_server(client, params):
    for path in ("/api/v1/events", "/api/v1/timeline"):
        response = client.get(path, query_string=params)
        assert response.status_code in (200, 422), (path, params, response.get_data(as_text=True)[:300])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    body=st.dictionaries(
        st.sampled_from(["text", "published_at", "title", "url", "source", "language", "extra"]),
        st.one_of(
            st.none(), st.integers(), st.booleans(), st.text(max_size=40), st.lists(st.integers(), max_size=2)
        ),
        max_size=5,
    )
)
def test_random_article_bodies_never_fail_the_server(client, body):
    response = client.post("/api/v1/articles", json=body)
    assert response.status_code in (200, 201, 422), (body, response.get_data(as_text=True)[:300])
