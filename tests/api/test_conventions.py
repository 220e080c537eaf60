"""API conventions: Link headers, cursors bound to their query, comma lists, problem types."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlsplit

import pytest

from service.api.errors import PROBLEM_KINDS
from tests.factories import seed

LINK = re.compile(r'^<(?P<url>[^>]+)>; rel="next"$')


@pytest.fixture
def known(session):
    return seed(session)


def _next_url(response) -> str | None:
    """The URL of the rel="next" Link, or None when the response has no Link header."""
    header = response.headers.get("Link")
    if header is None:
        return None
    match = LINK.match(header)
    assert match, header
    return match["url"]


def _follow(client, url: str) -> tuple[list, list]:
    """Every page of a list by its Link headers: the items, and the `next_cursor` of each page."""
    items, cursors = [], []
    while url:
        response = client.get(url)
        assert response.status_code == 200, response.get_json()
        body = response.get_json()
        items += body["items"] if "items" in body else [e for b in body["buckets"] for e in b["events"]]
        cursors.append(body["next_cursor"])
        next_url = _next_url(response)
        assert (next_url is None) == (body["next_cursor"] is None)
        if next_url:
            assert dict(parse_qsl(urlsplit(next_url).query))["cursor"] == body["next_cursor"]
        url = next_url
    return items, cursors


# -- Link headers ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/api/v1/events", "/api/v1/timeline"])
def test_link_headers_walk_every_event_page_keeping_the_filters(client, known, path):
    everything = client.get(f"{path}?limit=500").get_json()
    assert "Link" not in client.get(f"{path}?limit=500").headers  # one page: no next
    items, cursors = _follow(client, f"{path}?limit=1&type=visit,talks&type=agreement")
    assert sorted(e["type"] for e in items) == ["agreement", "talks", "visit"]
    assert cursors[-1] is None and all(cursors[:-1])
    all_events = everything.get("items") or [e for b in everything["buckets"] for e in b["events"]]
    assert len(all_events) == 4  # the filter travelled with every next link: the phone call stayed out


def test_the_next_link_is_absolute_and_keeps_repeated_parameters(client, known):
    response = client.get("/api/v1/events?limit=1&type=visit&type=talks&sort=-date")
    url = _next_url(response)
    assert url.startswith("http://localhost/api/v1/events?")
    query = parse_qsl(urlsplit(url).query)
    assert [value for key, value in query if key == "type"] == ["visit", "talks"]
    assert ("sort", "-date") in query and ("limit", "1") in query


def test_articles_and_actors_pages_carry_link_headers(client, known):
    articles, _ = _follow(client, "/api/v1/articles?limit=3")
    assert len(articles) == 4
    actors, _ = _follow(client, "/api/v1/actors?limit=2&kind=person")
    assert [a["id"] for a in actors] == ["hakan-fidan", "vladimir-putin", "xi-jinping"]


# -- cursors remember their query ------------------------------------------------------------------


@pytest.mark.parametrize(
    "first, other",
    [
        ("type=visit,talks,agreement", "type=visit"),
        ("type=visit,talks,agreement", "type=visit,talks,agreement&sort=-date"),
        ("from=2020-01-01", "from=2024-01-01"),
        ("", "granularity=day"),
        ("", "q=Cairo"),
    ],
)
def test_a_cursor_used_with_other_filters_is_refused_naming_cursor(client, known, first, other):
    cursor = client.get(f"/api/v1/events?limit=1&{first}").get_json()["next_cursor"]
    assert cursor
    response = client.get(f"/api/v1/events?limit=1&{other}&cursor={cursor}")
    assert response.status_code == 422
    body = response.get_json()
    assert body["type"] == "/problems/validation-failed"
    assert list(body["errors"]) == ["cursor"]
    assert "other filters" in body["errors"]["cursor"][0]


def test_a_cursor_follows_the_same_filters_however_they_are_written(client, known):
    cursor = client.get("/api/v1/events?limit=1&type=visit,talks").get_json()["next_cursor"]
    same = client.get(f"/api/v1/events?limit=1&type=talks&type=visit&type=talks&cursor={cursor}")
    assert same.status_code == 200 and [e["type"] for e in same.get_json()["items"]] == ["talks"]
    # the page size is not a filter: a client may change it between pages
    assert client.get(f"/api/v1/events?limit=5&type=visit,talks&cursor={cursor}").status_code == 200


def test_actor_cursors_remember_the_search(client, known):
    cursor = client.get("/api/v1/actors?limit=1&kind=person").get_json()["next_cursor"]
    assert client.get(f"/api/v1/actors?limit=1&kind=person&cursor={cursor}").status_code == 200
    response = client.get(f"/api/v1/actors?limit=1&kind=country&cursor={cursor}")
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["cursor"]
    article_cursor = client.get("/api/v1/articles?limit=1").get_json()["next_cursor"]
    response = client.get(f"/api/v1/actors?cursor={article_cursor}")
    assert response.status_code == 422 and list(response.get_json()["errors"]) == ["cursor"]


# -- comma lists -----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "path", ["/api/v1/events", "/api/v1/timeline", "/api/v1/stats/events", "/api/v1/stats/actors"]
)
def test_comma_lists_and_repeated_parameters_mean_the_same(client, known, path):
    def answer(query: str):
        response = client.get(f"{path}?{query}")
        assert response.status_code == 200, response.get_json()
        return response.get_json()

    assert answer("type=visit,talks") == answer("type=visit&type=talks") == answer("type=visit&type=,talks")
    assert answer("actor=hakan-fidan,egypt") == answer("actor=hakan-fidan&actor=egypt")
    assert answer("granularity=day,range") == answer("granularity=day&granularity=range")


def test_the_comma_list_filters(client, known):
    events = client.get("/api/v1/events?type=visit,phone_call").get_json()["items"]
    assert sorted(e["type"] for e in events) == ["phone_call", "visit"]
    events = client.get("/api/v1/events?actor=vladimir-putin,xi-jinping").get_json()["items"]
    assert [e["type"] for e in events] == ["phone_call"]  # every actor listed takes part
    csv = client.get("/api/v1/events/export?format=csv&type=visit,talks").get_data(as_text=True)
    assert len(csv.strip().splitlines()) == 3  # header and two events


@pytest.mark.parametrize(
    "query, field, message",
    [
        ("type=visit,vist", "type", "Unknown event type 'vist'."),
        ("type=vist&type=visit", "type", "Unknown event type 'vist'."),
        ("granularity=day,weekly", "granularity", "Unknown granularity 'weekly'."),
        ("actor=" + "x" * 301, "actor", "Actor '" + "x" * 301 + "' is longer than 300 characters."),
    ],
)
def test_a_bad_list_value_is_named_not_numbered(client, query, field, message):
    response = client.get(f"/api/v1/events?{query}")
    assert response.status_code == 422
    errors = response.get_json()["errors"]
    assert list(errors) == [field]
    assert len(errors[field]) == 1 and errors[field][0].startswith(message), errors
    assert not any(isinstance(key, int) or str(key).isdigit() for key in errors[field])


def test_every_bad_value_of_a_list_is_named(client):
    errors = client.get("/api/v1/events?type=vist,call,visit").get_json()["errors"]["type"]
    assert [message.split(".")[0] for message in errors] == [
        "Unknown event type 'vist'",
        "Unknown event type 'call'",
    ]


def test_a_list_counts_its_values_however_they_are_given(client):
    at_most = ",".join(["visit"] * 10) + "&type=" + ",".join(["talks"] * 10)
    assert client.get(f"/api/v1/events?type={at_most}").status_code == 200
    response = client.get(f"/api/v1/events?type={at_most},visit")
    assert response.status_code == 422
    assert response.get_json()["errors"] == {"type": ["Give at most 20 values."]}


def test_single_valued_parameters_still_refuse_repeats(client):
    response = client.get("/api/v1/events?status=past&status=planned")
    assert response.get_json()["errors"] == {"status": ["Give this parameter once."]}


# -- problem types ---------------------------------------------------------------------------------


def _problem_type(response, status: int) -> str:
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/problem+json"
    return response.get_json()["type"]


def test_each_error_kind_has_its_own_problem_type(client):
    kinds = {
        _problem_type(client.get("/api/v1/events?type=vist"), 422),
        _problem_type(client.get("/api/v1/articles/987654"), 404),
        _problem_type(
            client.post("/api/v1/articles", data="{", headers={"Content-Type": "application/json"}), 400
        ),
        _problem_type(client.post("/api/v1/articles", data="x", headers={"Content-Type": "text/plain"}), 415),
        _problem_type(client.put("/api/v1/events"), 405),
        _problem_type(client.get("/api/v1/events?" + "q=x&" * 2000), 414),
    }
    assert kinds == {
        "/problems/validation-failed",
        "/problems/not-found",
        "/problems/malformed-json",
        "/problems/unsupported-media-type",
        "/problems/method-not-allowed",
        "/problems/uri-too-long",
    }


def test_a_problem_type_resolves_to_a_page_describing_it(client):
    problem = client.get("/api/v1/events?type=vist").get_json()
    page = client.get(problem["type"])  # relative: resolved against the service
    assert page.status_code == 200 and page.mimetype == "text/html"
    text = page.get_data(as_text=True)
    assert "Validation failed" in text and "422" in text
    assert client.get("/problems/no-such-kind").status_code == 404


def test_every_problem_kind_is_documented_for_users():
    from tests.conftest import REPO_ROOT

    users = (REPO_ROOT / "docs" / "USERS.md").read_text(encoding="utf-8")
    for kind in PROBLEM_KINDS.values():
        assert f"| `{kind.uri}` | {kind.status} |" in users, kind.slug


def test_ingest_job_refusals_name_their_kind(client):
    def kind(response) -> str:
        assert response.content_type == "application/problem+json"
        return response.get_json()["type"]

    post = client.post
    assert kind(post("/api/v1/ingest-jobs", data="[", content_type="application/json")) == (
        "/problems/malformed-json"
    )
    lines = '{"text": "x", "published_at": "2024-01-01"}\n{not json\n'
    assert kind(post("/api/v1/ingest-jobs", data=lines, content_type="application/jsonl")) == (
        "/problems/malformed-json"
    )
    assert kind(post("/api/v1/ingest-jobs", data=b"\xff\xfe", content_type="application/jsonl")) == (
        "/problems/malformed-json"
    )
    assert kind(post("/api/v1/ingest-jobs", json=[])) == "/problems/validation-failed"
    assert kind(post("/api/v1/ingest-jobs", json=[{"text": "no date"}])) == "/problems/validation-failed"
    assert kind(post("/api/v1/ingest-jobs", data="x", content_type="text/plain")) == (
        "/problems/unsupported-media-type"
    )


def test_an_article_an_ingest_job_gave_up_on_names_its_kind():
    from types import SimpleNamespace

    from service.api.schemas import IngestJobErrorOut

    failed = SimpleNamespace(index=3, problem={"status": 500, "title": "Internal server error"})
    assert IngestJobErrorOut().dump(failed) == {
        "index": 3,
        "type": "/problems/internal-error",
        "status": 500,
        "title": "Internal server error",
        "detail": None,
    }


def test_a_search_of_shipped_actors_pages_only_within_its_own_query(client):
    first = client.get("/api/v1/actors", query_string={"q": "Vladimir", "limit": 1})
    cursor = first.get_json()["next_cursor"]
    assert cursor and _next_url(first)
    other = client.get("/api/v1/actors", query_string={"q": "Xi", "limit": 1, "cursor": cursor})
    assert other.status_code == 422 and set(other.get_json()["errors"]) == {"cursor"}
    assert client.get("/api/v1/actors", query_string={"q": "Vladimir", "cursor": cursor}).status_code == 200
