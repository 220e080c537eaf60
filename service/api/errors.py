"""Every error leaves as application/problem+json (RFC 9457); this is the one place that maps them.

Each answer's `type` names its kind, `/problems/<kind>` (a reference relative to this service,
served as a page explaining the kind); PROBLEM_KINDS is the list, docs/USERS.md ("Errors") the
table of it.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

from flask import Flask, Response, json
from marshmallow import ValidationError
from sqlalchemy.exc import DBAPIError
from sqlalchemy.exc import TimeoutError as PoolTimeout
from werkzeug.exceptions import HTTPException

from service.db import driver_operational_errors, is_unavailable
from service.store import InvalidCursor
from service.usecases import Conflict, Gone, Invalid, NotFound, QueueUnavailable

log = logging.getLogger(__name__)

PROBLEM_JSON = "application/problem+json"
RETRY_AFTER_SECONDS = 5  # told to clients when the database is unavailable (503)
PROBLEM_BASE = "/problems/"  # problem types are URI references relative to the service


@dataclass(frozen=True)
class ProblemKind:
    """One kind of error: its `type` slug, status, title and what a client should do about it."""

    slug: str
    status: int
    title: str
    meaning: str

    @property
    def uri(self) -> str:
        return PROBLEM_BASE + self.slug


PROBLEM_KINDS: dict[str, ProblemKind] = {
    kind.slug: kind
    for kind in (
        ProblemKind(
            "bad-request",
            400,
            "Bad request",
            "The request could not be read at all (for example a query string that is not valid); "
            "`detail` says why.",
        ),
        ProblemKind(
            "malformed-json",
            400,
            "Malformed JSON",
            "The body is not valid JSON (or is nested too deeply); fix the body and send it again.",
        ),
        ProblemKind(
            "unauthorized",
            401,
            "Unauthorized",
            "No valid API key: none was sent, it is not `Bearer <key>`, or it is unknown or revoked. "
            "Send `Authorization: Bearer <key>`.",
        ),
        ProblemKind(
            "forbidden",
            403,
            "Forbidden",
            "The API key is valid but lacks the scope this request needs (a `read` key used to write).",
        ),
        ProblemKind("not-found", 404, "Not found", "No resource has this id or path."),
        ProblemKind(
            "method-not-allowed",
            405,
            "Method not allowed",
            "The path exists but not with this method; the `Allow` header lists the methods it takes.",
        ),
        ProblemKind(
            "not-acceptable",
            406,
            "Not acceptable",
            "The service cannot answer in any media type the `Accept` header allows.",
        ),
        ProblemKind(
            "conflict",
            409,
            "Conflict",
            "The request contradicts stored data (for example an actor id that is already taken).",
        ),
        ProblemKind(
            "gone",
            410,
            "Gone",
            "The event existed but every article reporting it was deleted; its id is never reused.",
        ),
        ProblemKind(
            "body-too-large",
            413,
            "Request entity too large",
            "The body is larger than `MAX_CONTENT_LENGTH` bytes (`INGEST_JOB_MAX_BYTES` for an ingest "
            "job), also when sent in chunks.",
        ),
        ProblemKind(
            "uri-too-long",
            414,
            "Request URI too large",
            "The path and query are longer than `MAX_URL_LENGTH` bytes; send fewer or shorter filters.",
        ),
        ProblemKind(
            "unsupported-media-type",
            415,
            "Unsupported media type",
            "The body is not `application/json` (or, for an ingest job, JSON Lines); send it with "
            "`Content-Type: application/json`.",
        ),
        ProblemKind(
            "validation-failed",
            422,
            "Validation failed",
            "One or more fields or parameters are invalid: `errors` maps each one's name to its "
            "messages, and a message about a list names the value that is wrong. A `cursor` used with "
            "other filters than the query that issued it is refused here too.",
        ),
        ProblemKind(
            "rate-limited",
            429,
            "Too many requests",
            "A rate limit (per client address or per key) was reached; retry after `Retry-After` seconds.",
        ),
        ProblemKind(
            "header-fields-too-large",
            431,
            "Request header fields too large",
            "A header field is larger than `MAX_HEADER_FIELD_SIZE` bytes, or there are more than "
            "`MAX_HEADER_FIELDS` of them.",
        ),
        ProblemKind(
            "internal-error",
            500,
            "Internal server error",
            "A fault of the service; it was logged with the request id and nothing was stored.",
        ),
        ProblemKind(
            "service-unavailable",
            503,
            "Service unavailable",
            "The database or the task queue is unavailable or busy; retry after `Retry-After` seconds "
            "(posting the same article again is safe; a refused ingest job was not created).",
        ),
    )
}
# The kind of an error when only its status is known: the first kind listed with that status.
_KIND_BY_STATUS = {kind.status: kind for kind in reversed(PROBLEM_KINDS.values())}


class ApiError(Exception):
    """An error a handler raises on purpose, with the status and text the client should see."""

    def __init__(
        self,
        status: int,
        title: str,
        detail: str | None = None,
        errors: dict | None = None,
        kind: str | None = None,
    ) -> None:
        super().__init__(title)
        self.status, self.title, self.detail, self.errors, self.kind = status, title, detail, errors, kind


def problem_type(status: int, kind: str | None = None) -> str:
    """The `type` URI of a problem: its kind's, by default the status's usual kind."""
    known = PROBLEM_KINDS[kind] if kind else _KIND_BY_STATUS.get(status)
    return known.uri if known else "about:blank"


def problem(
    status: int, title: str, detail: str | None = None, errors: dict | None = None, kind: str | None = None
) -> Response:
    """The problem+json answer; `kind` (a PROBLEM_KINDS slug) defaults to the status's usual kind."""
    body: dict[str, Any] = {"type": problem_type(status, kind), "title": title, "status": status}
    if detail:
        body["detail"] = detail
    if errors:
        body["errors"] = errors
    return Response(json.dumps(body, ensure_ascii=False), status=status, mimetype=PROBLEM_JSON)


