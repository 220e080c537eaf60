"""gunicorn.conf.py: a real gunicorn lets the app answer its own limits, as problem+json."""

from __future__ import annotations

import gc
import http.client
import json
import os
import runpy
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
BODY_LIMIT = 4096


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[str, int]]:
    """gunicorn with the repository's config on a free loopback port, over a fresh SQLite file."""
    directory = tmp_path_factory.mktemp("gunicorn")
    port = _free_port()
    env = os.environ | {
        "DATABASE_URL": f"sqlite:///{directory / 'timeline.db'}",
        "AUTO_MIGRATE": "1",
        "MAX_CONTENT_LENGTH": str(BODY_LIMIT),
    }
    # --preload as in production: the app is built before the port opens, so a connection means ready.
    command = [
        sys.executable,
        "-m",
        "gunicorn",
        "--config",
        "gunicorn.conf.py",
        "--preload",
        "--workers",
        "1",
    ]
    command += ["--bind", f"127.0.0.1:{port}", "--no-control-socket", "app:app"]
    with open(directory / "gunicorn.log", "wb") as log:
        process = subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        deadline = time.monotonic() + 120  # the app loads its gazetteer first; CPUs may be shared
        while True:
            try:
                if _request(("127.0.0.1", port), "GET", "/healthz")[0] == 200:
                    break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    pytest.fail("gunicorn did not start:\n" + (directory / "gunicorn.log").read_text())
                time.sleep(0.2)
        yield "127.0.0.1", port
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait(timeout=10)


def _request(server, method: str, target: str, headers: dict[str, str] | None = None, chunks=()):
    """(status, content type, body) of one request; `chunks` are sent with chunked transfer coding."""
    connection = http.client.HTTPConnection(*server, timeout=30)
    try:
        connection.putrequest(method, target, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            connection.putheader(name, value)
        if chunks:
            connection.putheader("Content-Type", "application/json")
            connection.putheader("Transfer-Encoding", "chunked")
        connection.endheaders()
        for chunk in chunks:
            connection.send(b"%x\r\n%s\r\n" % (len(chunk), chunk))
        if chunks:
            connection.send(b"0\r\n\r\n")
        response = connection.getresponse()
        return response.status, response.getheader("Content-Type"), response.read()
    finally:
        connection.close()


def _problem(status: int, content_type: str, body: bytes) -> dict:
    assert content_type == "application/problem+json", (status, content_type, body[:300])
    problem = json.loads(body)
    assert problem["status"] == status
    return problem


def test_a_long_url_gets_the_apps_414(server):
    status, content_type, body = _request(server, "GET", "/api/v1/events?q=" + "a" * 6000)
    assert status == 414
    assert "4096" in _problem(status, content_type, body)["detail"]


def test_a_huge_header_gets_the_apps_431(server):
    status, content_type, body = _request(server, "GET", "/api/v1/events", {"X-Big": "a" * 12_000})
    assert status == 431
    assert "X-Big" in _problem(status, content_type, body)["detail"]


def test_too_many_headers_get_the_apps_431(server):
    headers = {f"X-Header-{n}": "1" for n in range(150)}
    status, content_type, body = _request(server, "GET", "/api/v1/events", headers)
    assert status == 431
    _problem(status, content_type, body)


def test_a_chunked_body_over_the_limit_gets_413_and_one_within_it_is_stored(server):
    article = {"text": "Putin met Xi on 17 May 2024. " * 300, "published_at": "2024-05-17"}
    data = json.dumps(article).encode()
    assert len(data) > BODY_LIMIT
    status, content_type, body = _request(
        server, "POST", "/api/v1/articles", chunks=[data[i : i + 1000] for i in range(0, len(data), 1000)]
    )
    assert status == 413
    _problem(status, content_type, body)
    small = json.dumps({"text": "Putin met Xi on 17 May 2024.", "published_at": "2024-05-17"}).encode()
    status, content_type, body = _request(server, "POST", "/api/v1/articles", chunks=[small[:10], small[10:]])
    assert status == 201, body[:300]


def test_an_ordinary_request_is_served(server):
    status, content_type, body = _request(server, "GET", "/api/v1/events?actor=vladimir-putin")
    assert (status, content_type) == (200, "application/json")


def test_beyond_gunicorns_own_request_line_limit_gunicorn_answers_414_itself(server):
    # Documented in docs/USERS.md: over 8190 bytes gunicorn refuses the request line before the app sees it.
    status, _, _ = _request(server, "GET", "/api/v1/events?q=" + "a" * 9000)
    assert status == 414


def test_a_worker_freezes_what_lives_on_after_start_and_after_its_first_requests():
    settings = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    try:
        settings["post_worker_init"](None)
        frozen = gc.get_freeze_count()
        assert frozen > 0
        counts, kept = [], []
        for _ in range(10):
            kept += [[n] for n in range(100)]  # what requests leave behind for later ones
            settings["post_request"](None, None, None, None)
            counts.append(gc.get_freeze_count())
        assert counts[0] > frozen  # after the first request
        assert max(counts[1:9]) <= counts[0]  # not after each request
        assert counts[9] >= counts[0] + 900  # after the tenth, with what the nine before left
    finally:
        gc.unfreeze()
