"""Benchmark: ingest-job throughput (articles/s) with 1 and 2 Celery worker processes.

Run on demand (needs the local PostgreSQL and RabbitMQ):
    .venv/bin/python bench/bench_jobs.py [--articles 120] [--workers 1 2]
Each run gets a fresh PostgreSQL database and a queue of its own. The batch is made from the
repo's own texts (tests/fixtures/dev_timeline.json): each copy of an article has its years moved
to another year and a reference number added, so every copy is a new article with its own events.
The baseline, measured in the same run on the same batch, is the same articles ingested one after
another in this process (what `flask ingest` does). Each worker process runs one task at a time
(`--concurrency 1`), as one small machine would; times are wall-clock, submission to completion.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import signal
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import create_engine, text  # noqa: E402
from sqlalchemy.engine import make_url  # noqa: E402

from service import create_app, usecases  # noqa: E402
from service.api.articles import article_input  # noqa: E402
from service.api.schemas import ArticleIn  # noqa: E402
from service.db import session_scope  # noqa: E402
from service.migrate import upgrade  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "dev_timeline.json"
POSTGRES = os.environ.get("BENCH_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/postgres")
BROKER = os.environ.get("BENCH_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
YEAR = re.compile(r"\b20[0-2][0-9]\b")


def batch(size: int) -> list[dict]:
    """`size` distinct articles: the fixture's articles, each copy moved to another year."""
    articles = json.loads(FIXTURE.read_text(encoding="utf-8"))["articles"]
    out = []
    for number in range(size):
        source = articles[number % len(articles)]
        offset = 3 * (number // len(articles))

        def shift(match: re.Match[str], offset: int = offset) -> str:
            return str(2000 + (int(match.group()) - 2000 + offset) % 26)

        out.append(
            {
                "text": YEAR.sub(shift, source["text"]) + f"\n\n[{number}]",
                "published_at": YEAR.sub(shift, source["published_at"]),
                "language": source["language"],
            }
        )
    return out


@contextmanager
def fresh_database(purpose: str) -> Iterator[str]:
    admin = create_engine(POSTGRES, isolation_level="AUTOCOMMIT")
    name = f"bench_jobs_{purpose}_{uuid.uuid4().hex[:8]}"
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(POSTGRES).set(database=name).render_as_string(hide_password=False)
    try:
        upgrade(url)
        yield url
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def inline(articles: list[dict]) -> float:
    """Seconds to ingest the batch one article after another in this process."""
    with fresh_database("inline") as url:
        app = create_app({"DATABASE_URL": url, "AUTO_MIGRATE": False, "LOG_LEVEL": "WARNING"})
        inputs = [article_input(data) for data in ArticleIn(many=True).load(articles)]
        started = time.perf_counter()
        with session_scope(app) as session:
            for data in inputs:
                usecases.ingest_counted(session, data, app.config["EXTRACTION_BUDGET_SECONDS"])
        elapsed = time.perf_counter() - started
        app.extensions["engine"].dispose()
    return elapsed


def with_workers(articles: list[dict], count: int) -> float:
    """Seconds from submitting the batch as a job until `count` worker processes completed it."""
    queue = f"bench-{uuid.uuid4().hex[:8]}"
    with fresh_database(f"w{count}") as url:
        settings = {"DATABASE_URL": url, "CELERY_BROKER_URL": BROKER, "INGEST_JOB_QUEUE": queue}
        env = os.environ | settings | {"LOG_LEVEL": "WARNING", "AUTO_MIGRATE": "0"}
        workers = [
            subprocess.Popen(
                [sys.executable, "-m", "celery", "-A", "service.worker", "worker", "--concurrency", "1"]
                + [
                    "-n",
                    f"bench{n}-{queue}@%h",
                    "--without-gossip",
                    "--without-mingle",
                    "--loglevel",
                    "INFO",
                ],
                cwd=ROOT,
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
                start_new_session=True,
            )
            for n in range(count)
        ]
        app = create_app({**settings, "AUTO_MIGRATE": False, "LOG_LEVEL": "WARNING"})
        try:
            _wait_until_consuming(app, queue, count)
            client = app.test_client()
            started = time.perf_counter()
            response = client.post("/api/v1/ingest-jobs", json=articles)
            assert response.status_code == 202, response.get_json()
            while (progress := client.get(response.headers["Location"]).get_json())["status"] != "completed":
                time.sleep(0.2)
            elapsed = time.perf_counter() - started
            assert progress["created"] == len(articles), progress
        finally:
            for worker in workers:
                os.killpg(worker.pid, signal.SIGTERM)
                worker.wait(timeout=30)
            app.extensions["engine"].dispose()
            with app.extensions["ingest_jobs"].celery.connection_for_write() as connection:
                connection.default_channel.queue_delete(queue)
    return elapsed


def _wait_until_consuming(app, queue: str, count: int) -> None:  # type: ignore[no-untyped-def]
    """Wait until `count` workers consume the queue, so their start-up is not timed."""
    celery = app.extensions["ingest_jobs"].celery
    deadline = time.monotonic() + 120
    while True:
        with celery.connection_for_write() as connection:
            try:
                consumers = connection.default_channel.queue_declare(queue, passive=True).consumer_count
            except Exception:  # the queue does not exist until the first worker declares it
                consumers = 0
        if consumers >= count:
            return
        if time.monotonic() > deadline:
            raise SystemExit(f"only {consumers} of {count} workers came up")
        time.sleep(0.5)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=120)
    parser.add_argument("--workers", type=int, nargs="+", default=[1, 2])
    options = parser.parse_args()
    articles = batch(options.articles)
    # The machine may be shared: the load average says how much else ran meanwhile.
    print(f"{len(articles)} articles, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    baseline = len(articles) / inline(articles)
    print(f"{'inline (one process, baseline)':<32} {baseline:6.2f} articles/s   1.00x")
    for count in options.workers:
        rate = len(articles) / with_workers(articles, count)
        print(f"{f'{count} worker process(es)':<32} {rate:6.2f} articles/s   {rate / baseline:.2f}x")
    print(f"load average at the end {os.getloadavg()[0]:.1f}")


if __name__ == "__main__":
    main()
