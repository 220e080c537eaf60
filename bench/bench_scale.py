"""Benchmark: the API over a 1,000,000-event PostgreSQL database (or a smaller SQLite one), under load.

Run on demand (`make bench-scale`; a few minutes, most of it building the database once):

    .venv/bin/python bench/bench_scale.py                     # PostgreSQL, 1,000,000 events
    .venv/bin/python bench/bench_scale.py --reuse             # keep a database built by an earlier run
    .venv/bin/python bench/bench_scale.py --sqlite --events 100000
    .venv/bin/python bench/bench_scale.py --reuse --only-export --baseline main   # the export alone,
                                                              # against main's code on the same data

It builds the database itself with bulk COPY (5,000 actors, 2,000 places, 2-3 actors per event with
a few very popular ones, dates 2000-2026, one article per four events and one mention per event,
Arabic and English sentences), in a database of its own (`bench_scale`, dropped with --drop), then
starts gunicorn with the repository's gunicorn.conf.py and 4 workers and drives it with wrk (Debian's
`wrk`, installed when missing). Every figure is printed next to /healthz measured in the same run.
Then: a deep keyset page (200 pages in) against the first page, the full CSV export (time and the
worker's memory while it streams), and the time to ingest the same articles into this database and
into an empty one. The articles are read at run time from ../shared/dev-news when present.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import random
import re
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.parse
import urllib.request
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import psycopg  # noqa: E402

from service.migrate import upgrade  # noqa: E402
from service.pipeline.gazetteer import Gazetteer  # noqa: E402
from service.pipeline.normalise import normalise_word  # noqa: E402
from service.pipeline.titles import event_title  # noqa: E402
from service.vocabulary import EVENT_TYPES  # noqa: E402

SERVER = "postgresql+psycopg://postgres@127.0.0.1:5432"
ACTORS, PLACES = 5000, 2000
FIRST_DAY, LAST_DAY = date(2000, 1, 1), date(2026, 12, 31)
MENTIONS_PER_ARTICLE = 4
WORKERS = 4
DEV_NEWS = ROOT.parent / "shared" / "dev-news" / "dev_news.json"

# Sentence material of our own: a few real words among generated filler, so `q` has words of known
# frequency; the Arabic ones are written with hamza and ta marbuta, searched without them.
ARABIC_WORDS = ["أعلن", "زيارة", "محادثات", "اجتماع", "اتفاق", "الوزير", "الرئيس", "رسمية", "بحث", "التعاون"]
ENGLISH_WORDS = ["announced", "visit", "talks", "meeting", "agreement", "minister", "president", "official"]


# -- building the database ------------------------------------------------------------------------


def _filler(rng: random.Random, count: int) -> list[str]:
    letters = "bcdfghjklmnprstvz"
    vowels = "aeiou"
    words = set()
    while len(words) < count:
        words.add("".join(rng.choice(letters) + rng.choice(vowels) for _ in range(rng.randint(2, 4))))
    return sorted(words)


def _popularity(rng: random.Random, count: int) -> list[float]:
    """Zipf-like cumulative weights: a few actors in a large share of events, most in a few dozen."""
    weights = [1 / (rank + 8) ** 1.05 for rank in range(count)]
    total, running, cumulative = sum(weights), 0.0, []
    for weight in weights:
        running += weight / total
        cumulative.append(running)
    return cumulative


def build_rows(events: int, seed: int = 11) -> dict[str, list[tuple]]:
    """Every table's rows, deterministic for a seed (ids from 1, in timeline-insertion order)."""
    rng = random.Random(seed)
    gazetteer = Gazetteer.load()
    shipped = gazetteer.actors()
    actors = [(a.id, a.name, a.kind, a.names) for a in shipped[:ACTORS]]
    actors += [
        (f"bench-person-{n}", f"Person {n}", "person", {"en": (f"Person {n}",)})
        for n in range(ACTORS - len(actors))
    ]
    places = gazetteer.places()[:PLACES]
    now = datetime.now(UTC)
    rows: dict[str, list[tuple]] = {name: [] for name in TABLES}
    for actor_id, name, kind, _names in actors:
        rows["actors"].append((actor_id, name, kind, None, "gazetteer", now))
    name_id = 0
    for actor_id, _name, _kind, names in actors:
        for language, values in sorted(names.items()):
            for value in dict.fromkeys(values):
                name_id += 1
                rows["actor_names"].append(
                    (name_id, actor_id, language, value, normalise_word(value), "gazetteer")
                )
    for place in places:
        rows["locations"].append((place.id, place.name, place.lat, place.lon, place.country))
    cumulative = _popularity(rng, len(actors))
    filler = _filler(rng, 3000)
    span = (LAST_DAY - FIRST_DAY).days
    types = list(EVENT_TYPES)
    place_ids = [p.id for p in places]
    place_names = {p.id: p.name for p in places}
    article_id = 0
    import bisect

    for event_id in range(1, events + 1):
        start = FIRST_DAY + timedelta(days=rng.randrange(span + 1))
        shape = rng.random()
        if shape < 0.85:
            end, granularity = start, "day"
        elif shape < 0.93:
            start, granularity = start.replace(day=1), "month"
            end = (start.replace(day=28) + timedelta(days=4)).replace(day=1) - timedelta(days=1)
        elif shape < 0.97:
            end, granularity = start + timedelta(days=rng.randint(1, 4)), "range"
        else:
            start, end, granularity = date(start.year, 1, 1), date(start.year, 12, 31), "year"
        event_type = rng.choice(types)
        chosen: list[int] = []
        while len(chosen) < rng.choice((2, 2, 3)):
            index = min(bisect.bisect_left(cumulative, rng.random()), len(actors) - 1)
            if index not in chosen:
                chosen.append(index)
        location = rng.choice(place_ids) if rng.random() < 0.6 else None
        title = event_title(
            event_type, [actors[i][1] for i in chosen], place_names[location] if location else None
        )
        confidence = round(rng.uniform(0.5, 0.99), 3)
        rows["events"].append(
            (
                event_id,
                event_type,
                title,
                normalise_word(title),
                start,
                end,
                (end - start).days,
                granularity,
                "past",
                location,
                confidence,
                now,
            )
        )
        for position, index in enumerate(chosen):
            rows["event_actors"].append((event_id, actors[index][0], "participant", position, start))
        if (event_id - 1) % MENTIONS_PER_ARTICLE == 0:
            article_id += 1
            arabic = rng.random() < 0.4
            published = end + timedelta(days=rng.randint(0, 3))
            rows["articles"].append(
                (
                    article_id,
                    f"Report {article_id}",
                    f"https://bench.example/{article_id}",
                    "Bench Wire",
                    "ar" if arabic else "en",
                    "",
                    datetime(published.year, published.month, published.day, tzinfo=UTC),
                    published,
                    False,
                    hashlib.sha256(str(article_id).encode()).hexdigest(),
                    now,
                    "bench",
                    None,
                )
            )
        words = [rng.choice(filler) for _ in range(rng.randint(8, 16))]
        real = ARABIC_WORDS if rows["articles"][-1][4] == "ar" else ENGLISH_WORDS
        for _ in range(2):
            words.insert(rng.randrange(len(words)), rng.choice(real))
        sentence = " ".join(words) + "."
        rows["event_mentions"].append(
            (
                event_id,
                event_id,
                article_id,
                sentence,
                normalise_word(sentence),
                0,
                len(sentence),
                event_type,
                None,
                None,
                None,
                "publication",
                event_type,
                start,
                end,
                granularity,
                "past",
                location,
                confidence,
            )
        )
        for position, index in enumerate(chosen):
            rows["mention_actors"].append((event_id, actors[index][0], "participant", position, start, end))
    text = {}
    for mention in rows["event_mentions"]:
        text.setdefault(mention[2], []).append(mention[3])
    rows["articles"] = [row[:5] + (" ".join(text.get(row[0], [])),) + row[6:] for row in rows["articles"]]
    return rows


