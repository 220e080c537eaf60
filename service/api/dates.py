"""Temporal expressions for people and programs: resolve dates in any text."""

from __future__ import annotations

from flask import Response

from service import usecases
from service.api import api, json_response, parse_body
from service.api.examples import EXAMPLES
from service.api.openapi import answer, documented
from service.api.schemas import DatesIn, ExpressionsOut


@api.post("/dates/resolve")
@documented(
    "Find the temporal expressions in a text and resolve them against a publication date",
    tag="dates",
    body=DatesIn,
    body_example=EXAMPLES["dates_in"],
    responses={
        200: answer(
            ExpressionsOut,
            "The expressions, spans being character offsets into the text as sent.",
            example=EXAMPLES["dates_out"],
        )
    },
)
def resolve_dates() -> Response:
    data = parse_body(DatesIn())
    expressions = usecases.resolve_dates(data["text"], data["published_at"]["date"], data.get("language"))
    return json_response(ExpressionsOut().dump({"expressions": expressions}))
