"""Database faults: an unreachable, locked, slow or vanishing database answers 503 with Retry-After.

Every fault here is real: a loopback port nothing listens on, a socket that never answers, a table
locked by another connection, a backend terminated by an admin connection, a database created late.
"""

from __future__ import annotations

import csv
import io
import json
import os
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date
from typing import Any

import pytest
from flask import Flask
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from service import create_app
from service.models import Article, Event
from tests.conftest import DEFAULT_POSTGRES, REPO_ROOT, database_name, empty_postgres_database

ARTICLE = {
    "text": "Vladimir Putin held a phone call with Xi Jinping on 3 March 2023.",
    "published_at": "2023-03-05",
    "language": "en",
}


def free_port() -> int:
    """A loopback port nothing listens on (the kernel just handed it out and took it back)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@pytest.fixture
def make_app() -> Iterator[Callable[..., Flask]]:
    """Build apps with their own settings; their connection pools are closed after the test."""
    apps: list[Flask] = []

    def build(database_url: str, **settings: Any) -> Flask:
        config = {"TESTING": True, "DATABASE_URL": database_url, "AUTO_MIGRATE": False, **settings}
        apps.append(create_app(config))
        return apps[-1]

    yield build
    for app in apps:
        app.extensions["engine"].dispose()


def assert_unavailable(response, started: float | None = None, within: float = 3.0) -> None:  # type: ignore[no-untyped-def]
    """A 503 problem+json with Retry-After, and no stack trace in it."""
    assert response.status_code == 503, response.get_data(as_text=True)
    assert response.content_type == "application/problem+json"
    assert int(response.headers["Retry-After"]) > 0
    body = response.get_json()
    assert body["status"] == 503 and "Traceback" not in json.dumps(body)
    if started is not None:
        assert time.monotonic() - started < within


def in_thread(call: Callable[[], Any], timeout: float) -> Any:
    """The result of `call` run in a thread, or a failure if it has not answered within `timeout`."""
    outcome: dict[str, Any] = {}

    def run() -> None:
        try:
            outcome["value"] = call()
        except BaseException as error:  # handed to the test thread
            outcome["error"] = error

    worker = threading.Thread(target=run, daemon=True)
    worker.start()
    worker.join(timeout)
    assert not worker.is_alive(), f"no answer within {timeout} s"
    if "error" in outcome:
        raise outcome["error"]
    return outcome["value"]


REQUESTS = {
    "list events": lambda client: client.get("/api/v1/events"),
    "timeline": lambda client: client.get("/api/v1/timeline"),
    "post an article": lambda client: client.post("/api/v1/articles", json=ARTICLE),
    "export": lambda client: client.get("/api/v1/events/export?format=csv"),
}


# -- unreachable --------------------------------------------------------------------------------


@pytest.mark.parametrize("request_name", REQUESTS)
@pytest.mark.parametrize("backend", ["postgresql", "sqlite"])
def test_an_unreachable_database_answers_503(make_app, backend, request_name, tmp_path):
    if backend == "postgresql":
        url = f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/none"
    else:
        url = f"sqlite:///{tmp_path / 'missing-directory' / 'timeline.db'}"
    client = make_app(url).test_client()
    started = time.monotonic()
    assert_unavailable(REQUESTS[request_name](client), started)


def test_a_server_that_never_answers_is_given_up_after_the_connect_timeout(make_app):
    silent = socket.socket()
    silent.bind(("127.0.0.1", 0))
    silent.listen(8)  # the kernel completes the handshake; nobody ever answers
    try:
        url = f"postgresql+psycopg://postgres@127.0.0.1:{silent.getsockname()[1]}/none"
        client = make_app(url, DB_CONNECT_TIMEOUT=2).test_client()
        started = time.monotonic()
        assert_unavailable(in_thread(lambda: client.get("/api/v1/events"), 8), started, within=5)
    finally:
        silent.close()


def test_the_app_starts_with_the_database_down_and_migrates_when_it_comes_back():
    base = make_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES))
    late_url = base.set(database=database_name("late")).render_as_string(hide_password=False)
    app = create_app({"TESTING": True, "DATABASE_URL": late_url, "AUTO_MIGRATE": True})  # must not raise
    client = app.test_client()
    assert client.get("/healthz").status_code == 200
    readiness = client.get("/readyz")
    assert readiness.status_code == 503 and int(readiness.headers["Retry-After"]) > 0
    assert_unavailable(client.get("/api/v1/events"))

    with empty_postgres_database("late") as created:
        assert created == late_url
        assert client.get("/readyz").status_code == 200
        assert client.get("/api/v1/events").status_code == 200
        assert client.post("/api/v1/articles", json=ARTICLE).status_code == 201
        app.extensions["engine"].dispose()


# -- locked or slow -----------------------------------------------------------------------------


@contextmanager
def locked(database_url: str) -> Iterator[None]:
    """Another connection holds every table the requests need, until the block ends."""
    if database_url.startswith("sqlite"):
        connection = sqlite3.connect(make_url(database_url).database, isolation_level=None)
        connection.execute("BEGIN EXCLUSIVE")
        try:
            yield
        finally:
            connection.execute("ROLLBACK")
            connection.close()
        return
    engine = create_engine(database_url)
    with engine.connect() as connection:
        connection.execute(text("LOCK TABLE articles, events IN ACCESS EXCLUSIVE MODE"))
        try:
            yield
        finally:
            connection.rollback()
    engine.dispose()


SHORT_WAITS = {"DB_LOCK_TIMEOUT": 0.3, "SQLITE_BUSY_TIMEOUT": 0.3}


@pytest.mark.parametrize("request_name", ["list events", "post an article", "export"])
def test_a_locked_database_answers_503_within_the_lock_timeout(make_app, database_url, request_name):
    client = make_app(database_url, **SHORT_WAITS).test_client()
    with locked(database_url):
        started = time.monotonic()
        response = in_thread(lambda: REQUESTS[request_name](client), 5)
    assert_unavailable(response, started)
    engine = create_engine(database_url)
    with engine.connect() as connection:
        assert connection.scalar(select(func.count()).select_from(Article)) == 0, "nothing half-stored"
    engine.dispose()
    assert REQUESTS[request_name](client).status_code in (200, 201)


def test_a_statement_over_the_statement_timeout_answers_503(make_app, postgresql_url):
    client = make_app(postgresql_url, DB_LOCK_TIMEOUT=20, DB_STATEMENT_TIMEOUT=0.3).test_client()
    with locked(postgresql_url):
        started = time.monotonic()
        response = in_thread(lambda: client.get("/api/v1/events"), 5)
    assert_unavailable(response, started)


@contextmanager
def admin_connection(database_url: str) -> Iterator[Any]:
    engine = create_engine(database_url, isolation_level="AUTOCOMMIT")
    with engine.connect() as connection:
        yield connection
    engine.dispose()


def terminate_other_backends(admin: Any, waiting_only: bool = False) -> int:
    """Terminate every other session on the admin's database (as a crash or failover would)."""
    condition = "AND wait_event_type = 'Lock'" if waiting_only else ""
    return len(
        admin.execute(
            text(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                f"WHERE datname = current_database() AND pid <> pg_backend_pid() {condition}"
            )
        ).all()
    )


