"""Nothing a client sends produces a 500: hostile values, huge ids, forged cursors, random parameters."""

from __future__ import annotations

import base64
import io
import json
from pathlib import Path
from urllib.parse import quote_from_bytes

import pytest
import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from service.api.schemas import MAX_REPEATED
from service.models import Event
from service.store import EventFilters, filtered_events
from tests.factories import seed

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


# -- bodies a JSON parser or the database cannot take ----------------------------------------------


def _post_raw(client, path: str, body: str):
    return client.post(path, data=body.encode("utf-8", "surrogatepass"), content_type="application/json")


def test_deeply_nested_json_is_malformed_not_a_server_error(client):
    for body in (
        "[" * 100_000 + "]" * 100_000,
        '{"text": ' + "[" * 50_000 + "]" * 50_000 + ', "published_at": "2024-05-17"}',
        '{"a": ' * 30_000 + "1" + "}" * 30_000,
    ):
        for path in ("/api/v1/articles", "/api/v1/actors", "/api/v1/dates/resolve"):
            response = _post_raw(client, path, body)
            assert response.status_code == 400, (path, response.get_data(as_text=True)[:300])
            assert response.mimetype == "application/problem+json"
            assert "nested" in response.get_json()["detail"]


ARTICLE = {"text": "Putin met Xi on 17 May 2024.", "published_at": "2024-05-17"}
LONE_SURROGATE_BODIES = [
    ("/api/v1/articles", ARTICLE | {"text": "Putin met Xi \ud800 on 17 May 2024."}, "text"),
    ("/api/v1/articles", ARTICLE | {"title": "a\ud800"}, "title"),
    ("/api/v1/articles", ARTICLE | {"source": "\udfff"}, "source"),
    ("/api/v1/articles", ARTICLE | {"url": "https://example.com/\ud800"}, "url"),
    ("/api/v1/actors", {"name": "A\ud800", "kind": "person"}, "name"),
    ("/api/v1/actors", {"name": "Someone", "kind": "person", "names": {"en": ["x\ud800"]}}, "names"),
    ("/api/v1/actors/vladimir-putin/aliases", {"name": "\ud800", "language": "en"}, "name"),
    ("/api/v1/dates/resolve", {"text": "yesterday \ud800", "published_at": "2024-05-17"}, "text"),
]


def test_lone_surrogates_are_refused_naming_the_field(client):
    for path, body, field in LONE_SURROGATE_BODIES:
        raw = json.dumps(body)  # ASCII JSON: the surrogate travels as the escape \ud800
        assert "\\ud" in raw or "\\udfff" in raw
        response = _post_raw(client, path, raw)
        assert response.status_code == 422, (path, field, response.get_data(as_text=True)[:300])
        assert response.mimetype == "application/problem+json"
        assert field in response.get_json()["errors"], (path, field, response.get_json())
    response = _post_raw(client, "/api/v1/actors", '{"name": "A", "kind": "person", "\\ud800": 1}')
    assert response.status_code == 422 and "_schema" in response.get_json()["errors"]
    assert client.get("/api/v1/articles").get_json()["items"] == []
    assert client.get("/api/v1/actors?q=Someone").get_json()["items"] == []


def test_a_pair_of_surrogates_is_one_character_and_accepted(client):
    response = _post_raw(client, "/api/v1/articles", json.dumps(ARTICLE | {"title": "smile \U0001f600"}))
    assert response.status_code == 201, response.get_data(as_text=True)
    assert response.get_json()["title"] == "smile \U0001f600"


def test_cursors_hiding_lone_surrogates_are_refused(client):
    for path, forged in (
        ("/api/v1/actors", ["\ud800", "x"]),
        ("/api/v1/actors", ["x", "\udc00"]),
        ("/api/v1/events", ["\ud800", 1]),
        ("/api/v1/timeline", ["\ud800", 1]),
    ):
        response = client.get(f"{path}?cursor={_cursor(forged)}")
        assert response.status_code == 422, (path, forged, response.get_data(as_text=True)[:300])
        assert "cursor" in response.get_json()["errors"]


def test_surrogate_bytes_in_a_query_are_never_a_server_error(client):
    for query in (
        "q=%ED%A0%80",
        "actor=%ED%A0%80",
        "location=%ED%A0%80",
        "q=\udcff".encode("utf-8", "surrogateescape"),
    ):
        for path in (
            "/api/v1/events",
            "/api/v1/timeline",
            "/api/v1/actors",
            "/api/v1/events/export?format=csv&",
        ):
            separator = "" if path.endswith("&") else "?"
            target = path + separator + (query if isinstance(query, str) else query.decode("latin-1"))
            response = client.get(target)
            assert response.status_code in (200, 422), (target, response.get_data(as_text=True)[:300])


