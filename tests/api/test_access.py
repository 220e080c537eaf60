"""Who may write and read over HTTP: API keys, loopback trust before the first key, rate limits, CORS."""

from __future__ import annotations

import json
import os
import random

import pytest
from sqlalchemy import func, select

from service import create_app
from service.auth import create_key, revoke_key
from service.models import Actor

ELSEWHERE = {"REMOTE_ADDR": "203.0.113.7"}  # a documentation address: not this machine


def actor(name: str = "Zarqa Testperson") -> dict:
    return {"name": name, "kind": "person"}


def bearer(secret: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {secret}"}


def actor_count(session) -> int:  # type: ignore[no-untyped-def]
    session.expire_all()
    return session.scalar(select(func.count()).select_from(Actor).where(Actor.origin == "api"))


def assert_unauthorized(response, detail: str) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 401, response.get_json()
    assert response.mimetype == "application/problem+json"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert detail in response.get_json()["detail"]


def test_before_the_first_key_only_this_machine_may_write(client, session):
    assert client.post("/api/v1/actors", json=actor()).status_code == 201  # the test client is 127.0.0.1
    refused = client.post("/api/v1/actors", json=actor("Other Person"), environ_base=ELSEWHERE)
    assert_unauthorized(refused, "needs an API key")
    proxied = client.post(
        "/api/v1/actors", json=actor("Proxied Person"), headers={"X-Forwarded-For": "1.2.3.4"}
    )
    assert_unauthorized(proxied, "needs an API key")  # a proxy on this machine relays other clients
    foreign_page = client.post(
        "/api/v1/actors", json=actor("Foreign Page"), headers={"Origin": "https://evil.example"}
    )
    assert_unauthorized(foreign_page, "needs an API key")  # a page elsewhere, in a browser here
    assert actor_count(session) == 1


def test_from_the_first_key_on_every_write_needs_a_valid_key(client, session):
    key = create_key(session, "newsroom").secret
    assert_unauthorized(client.post("/api/v1/actors", json=actor()), "needs an API key")
    assert_unauthorized(
        client.post("/api/v1/actors", json=actor(), headers=bearer("tl_guess")), "unknown or revoked"
    )
    assert_unauthorized(
        client.post("/api/v1/actors", json=actor(), headers={"Authorization": f"Basic {key}"}),
        "'Bearer <key>'",
    )
    assert (
        client.post("/api/v1/actors", json=actor(), headers=bearer(key), environ_base=ELSEWHERE).status_code
        == 201
    )
    assert actor_count(session) == 1
    assert client.delete("/api/v1/articles/1").status_code == 401
    assert (
        client.delete("/api/v1/articles/1", headers=bearer(key)).status_code == 404
    )  # allowed, nothing there


def test_a_revoked_key_is_refused_and_loopback_trust_does_not_return(client, session):
    key = create_key(session, "temporary").secret
    revoke_key(session, "temporary")
    assert_unauthorized(
        client.post("/api/v1/actors", json=actor(), headers=bearer(key)), "unknown or revoked"
    )
    assert_unauthorized(client.post("/api/v1/actors", json=actor()), "needs an API key")
    assert actor_count(session) == 0


def test_a_read_key_may_not_write_and_is_told_which_scope_is_missing(client, session):
    key = create_key(session, "embedding-site", scope="read").secret
    response = client.post("/api/v1/actors", json=actor(), headers=bearer(key))
    assert response.status_code == 403 and response.mimetype == "application/problem+json"
    assert (
        "'write' scope" in response.get_json()["detail"] and "embedding-site" in response.get_json()["detail"]
    )
    assert actor_count(session) == 0


def test_reads_and_date_resolving_are_open_by_default_even_with_keys(client, session):
    create_key(session, "newsroom")
    assert client.get("/api/v1/events", environ_base=ELSEWHERE).status_code == 200
    resolved = client.post(
        "/api/v1/dates/resolve",
        json={"text": "on 3 March 2023", "published_at": "2023-03-05"},
        environ_base=ELSEWHERE,
    )
    assert resolved.status_code == 200  # computes an answer, stores nothing


@pytest.fixture
def closed_reads(database_url):  # type: ignore[no-untyped-def]
    application = create_app(
        {"TESTING": True, "DATABASE_URL": database_url, "AUTO_MIGRATE": False, "READS_REQUIRE_KEY": True}
    )
    yield application
    application.extensions["engine"].dispose()


def test_reads_can_be_made_key_only(closed_reads):
    client = closed_reads.test_client()
    assert client.get("/api/v1/events", environ_base=ELSEWHERE).status_code == 401
    assert client.get("/api/v1/events").status_code == 200  # no key yet: this machine may read
    with closed_reads.app_context():
        session = closed_reads.extensions["sessionmaker"]()
        reader = create_key(session, "reader", scope="read").secret
        session.close()
    assert_unauthorized(client.get("/api/v1/events"), "Reading needs an API key")
    assert client.get("/api/v1/events", headers=bearer(reader), environ_base=ELSEWHERE).status_code == 200
    assert client.get("/healthz", environ_base=ELSEWHERE).status_code == 200  # probes stay open


def limited_app(database_url: str, **settings: object):  # type: ignore[no-untyped-def]
    return create_app({"TESTING": True, "DATABASE_URL": database_url, "AUTO_MIGRATE": False, **settings})


def assert_too_many(response) -> None:  # type: ignore[no-untyped-def]
    assert response.status_code == 429 and response.mimetype == "application/problem+json"
    assert 1 <= int(response.headers["Retry-After"]) <= 60
    assert "rate limit" in response.get_json()["detail"]


def test_writes_are_limited_per_address_and_answered_429_with_retry_after(database_url):
    app = limited_app(database_url, RATE_LIMIT_WRITES="2/minute")
    client = app.test_client()
    try:
        assert [client.post("/api/v1/actors", json=actor(f"Person {n}")).status_code for n in "AB"] == [
            201,
            201,
        ]
        assert_too_many(client.post("/api/v1/actors", json=actor("Person C")))
        assert client.get("/api/v1/actors").status_code == 200  # reads have their own budget
        assert client.get("/healthz").status_code == 200
    finally:
        app.extensions["engine"].dispose()


def test_reads_are_limited_per_key_whatever_the_address(database_url):
    app = limited_app(database_url, RATE_LIMIT_READS="3/minute")
    with app.app_context():
        session = app.extensions["sessionmaker"]()
        key = create_key(session, "busy-reader", scope="read").secret
        session.close()
    client = app.test_client()
    try:
        here, there = {"REMOTE_ADDR": "198.51.100.1"}, {"REMOTE_ADDR": "198.51.100.2"}
        for _ in range(3):
            assert client.get("/api/v1/events", headers=bearer(key), environ_base=here).status_code == 200
        assert_too_many(client.get("/api/v1/events", headers=bearer(key), environ_base=there))
        assert client.get("/api/v1/events", environ_base=there).status_code == 200  # that address, keyless
    finally:
        app.extensions["engine"].dispose()


def test_limits_are_shared_through_redis_between_processes(database_url):
    redis = pytest.importorskip("redis")
    url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    try:
        redis.Redis.from_url(url, socket_connect_timeout=2).ping()
    except redis.RedisError as error:
        if os.environ.get("CI") == "true":
            pytest.fail(f"Redis at {url} is unreachable: {error}")
        pytest.skip(f"Redis at {url} is unreachable: {error}")
    address = {
        "REMOTE_ADDR": f"10.{random.randrange(256)}.{random.randrange(256)}.{random.randrange(1, 255)}"
    }
    first, second = (limited_app(database_url, REDIS_URL=url, RATE_LIMIT_READS="2/minute") for _ in range(2))
    try:
        assert first.test_client().get("/api/v1/events", environ_base=address).status_code == 200
        assert second.test_client().get("/api/v1/events", environ_base=address).status_code == 200
        assert_too_many(first.test_client().get("/api/v1/events", environ_base=address))
    finally:
        for app in (first, second):
            app.extensions["engine"].dispose()


@pytest.fixture
def embedding_app(database_url):  # type: ignore[no-untyped-def]
    application = limited_app(database_url, CORS_ORIGINS=["https://news.example"])
    yield application
    application.extensions["engine"].dispose()


@pytest.mark.parametrize("method", ["POST", "DELETE"])
def test_embedding_origins_may_read_but_a_write_preflight_is_refused(embedding_app, method):
    client = embedding_app.test_client()
    origin = {"Origin": "https://news.example"}
    read = client.options("/api/v1/events", headers={**origin, "Access-Control-Request-Method": "GET"})
    assert read.headers["Access-Control-Allow-Origin"] == "https://news.example"
    assert read.headers["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
    write = client.options("/api/v1/articles", headers={**origin, "Access-Control-Request-Method": method})
    assert "Access-Control-Allow-Origin" not in write.headers
    assert "Access-Control-Allow-Methods" not in write.headers


def test_html_pages_carry_security_headers_and_no_inline_script(client):
    for path in ("/", "/docs"):
        response = client.get(path)
        policy = response.headers["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'self'" in policy
        assert response.headers["X-Content-Type-Options"] == "nosniff"
        assert response.headers["Referrer-Policy"] == "no-referrer"
        html = response.get_data(as_text=True)
        # every script is a file from this origin: an inline one would be blocked by the policy
        assert html.count("<script") == html.count("<script src=")
    api = client.get("/api/v1/events")
    assert api.headers["X-Content-Type-Options"] == "nosniff"


def test_request_ids_are_echoed_and_logged_without_query_or_key(client, session, capsys):
    key = create_key(session, "logged-key").secret
    given = client.get("/api/v1/events?q=secret-word", headers={"X-Request-ID": "abc-123"})
    assert given.headers["X-Request-ID"] == "abc-123"
    generated = client.post(
        "/api/v1/actors", json=actor(), headers={**bearer(key), "X-Request-ID": "bad id; drop"}
    )
    assert generated.status_code == 201
    new_id = generated.headers["X-Request-ID"]
    assert new_id != "bad id; drop" and len(new_id) == 32
    lines = [json.loads(line) for line in capsys.readouterr().err.splitlines() if line.startswith("{")]
    mine = {line["request_id"]: line for line in lines if line.get("logger") == "service.access"}
    assert mine["abc-123"]["path"] == "/api/v1/events" and mine["abc-123"]["status"] == 200
    assert mine[new_id]["api_key"] == "logged-key" and mine[new_id]["method"] == "POST"
    everything = "\n".join(json.dumps(line) for line in lines)
    assert "secret-word" not in everything and key not in everything
