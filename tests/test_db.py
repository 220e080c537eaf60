"""service.db: engines bounded by timeouts, and which database errors count as "unavailable"."""

from __future__ import annotations

import time

import pytest
from sqlalchemy import text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout

from service.db import Timeouts, is_unavailable, make_engine


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


def test_a_wrong_statement_is_not_mistaken_for_an_outage(database_url):
    engine = make_engine(database_url)
    try:
        with engine.connect() as connection, pytest.raises(DBAPIError) as failed:
            connection.execute(text("SELECT * FROM no_such_table"))
        assert not is_unavailable(failed.value)
    finally:
        engine.dispose()