def test_a_server_that_goes_away_mid_request_answers_503_and_the_next_request_reconnects(
    make_app, postgresql_url
):
    client = make_app(postgresql_url).test_client()
    outcome: dict[str, Any] = {}
    with locked(postgresql_url), admin_connection(postgresql_url) as admin:
        request = threading.Thread(target=lambda: outcome.update(response=client.get("/api/v1/events")))
        request.start()
        deadline = time.monotonic() + 3
        while not terminate_other_backends(admin, waiting_only=True):
            assert time.monotonic() < deadline, "the request never waited on the lock"
            time.sleep(0.02)
        request.join(3)
    assert_unavailable(outcome["response"])
    assert client.get("/api/v1/events").status_code == 200


# -- exports ------------------------------------------------------------------------------------


EXPORT_EVENTS = 450  # more than two export batches of 200 (EXPORT_BATCH)
EXPORT_BATCH = {"EXPORT_BATCH_SIZE": 200}


@pytest.fixture
def many_events(database_url):
    engine = create_engine(database_url)
    with engine.begin() as connection:
        connection.execute(
            insert(Event),
            [
                {
                    "type": "meeting",
                    "title": f"Meeting {number}",
                    "date_start": date(2024, 1, 1),
                    "date_end": date(2024, 1, 1),
                    "granularity": "day",
                    "status": "past",
                    "confidence": 0.5,
                }
                for number in range(EXPORT_EVENTS)
            ],
        )
    engine.dispose()


