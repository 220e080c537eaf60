"""HTTP layer: thin handlers that parse with a schema, call one use case and serialise."""

from __future__ import annotations

from typing import Any

from flask import Blueprint, Response, json, request
from marshmallow import Schema

from service.api.errors import ApiError
from service.api.schemas import REPEATABLE

api = Blueprint("api", __name__, url_prefix="/api/v1")


def parse_body(schema: Schema) -> dict[str, Any]:
    """The JSON body validated by a schema (415 for other media types, 400 for malformed JSON)."""
    if not request.is_json:
        raise ApiError(415, "Unsupported media type", "Send the body as application/json.")
    try:
        body = json.loads(request.get_data(cache=True) or b"")
    except ValueError as error:
        raise ApiError(400, "Malformed JSON", f"The body is not valid JSON: {error}.") from error
    _reject_nul(body)
    if not isinstance(body, dict):
        raise ApiError(
            422, "Validation failed", "The body must be a JSON object.", {"_schema": ["Must be an object."]}
        )
    return schema.load(body)


def parse_query(schema: Schema) -> dict[str, Any]:
    """Query parameters validated by a schema; only REPEATABLE ones may be given more than once."""
    args: dict[str, Any] = {}
    repeated: dict[str, list[str]] = {}
    for key, values in request.args.lists():
        if key in REPEATABLE:
            args[key] = values
        elif len(values) > 1:
            repeated[key] = ["Give this parameter once."]
        else:
            args[key] = values[0]
    if repeated:
        raise ApiError(422, "Validation failed", "One or more fields are invalid; see 'errors'.", repeated)
    _reject_nul(args)
    return schema.load(args)


def _reject_nul(data: Any) -> None:
    """NUL characters are refused up front: PostgreSQL cannot store or compare them."""
    if not isinstance(data, dict):
        return
    bad = {key: ["Must not contain NUL characters."] for key, value in data.items() if _has_nul(value)}
    if bad:
        raise ApiError(422, "Validation failed", "One or more fields are invalid; see 'errors'.", bad)


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(v) for v in value)
    return False


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """JSON with Arabic and other scripts as text, not \\u escapes."""
    response = Response(json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


from service.api import actors, articles, dates, events, exports, stats  # noqa: E402,F401  (routes register on `api`)