@pytest.mark.parametrize(
    "published_at",
    ["0001-01-01T00:30:00+01:00", "9999-12-31T23:30:00-01:00", "0001-01-01T00:00:00+00:01"],
)
def test_published_at_that_leaves_the_calendar_in_utc_is_refused(client, published_at):
    for path in ("/api/v1/articles", "/api/v1/dates/resolve"):
        response = client.post(path, json=ARTICLE | {"published_at": published_at})
        assert response.status_code == 422, (path, response.get_data(as_text=True)[:300])
        assert "published_at" in response.get_json()["errors"]
    assert client.get("/api/v1/articles").get_json()["items"] == []


def test_published_at_at_the_ends_of_the_calendar_in_utc_is_accepted(client):
    for published_at in ("0001-01-01T00:00:00+00:00", "9999-12-31T23:59:59Z", "9999-12-31"):
        response = client.post("/api/v1/articles", json=ARTICLE | {"published_at": published_at})
        assert response.status_code == 201, response.get_data(as_text=True)[:300]


# -- bodies and requests over the limits ---------------------------------------------------------------


def _chunked_post(client, body: bytes, **environ):
    return client.post(
        "/api/v1/articles",
        input_stream=io.BytesIO(body),
        headers={"Transfer-Encoding": "chunked", "Content-Type": "application/json"},
        environ_overrides=environ,
    )


@pytest.mark.parametrize("terminated", [{}, {"wsgi.input_terminated": True}])
def test_a_chunked_body_over_the_limit_is_too_large(app, client, terminated):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    body = json.dumps(ARTICLE | {"text": "Putin met Xi on 17 May 2024. " * 100}).encode()
    response = _chunked_post(client, body, **terminated)
    assert response.status_code == 413, response.get_data(as_text=True)[:300]
    assert response.mimetype == "application/problem+json"
    small = json.dumps(ARTICLE).encode()
    response = _chunked_post(client, small, **terminated)
    assert response.status_code == 201, response.get_data(as_text=True)[:300]
    assert len(client.get("/api/v1/articles").get_json()["items"]) == 1


