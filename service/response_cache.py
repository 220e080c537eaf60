"""Finished read responses kept per worker until the next write: a repeated query is one row read.

Dashboards and embedded widgets ask the same few URLs over and over; rendering a page of events
costs tens of milliseconds of Python, reading the write counter (store.timeline_version, bumped in
every write transaction by any process) a fraction of one. A response is kept under its URL, its
Accept-Language and the counter's value, so the first write anywhere makes every kept response
unreachable: nothing is served that a fresh rendering would not give. Least recently used entries
go first once RESPONSE_CACHE_MB is reached; 0 turns the cache off.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass
from functools import wraps
from typing import Any

from flask import Response, current_app, request

from service import store


@dataclass(frozen=True)
class Entry:
    body: bytes
    status: int
    headers: list[tuple[str, str]]


class ResponseCache:
    """A least-recently-used map of responses bounded by the bytes of their bodies (thread-safe)."""

    def __init__(self, max_bytes: int) -> None:
        self.max_bytes = max_bytes
        self._entries: OrderedDict[tuple, Entry] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, key: tuple) -> Entry | None:
        with self._lock:
            entry = self._entries.get(key)
            if entry is not None:
                self._entries.move_to_end(key)
            return entry

    def put(self, key: tuple, entry: Entry) -> None:
        if len(entry.body) > self.max_bytes // 4:  # one huge answer must not evict everything
            return
        with self._lock:
            old = self._entries.pop(key, None)
            self._bytes -= len(old.body) if old else 0
            self._entries[key] = entry
            self._bytes += len(entry.body)
            while self._bytes > self.max_bytes:
                _key, evicted = self._entries.popitem(last=False)
                self._bytes -= len(evicted.body)


def init_app(app: Any) -> None:
    megabytes = float(app.config["RESPONSE_CACHE_MB"])
    app.extensions["response_cache"] = ResponseCache(int(megabytes * 1024 * 1024)) if megabytes > 0 else None


def _write_count() -> tuple[int, object]:
    """The write counter, read outside a transaction: no BEGIN and ROLLBACK around one row."""
    engine = current_app.extensions["engine"]
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        return store.timeline_version(connection)


def until_next_write(view: Callable[..., Response]) -> Callable[..., Response]:
    """Serve the view's 200 answer again for the same URL and Accept-Language until the next write.

    Conditional requests (If-None-Match, If-Modified-Since) go to the view, which answers 304.
    """

    @wraps(view)
    def cached_view(*args: Any, **kwargs: Any) -> Response:
        cache: ResponseCache | None = current_app.extensions.get("response_cache")
        if cache is None or "If-None-Match" in request.headers or "If-Modified-Since" in request.headers:
            return view(*args, **kwargs)
        key = (request.url, request.headers.get("Accept-Language"), _write_count())
        entry = cache.get(key)
        if entry is not None:
            return current_app.response_class(entry.body, status=entry.status, headers=entry.headers)
        response = current_app.make_response(view(*args, **kwargs))
        if response.status_code == 200 and not response.is_streamed:
            cache.put(key, Entry(response.get_data(), 200, list(response.headers.items())))
        return response

    return cached_view
