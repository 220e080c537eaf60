"""Temporal expressions for people and programs: resolve dates in any text."""

from __future__ import annotations

from flask import Response

from service import usecases
from service.api import api, json_response, parse_body
from service.api.schemas import DatesIn, ExpressionOut


@api.post("/dates/resolve")
def resolve_dates() -> Response:
    data = parse_body(DatesIn())
    expressions = usecases.resolve_dates(data["text"], data["published_at"]["date"], data.get("language"))
    return json_response({"expressions": ExpressionOut(many=True).dump(expressions)})