@contextmanager
def database_breaks(database_url: str) -> Iterator[None]:
    """The export's own session fails on its next statement: its backend dies, or SQLite stays locked."""
    if database_url.startswith("sqlite"):
        with locked(database_url):
            yield
        return
    with admin_connection(database_url) as admin:
        assert terminate_other_backends(admin) >= 1
        yield


@pytest.mark.parametrize("export_format", ["timelinejs", "geojson", "csv"])
def test_an_export_cut_by_the_database_mid_stream_is_visibly_broken(
    make_app, database_url, many_events, export_format
):
    client = make_app(database_url, **SHORT_WAITS, **EXPORT_BATCH).test_client()
    response = client.get(f"/api/v1/events/export?format={export_format}", buffered=False)
    assert response.status_code == 200
    chunks = iter(response.response)
    received = [next(chunks)]
    with database_breaks(database_url), pytest.raises(Exception) as aborted:
        received.extend(chunks)  # the stream ends abnormally: the server drops the connection
    response.close()
    assert "database" in str(aborted.value).lower() or aborted.type.__name__.endswith("Error")
    body = b"".join(c if isinstance(c, bytes) else c.encode() for c in received).decode("utf-8-sig")
    assert "EXPORT INCOMPLETE" in body
    if export_format == "csv":
        rows = list(csv.reader(io.StringIO(body)))
        assert len(rows) < EXPORT_EVENTS + 1
        assert rows[-1][0].startswith("#EXPORT INCOMPLETE"), rows[-1]
    else:
        with pytest.raises(json.JSONDecodeError):
            json.loads(body)


def test_an_export_that_fits_in_one_go_is_unaffected(make_app, database_url, many_events):
    client = make_app(database_url).test_client()
    body = client.get("/api/v1/events/export?format=timelinejs").get_data(as_text=True)
    assert len(json.loads(body)["events"]) == EXPORT_EVENTS


# -- served by gunicorn -------------------------------------------------------------------------


def test_gunicorn_preload_starts_with_the_database_down_and_answers_503(tmp_path):
    port = free_port()
    environment = {
        **os.environ,
        "DATABASE_URL": f"postgresql+psycopg://postgres@127.0.0.1:{free_port()}/none",
        "AUTO_MIGRATE": "1",
    }
    command = [sys.executable, "-m", "gunicorn", "--preload", "--workers", "1"]
    command += ["--bind", f"127.0.0.1:{port}", "app:app"]
    log_path = tmp_path / "gunicorn.log"
    with log_path.open("wb") as log:
        server = subprocess.Popen(command, cwd=REPO_ROOT, env=environment, stdout=log, stderr=log)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert server.poll() is None, f"gunicorn exited: {log_path.read_text()[-2000:]}"
            assert time.monotonic() < deadline, "gunicorn did not start within 60 s"
            try:
                with socket.create_connection(("127.0.0.1", port), timeout=1):
                    break
            except OSError:
                time.sleep(0.2)
        base = f"http://127.0.0.1:{port}"
        for path in ("/readyz", "/api/v1/events", "/api/v1/events/export?format=csv"):
            with pytest.raises(urllib.error.HTTPError) as answer:
                urllib.request.urlopen(base + path, timeout=10)
            assert answer.value.code == 503 and int(answer.value.headers["Retry-After"]) > 0, path
            answer.value.close()
        with urllib.request.urlopen(base + "/healthz", timeout=10) as health:
            assert health.status == 200
    finally:
        server.terminate()
        try:
            server.wait(40)  # gunicorn's graceful_timeout (30 s) bounds a loaded machine's shutdown
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()
            raise
