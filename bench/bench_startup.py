"""Benchmark: start-up of the CLI and of the app, with no compiled-resources cache (cold) and with one (warm).

Run: .venv/bin/python bench/bench_startup.py [--repeats N] [--root CHECKOUT]
Each line is the median over N fresh processes of their CPU time (user + system, what the process
itself spent; wall time on a shared machine mostly measures the neighbours), wall time beside it.
The baseline `python -c pass` runs in the same run, so a slow machine shows as a slow baseline.
Every run uses a fresh SQLite database (migrated before timing) and a fresh cache directory:
  cold  the cache directory is emptied before every process: validation and the gazetteer build
  warm  the cache holds this data version: what every start-up after the first costs
The last line ingests the test fixture's 20 articles through `flask ingest` (warm cache), so
ingestion speed is compared in the same run. `--root` times another checkout (e.g. main) the same way.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
MIGRATE = "import os; from service.migrate import upgrade; upgrade(os.environ['DATABASE_URL'])"
LIMIT_SECONDS = 2.0  # the start-up budget of issue 10, in CPU seconds


def _run(command: list[str], cwd: Path, env: dict[str, str]) -> tuple[float, float]:
    """CPU and wall seconds of one child process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    began = time.perf_counter()
    subprocess.run(
        command, cwd=cwd, env=env, check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    wall = time.perf_counter() - began
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime), wall


def _measure(command: list[str], cwd: Path, env: dict[str, str], repeats: int, cold: Path | None) -> str:
    runs = []
    for _ in range(repeats):
        if cold is not None:
            shutil.rmtree(cold, ignore_errors=True)
        runs.append(_run(command, cwd, env))
    cpu = statistics.median(r[0] for r in runs)
    wall = statistics.median(r[1] for r in runs)
    return f"{cpu:6.2f} s CPU {wall:6.2f} s wall"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--root", type=Path, default=ROOT, help="the checkout to time (default: this one)")
    args = parser.parse_args()
    root = args.root.resolve()
    python = sys.executable
    flask_help = [python, "-m", "flask", "--app", "app", "--help"]
    create_app = [python, "-c", "from service import create_app; create_app()"]
    with tempfile.TemporaryDirectory(prefix="bench-startup-") as work:
        cache = Path(work) / "cache"
        env = {
            **os.environ,
            "DATABASE_URL": f"sqlite:///{work}/bench.db",
            "RESOURCE_CACHE_DIR": str(cache),
            "LOG_LEVEL": "WARNING",
        }
        # Migrate the database and write bytecode first: neither is what start-up costs every time.
        # compileall, as the Dockerfile does: with PYTHONDONTWRITEBYTECODE set (the Dockerfile and many
        # shells set it) no process writes bytecode, and every run would compile the code again.
        _run([python, "-c", MIGRATE], root, env)
        _run([python, "-m", "compileall", "-q", "service", "migrations", "app.py"], root, env)
        rows = [
            ("python -c pass (baseline)", _measure([python, "-c", "pass"], root, env, args.repeats, None)),
            ("flask --app app --help, cold", _measure(flask_help, root, env, args.repeats, cache)),
            ("create_app(), cold", _measure(create_app, root, env, args.repeats, cache)),
        ]
        _run(flask_help, root, env)  # fills the cache
        rows += [
            ("flask --app app --help, warm", _measure(flask_help, root, env, args.repeats, None)),
            ("create_app(), warm", _measure(create_app, root, env, args.repeats, None)),
        ]
        articles = Path(work) / "articles.jsonl"
        fixture = json.loads((ROOT / "tests" / "fixtures" / "dev_timeline.json").read_text(encoding="utf-8"))
        with articles.open("w", encoding="utf-8") as handle:
            for article in fixture["articles"]:
                keys = ("text", "published_at", "language", "source")
                handle.write(json.dumps({key: article[key] for key in keys}, ensure_ascii=False) + "\n")
        ingest_runs = []
        for index in range(args.repeats):
            ingest_env = {**env, "DATABASE_URL": f"sqlite:///{work}/ingest-{index}.db"}
            _run([python, "-c", MIGRATE], root, ingest_env)
            ingest_runs.append(
                _run([python, "-m", "flask", "--app", "app", "ingest", str(articles)], root, ingest_env)
            )
        cpu = statistics.median(r[0] for r in ingest_runs)
        wall = statistics.median(r[1] for r in ingest_runs)
        rows.append(
            (
                f"flask ingest {len(fixture['articles'])} articles, warm",
                f"{cpu:6.2f} s CPU {wall:6.2f} s wall",
            )
        )
    print(f"start-up of {root} (median of {args.repeats}; budget {LIMIT_SECONDS:.0f} s CPU)")
    for label, value in rows:
        print(f"{label:34} {value}")


if __name__ == "__main__":
    main()