def invalid(errors: dict, detail: str = "One or more fields are invalid; see 'errors'.") -> ApiError:
    """The 422 naming each invalid field with its messages."""
    return ApiError(422, "Validation failed", detail, errors, "validation-failed")


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
        return problem(error.status, error.title, error.detail, error.errors, error.kind)

    @app.errorhandler(ValidationError)
    def _validation(error: ValidationError) -> Response:
        messages = error.messages if isinstance(error.messages, dict) else {"_schema": error.messages}
        return _api_error(invalid(messages))

    @app.errorhandler(InvalidCursor)
    def _cursor(error: InvalidCursor) -> Response:
        return _api_error(invalid({"cursor": [str(error)]}))

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
        return _api_error(invalid({error.field: [str(error)]}))

    @app.errorhandler(HTTPException)
    def _http(error: HTTPException) -> Response:
        response = problem(error.code or 500, error.name, error.description)
        if error.code == 405 and error.valid_methods:  # type: ignore[attr-defined]
            response.headers["Allow"] = ", ".join(error.valid_methods)  # type: ignore[attr-defined]
        return response

    @app.errorhandler(DBAPIError)
    @app.errorhandler(PoolTimeout)
    def _database(error: Exception) -> Response:
        if not is_unavailable(error):
            return _unexpected(error)
        log.warning("database unavailable: %s", describe(error))
        return unavailable()

    for driver_error in driver_operational_errors():  # db.init_app's engine loaded the driver
        app.register_error_handler(driver_error, _database)

    @app.errorhandler(Exception)
    def _unexpected(error: Exception) -> Response:
        log.exception("unhandled error")
        return problem(
            500, "Internal server error", "The error was logged; nothing was stored by this request."
        )
