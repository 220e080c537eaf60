"""Read responses kept until the next write (service/response_cache.py): same answers, fewer renderings."""

from __future__ import annotations

import pytest

from service import create_app, usecases
from tests.factories import seed


@pytest.fixture
def renderings(monkeypatch):
    """How many times the events use case ran."""
    calls = []
    real = usecases.query_events

    def counted(*args, **kwargs):
        calls.append(args)
        return real(*args, **kwargs)

    monkeypatch.setattr(usecases, "query_events", counted)
    return calls


def test_a_repeated_read_is_served_again_until_a_write(client, session, renderings):
    seed(session)
    first = client.get("/api/v1/events?actor=hakan-fidan")
    again = client.get("/api/v1/events?actor=hakan-fidan")
    assert len(renderings) == 1
    assert again.get_data() == first.get_data() and again.headers["ETag"] == first.headers["ETag"]
    response = client.post("/api/v1/actors/hakan-fidan/aliases", json={"name": "H. Fidan", "language": "en"})
    assert response.status_code == 201
    client.get("/api/v1/events?actor=hakan-fidan")
    assert len(renderings) == 2  # the write moved the version: rendered afresh


def test_other_urls_and_languages_are_other_entries(client, session, renderings):
    seed(session)
    client.get("/api/v1/events")
    client.get("/api/v1/events?limit=2")
    english = client.get("/api/v1/events", headers={"Accept-Language": "en"})
    arabic = client.get("/api/v1/events", headers={"Accept-Language": "ar"})
    assert len(renderings) == 4
    assert english.get_data() != arabic.get_data()


def test_conditional_requests_still_get_304(client, session, renderings):
    seed(session)
    etag = client.get("/api/v1/events").headers["ETag"]
    assert client.get("/api/v1/events", headers={"If-None-Match": etag}).status_code == 304


def test_size_zero_turns_the_cache_off(database_url, renderings):
    app = create_app(
        {"TESTING": True, "DATABASE_URL": database_url, "AUTO_MIGRATE": False, "RESPONSE_CACHE_MB": 0}
    )
    with app.app_context(), app.extensions["sessionmaker"]() as session:
        seed(session)
    client = app.test_client()
    client.get("/api/v1/events")
    client.get("/api/v1/events")
    assert len(renderings) == 2
    app.extensions["engine"].dispose()
