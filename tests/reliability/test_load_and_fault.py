"""Writers, readers and a deleter hit gunicorn (4 workers) on a private PostgreSQL that is stopped midway.

Afterwards: every article whose post got a 2xx and that was not deleted is stored exactly once,
nothing deleted is left, the stored events equal a sequential ingest of the surviving articles into
a fresh database, and no answer was a 5xx other than a 503 problem+json (with Retry-After) around
the outage. Bounded: about 20 s of load, loopback only, every request with a timeout.
"""

from __future__ import annotations

import http.client
import json
import os
import random
import re
import signal
import subprocess
import sys
import threading
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text

from service import create_app
from tests.reliability.private_postgres import PrivatePostgres, free_port, private_postgres

pytestmark = pytest.mark.reliability

REPO_ROOT = Path(__file__).resolve().parents[2]
LOAD_SECONDS = 20.0
OUTAGE_AT = 7.0  # seconds into the load
OUTAGE_SECONDS = 3.0
GRACE_SECONDS = 5.0  # after the database is back, pooled connections may still fail once
WRITERS, READERS = 4, 3
DELETE_EVERY = 1.5  # seconds
EVENTS = 30  # distinct real events; each reported by 1 to 3 articles
REQUEST_TIMEOUT = 40.0  # above gunicorn's 30 s worker timeout, so a hung worker shows as its answer
SEED = 8

PEOPLE = [
    ("Sergey Lavrov", "سيرغي لافروف"),
    ("Wang Yi", "وانغ يي"),
    ("Antony Blinken", "أنتوني بلينكن"),
    ("Hakan Fidan", "هاكان فيدان"),
    ("Ayman Safadi", "أيمن الصفدي"),
    ("Annalena Baerbock", "أنالينا بيربوك"),
    ("Vladimir Putin", "فلاديمير بوتين"),
    ("Xi Jinping", "شي جين بينغ"),
    ("Joe Biden", "جو بايدن"),
    ("Dmitry Peskov", "دميتري بيسكوف"),
]
CITIES = [
    ("Ankara", "أنقرة"),
    ("Cairo", "القاهرة"),
    ("Moscow", "موسكو"),
    ("Beijing", "بكين"),
    ("Berlin", "برلين"),
]
MONTHS_EN = ["January", "February", "March", "April", "May", "June"]
MONTHS_EN += ["July", "August", "September", "October", "November", "December"]
MONTHS_AR = ["يناير", "فبراير", "مارس", "أبريل", "مايو", "يونيو"]
MONTHS_AR += ["يوليو", "أغسطس", "سبتمبر", "أكتوبر", "نوفمبر", "ديسمبر"]
REPORTS = {
    "phone_call": [
        "{a} held a phone call with {b} on {day} {month} {year}, discussing regional security.",
        "{a} and {b} spoke by phone on {month} {day}, {year} about bilateral ties, officials said.",
        "أجرى {a_ar} اتصالا هاتفيا مع {b_ar} يوم {day} {month_ar} {year}.",
    ],
    "meeting": [
        "{a} met {b} in {city} on {day} {month} {year}, the foreign ministry said.",
        "التقى {a_ar} {b_ar} في {city_ar} يوم {day} {month_ar} {year}.",
        "{a} and {b} met in {city} on {month} {day}, {year}, according to a statement.",
    ],
}


def articles(seed: int = SEED) -> list[dict[str, Any]]:
    """Distinct articles in English and Arabic about EVENTS calls and meetings, some reported 2 or 3 times."""
    rng = random.Random(seed)
    result = []
    for number in range(EVENTS):
        kind = rng.choice(sorted(REPORTS))
        (a, a_ar), (b, b_ar) = rng.sample(PEOPLE, 2)
        city, city_ar = rng.choice(CITIES)
        month, day = rng.randrange(12), rng.randrange(1, 29)
        words = {
            "a": a,
            "b": b,
            "a_ar": a_ar,
            "b_ar": b_ar,
            "city": city,
            "city_ar": city_ar,
            "day": day,
            "month": MONTHS_EN[month],
            "month_ar": MONTHS_AR[month],
            "year": 2024,
        }
        for report, template in enumerate(rng.sample(REPORTS[kind], rng.choice([1, 2, 2, 3]))):
            result.append(
                {
                    "text": template.format(**words),
                    "published_at": f"2024-{month + 1:02d}-{day + report + 1:02d}",
                    "url": f"https://news.example.org/{number}/{report}",
                    "source": f"Wire {report}",
                }
            )
    rng.shuffle(result)
    return result


