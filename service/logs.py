"""Structured logs: one JSON object per line, each with the id of the request it belongs to.

The request id comes from the client's X-Request-ID (when it is a short token) or is generated,
and is echoed in the response, so a client's report can be matched with the server's lines. Lines
carry paths but never query strings, bodies or headers: those hold article texts and API keys.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time
import uuid
from datetime import UTC, datetime
from typing import Any

from flask import Flask, Response, g, has_request_context, request

REQUEST_ID_HEADER = "X-Request-ID"
_ACCEPTED_ID = re.compile(r"[A-Za-z0-9._:-]{1,128}")
_MARKER = "_timeline_handler"
access_log = logging.getLogger("service.access")


def current_request_id() -> str | None:
    if has_request_context():
        return g.get("request_id")
    return None


class RequestIdFilter(logging.Filter):
    """Stamp every record with the current request's id (None outside a request)."""

    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = current_request_id()
        return True


class DropServerAccessLines(logging.Filter):
    """Drop Werkzeug's own request lines: they hold the query string, and ours replace them."""

    def filter(self, record: logging.LogRecord) -> bool:
        return not (record.name == "werkzeug" and record.msg == '"%s" %s %s')


class JsonFormatter(logging.Formatter):
    """A log record as one line of JSON: time, level, logger, message, request id, extra fields."""

    FIELDS = ("method", "path", "status", "duration_ms", "api_key")

    def format(self, record: logging.LogRecord) -> str:
        line: dict[str, Any] = {
            "time": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "message": record.getMessage(),
            "request_id": getattr(record, "request_id", None),
        }
        for field in self.FIELDS:
            if hasattr(record, field):
                line[field] = getattr(record, field)
        if record.exc_info:
            line["exception"] = self.formatException(record.exc_info)
        return json.dumps(line, ensure_ascii=False, default=str)


class _StderrHandler(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is at the time (test runners swap it)."""

    @property  # type: ignore[override]
    def stream(self) -> Any:
        return sys.stderr

    @stream.setter
    def stream(self, _value: Any) -> None:
        pass


def json_handler() -> logging.Handler:
    """The stderr handler writing JSON lines (gunicorn.conf.py installs it for gunicorn's own lines)."""
    handler = _StderrHandler()
    setattr(handler, _MARKER, True)
    handler.addFilter(RequestIdFilter())
    handler.addFilter(DropServerAccessLines())
    handler.setFormatter(JsonFormatter())
    return handler


def configure(log_format: str = "json", level: str = "INFO") -> logging.Handler:
    """Send the root logger's records to stderr as JSON (or text); idempotent."""
    root = logging.getLogger()
    handler = next((h for h in root.handlers if getattr(h, _MARKER, False)), None)
    if handler is None:
        handler = json_handler()
        root.addHandler(handler)
    if log_format == "json":
        handler.setFormatter(JsonFormatter())
    else:
        handler.setFormatter(
            logging.Formatter("%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s")
        )
    root.setLevel(level.upper())
    logging.getLogger("alembic.runtime.plugins").setLevel(logging.WARNING)  # one line per plugin, each start
    return handler


def init_app(app: Flask) -> None:
    """Give every request an id (X-Request-ID in and out) and one access line when it ends."""
    configure(app.config["LOG_FORMAT"], app.config["LOG_LEVEL"])

    @app.before_request
    def _request_id() -> None:
        given = request.headers.get(REQUEST_ID_HEADER, "")
        g.request_id = given if _ACCEPTED_ID.fullmatch(given) else uuid.uuid4().hex
        g.request_clock = time.perf_counter()

    @app.after_request
    def _echo_and_log(response: Response) -> Response:
        request_id = g.get("request_id")
        if request_id:
            response.headers[REQUEST_ID_HEADER] = request_id
        started = g.get("request_clock")
        access_log.info(
            "request",
            extra={
                "method": request.method,
                "path": request.path,  # without the query string: it may hold texts
                "status": response.status_code,
                "duration_ms": round((time.perf_counter() - started) * 1000, 1) if started else None,
                "api_key": g.get("api_key_name"),
            },
        )
        return response
