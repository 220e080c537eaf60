"""Shared fixtures: every database test runs on SQLite and on PostgreSQL.

PostgreSQL is TEST_DATABASE_URL (default: the local server); each pytest worker gets its own
database, migrated once, emptied between tests. Under CI=true an unreachable PostgreSQL fails.
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from flask import Flask
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.orm import Session

from service import create_app
from service.migrate import upgrade
from service.models import Base

REPO_ROOT = Path(__file__).resolve().parent.parent
SHARED_DIR = Path(os.environ.get("SHARED_DIR", REPO_ROOT.parent / "shared"))
DEFAULT_POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/test"


def shared_path(*parts: str) -> Path:
    """A path under ../shared; the calling test is skipped when it is absent."""
    path = SHARED_DIR.joinpath(*parts)
    if not path.exists():
        pytest.skip(f"{path} not present (the shared material sits beside the repo)")
    return path


_RUN = os.environ.get("PYTEST_XDIST_TESTRUNUID", uuid.uuid4().hex)[:8]


def database_name(purpose: str) -> str:
    """A database name unique to this test run and worker, so parallel runs never collide."""
    return f"timeline_{purpose}_{_RUN}_{os.environ.get('PYTEST_XDIST_WORKER', 'main')}"


@contextmanager
def empty_postgres_database(purpose: str) -> Iterator[str]:
    """Create an empty PostgreSQL database beside TEST_DATABASE_URL, drop it afterwards.

    An unreachable server skips the test, or fails it under CI=true.
    """
    base = make_url(os.environ.get("TEST_DATABASE_URL", DEFAULT_POSTGRES))
    name = database_name(purpose)
    admin = create_engine(base, isolation_level="AUTOCOMMIT", connect_args={"connect_timeout": 5})
    try:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
            connection.execute(text(f'CREATE DATABASE "{name}"'))
    except Exception as error:  # driver errors vary: any of them means "no server"
        admin.dispose()
        message = f"PostgreSQL at {base.render_as_string(hide_password=True)} is unreachable: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    try:
        yield base.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    """A freshly created, migrated PostgreSQL database for this worker."""
    with empty_postgres_database("test") as url:
        upgrade(url)
        yield url


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'timeline.db'}"
    upgrade(url)
    return url


@pytest.fixture(params=["sqlite", "postgresql"])
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A migrated, empty database of each backend in turn."""
    url = request.getfixturevalue(f"{request.param}_url")
    yield url
    engine = create_engine(url)
    with engine.begin() as connection:
        for table in reversed(Base.metadata.sorted_tables):
            connection.execute(table.delete())
    engine.dispose()


@pytest.fixture
def app(database_url: str) -> Iterator[Flask]:
    # The extraction budget protects a busy server; tests on a loaded 2-core machine must not lose
    # events to it (tests of the budget set their own).
    application = create_app(
        {
            "TESTING": True,
            "DATABASE_URL": database_url,
            "AUTO_MIGRATE": False,
            "EXTRACTION_BUDGET_SECONDS": 300,
        }
    )
    yield application
    # A job's thread may still hold a connection after its last item is marked done: let it finish
    # first, or the connection outlives the engine and is reported unclosed at a later test.
    runner = application.extensions.get("ingest_jobs")
    if hasattr(runner, "join"):
        runner.join()
    application.extensions["engine"].dispose()


@pytest.fixture
def client(app: Flask):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def session(app: Flask) -> Iterator[Session]:
    db_session = app.extensions["sessionmaker"]()
    yield db_session
    db_session.close()
