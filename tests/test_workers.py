"""Real Celery workers, the real broker (RabbitMQ) and PostgreSQL: a worker killed mid-batch loses nothing.

Each run uses its own queue and its own database, so parallel runs never take each other's tasks.
An unreachable broker skips the test, or fails it under CI=true.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from service import create_app
from service.migrate import upgrade
from tests.conftest import REPO_ROOT, empty_postgres_database

pytestmark = pytest.mark.workers  # runs in `make test` and CI; `-m "not workers"` leaves it out

BROKER_URL = os.environ.get("TEST_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
BATCH = 30
CHUNK = 2  # articles per task: many tasks, so one is surely in flight when the worker dies


def article(number: int) -> dict:
    day = 1 + number % 27
    return {
        "text": f"Qatar's prime minister met the Iranian foreign minister in Doha on {day} April 2024 "
        f"about shipping lanes, report {number} said.",
        "published_at": "2024-04-30",
    }


@pytest.fixture
def queue() -> Iterator[str]:
    """A queue of this test's own on the broker, deleted afterwards."""
    from kombu import Connection

    name = f"ingest-test-{uuid.uuid4().hex[:12]}"
    try:
        with Connection(BROKER_URL, connect_timeout=3) as connection:
            connection.ensure_connection(max_retries=1)
    except Exception as error:  # kombu raises several kinds: any of them means "no broker"
        message = f"no broker at {BROKER_URL}: {error}"
        if os.environ.get("CI") == "true":
            pytest.fail(message)
        pytest.skip(message)
    yield name
    with Connection(BROKER_URL) as connection:
        connection.default_channel.queue_delete(name)


@pytest.fixture
def database() -> Iterator[str]:
    with empty_postgres_database("workers") as url:
        upgrade(url)
        yield url


def start_worker(name: str, environment: dict[str, str], log: Path) -> subprocess.Popen:
    """A Celery worker process (prefork, one pool process) in a process group of its own."""
    command = [sys.executable, "-m", "celery", "-A", "service.worker", "worker"]
    command += ["--pool", "prefork", "--concurrency", "1", "-n", f"{name}-{uuid.uuid4().hex[:6]}@%h"]
    command += ["--without-gossip", "--without-mingle", "--without-heartbeat", "--loglevel", "INFO"]
    with log.open("ab") as output:
        return subprocess.Popen(
            command,
            cwd=REPO_ROOT,
            env=environment,
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: killing it kills its pool process too
        )


def kill(worker: subprocess.Popen) -> None:
    """SIGKILL the worker and its pool process at once, as when its machine dies."""
    if worker.poll() is None:
        os.killpg(worker.pid, signal.SIGKILL)
    worker.wait(timeout=10)


def test_a_worker_killed_mid_batch_loses_nothing_and_duplicates_nothing(database, queue, tmp_path):
    settings = {
        "DATABASE_URL": database,
        "CELERY_BROKER_URL": BROKER_URL,
        "INGEST_JOB_QUEUE": queue,
        "INGEST_JOB_CHUNK_SIZE": str(CHUNK),
    }
    environment = os.environ | settings | {"LOG_FORMAT": "text", "AUTO_MIGRATE": "0"}
    app = create_app({"TESTING": True, "AUTO_MIGRATE": False, **settings, "INGEST_JOB_CHUNK_SIZE": CHUNK})
    client = app.test_client()
    workers = [start_worker("first", environment, tmp_path / "first.log")]
    try:
        response = client.post("/api/v1/ingest-jobs", json=[article(n) for n in range(BATCH)])
        assert response.status_code == 202
        location = response.headers["Location"]

        def progress() -> dict:
            return client.get(location).get_json()

        deadline = time.monotonic() + 40
        while progress()["done"] < 3:
            assert workers[0].poll() is None, (tmp_path / "first.log").read_text()
            assert time.monotonic() < deadline, "the first worker did not get going"
            time.sleep(0.05)
        kill(workers[0])
        at_kill = progress()
        assert at_kill["pending"] > 0, "killed mid-batch"

        workers.append(start_worker("second", environment, tmp_path / "second.log"))
        deadline = time.monotonic() + 45
        while (finished := progress())["status"] != "completed":
            assert time.monotonic() < deadline, f"job stuck at {finished}"
            time.sleep(0.2)
    finally:
        for worker in workers:
            kill(worker)
        app.extensions["engine"].dispose()

    assert (finished["done"], finished["created"], finished["failed"]) == (BATCH, BATCH, 0), finished
    second_log = (tmp_path / "second.log").read_text()
    assert "delivered again" in second_log, "the task the first worker held came back"
    engine = create_engine(database)
    with engine.connect() as connection:
        assert connection.scalar(text("SELECT count(*) FROM articles")) == BATCH
        assert connection.scalar(text("SELECT count(DISTINCT content_hash) FROM articles")) == BATCH
        duplicated_mentions = connection.scalar(
            text(
                "SELECT count(*) FROM (SELECT 1 FROM event_mentions"
                " GROUP BY article_id, span_start, trigger, type HAVING count(*) > 1) AS twice"
            )
        )
        assert duplicated_mentions == 0
        items = connection.execute(text("SELECT count(*), count(DISTINCT article_id) FROM ingest_job_items"))
        assert tuple(items.one()) == (BATCH, BATCH), "each item points at its own article"
    engine.dispose()
