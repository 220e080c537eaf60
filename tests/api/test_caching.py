"""ETag / Last-Modified with 304 answers on event responses, and CORS for allowed origins only."""

from __future__ import annotations

import pytest

from service import create_app
from tests.factories import seed


@pytest.fixture
def known(session):
    return seed(session)


@pytest.mark.parametrize("url", ["/api/v1/events?type=visit", "/api/v1/timeline", "/api/v1/events/{visit}"])
def test_conditional_get_answers_304_until_something_changes(client, known, url):
    url = url.format(visit=known["visit"])
    first = client.get(url)
    assert first.status_code == 200
    etag = first.headers["ETag"]
    assert etag.startswith('W/"') and first.headers["Last-Modified"]
    again = client.get(url, headers={"If-None-Match": etag})
    assert again.status_code == 304 and again.get_data() == b"" and again.headers["ETag"] == etag
    since = client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304
    assert client.get(url, headers={"If-None-Match": 'W/"something-else"'}).status_code == 200
    # A new article that adds an event changes every list's validator.
    article_id = client.get(f"/api/v1/events/{known['visit']}").get_json()["mentions"][0]["article_id"]
    assert client.delete(f"/api/v1/articles/{article_id}").status_code == 204
    after = client.get(url, headers={"If-None-Match": etag})
    assert after.status_code in (200, 410)  # the visit itself is gone with its only article
    assert after.headers.get("ETag") != etag


def test_etag_differs_per_query(client, known):
    one = client.get("/api/v1/events?type=visit").headers["ETag"]
    other = client.get("/api/v1/events?type=talks").headers["ETag"]
    assert one != other
    assert client.get("/api/v1/events?type=talks", headers={"If-None-Match": one}).status_code == 200


def test_if_modified_since_before_the_last_change_gets_the_body(client, known):
    response = client.get("/api/v1/events", headers={"If-Modified-Since": "Mon, 01 Jan 2001 00:00:00 GMT"})
    assert response.status_code == 200 and len(response.get_json()["items"]) == 4


@pytest.fixture
def cors_client(database_url):
    app = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "AUTO_MIGRATE": False,
            "CORS_ORIGINS": ["https://news.example"],
        }
    )
    yield app.test_client()
    app.extensions["engine"].dispose()


def test_cors_allows_configured_origins_only(cors_client):
    allowed = cors_client.get("/api/v1/events", headers={"Origin": "https://news.example"})
    assert allowed.headers["Access-Control-Allow-Origin"] == "https://news.example"
    assert "ETag" in allowed.headers["Access-Control-Expose-Headers"]
    assert "Origin" in allowed.headers["Vary"]
    denied = cors_client.get("/api/v1/events", headers={"Origin": "https://evil.example"})
    assert denied.status_code == 200 and "Access-Control-Allow-Origin" not in denied.headers


def test_cors_preflight_names_methods_and_conditional_headers(cors_client):
    response = cors_client.options(
        "/api/v1/events",
        headers={"Origin": "https://news.example", "Access-Control-Request-Method": "GET"},
    )
    assert response.headers["Access-Control-Allow-Origin"] == "https://news.example"
    assert "GET" in response.headers["Access-Control-Allow-Methods"]
    assert "If-None-Match" in response.headers["Access-Control-Allow-Headers"]


def test_no_cors_headers_without_configuration(client):
    response = client.get("/api/v1/events", headers={"Origin": "https://news.example"})
    assert "Access-Control-Allow-Origin" not in response.headers
