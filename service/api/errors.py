"""Every error leaves as application/problem+json (RFC 9457); this is the one place that maps them."""

from __future__ import annotations

import logging
from typing import Any

import psycopg
from flask import Flask, Response, json
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from service.db import is_unavailable
from service.store import InvalidCursor
from service.usecases import Conflict, Gone, Invalid, NotFound, QueueUnavailable

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_SECONDS = 5  # told to clients when the database is unavailable (503)


class ApiError(Exception):
    """An error a handler raises on purpose, with the status and text the client should see."""

    def __init__(
        self, status: int, title: str, detail: str | None = None, errors: dict | None = None
    ) -> None:
        super().__init__(title)
        self.status, self.title, self.detail, self.errors = status, title, detail, errors


def problem(status: int, title: str, detail: str | None = None, errors: dict | None = None) -> Response:
    body: dict[str, Any] = {"type": "about:blank", "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)


def unavailable() -> Response:
    """503 with Retry-After: the database is down, gone or busy; the same request may be retried."""
    response = problem(
        503,
        "Service unavailable",
        "The database is unavailable or busy; retry later (posting the same article again is safe).",
    )
    response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
    return response


def describe(error: BaseException) -> str:
    """One line naming a database error, without the statement and its parameters (article texts)."""
    cause = getattr(error, "orig", None) or error
    first_line = (str(cause).strip().splitlines() or [""])[0]
    return f"{type(cause).__name__}: {first_line}"


def register(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(error: ApiError) -> Response:
        return problem(error.status, error.title, error.detail, error.errors)

    @app.errorhandler(ValidationError)
    def _validation(error: ValidationError) -> Response:
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        return problem(422, "Validation failed", "One or more fields are invalid; see 'errors'.", messages)

    @app.errorhandler(InvalidCursor)
    def _cursor(error: InvalidCursor) -> Response:
        return problem(
            422,
            "Validation failed",
            "One or more fields are invalid; see 'errors'.",
            {"cursor": [str(error)]},
        )

    @app.errorhandler(NotFound)
    def _not_found(error: NotFound) -> Response:
        return problem(404, "Not found", f"No {error.args[0]}.")

    @app.errorhandler(Gone)
    def _gone(error: Gone) -> Response:
        return problem(410, "Gone", str(error))

    @app.errorhandler(Conflict)
    def _conflict(error: Conflict) -> Response:
        return problem(409, "Conflict", str(error))

    @app.errorhandler(QueueUnavailable)
    def _queue(error: QueueUnavailable) -> Response:
        response = problem(
            503, "Service unavailable", "The task queue is unavailable; nothing was accepted, send it again."
        )
        response.headers["Retry-After"] = str(RETRY_AFTER_SECONDS)
        return response

    @app.errorhandler(Invalid)
    def _invalid(error: Invalid) -> Response:
        return problem(
            422,
            "Validation failed",
            "One or more fields are invalid; see 'errors'.",
            {error.field: [str(error)]},
        )

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        response = problem(error.code or 500, error.name, error.description)
        if error.code == 405 and error.valid_methods:  # type: ignore[attr-defined]
            response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        return response

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    @app.errorhandler(psycopg.OperationalError)
    def _database(error: Exception) -> Response:
        if not is_unavailable(error):
            return _unexpected(error)
        log.warning("database unavailable: %s", describe(error))
        return unavailable()

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.exception("unhandled error")
        return problem(
            500, "Internal server error", "The error was logged; nothing was stored by this request."
        )
