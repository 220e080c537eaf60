"""Engine and per-request session: the session's lifecycle lives here, not in the functions using it."""

from __future__ import annotations

import logging
import math
import sqlite3
import sys
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from typing import Any

from flask import Flask, g
from sqlalchemy import Engine, create_engine, event
from sqlalchemy.engine import make_url
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from sqlalchemy.orm import Session, sessionmaker

log = logging.getLogger(__name__)

# The most of an SQLite file read through a memory map (more is read as before, with read()).
SQLITE_MMAP_BYTES = 1 << 30

# SQLite errors that mean "busy or not there right now", not "this statement is wrong".
_SQLITE_TRANSIENT = ("database is locked", "database table is locked", "unable to open", "disk i/o")


@dataclass(frozen=True)
class Timeouts:
    """Seconds a database call may wait before it fails; 0 means no limit on statements or locks."""

    connect: float = 5
    statement: float = 0
    lock: float = 0
    pool: float = 5
    sqlite_busy: float = 10

    @classmethod
    def from_config(cls, settings: Mapping[str, Any]) -> Timeouts:
        return cls(
            connect=settings["DB_CONNECT_TIMEOUT"],
            statement=settings["DB_STATEMENT_TIMEOUT"],
            lock=settings["DB_LOCK_TIMEOUT"],
            pool=settings["DB_POOL_TIMEOUT"],
            sqlite_busy=settings["SQLITE_BUSY_TIMEOUT"],
        )


def make_engine(url: str, timeouts: Timeouts | None = None, **options: Any) -> Engine:
    """Create an engine bounded by `timeouts` (default: connect and busy limits only, as for migrations).

    SQLite gets foreign keys on and a busy timeout for concurrent writers; PostgreSQL gets connect,
    statement and lock timeouts, and a pre-ping so a connection the server dropped is replaced.
    """
    timeouts = timeouts or Timeouts()
    # Errors name the statement but not its parameters: those are article texts (kept out of logs).
    options.setdefault("hide_parameters", True)
    if "poolclass" not in options and make_url(url).database not in (None, "", ":memory:"):
        options.setdefault("pool_timeout", timeouts.pool)  # a queue pool (in-memory SQLite has none)
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": timeouts.sqlite_busy}, **options)

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_connection, _record) -> None:  # type: ignore[no-untyped-def]
            cursor = dbapi_connection.cursor()
            cursor.execute("PRAGMA foreign_keys=ON")
            # Pages read through the OS's file cache mapped in, not copied a page per read() call
            # (scans over thousands of rows took half the time; no memory of its own, shared by workers).
            cursor.execute(f"PRAGMA mmap_size={SQLITE_MMAP_BYTES}")
            cursor.close()

        return engine
    connect_args: dict[str, Any] = {"connect_timeout": max(1, math.ceil(timeouts.connect))}
    limits = [("statement_timeout", timeouts.statement), ("lock_timeout", timeouts.lock)]
    server_options = " ".join(f"-c {name}={round(seconds * 1000)}" for name, seconds in limits if seconds)
    # JIT compiles big analytical plans; for this service's short queries it only adds milliseconds.
    server_options = f"{server_options} -c jit=off -c max_parallel_workers_per_gather=0".strip()
    if server_options:
        connect_args["options"] = server_options
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args, **options)


def driver_operational_errors() -> tuple[type[Exception], ...]:
    """psycopg's OperationalError once an engine loaded psycopg (for PostgreSQL), else nothing.

    Importing psycopg where no engine needs it would cost every SQLite start 50 ms; and an error of
    psycopg's cannot be raised before psycopg is loaded.
    """
    psycopg = sys.modules.get("psycopg")
    return (psycopg.OperationalError,) if psycopg is not None else ()


def is_unavailable(error: BaseException) -> bool:
    """True when the database is unreachable, gone, busy or too slow: worth a 503 and a retry."""
    if isinstance(error, (PoolTimeout, *driver_operational_errors())):
        return True
    if not isinstance(error, DBAPIError):
        return False
    if error.connection_invalidated or isinstance(error.orig, driver_operational_errors()):
        return True
    if isinstance(error.orig, sqlite3.OperationalError):
        return str(error.orig).lower().startswith(_SQLITE_TRANSIENT)
    return False


def init_app(app: Flask) -> None:
    """Attach an engine and session factory to the app; close each request's session at teardown."""
    engine = make_engine(app.config["DATABASE_URL"], Timeouts.from_config(app.config))
    app.extensions["engine"] = engine
    app.extensions["sessionmaker"] = sessionmaker(bind=engine, expire_on_commit=False)

    @app.teardown_appcontext
    def _close_session(_exc: BaseException | None) -> None:
        session = g.pop("db_session", None)
        if session is not None:
            close_quietly(session)


def get_session() -> Session:
    """The current request's session (opened on first use)."""
    from flask import current_app

    if "db_session" not in g:
        g.db_session = current_app.extensions["sessionmaker"]()
    return g.db_session


@contextmanager
def session_scope(app: Flask) -> Iterator[Session]:
    """A session for CLI commands and background work, closed afterwards."""
    session = app.extensions["sessionmaker"]()
    try:
        yield session
    finally:
        close_quietly(session)


def close_quietly(session: Session) -> None:
    """Close a session; a connection the database already dropped is discarded, not raised.

    Teardown runs after the response is made: an error there would reach the WSGI server and turn
    the client's answer into the server's own HTML 500.
    """
    try:
        session.close()
    except DBAPIError as error:
        log.warning("discarding a database connection that failed on close: %s", type(error.orig).__name__)
        session.invalidate()
