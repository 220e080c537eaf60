"""service.db: engines bounded by timeouts, and which database errors count as "unavailable"."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from service.db import SQLITE_MMAP_BYTES, Timeouts, is_unavailable, make_engine


def test_a_request_waiting_for_a_pooled_connection_gives_up_after_the_pool_timeout(database_url):
    engine = make_engine(database_url, Timeouts(pool=0.2), pool_size=1, max_overflow=0)
    try:
        with engine.connect():
            started = time.monotonic()
            with pytest.raises(PoolTimeout) as waited:
                engine.connect()
            assert time.monotonic() - started < 2
        assert is_unavailable(waited.value)
    finally:
        engine.dispose()


def test_postgresql_sessions_carry_the_statement_and_lock_timeouts(postgresql_url):
    engine = make_engine(postgresql_url, Timeouts(statement=1.5, lock=0.25))
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("SHOW statement_timeout")) == "1500ms"
            assert connection.scalar(text("SHOW lock_timeout")) == "250ms"
    finally:
        engine.dispose()


def test_sqlite_connections_enforce_foreign_keys_and_read_through_a_memory_map(sqlite_url):
    engine = make_engine(sqlite_url)
    try:
        with engine.connect() as connection:
            assert connection.scalar(text("PRAGMA foreign_keys")) == 1
            assert connection.scalar(text("PRAGMA mmap_size")) == SQLITE_MMAP_BYTES
    finally:
        engine.dispose()


def test_a_wrong_statement_is_not_mistaken_for_an_outage(database_url):
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection, pytest.raises(DBAPIError) as failed:
            connection.execute(text("SELECT * FROM no_such_table"))
        assert not is_unavailable(failed.value)
    finally:
        engine.dispose()


def test_a_connection_dropped_before_the_request_ends_still_answers_the_client(postgresql_url):
    """The database drops the request's connection after the handler ran: the answer stands (no HTML 500)."""
    from sqlalchemy import create_engine

    from service import create_app
    from service.db import get_session

    app = create_app({"TESTING": True, "DATABASE_URL": postgresql_url, "AUTO_MIGRATE": False})
    admin = create_engine(postgresql_url, isolation_level="AUTOCOMMIT")

    @app.after_request
    def _drop_the_connection(response):  # type: ignore[no-untyped-def]
        session = get_session()
        pid = session.execute(text("SELECT pg_backend_pid()")).scalar_one()
        with admin.connect() as connection:
            connection.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": pid})
        return response

    try:
        response = app.test_client().get("/api/v1/events")
        assert response.status_code == 200 and response.is_json
        assert app.test_client().get("/api/v1/events").status_code == 200  # the next one reconnects
    finally:
        admin.dispose()
        app.extensions["engine"].dispose()


def test_a_psycopg_operational_error_means_the_database_is_unavailable():
    import psycopg

    assert is_unavailable(psycopg.OperationalError("connection refused"))
