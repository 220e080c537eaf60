"""Conditional requests (ETag / Last-Modified -> 304) and CORS headers, so widgets can poll cheaply."""

from __future__ import annotations

import hashlib
from datetime import datetime

from flask import Flask, Response, request
from werkzeug.http import is_resource_modified

# Headers a cross-origin widget may read and send.
EXPOSED = "ETag, Last-Modified, Link, Content-Disposition, X-Request-ID, Retry-After"
ALLOWED_HEADERS = "Content-Type, If-None-Match, If-Modified-Since, X-Request-ID"
# Embedding sites only read: a browser on another origin may not post or delete (CSRF), so
# cross-origin writes and their preflights get no CORS headers and the browser refuses them.
READ_METHODS = ("GET", "HEAD", "OPTIONS")


def validators(last_modified: datetime | None, *parts: object) -> tuple[str, datetime | None]:
    """A weak ETag over the parts (and the change time), and Last-Modified in whole seconds."""
    digest = hashlib.sha256(repr((last_modified.isoformat() if last_modified else None, parts)).encode())
    seconds = last_modified.replace(microsecond=0) if last_modified else None
    return digest.hexdigest()[:32], seconds


def not_modified(etag: str, last_modified: datetime | None) -> Response | None:
    """A 304 when the client's If-None-Match / If-Modified-Since says it already has this version."""
    if is_resource_modified(request.environ, etag=etag, last_modified=last_modified):
        return None
    response = Response(status=304)
    return mark(response, etag, last_modified)


def mark(response: Response, etag: str, last_modified: datetime | None) -> Response:
    response.set_etag(etag, weak=True)
    if last_modified is not None:
        response.last_modified = last_modified
    response.headers["Cache-Control"] = "no-cache"  # may be stored, must be revalidated
    return response


def register_cors(app: Flask) -> None:
    """Allow the origins in CORS_ORIGINS ("*" for any) to read the API from a browser, never to write."""

    @app.after_request
    def _cors(response: Response) -> Response:
        origin = request.headers.get("Origin")
        allowed = app.config.get("CORS_ORIGINS") or []
        response.vary.add("Origin")
        wanted = request.method
        if wanted == "OPTIONS":  # a preflight: judge the method it asks for
            wanted = request.headers.get("Access-Control-Request-Method", "OPTIONS").upper()
        if origin and ("*" in allowed or origin in allowed) and wanted in READ_METHODS:
            response.headers["Access-Control-Allow-Origin"] = origin
            response.headers["Access-Control-Expose-Headers"] = EXPOSED
            if request.method == "OPTIONS":
                response.headers["Access-Control-Allow-Methods"] = ", ".join(READ_METHODS)
                response.headers["Access-Control-Allow-Headers"] = ALLOWED_HEADERS
                response.headers["Access-Control-Max-Age"] = "600"
        return response
