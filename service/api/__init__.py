"""HTTP layer: thin handlers that parse with a schema, call one use case and serialise."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import urlencode

from flask import Blueprint, Response, json, request
from marshmallow import Schema, ValidationError

from service.api.errors import ApiError, invalid
from service.api.schemas import CommaList

api = Blueprint("api", __name__, url_prefix="/api/v1")


def parse_body(schema: Schema) -> dict[str, Any]:
    """The JSON body validated by a schema (415 for other media types, 400 for malformed JSON)."""
    if not request.is_json:
        raise ApiError(415, "Unsupported media type", "Send the body as application/json.")
    body = _json(request.get_data(cache=True) or b"")
    if not isinstance(body, dict):
        raise invalid({"_schema": ["Must be an object."]}, "The body must be a JSON object.")
    _reject_unstorable(body)
    return schema.load(body)


# Media types of a body with one JSON object per line (JSON Lines, NDJSON).
JSONL_TYPES = ("application/jsonl", "application/x-ndjson", "application/x-jsonlines")


def parse_batch(schema: Schema, limit: int) -> list[dict[str, Any]]:
    """A JSON array or JSON Lines body of at most `limit` objects, each validated by `schema`.

    Every object is checked before any is used: a 422 names each bad one by its index (from 0)
    and its fields, so a client fixes the batch in one round.
    """
    if request.mimetype in JSONL_TYPES:
        items = _json_lines(request.get_data(cache=True))
    elif request.is_json:
        items = _json(request.get_data(cache=True) or b"")
        if not isinstance(items, list):
            raise invalid({"_schema": ["Must be an array."]}, "The body must be a JSON array.")
    else:
        raise ApiError(415, "Unsupported media type", f"Send a JSON array or JSON Lines ({JSONL_TYPES[0]}).")
    if not items:
        raise invalid({"_schema": ["Send at least one."]}, "The batch is empty.")
    if len(items) > limit:
        raise invalid(
            {"_schema": [f"Send at most {limit} per batch."]},
            f"The batch holds {len(items)} items; the limit is {limit}.",
        )
    errors: dict[str, Any] = {}
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            errors[str(index)] = {"_schema": ["Must be an object."]}
        elif unstorable := _unstorable_fields(item):
            errors[str(index)] = unstorable
    if errors:
        raise invalid(errors, "Items are invalid; see 'errors' by index.")
    try:
        return schema.load(items, many=True)
    except ValidationError as error:
        messages = error.messages if isinstance(error.messages, dict) else {}
        indexed = {str(index): item_errors for index, item_errors in messages.items()}
        raise invalid(indexed, "Items are invalid; see 'errors' by index.") from error


def _json(data: bytes) -> Any:
    """The JSON value of `data`; 400 (malformed-json) when it is not JSON or nested too deeply."""
    try:
        return json.loads(data)
    except RecursionError as error:  # the C parser recurses once per array or object level
        raise malformed("The body is nested too deeply.") from error
    except ValueError as error:
        raise malformed(f"The body is not valid JSON: {error}.") from error


def malformed(detail: str) -> ApiError:
    """The 400 for a body that is not JSON."""
    return ApiError(400, "Malformed JSON", detail, kind="malformed-json")


def _json_lines(data: bytes) -> list[Any]:
    """One JSON value per non-blank line; 400 naming the first line that is not JSON."""
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise malformed(f"The body is not UTF-8 (byte {error.start}).") from error
    items = []
    for number, line in enumerate(text.splitlines(), 1):
        if line.strip():
            try:
                items.append(_json(line.encode()))
            except ApiError as error:
                raise malformed(f"Line {number}: {error.detail}") from error
    return items


def parse_query(schema: Schema) -> dict[str, Any]:
    """Query parameters validated by a schema; only lists (CommaList fields) may be repeated."""
    repeatable = {
        field.data_key or name for name, field in schema.fields.items() if isinstance(field, CommaList)
    }
    args: dict[str, Any] = {}
    repeated: dict[str, list[str]] = {}
    for key, values in request.args.lists():
        if key in repeatable:
            args[key] = values
        elif len(values) > 1:
            repeated[key] = ["Give this parameter once."]
        else:
            args[key] = values[0]
    if repeated:
        raise invalid(repeated)
    _reject_unstorable(args)
    return schema.load(args)


# NUL cannot be stored or compared by PostgreSQL; a lone surrogate (JSON may carry "\ud800") cannot
# be encoded as UTF-8 for any database. Both are refused up front, naming the field.
_NUL = re.compile("\x00")
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")


def _reject_unstorable(data: dict[str, Any]) -> None:
    """422 naming every top-level field whose text (at any depth) a database cannot store."""
    if errors := _unstorable_fields(data):
        raise invalid(errors)


def _unstorable_fields(data: dict[str, Any]) -> dict[str, list[str]]:
    """The top-level fields whose text (at any depth) a database cannot store, with the reason."""
    errors: dict[str, list[str]] = {}
    for key, value in data.items():
        if _LONE_SURROGATE.search(key) or _NUL.search(key):
            errors.setdefault("_schema", []).append("Field names must be valid Unicode text without NUL.")
        elif problem := _unstorable(value):
            errors[key] = [problem]
    return errors


def _unstorable(value: Any) -> str | None:
    """Why a value cannot be stored, or None; walks nested lists and objects without recursion."""
    pending = [value]
    while pending:
        item = pending.pop()
        if isinstance(item, str):
            if _NUL.search(item):
                return "Must not contain NUL characters."
            if _LONE_SURROGATE.search(item):
                return "Must not contain lone surrogates such as \\ud800 (not valid Unicode text)."
        elif isinstance(item, dict):
            pending.extend(item.keys())
            pending.extend(item.values())
        elif isinstance(item, list):
            pending.extend(item)
    return None


def next_link(next_cursor: str | None) -> dict[str, str]:
    """A `Link` header (RFC 8288) to the next page: this request's URL with `cursor` replaced."""
    if next_cursor is None:
        return {}
    args = [(key, value) for key, value in request.args.items(multi=True) if key != "cursor"]
    url = f"{request.base_url}?{urlencode([*args, ('cursor', next_cursor)])}"
    return {"Link": f'<{url}>; rel="next"'}


def json_response(data: Any, status: int = 200, headers: dict[str, str] | None = None) -> Response:
    """JSON with Arabic and other scripts as text, not \\u escapes."""
    response = Response(json.dumps(data, ensure_ascii=False), status=status, mimetype="application/json")
    for key, value in (headers or {}).items():
        response.headers[key] = value
    return response


from service.api import actors, articles, dates, events, exports, jobs, stats  # noqa: E402,F401  (routes register on `api`)