TABLES = {
    "actors": "id, name, kind, wikidata_id, origin, created_at",
    "actor_names": "id, actor_id, language, name, normalised, origin",
    "locations": "id, name, lat, lon, country",
    "articles": "id, title, url, source, language, text, published_at, published_date, "
    "published_time_known, content_hash, ingested_at, extractor_version, extraction_note",
    "events": "id, type, title, search_title, date_start, date_end, span_days, granularity, status, "
    "location_id, confidence, updated_at",
    "event_actors": "event_id, actor_id, role, position, date_start",
    "event_mentions": "id, event_id, article_id, sentence, search_text, span_start, span_end, trigger, "
    "expression, expression_start, expression_end, resolution, type, date_start, date_end, granularity, "
    "status, location_id, confidence",
    "mention_actors": "mention_id, actor_id, role, position, date_start, date_end",
}


def _psycopg_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://")


def build_postgresql(url: str, rows: dict[str, list[tuple]]) -> None:
    """COPY every table with its secondary indexes dropped, then recreate them and ANALYZE."""
    with psycopg.connect(_psycopg_url(url), autocommit=True) as connection:
        tables = list(TABLES)
        indexes = connection.execute(
            "SELECT indexname, indexdef FROM pg_indexes WHERE schemaname = 'public' AND tablename = ANY(%s)"
            " AND indexname NOT IN (SELECT conname FROM pg_constraint)",
            (tables,),
        ).fetchall()
        for name, _definition in indexes:
            connection.execute(f'DROP INDEX "{name}"')
        for table, columns in TABLES.items():
            began = time.monotonic()
            with connection.cursor().copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                for row in rows[table]:
                    copy.write_row(row)
            print(
                f"  COPY {table}: {len(rows[table]):,} rows in {time.monotonic() - began:.1f} s", flush=True
            )
        connection.execute("SET maintenance_work_mem = '1GB'")
        began = time.monotonic()
        for _name, definition in indexes:
            connection.execute(definition)
        print(f"  {len(indexes)} indexes rebuilt in {time.monotonic() - began:.1f} s", flush=True)
        for table in ("articles", "events", "event_mentions", "actor_names"):
            connection.execute(
                f"SELECT setval(pg_get_serial_sequence('{table}', 'id'), (SELECT max(id) FROM {table}))"
            )
        connection.execute("UPDATE timeline_version SET version = version + 1, changed_at = now()")
        connection.execute("VACUUM ANALYZE")