@dataclass
class Reply:
    status: int | None  # None: no HTTP answer (connection refused, reset, timed out)
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None
    error: str = ""


def call(port: int, method: str, path: str, body: Any = None) -> Reply:
    """One HTTP request to the server on 127.0.0.1."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=REQUEST_TIMEOUT)
    try:
        payload = None if body is None else json.dumps(body).encode()
        headers = {"Content-Type": "application/json"} if payload is not None else {}
        connection.request(method, path, body=payload, headers=headers)
        response = connection.getresponse()
        raw = response.read()
        reply_headers = {name.lower(): value for name, value in response.getheaders()}
        try:
            parsed = json.loads(raw) if raw else None
        except ValueError:
            parsed = raw[:200].decode("utf-8", "replace")
        return Reply(response.status, reply_headers, parsed)
    except (OSError, http.client.HTTPException) as error:
        return Reply(None, error=repr(error))
    finally:
        connection.close()


@dataclass
class Observation:
    role: str
    method: str
    path: str
    sent: float
    done: float
    reply: Reply


class Load:
    """The shared record of the run: every request and what became of every article."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.started = time.monotonic()
        self.lock = threading.Lock()
        self.observations: list[Observation] = []
        self.stored: dict[str, int] = {}  # url -> id, for posts answered 2xx
        self.deleted: set[str] = set()
        self.retries: Counter[str] = Counter()
        self.outage: tuple[float, float] = (float("inf"), float("inf"))

    def now(self) -> float:
        return time.monotonic() - self.started

    def request(self, role: str, method: str, path: str, body: Any = None) -> Reply:
        sent = self.now()
        reply = call(self.port, method, path, body)
        with self.lock:
            self.observations.append(Observation(role, method, path, sent, self.now(), reply))
        return reply


def retryable(reply: Reply) -> bool:
    """An answer a client should try again later: the database is away, or a clean conflict."""
    return reply.status in (None, 503, 409)


def writer(load: Load, queue: list[tuple[float, dict[str, Any]]], stop_at: float) -> None:
    """Post articles at their scheduled times; retry one until it is answered (idempotent posts)."""
    while True:
        with load.lock:
            if not queue:
                return
            scheduled, article = queue.pop()
        time.sleep(max(0.0, scheduled - load.now()))
        while True:
            reply = load.request("writer", "POST", "/api/v1/articles", article)
            if reply.status in (200, 201):
                with load.lock:
                    load.stored[article["url"]] = reply.body["id"]
                break
            if not retryable(reply) or load.now() > stop_at:
                break
            load.retries["post"] += 1
            time.sleep(0.3)


def reader(load: Load, stop_at: float, rng: random.Random) -> None:
    """Read events and the timeline, filtered now and then, until the load ends."""
    paths = [
        "/api/v1/events?limit=50",
        "/api/v1/events?sort=-date&limit=20",
        "/api/v1/timeline?bucket=day",
        "/api/v1/timeline",
        "/api/v1/events?actor=sergey-lavrov",
        "/api/v1/events?type=meeting&from=2024-03-01&to=2024-09-30",
    ]
    while load.now() < stop_at:
        load.request("reader", "GET", rng.choice(paths))
        time.sleep(0.05)


def deleter(load: Load, stop_at: float, rng: random.Random) -> None:
    """Delete a random stored article every DELETE_EVERY seconds; a lost answer is retried (404 = done)."""
    while load.now() < stop_at:
        time.sleep(DELETE_EVERY)
        with load.lock:
            candidates = sorted(set(load.stored) - load.deleted)
        if not candidates:
            continue
        url = rng.choice(candidates)
        answered_before = False
        while load.now() < stop_at + 10:
            reply = load.request("deleter", "DELETE", f"/api/v1/articles/{load.stored[url]}")
            if reply.status == 204 or (reply.status == 404 and answered_before):
                with load.lock:
                    load.deleted.add(url)
                break
            if not retryable(reply):
                break
            answered_before = answered_before or reply.status is None
            load.retries["delete"] += 1
            time.sleep(0.3)


