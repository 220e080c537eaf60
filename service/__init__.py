"""The event-timeline service: create_app wires config -> database -> resources -> API."""

from __future__ import annotations

import io
from collections.abc import Mapping
from typing import Any
from urllib.parse import quote

from flask import Flask, current_app, request
from werkzeug.exceptions import (
    RequestEntityTooLarge,
    RequestHeaderFieldsTooLarge,
    RequestURITooLarge,
)

from service import config, db, logs


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app; `test_config` overrides settings read from the environment."""
    app = Flask(__name__)
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    logs.init_app(app)  # first, so every later hook and log line has the request id
    app.wsgi_app = _percent_encode_raw_query(app.wsgi_app)  # type: ignore[method-assign]
    app.wsgi_app = _buffer_unsized_body(app.wsgi_app, app)  # type: ignore[method-assign]
    app.before_request(_enforce_request_limits)

    db.init_app(app)
    if app.config["AUTO_MIGRATE"]:
        from service.migrate import upgrade_on_start

        upgrade_on_start(app)  # an unreachable database does not stop the start: see migrate.py

    from service import compiled

    # Fail fast on a broken lexicon or gazetteer; the cache remembers this data version passed, and
    # the gazetteer is read from it when first used (CLI commands that need none never read it).
    compiled.configure(app.config["RESOURCE_CACHE_DIR"]).validate()

    from service.api import api, errors
    from service.web import web

    app.register_blueprint(api)
    app.register_blueprint(web)
    errors.register(app)

    from service import metrics
    from service.api import caching

    metrics.init_app(app)
    caching.register_cors(app)

    from service import response_cache

    response_cache.init_app(app)

    from service import auth, ratelimit

    ratelimit.init_app(app)  # before the key check: guessing keys is rate limited too
    app.before_request(auth.authorize)
    auth.announce(app)

    from service import cli, jobs

    jobs.init_app(app)
    cli.register(app)
    return app


def _percent_encode_raw_query(wsgi_app: Any) -> Any:
    """Accept unencoded UTF-8 in query strings (`curl '...?actor=<Arabic name>'`), as browsers encode it.

    WSGI hands raw bytes over as latin-1 text (Werkzeug's development server even does so twice);
    undoing that and percent-encoding the bytes lets them be decoded as UTF-8 like any query.
    """

    def middleware(environ: dict[str, Any], start_response: Any) -> Any:
        query = environ.get("QUERY_STRING", "")
        if not query.isascii():
            environ["QUERY_STRING"] = quote(_raw_bytes(query), safe="=&+%;/:,?@!$'()*~")
        return wsgi_app(environ, start_response)

    return middleware


def _raw_bytes(query: str) -> bytes:
    data = query.encode("latin-1", "replace")
    for _ in range(2):
        try:
            data = data.decode("utf-8").encode("latin-1")
        except UnicodeError:
            break
    return data


_BODY_TOO_LARGE = "timeline.body_too_large"
# Paths whose bodies may exceed MAX_CONTENT_LENGTH, and the setting that limits them instead:
# a batch of articles is as large as its articles together.
LARGE_BODY_LIMITS = {"/api/v1/ingest-jobs": "INGEST_JOB_MAX_BYTES"}


def body_limit(settings: Mapping[str, Any], path: str) -> int | None:
    """The largest body, in bytes, a request to `path` may send."""
    return settings[LARGE_BODY_LIMITS.get(path, "MAX_CONTENT_LENGTH")]


def _buffer_unsized_body(wsgi_app: Any, app: Flask) -> Any:
    """Read a body sent without Content-Length (chunked) up to MAX_CONTENT_LENGTH, so it is sized.

    Werkzeug would otherwise cut such a body at the limit and the JSON parser would call it
    malformed (400); too large a body is marked here and refused as 413 before any handler runs.
    """

    def middleware(environ: dict[str, Any], start_response: Any) -> Any:
        if _has_unsized_body(environ):  # Content-Length, if any, is ignored with chunks (RFC 9112)
            limit = body_limit(app.config, environ.get("PATH_INFO", ""))
            stream = environ["wsgi.input"]
            body = stream.read() if limit is None else stream.read(limit + 1)
            if limit is not None and len(body) > limit:
                environ[_BODY_TOO_LARGE] = limit
                body = b""
            environ["wsgi.input"] = io.BytesIO(body)
            environ["CONTENT_LENGTH"] = str(len(body))
            del environ["HTTP_TRANSFER_ENCODING"]  # the body is now an ordinary sized one
        return wsgi_app(environ, start_response)

    return middleware


def _has_unsized_body(environ: dict[str, Any]) -> bool:
    """A body sent in chunks: its size is known only once it has been read."""
    return "chunked" in environ.get("HTTP_TRANSFER_ENCODING", "").lower()


def _enforce_request_limits() -> None:
    """The app's own limits on URL, headers and body, answered as problem+json (413, 414, 431).

    They are lower than gunicorn's (gunicorn.conf.py), so clients meet these, not gunicorn's HTML.
    """
    environ = request.environ
    if environ.get(_BODY_TOO_LARGE):
        raise RequestEntityTooLarge(f"The body is larger than {environ[_BODY_TOO_LARGE]} bytes.")
    request.max_content_length = body_limit(current_app.config, request.path)
    url_limit = current_app.config["MAX_URL_LENGTH"]
    if _url_length(environ) > url_limit:
        raise RequestURITooLarge(f"The URL (path and query) is longer than {url_limit} bytes.")
    fields = [
        (key.removeprefix("HTTP_").replace("_", "-").title(), str(value))
        for key, value in environ.items()
        if key.startswith("HTTP_") or key in ("CONTENT_TYPE", "CONTENT_LENGTH")
    ]
    field_limit = current_app.config["MAX_HEADER_FIELDS"]
    if len(fields) > field_limit:
        raise RequestHeaderFieldsTooLarge(f"The request has more than {field_limit} header fields.")
    size_limit = current_app.config["MAX_HEADER_FIELD_SIZE"]
    for name, value in fields:
        if len(name) + len(": ") + len(value) > size_limit:
            raise RequestHeaderFieldsTooLarge(f"The header field {name} is larger than {size_limit} bytes.")


def _url_length(environ: dict[str, Any]) -> int:
    """Bytes of the request target as the client sent it (percent-encoded, with the query)."""
    raw = environ.get("RAW_URI") or environ.get("REQUEST_URI")
    if raw:
        return len(raw)
    path = quote(_raw_bytes(environ.get("SCRIPT_NAME", "") + environ.get("PATH_INFO", "")), safe="/%")
    query = environ.get("QUERY_STRING", "")
    return len(path) + (len(query) + 1 if query else 0)
