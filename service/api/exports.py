"""Exports of any filtered event query (TimelineJS, iCalendar, CSV, GeoJSON), streamed in batches."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime

from flask import Response, current_app, stream_with_context
from marshmallow import fields, validate

from service import exports, usecases
from service.api import api, parse_query
from service.api.events import filters_from
from service.api.schemas import EventOut, EventQuery
from service.db import session_scope


class ExportQuery(EventQuery):
    format = fields.Str(required=True, validate=validate.OneOf(list(exports.FORMATS)))


EXPORT_EXCLUDE = ("limit", "cursor", "sort")


@api.get("/events/export")
def export_events() -> Response:
    query = parse_query(ExportQuery(exclude=EXPORT_EXCLUDE))
    export = exports.FORMATS[query["format"]]
    filters = filters_from(query)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stamp = datetime.now(UTC)

    def generate() -> Iterator[str]:
        # The request's session is closed at teardown, before the body is streamed: use our own.
        with session_scope(app) as session:
            dumped = (EventOut().dump(event) for event in usecases.iter_events(session, filters))
            yield from exports.render(export.name, dumped, stamp)

    response = Response(stream_with_context(generate()), content_type=export.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="events.{export.extension}"'
    return response