def outage(load: Load, server: PrivatePostgres) -> None:
    """Stop the database OUTAGE_AT seconds in, for OUTAGE_SECONDS, then start it again."""
    time.sleep(max(0.0, OUTAGE_AT - load.now()))
    began = load.now()
    server.stop("fast")
    time.sleep(OUTAGE_SECONDS)
    server.start()
    load.outage = (began, load.now())


def wait_ready(port: int, seconds: float) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if call(port, "GET", "/readyz").status == 200:
            return
        time.sleep(0.2)
    raise AssertionError(f"the service on port {port} was not ready within {seconds} s")


def all_events(get: Callable[[str], Any]) -> list[dict[str, Any]]:
    """Every event, page by page."""
    events, cursor = [], None
    while True:
        page = get("/api/v1/events?limit=500" + (f"&cursor={cursor}" if cursor else ""))
        events.extend(page["items"])
        cursor = page["next_cursor"]
        if not cursor:
            return events


def event_keys(events: list[dict[str, Any]], url_of: dict[int, str]) -> Counter[tuple[Any, ...]]:
    """Events by what they are (ids differ between databases): type, dates, actors, place, reporting articles."""
    return Counter(
        (
            event["type"],
            event["date"]["start"],
            event["date"]["end"],
            event["date"]["granularity"],
            event["status"],
            tuple(sorted(actor["id"] for actor in event["actors"])),
            event["location"] and event["location"]["id"],
            tuple(sorted({url_of[mention["article_id"]] for mention in event["mentions"]})),
        )
        for event in events
    )


def sequential_events(url: str, survivors: list[dict[str, Any]]) -> Counter[tuple[Any, ...]]:
    """The events a fresh database holds after the survivors are posted one after another."""
    app = create_app({"TESTING": True, "DATABASE_URL": url, "AUTO_MIGRATE": True})
    client = app.test_client()
    url_of = {}
    try:
        for article in survivors:
            response = client.post("/api/v1/articles", json=article)
            assert response.status_code == 201, response.get_json()
            url_of[response.get_json()["id"]] = article["url"]
        return event_keys(all_events(lambda path: client.get(path).get_json()), url_of)
    finally:
        app.extensions["engine"].dispose()


@pytest.fixture
def gunicorn_on_private_postgres(tmp_path: Path) -> Iterator[tuple[PrivatePostgres, int, Path]]:
    """gunicorn --preload with 4 workers on a free loopback port, on a private PostgreSQL; its log file."""
    with private_postgres() as server:
        admin = create_engine(server.url(), isolation_level="AUTOCOMMIT")
        with admin.connect() as connection:
            connection.execute(text("CREATE DATABASE timeline"))
            connection.execute(text("CREATE DATABASE sequential"))
        admin.dispose()
        port = free_port()
        log = tmp_path / "gunicorn.log"
        command = [
            str(Path(sys.executable).with_name("gunicorn")),
            "--config",
            "gunicorn.conf.py",
            "--preload",
            "--workers",
            "4",
            "--bind",
            f"127.0.0.1:{port}",
            "app:app",
        ]
        # The timeline is compared with a sequential ingest, so every extraction must run whole even
        # on a loaded machine: the time budget's partial results are tested in tests/test_usecases.py.
        environment = {
            **os.environ,
            "DATABASE_URL": server.url("timeline"),
            "AUTO_MIGRATE": "1",
            "EXTRACTION_BUDGET_SECONDS": "40",
        }
        with log.open("wb") as output:
            process = subprocess.Popen(command, cwd=REPO_ROOT, env=environment, stdout=output, stderr=output)
        try:
            wait_ready(port, 60)
            yield server, port, log
        finally:
            process.send_signal(signal.SIGINT)  # quick shutdown: the test is over
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)