def test_a_url_over_the_limit_is_too_long(app, client):
    limit = app.config["MAX_URL_LENGTH"]
    response = client.get("/api/v1/events?q=" + "a" * limit)
    assert response.status_code == 414 and response.mimetype == "application/problem+json"
    assert str(limit) in response.get_json()["detail"]
    assert client.get("/api/v1/events?q=" + "a" * 300).status_code == 200
    # the length is that of the URL as sent (percent-encoded), not of the decoded text
    response = client.get("/nowhere/" + "%D8%A8" * (limit // 6 + 1))
    assert response.status_code == 414


def test_headers_over_the_limits_are_too_large(app, client):
    response = client.get("/api/v1/events", headers={"X-Big": "a" * app.config["MAX_HEADER_FIELD_SIZE"]})
    assert response.status_code == 431 and response.mimetype == "application/problem+json"
    many = {f"X-Header-{n}": "1" for n in range(app.config["MAX_HEADER_FIELDS"] + 1)}
    response = client.get("/api/v1/events", headers=many)
    assert response.status_code == 431 and response.mimetype == "application/problem+json"
    assert client.get("/api/v1/events", headers={"X-Small": "a" * 1000}).status_code == 200


# -- repeated filters ------------------------------------------------------------------------------------


def test_repeated_filters_have_a_documented_maximum(client):
    spec = yaml.safe_load((Path(__file__).resolve().parents[2] / "openapi.yaml").read_text())
    parameters = {p["name"]: p for p in spec["paths"]["/api/v1/events"]["get"]["parameters"]}
    for name, value in (("actor", "vladimir-putin"), ("type", "visit")):
        maximum = parameters[name]["schema"]["maxItems"]
        assert maximum == MAX_REPEATED
        at_most = "&".join([f"{name}={value}"] * maximum)
        over = "&".join([f"{name}={value}"] * (maximum + 1))
        for path in (
            "/api/v1/events",
            "/api/v1/timeline",
            "/api/v1/stats/events",
            "/api/v1/events/export?format=csv",
        ):
            separator = "&" if "?" in path else "?"
            assert client.get(path + separator + at_most).status_code == 200, path
            response = client.get(path + separator + over)
            assert response.status_code == 422, (path, response.get_data(as_text=True)[:300])
            assert name in response.get_json()["errors"]
    assert client.get("/api/v1/events?" + "&".join(["actor=x"] * 450)).status_code == 422
    assert client.get("/api/v1/events?" + "&".join(["actor=x"] * 5000)).status_code == 414  # URL limit


def test_the_actor_filter_is_one_query_shape_whatever_the_number_of_actors(session):
    seed(session)

    def shape(actors: tuple[str, ...]) -> int:
        statement = str(filtered_events(session, EventFilters(actors=actors)))
        return statement.upper().count("SELECT")

    one = shape(("vladimir-putin",))
    assert shape(("vladimir-putin",) * MAX_REPEATED) == one
    assert shape(tuple(f"actor {n}" for n in range(MAX_REPEATED))) <= one


def test_every_requested_actor_must_take_part_whatever_its_spelling(client, session):
    known = seed(session)
    both = "actor=vladimir-putin&actor=Xi Jinping&actor=VLADIMIR PUTIN&actor=xi-jinping"
    ids = [item["id"] for item in client.get(f"/api/v1/events?{both}").get_json()["items"]]
    assert ids == [known["call"]]
    assert client.get(f"/api/v1/events?{both}&actor=Nobody").get_json()["items"] == []
    putin = client.get("/api/v1/events?" + "&".join(["actor=vladimir-putin"] * MAX_REPEATED)).get_json()
    assert {item["id"] for item in putin["items"]} == {known["call"], known["talks"]}


# -- LIKE wildcards are text ---------------------------------------------------------------------------


def test_percent_underscore_and_the_escape_character_in_q_match_themselves(client, session):
    known = seed(session)
    session.get(Event, known["visit"]).title = "Fidan 100% in Cairo"
    session.get(Event, known["talks"]).title = "talks_in/Moscow \\ today"
    session.commit()

    def titles(q: str) -> set[int]:
        response = client.get("/api/v1/events", query_string={"q": q})
        assert response.status_code == 200
        return {item["id"] for item in response.get_json()["items"]}

    assert titles("%") == {known["visit"]}
    assert titles("0%") == {known["visit"]}
    assert titles("_") == {known["talks"]}
    assert titles("/") == {known["talks"]}
    assert titles("\\") == {known["talks"]}
    assert titles("s_i") == {known["talks"]}
    assert titles("a%b") == set()


def test_percent_and_underscore_in_the_actor_search_match_themselves(client, session):
    seed(session)
    assert len(client.get("/api/v1/actors?q=a").get_json()["items"]) > 0
    for q in ("%", "_", "%a%", "/", "\\"):
        response = client.get("/api/v1/actors", query_string={"q": q})
        assert response.status_code == 200 and response.get_json()["items"] == [], q
    client.post("/api/v1/actors", json={"name": "100% Party", "kind": "organisation"})
    names = [a["name"] for a in client.get("/api/v1/actors?q=%25").get_json()["items"]]
    assert names == ["100% Party"]


# -- fuzzing with what JSON can carry but UTF-8 cannot, and with nesting ---------------------------

ANY_CHARACTER = st.characters(codec=None, exclude_categories=[])  # lone surrogates included


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    path=st.sampled_from(["/api/v1/articles", "/api/v1/actors", "/api/v1/dates/resolve"]),
    body=st.dictionaries(
        st.sampled_from(
            ["text", "published_at", "title", "url", "source", "name", "kind", "names", "language"]
        ),
        st.one_of(
            st.text(ANY_CHARACTER, max_size=20),
            st.dictionaries(st.text(ANY_CHARACTER, max_size=3), st.lists(st.text(ANY_CHARACTER, max_size=5))),
        ),
        max_size=5,
    ),
)
def test_random_bodies_with_surrogates_never_fail_the_server(client, path, body):
    response = _post_raw(client, path, json.dumps(body))
    assert response.status_code in (200, 201, 400, 404, 409, 422), (
        body,
        response.get_data(as_text=True)[:300],
    )
    assert response.mimetype in ("application/json", "application/problem+json")


@settings(max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    depth=st.integers(min_value=1, max_value=60_000),
    opening=st.sampled_from(['{"text": ', '{"names": {"en": ', "[", '{"a": [']),
)
def test_random_nesting_never_fails_the_server(client, depth, opening):
    closing = {"{": "}", "[": "]"}
    tail = "".join(closing[c] for c in reversed(opening) if c in closing)
    body = opening * depth + "1" + tail * depth
    response = _post_raw(client, "/api/v1/actors", body)
    assert response.status_code in (400, 422), (depth, opening, response.get_data(as_text=True)[:300])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    params=st.lists(
        st.tuples(
            st.sampled_from(EVENT_PARAMETERS + ["bogus"]),
            st.text(ANY_CHARACTER, max_size=20).map(lambda s: s.encode("utf-8", "surrogatepass")),
        ),
        max_size=6,
    )
)
def test_random_queries_with_surrogate_bytes_never_fail_the_server(client, params):
    query = "&".join(f"{name}={quote_from_bytes(value)}" for name, value in params)
    for path in ("/api/v1/events", "/api/v1/timeline", "/api/v1/actors"):
        response = client.get(f"{path}?{query}")
        assert response.status_code in (200, 422), (path, query, response.get_data(as_text=True)[:300])
