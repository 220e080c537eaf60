"""Benchmark: inline ingestion (ms/article) into an empty database, against extraction alone.

Run on demand (PostgreSQL needs the local server):
    .venv/bin/python bench/bench_ingest.py [--articles 40] [--backends sqlite postgresql] [--profile]
The batch is bench_jobs.batch (the repo's fixture articles, each copy moved to another year, so
every copy is a new article). The baseline, measured in the same run on the same batch, is
extraction alone (usecases.extract_events with the shipped gazetteer): ingestion's ratio to it
is what storing, resolving and re-merging add. Each backend gets a fresh database per run.
Times are wall-clock and CPU of this process; on PostgreSQL (a local server) also the CPU of the
server processes serving the run, read from /proc.
--profile prints the top functions of one backend's ingestion by cumulative time (cProfile).
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_jobs import batch, fresh_database  # noqa: E402
from sqlalchemy import text  # noqa: E402
from sqlalchemy.orm import Session  # noqa: E402

from service import create_app, usecases  # noqa: E402
from service.api.articles import article_input  # noqa: E402
from service.api.schemas import ArticleIn  # noqa: E402
from service.db import session_scope  # noqa: E402
from service.migrate import upgrade  # noqa: E402
from service.pipeline.language import detect_language, shipped_languages  # noqa: E402


@contextmanager
def empty_database(backend: str) -> Iterator[str]:
    if backend == "postgresql":
        with fresh_database("ingest") as url:
            yield url
        return
    with tempfile.TemporaryDirectory() as directory:
        url = f"sqlite:///{directory}/bench.db"
        upgrade(url)
        yield url


def extraction_only(inputs: list[usecases.ArticleInput]) -> tuple[float, float]:
    """Wall and CPU seconds to extract every article with the shipped gazetteer (no database)."""
    gazetteer = usecases.base_gazetteer()
    wall, cpu = time.perf_counter(), time.process_time()
    for data in inputs:
        language = data.language or detect_language(data.text, shipped_languages().values()).code
        usecases.extract_events(data.text, data.published_date, language, gazetteer)
    return time.perf_counter() - wall, time.process_time() - cpu


def ingestion(
    backend: str, inputs: list[usecases.ArticleInput], profile: cProfile.Profile | None
) -> tuple[float, float, float | None]:
    """Wall and CPU seconds to ingest every article, one after another, into an empty database,
    and the CPU seconds of the PostgreSQL server processes serving it (None on SQLite)."""
    with empty_database(backend) as url:
        app = create_app({"DATABASE_URL": url, "AUTO_MIGRATE": False, "LOG_LEVEL": "WARNING"})
        budget = app.config["EXTRACTION_BUDGET_SECONDS"]
        with session_scope(app) as session:
            usecases.gazetteer_for(session)  # this process's gazetteer for the database: not timed
            backends = _server_processes(session)
            session.commit()
            server = _cpu_seconds(backends)
            wall, cpu = time.perf_counter(), time.process_time()
            if profile:
                profile.enable()
            for data in inputs:
                usecases.ingest_article(session, data, budget)
            if profile:
                profile.disable()
            elapsed = time.perf_counter() - wall, time.process_time() - cpu
            server = None if server is None else _cpu_seconds(backends) - server  # type: ignore[operator]
        app.extensions["engine"].dispose()
    return (*elapsed, server)


def _server_processes(session: Session) -> list[int]:
    """Process ids of the PostgreSQL backends serving this session's database (none on SQLite)."""
    if session.get_bind().dialect.name != "postgresql":
        return []
    query = text("SELECT pid FROM pg_stat_activity WHERE datname = current_database()")
    return list(session.scalars(query))


def _cpu_seconds(pids: list[int]) -> float | None:
    """User and system CPU seconds these (local) processes used so far, from /proc."""
    if not pids:
        return None
    ticks = 0
    for pid in pids:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        ticks += int(fields[11]) + int(fields[12])  # utime, stime
    return ticks / os.sysconf("SC_CLK_TCK")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40)
    parser.add_argument("--backends", nargs="+", default=["sqlite", "postgresql"])
    parser.add_argument("--repeats", type=int, default=2)
    parser.add_argument("--profile", action="store_true", help="profile the first backend's ingestion")
    options = parser.parse_args()
    articles = batch(options.articles)
    inputs = [article_input(data) for data in ArticleIn(many=True).load(articles)]
    count = len(inputs)
    print(f"{count} articles, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.1f}")
    extraction_only(inputs[:3])  # warm-up: compiled resources and lexicons loaded, not timed
    profile = cProfile.Profile() if options.profile else None
    for repeat in range(options.repeats):
        base_wall, base_cpu = extraction_only(inputs)
        print(
            f"[{repeat + 1}] {'extraction alone (baseline)':<28} {1000 * base_wall / count:8.1f} ms/article "
            f"({1000 * base_cpu / count:6.1f} CPU)   1.0x"
        )
        for backend in options.backends:
            profiling = profile if repeat == 0 and backend == options.backends[0] else None
            wall, cpu, server = ingestion(backend, inputs, profiling)
            server_cpu = "" if server is None else f" + {1000 * server / count:5.1f} server CPU"
            print(
                f"[{repeat + 1}] {f'ingestion, {backend}':<28} {1000 * wall / count:8.1f} ms/article "
                f"({1000 * cpu / count:6.1f} CPU) {wall / base_wall:5.1f}x   {count / wall:6.2f} articles/s"
                f"{server_cpu}"
            )
    print(f"load average at the end {os.getloadavg()[0]:.1f}")
    if profile:
        pstats.Stats(profile).sort_stats("cumulative").print_stats(45)


if __name__ == "__main__":
    main()