def test_nothing_is_lost_or_duplicated_under_load_and_a_database_outage(
    gunicorn_on_private_postgres: tuple[PrivatePostgres, int, Path],
) -> None:
    server, port, log = gunicorn_on_private_postgres
    pool = articles()
    load = Load(port)
    rng = random.Random(SEED)
    # Posts spread evenly over the load, so some are due while the database is away.
    queue = [(index * LOAD_SECONDS * 0.9 / len(pool), article) for index, article in enumerate(pool)][::-1]
    threads = [threading.Thread(target=writer, args=(load, queue, LOAD_SECONDS + 10)) for _ in range(WRITERS)]
    threads += [
        threading.Thread(target=reader, args=(load, LOAD_SECONDS, random.Random(rng.random())))
        for _ in range(READERS)
    ]
    threads.append(threading.Thread(target=deleter, args=(load, LOAD_SECONDS, random.Random(rng.random()))))
    threads.append(threading.Thread(target=outage, args=(load, server)))
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=LOAD_SECONDS + 60)
    assert not any(thread.is_alive() for thread in threads), "a client thread did not finish"
    wait_ready(port, 30)

    problems = answers_outside_the_contract(load)
    engine = create_engine(server.url("timeline"))
    with engine.connect() as connection:
        rows = connection.execute(text("SELECT id, url FROM articles ORDER BY id")).all()
    engine.dispose()
    stored_urls = Counter(url for _, url in rows)
    problems += [f"{url} stored {count} times" for url, count in stored_urls.items() if count > 1]
    confirmed = set(load.stored) - load.deleted
    problems += [
        f"{url} answered 2xx, not deleted, but not stored" for url in sorted(confirmed - set(stored_urls))
    ]
    problems += [f"{url} deleted (204) but still stored" for url in sorted(load.deleted & set(stored_urls))]
    problems += [
        f"{url} stored but never posted" for url in sorted(set(stored_urls) - {a["url"] for a in pool})
    ]

    by_url = {article["url"]: article for article in pool}
    survivors = [by_url[url] for _, url in rows if url in by_url]
    url_of = {article_id: url for article_id, url in rows}
    concurrent = event_keys(all_events(lambda path: call(port, "GET", path).body), url_of)
    sequential = sequential_events(server.url("sequential"), survivors)
    problems += [
        f"only after concurrent ingest: {key}" for key in sorted((concurrent - sequential).elements())
    ]
    problems += [
        f"only after sequential ingest: {key}" for key in sorted((sequential - concurrent).elements())
    ]

    statuses = Counter((o.role, o.reply.status) for o in load.observations)
    merged = sum(1 for key in sequential if len(key[-1]) > 1)
    print(
        f"\n{len(pool)} articles, {len(load.stored)} stored (2xx), {len(load.deleted)} deleted,"
        f" {len(rows)} left; {sum(sequential.values())} events ({merged} reported by several articles);"
        f" retries {dict(load.retries)}; outage {load.outage[0]:.1f}-{load.outage[1]:.1f} s;"
        f" answers {dict(sorted(statuses.items(), key=str))}"
    )
    assert merged > 0, "the workload must report some events several times"
    assert len(load.deleted) > 0 and len(load.stored) > 0
    if problems:
        raise AssertionError(report(problems, log.read_text(errors="replace")))


def report(problems: list[str], log: str) -> str:
    """The problems, counted by kind, the first ones in full, and the exceptions the server logged."""
    kinds = Counter(problem.split(" at ")[0].split("?")[0] for problem in problems)
    exceptions = Counter(re.findall(r"^(\w[\w.]*(?:Error|Exception|Timeout)\b.{0,120})", log, re.MULTILINE))
    exceptions.update(re.findall(r"(WORKER TIMEOUT|Worker \(pid:\d+\) was sent \w+)", log))
    return "\n".join(
        [f"{count} x {kind}" for kind, count in kinds.most_common()]
        + ["", "first ones:", *problems[:15], "", "server log:"]
        + [f"{count} x {line}" for line, count in exceptions.most_common(20)]
    )


def answers_outside_the_contract(load: Load) -> list[str]:
    """Answers other than success or a clean client error, except 503 problem+json around the outage."""
    began, ended = load.outage
    problems = []
    for o in load.observations:
        status, reply = o.reply.status, o.reply
        near_outage = o.done >= began - 0.5 and o.sent <= ended + GRACE_SECONDS
        where = f"{o.method} {o.path} at {o.sent:.1f}-{o.done:.1f} s (outage {began:.1f}-{ended:.1f} s)"
        if status is None:
            if not near_outage:
                problems.append(f"no answer to {where}: {reply.error}")
        elif status == 503:
            if not near_outage:
                problems.append(f"503 outside the outage: {where}")
            if not reply.headers.get("content-type", "").startswith("application/problem+json"):
                problems.append(f"503 not problem+json: {where}")
            if "retry-after" not in reply.headers:
                problems.append(f"503 without Retry-After: {where}")
        elif status >= 400 and status != 409:  # a 5xx, or a 4xx no valid request of this test deserves
            problems.append(f"{status} to {where}: {str(reply.body)[:200]}")
    return problems