def build_sqlite(path: Path, rows: dict[str, list[tuple]]) -> None:
    connection = sqlite3.connect(path)
    for table, columns in TABLES.items():
        marks = ", ".join("?" for _ in columns.split(","))
        connection.executemany(
            f"INSERT INTO {table} ({columns}) VALUES ({marks})",
            [tuple(v.isoformat() if isinstance(v, datetime) else v for v in row) for row in rows[table]],
        )
    connection.execute("UPDATE timeline_version SET version = version + 1")
    connection.commit()
    connection.execute("ANALYZE")
    connection.close()


def recreate_database(name: str) -> str:
    with psycopg.connect(_psycopg_url(f"{SERVER}/postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        connection.execute(f'CREATE DATABASE "{name}"')
    return f"{SERVER}/{name}"


def database_exists(name: str) -> bool:
    with psycopg.connect(_psycopg_url(f"{SERVER}/postgres"), autocommit=True) as connection:
        return (
            connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", (name,)).fetchone() is not None
        )


def drop_database(name: str) -> None:
    with psycopg.connect(_psycopg_url(f"{SERVER}/postgres"), autocommit=True) as connection:
        connection.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


# -- the server and the load generator ------------------------------------------------------------


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(
    database_url: str, log: Path, cache_mb: str = "32", root: Path = ROOT
) -> tuple[subprocess.Popen, str]:
    """gunicorn serving the code under `root` (this checkout by default)."""
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": database_url,
        "RATE_LIMITS_ENABLED": "0",  # the benchmark is one client sending thousands of requests
        "LOG_LEVEL": "WARNING",
        "RESPONSE_CACHE_MB": cache_mb,
    }
    command = [sys.executable, "-m", "gunicorn", "--config", "gunicorn.conf.py", "--preload"]
    command += ["--workers", str(WORKERS), "--bind", f"127.0.0.1:{port}", "app:app"]
    with open(log, "wb") as out:
        process = subprocess.Popen(command, cwd=root, env=env, stdout=out, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 300
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(base + "/healthz", timeout=5) as response:
                if response.status == 200:
                    break
        except OSError:
            if process.poll() is not None:
                sys.exit("gunicorn did not start:\n" + log.read_text())
            time.sleep(0.5)
    for _ in range(WORKERS * 4):  # every worker loads lazily what its first request needs
        urllib.request.urlopen(base + "/api/v1/events?limit=1", timeout=60).read()
    return process, base


def stop(process: subprocess.Popen) -> None:
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=30)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def ensure_wrk() -> str:
    found = shutil.which("wrk")
    if found:
        return found
    print("installing wrk (Debian package)", flush=True)
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=True,
        env=os.environ | {"DEBIAN_FRONTEND": "noninteractive"},
    )
    return shutil.which("wrk") or sys.exit("wrk is not installed")


