"""A live server on a seeded SQLite database and a headless Debian chromium driven by selenium.

Locally the browser tests skip when chromium or chromedriver is missing; under CI=true they must run
(`make browser-deps` installs both).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TypeVar

import pytest
from flask import Flask
from sqlalchemy.orm import Session
from werkzeug.serving import make_server

from service import create_app
from service.migrate import upgrade
from tests.factories import seed

ARTIFACTS = Path(__file__).resolve().parents[2] / "artifacts"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
T = TypeVar("T")


@contextmanager
def serve(url: str, fill: Callable[[Session], T]) -> Iterator[tuple[str, T, Flask]]:
    """(base URL, what `fill` returned, the app) of an app on a fresh database, served from a thread."""
    upgrade(url)
    app = create_app({"TESTING": True, "DATABASE_URL": url, "AUTO_MIGRATE": False, "CORS_ORIGINS": []})
    with app.app_context():
        session = app.extensions["sessionmaker"]()
        filled = fill(session)
        session.close()
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", filled, app
    finally:
        server.shutdown()
        thread.join(timeout=10)
        app.extensions["engine"].dispose()


@pytest.fixture(scope="module")
def live_app(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, dict[str, int], Flask]]:
    """(base URL, seeded event ids, app) of the app on the four KNOWN events."""
    with serve(f"sqlite:///{tmp_path_factory.mktemp('browser') / 'timeline.db'}", seed) as served:
        yield served


@pytest.fixture(scope="module")
def live_server(live_app: tuple[str, dict[str, int], Flask]) -> tuple[str, dict[str, int]]:
    """(base URL, seeded event ids) of the app on the four KNOWN events."""
    return live_app[0], live_app[1]


@pytest.fixture(scope="module")
def browser(tmp_path_factory: pytest.TempPathFactory):  # type: ignore[no-untyped-def]
    if not (CHROMIUM and CHROMEDRIVER):
        message = "Debian's chromium and chromium-driver are needed (make browser-deps)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    webdriver = pytest.importorskip("selenium.webdriver")
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in (
        "--headless",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-quic",
        "--no-first-run",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--disable-dev-shm-usage",
        "--window-size=1280,900",
        "--lang=en-GB",
        f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}",
    ):
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    driver = webdriver.Chrome(options=options, service=Service(executable_path=CHROMEDRIVER))
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


def screenshot(driver, name: str) -> Path:  # type: ignore[no-untyped-def]
    ARTIFACTS.mkdir(exist_ok=True)
    path = ARTIFACTS / name
    driver.save_screenshot(str(path))
    return path


def console_errors(driver) -> list[str]:  # type: ignore[no-untyped-def]
    """The browser console's errors since the last call (uncaught exceptions included)."""
    return [entry["message"] for entry in driver.get_log("browser") if entry["level"] == "SEVERE"]


MANY = 5_000


def seed_many(session: Session, count: int = MANY) -> int:
    """`count` events over ten years, of every type and granularity, inserted in bulk (no pipeline)."""
    from datetime import date, timedelta

    from sqlalchemy import insert

    from service.models import Actor, Event, EventActor
    from service.vocabulary import EVENT_TYPES
    from tests.factories import ACTORS

    session.execute(
        insert(Actor),
        [{"id": i, "name": n, "kind": k, "origin": "gazetteer"} for i, (n, k) in ACTORS.items()],
    )
    first = date(2015, 1, 1)
    shapes = [("day", 0), ("day", 0), ("day", 0), ("range", 3), ("month", None), ("year", None)]
    events, links = [], []
    for n in range(1, count + 1):
        start = first + timedelta(days=(n * 7919) % 3650)  # spread over ten years, not in id order
        granularity, length = shapes[n % len(shapes)]
        if granularity == "month":
            start = start.replace(day=1)
            end = (start + timedelta(days=32)).replace(day=1) - timedelta(days=1)
        elif granularity == "year":
            start, end = start.replace(month=1, day=1), start.replace(month=12, day=31)
        else:
            end = start + timedelta(days=length or 0)
        kind = EVENT_TYPES[n % len(EVENT_TYPES)]
        events.append(
            {
                "id": n,
                "type": kind,
                "title": f"Event {n}: {kind.replace('_', ' ')}",
                "date_start": start,
                "date_end": end,
                "span_days": (end - start).days,  # what a flush keeps (service/models.py)
                "granularity": granularity,
                "status": "past",
                "confidence": 0.8,
            }
        )
        actors = list(ACTORS)
        links += [
            {"event_id": n, "actor_id": actors[n % len(actors)], "position": 0, "date_start": start},
            {"event_id": n, "actor_id": actors[(n + 1) % len(actors)], "position": 1, "date_start": start},
        ]
    session.execute(insert(Event), events)
    session.execute(insert(EventActor), links)
    session.commit()
    return count


@pytest.fixture(scope="module")
def many_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int, Flask]]:
    """(base URL, event count, app) of the app on MANY bulk-inserted events."""
    with serve(f"sqlite:///{tmp_path_factory.mktemp('many') / 'timeline.db'}", seed_many) as served:
        yield served