_UNITS = {"us": 0.001, "ms": 1.0, "s": 1000.0, "m": 60000.0}


def _ms(text: str) -> float:
    number, unit = re.fullmatch(r"([\d.]+)(us|ms|s|m)", text).groups()
    return float(number) * _UNITS[unit]


def wrk(binary: str, url: str, seconds: int, connections: int) -> dict[str, float]:
    """p50 and p99 (ms), requests per second, and non-2xx/3xx answers of one wrk run."""
    output = subprocess.run(
        [binary, f"-t{min(2, connections)}", f"-c{connections}", f"-d{seconds}s", "--latency"]
        + ["--timeout", "30s", url],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    p50 = _ms(re.search(r"^\s+50%\s+(\S+)", output, re.M).group(1))
    p99 = _ms(re.search(r"^\s+99%\s+(\S+)", output, re.M).group(1))
    rate = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
    errors = re.search(r"Non-2xx or 3xx responses: (\d+)", output)
    return {"p50": p50, "p99": p99, "rps": rate, "errors": int(errors.group(1)) if errors else 0}


def get_json(url: str) -> dict:
    with urllib.request.urlopen(url, timeout=120) as response:
        return json.load(response)


def time_get(url: str, repeat: int = 20) -> float:
    """Median milliseconds of one client's GET."""
    times = []
    for _ in range(repeat):
        began = time.perf_counter()
        urllib.request.urlopen(url, timeout=120).read()
        times.append((time.perf_counter() - began) * 1000)
    return sorted(times)[len(times) // 2]


def rss_kb(pid: int) -> int:
    try:
        text = Path(f"/proc/{pid}/status").read_text()
    except OSError:
        return 0
    return int(re.search(r"VmRSS:\s+(\d+)", text).group(1))


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def worker_pids(master: int) -> list[int]:
    children = Path(f"/proc/{master}/task/{master}/children")
    return [int(p) for p in children.read_text().split()] if children.exists() else []


@dataclass
class ExportRun:
    seconds: float
    lines: int  # CRLF-ended lines (CSV: rows after the header; JSON has none)
    megabytes: float
    rss_start: int  # MB, of the worker that streamed the export
    rss_early: int  # 10 s into the export: a peak near it means memory stays flat after the first batches
    rss_peak: int
    worker_cpu: float  # CPU seconds: wall time alone depends on what else the machine runs
    database_cpu: float  # CPU seconds of the PostgreSQL backends serving the benchmark database

    def describe(self) -> str:
        return (
            f"{self.seconds:.1f} s, {self.megabytes:,.0f} MB, {max(self.lines, 0):,} lines; CPU: worker "
            f"{self.worker_cpu:.1f} s, database {self.database_cpu:.1f} s; worker RSS {self.rss_start} MB "
            f"at start, {self.rss_early} MB after 10 s, {self.rss_peak} MB at most; load average {_load()}"
        )


def database_backends(database_url: str) -> list[int]:
    """Process ids of the PostgreSQL backends connected to the benchmark's database."""
    if database_url.startswith("sqlite"):
        return []
    name = database_url.rsplit("/", 1)[1]
    with psycopg.connect(_psycopg_url(database_url)) as connection:
        rows = connection.execute(
            "SELECT pid FROM pg_stat_activity WHERE datname = %s AND pid <> pg_backend_pid()", (name,)
        )
        return [pid for (pid,) in rows]


def export_run(base: str, master: int, database_url: str, export_format: str = "csv") -> ExportRun:
    """Time one whole export, sampling the busiest worker's memory, and the CPU it and the database used."""
    before = {pid: rss_kb(pid) for pid in worker_pids(master)}
    cpu_before = {pid: cpu_seconds(pid) for pid in before}
    database_before = {pid: cpu_seconds(pid) for pid in database_backends(database_url)}
    peak = dict(before)
    done = threading.Event()
    backends = set(database_before)

    early: dict[int, int] = {}

    def sample() -> None:
        started = time.monotonic()
        while not done.wait(0.25):
            for pid in peak:
                peak[pid] = max(peak[pid], rss_kb(pid))
            if not early and time.monotonic() - started >= 10:
                early.update(peak)
            backends.update(database_backends(database_url))  # a connection opened for the export

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    began = time.perf_counter()
    rows, size, previous = 0, 0, b""
    url = base + f"/api/v1/events/export?format={export_format}"
    with urllib.request.urlopen(url, timeout=600) as response:
        # Read in large pieces: a line at a time would make the client the bottleneck.
        while chunk := response.read(1 << 20):
            rows += (previous + chunk[:1]).count(b"\r\n") + chunk.count(b"\r\n")
            previous = chunk[-1:]
            size += len(chunk)
    elapsed = time.perf_counter() - began
    done.set()
    sampler.join()
    cpu = {pid: cpu_seconds(pid) - cpu_before[pid] for pid in cpu_before}
    busiest = max(cpu, key=lambda pid: cpu[pid])
    database_cpu = sum(cpu_seconds(pid) - database_before.get(pid, 0.0) for pid in backends)
    return ExportRun(
        elapsed,
        rows - 1,
        size / 1e6,
        before[busiest] // 1024,
        early.get(busiest, peak[busiest]) // 1024,
        peak[busiest] // 1024,
        cpu[busiest],
        database_cpu,
    )


def export_only(database_url: str, events: int, export_format: str, baseline: str | None) -> None:
    """Time one full export, without the load tests; first with the code of git ref `baseline`
    (checked out in a temporary worktree) when given, then with this checkout's."""
    work = ROOT / "instance" / "bench"
    runs: list[tuple[str, Path]] = [("this checkout", ROOT)]
    if baseline:
        checkout = work / "baseline"
        subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=ROOT, capture_output=True)
        subprocess.run(["git", "worktree", "add", "--detach", str(checkout), baseline], cwd=ROOT, check=True)
        runs.insert(0, (f"baseline {baseline}", checkout))
    results = []
    try:
        for label, root in runs:
            process, base = start_gunicorn(database_url, work / "gunicorn.log", root=root)
            try:
                result = export_run(base, process.pid, database_url, export_format)
            finally:
                stop(process)
            results.append(result)
            print(f"{label}: {export_format} export of {events:,} events: {result.describe()}", flush=True)
    finally:
        if baseline:
            subprocess.run(["git", "worktree", "remove", "--force", str(checkout)], cwd=ROOT, check=True)
    if len(results) == 2:
        old, new = results
        database = (
            f", {new.database_cpu / old.database_cpu:.2f}x the database CPU" if old.database_cpu else ""
        )
        print(
            f"vs baseline: {new.seconds / old.seconds:.2f}x the time, {new.worker_cpu / old.worker_cpu:.2f}x "
            f"the worker CPU{database}"
        )


# -- ingestion --------------------------------------------------------------------------------------


def dev_articles(count: int) -> list[dict]:
    if not DEV_NEWS.exists():
        return []
    articles = json.loads(DEV_NEWS.read_text(encoding="utf-8"))["articles"]
    return [
        {"text": a["text"], "published_at": a["published_at"], "language": a["language"]}
        for a in articles[: count + 1]
    ]


def ingest_seconds(database_url: str, articles: list[dict]) -> float:
    """Seconds per article to ingest `articles` (the first is a warm-up, untimed) in-process."""
    from service import create_app, store, usecases
    from service.api.schemas import ArticleIn

    app = create_app({"DATABASE_URL": database_url, "AUTO_MIGRATE": False})
    times = []
    with app.app_context(), app.extensions["sessionmaker"]() as session:
        for index, raw in enumerate(articles):
            data = ArticleIn().load(raw)
            published = data["published_at"]
            digest = usecases.content_hash(data["text"], published["instant"])
            stored = store.find_article(session, None, digest)
            if stored is not None:  # left by an earlier run (--reuse): measure a first ingestion
                usecases.delete_article(session, stored.id)
            began = time.perf_counter()
            usecases.ingest_article(
                session,
                usecases.ArticleInput(
                    text=data["text"],
                    published_at=published["instant"],
                    published_date=published["date"],
                    published_time_known=published["time_known"],
                    language=data.get("language"),
                ),
            )
            if index:
                times.append(time.perf_counter() - began)
    app.extensions["engine"].dispose()
    return sum(times) / len(times)


# -- the run ----------------------------------------------------------------------------------------


def popular_and_rare(database_url: str, sqlite_path: Path | None) -> tuple[str, str]:
    query = "SELECT actor_id, count(*) FROM event_actors GROUP BY actor_id ORDER BY count(*) DESC"
    if sqlite_path:
        counts = sqlite3.connect(sqlite_path).execute(query).fetchall()
    else:
        with psycopg.connect(_psycopg_url(database_url)) as connection:
            counts = connection.execute(query).fetchall()
    rare = min(counts, key=lambda row: abs(row[1] - 33))
    return counts[0][0], rare[0]


def _load() -> str:
    return " ".join(f"{value:.2f}" for value in os.getloadavg())


def _queries(base: str, popular: str, rare: str) -> tuple[dict[str, str], dict]:
    """The measured requests (a cursor 200 pages deep among them), and the popular actor's first page."""
    first_page = get_json(base + f"/api/v1/events?actor={popular}&limit=50")
    cursor = None
    for _ in range(200):
        page = get_json(
            base + f"/api/v1/events?actor={popular}&limit=50" + (f"&cursor={cursor}" if cursor else "")
        )
        cursor = page["next_cursor"] or cursor
    queries = {
        "/healthz": "/healthz",
        "actor + date range (one year)": f"/api/v1/events?actor={popular}&from=2020-01-01&to=2020-12-31",
        "rare actor": f"/api/v1/events?actor={rare}",
        "month window": "/api/v1/events?from=2021-03-01&to=2021-03-31",
        "q (Arabic, folded: اعلن)": "/api/v1/events?q=" + urllib.parse.quote("اعلن"),
        "q (common word, 14% of mentions)": "/api/v1/events?q=agreement",
        "q (rarer word, 0.4% of mentions)": "/api/v1/events?q=tubige",
        "q (word in no event)": "/api/v1/events?q=xylophone",  # no filler word has an x or a y
        "timeline by month, actor": f"/api/v1/timeline?bucket=month&actor={popular}&limit=100",
        "stats, month window split by actor": "/api/v1/stats/events?from=2021-03-01&to=2021-03-31"
        "&interval=day&split=actor",
        "stats, actor + year split by actor": f"/api/v1/stats/events?actor={popular}"
        "&from=2020-01-01&to=2020-12-31&interval=month&split=actor",
        "actors?q": "/api/v1/actors?q=" + urllib.parse.quote("ali"),
        "first keyset page, actor": f"/api/v1/events?actor={popular}&limit=50",
        "keyset page 200, actor": f"/api/v1/events?actor={popular}&limit=50&cursor={cursor}",
    }
    return queries, first_page


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--sqlite", action="store_true", help="embedded SQLite instead of PostgreSQL")
    parser.add_argument("--reuse", action="store_true", help="keep a database an earlier run built")
    parser.add_argument("--drop", action="store_true", help="drop the benchmark database at the end")
    parser.add_argument("--seconds", type=int, default=10, help="wrk duration per request")
    parser.add_argument(
        "--connections", type=int, default=WORKERS, help="wrk's connections (1: one request at a time)"
    )
    parser.add_argument("--articles", type=int, default=5, help="articles timed for ingestion")
    parser.add_argument("--skip-export", action="store_true")
    parser.add_argument("--skip-ingest", action="store_true")
    parser.add_argument(
        "--only-export", action="store_true", help="time the export only (no load tests, no ingestion)"
    )
    parser.add_argument(
        "--format", default="csv", choices=("csv", "timelinejs", "ics", "geojson"), help="export format"
    )
    parser.add_argument(
        "--baseline",
        metavar="REF",
        help="with --only-export: also time the export of this git ref (e.g. main)",
    )
    parser.add_argument(
        "--response-cache",
        choices=("off", "on", "both"),
        default="both",
        help="measure with RESPONSE_CACHE_MB=0 (every response rendered), with the cache, or both",
    )
    options = parser.parse_args()
    work = ROOT / "instance" / "bench"
    work.mkdir(parents=True, exist_ok=True)
    sqlite_path = work / f"bench_scale_{options.events}.db" if options.sqlite else None
    if options.sqlite:
        database_url = f"sqlite:///{sqlite_path}"
        fresh = not (options.reuse and sqlite_path.exists())
        if fresh:
            sqlite_path.unlink(missing_ok=True)
    else:
        fresh = not (options.reuse and database_exists("bench_scale"))
        database_url = recreate_database("bench_scale") if fresh else f"{SERVER}/bench_scale"
    if fresh:
        began = time.monotonic()
        upgrade(database_url)
        rows = build_rows(options.events)
        print(f"generated rows in {time.monotonic() - began:.0f} s", flush=True)
        if options.sqlite:
            build_sqlite(sqlite_path, rows)
        else:
            build_postgresql(database_url, rows)
        del rows
        print(f"built {options.events:,} events in {time.monotonic() - began:.0f} s", flush=True)
    upgrade(database_url)
    popular, rare = popular_and_rare(database_url, sqlite_path)
    if options.only_export:
        export_only(database_url, options.events, options.format, options.baseline)
        return
    binary = ensure_wrk()
    backend = "SQLite" if options.sqlite else "PostgreSQL"
    print(f"load average before: {_load()}", flush=True)
    passes = {"off": ["0"], "on": ["32"], "both": ["0", "32"]}[options.response_cache]
    for number, cache_mb in enumerate(passes):
        process, base = start_gunicorn(database_url, work / "gunicorn.log", cache_mb)
        try:
            queries, first_page = _queries(base, popular, rare)
            results = {}
            for label, path in queries.items():
                results[label] = wrk(binary, base + path, options.seconds, options.connections)
                print(f"  measured {label}", flush=True)
            health = results["/healthz"]
            what = "every response rendered" if cache_mb == "0" else "repeated URLs, response cache on"
            print(
                f"\n{backend}, {options.events:,} events, gunicorn {WORKERS} workers, wrk "
                f"-c{options.connections} -d{options.seconds}s, {os.cpu_count()} cores, RESPONSE_CACHE_MB="
                f"{cache_mb} ({what}); load average after: {_load()}"
            )
            print(f"popular actor {popular} ({len(first_page['items'])} per page), rare {rare}\n")
            print("| request | p50 ms | p99 ms | req/s | req/s vs /healthz | errors |")
            print("|---|---|---|---|---|---|")
            for label, r in results.items():
                print(
                    f"| {label} | {r['p50']:.1f} | {r['p99']:.1f} | {r['rps']:.0f} | "
                    f"{r['rps'] / health['rps']:.0%} | {r['errors']} |"
                )
            if not options.skip_export and number == len(passes) - 1:
                print(f"\nCSV export: {export_run(base, process.pid, database_url).describe()}")
        finally:
            stop(process)
    articles = [] if options.skip_ingest else dev_articles(options.articles)
    if articles:
        big = ingest_seconds(database_url, articles)
        if options.sqlite:
            empty_path = work / "bench_scale_empty.db"
            empty_path.unlink(missing_ok=True)
            empty_url = f"sqlite:///{empty_path}"
        else:
            empty_url = recreate_database("bench_scale_empty")
        upgrade(empty_url)
        empty = ingest_seconds(empty_url, articles)
        if not options.sqlite:
            drop_database("bench_scale_empty")
        print(
            f"\ningest ({len(articles) - 1} articles after one warm-up): {big:.2f} s/article into "
            f"{options.events:,} events, {empty:.2f} s/article into an empty database ({big / empty:.2f}x)"
        )
    if options.drop and not options.sqlite:
        drop_database("bench_scale")


if __name__ == "__main__":
    main()
