"""Exports of any filtered event query (TimelineJS, iCalendar, CSV, GeoJSON), streamed in batches."""

from __future__ import annotations

import itertools
import logging
from collections.abc import Iterator
from datetime import UTC, datetime

from flask import Response, current_app, request, stream_with_context
from marshmallow import fields, validate

from service import exports, usecases
from service.api import api, parse_query
from service.api.errors import describe
from service.api.events import filters_from
from service.api.language import content_language, response_language
from service.api.openapi import answer, documented
from service.api.schemas import EventQuery, dump_events
from service.db import is_unavailable

log = logging.getLogger(__name__)

# Written last when the database fails mid-stream, before the connection is dropped: it makes a JSON
# body invalid, and is a one-cell row a CSV reader sees (docs/USERS.md, "Exports").
INCOMPLETE_MARKER = "\n#EXPORT INCOMPLETE: the database failed during the export; discard this file.\n"


class ExportInterrupted(RuntimeError):
    """Raised into the server mid-stream so it closes the connection without ending the body."""


class ExportQuery(EventQuery):
    format = fields.Str(
        required=True, validate=validate.OneOf(list(exports.FORMATS)), metadata={"example": "ics"}
    )


EXPORT_EXCLUDE = ("limit", "cursor", "sort")
# Bytes gathered before one write to the client: a write per event would be a million system calls.
CHUNK_SIZE = 64 * 1024


def _coalesced(chunks: Iterator[str], most: int) -> Iterator[str]:
    """The same text in pieces of about CHUNK_SIZE characters, or of `most` chunks when sooner.

    `most` is the batch size: what a batch holds reaches the client before the next batch is read.
    The first chunk (the format's header) goes at once, so the download starts without waiting.
    """
    yield next(chunks, "")
    pending: list[str] = []
    size = 0
    for chunk in chunks:
        pending.append(chunk)
        size += len(chunk)
        if size >= CHUNK_SIZE or len(pending) >= most:
            yield "".join(pending)
            pending, size = [], 0
    if pending:
        yield "".join(pending)


# The exports' shapes follow outside standards rather than a marshmallow schema: written out here.
_TIMELINEJS_DATE = {
    "type": "object",
    "description": "Only the parts the granularity knows (a month-level date has no day).",
    "required": ["year"],
    "properties": {"year": {"type": "integer"}, "month": {"type": "integer"}, "day": {"type": "integer"}},
}
TIMELINEJS = {
    "type": "object",
    "description": "A TimelineJS 3 document (https://timeline.knightlab.com/docs/json-format.html).",
    "required": ["title", "events"],
    "properties": {
        "title": {"type": "object"},
        "events": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["unique_id", "start_date", "text", "group"],
                "properties": {
                    "unique_id": {"type": "string"},
                    "start_date": _TIMELINEJS_DATE,
                    "end_date": _TIMELINEJS_DATE,
                    "text": {
                        "type": "object",
                        "properties": {
                            "headline": {"type": "string"},
                            "text": {
                                "type": "string",
                                "description": "HTML with actors, place and the quoted mentions.",
                            },
                        },
                    },
                    "group": {"type": "string", "description": "The event type."},
                },
            },
        },
    },
}
_TEXT = {"type": "string"}
_GEOJSON_PROPERTIES = {
    "type": "object",
    "description": "Flat (no objects or arrays) so GIS tools read each as a column; several "
    'values are joined with "; ".',
    "additionalProperties": False,
    "required": [
        *(
            "id",
            "title",
            "type",
            "date_start",
            "date_end",
            "granularity",
            "status",
            "actors",
        ),
        *(
            "actor_ids",
            "location",
            "location_id",
            "confidence",
            "mention_count",
            "sources",
        ),
        *("first_reported", "url"),
    ],
    "properties": {
        "id": {"type": "integer"},
        "title": _TEXT,
        "type": _TEXT,
        "date_start": {"type": "string", "format": "date"},
        "date_end": {
            "type": "string",
            "format": "date",
            "description": "The last day (inclusive).",
        },
        "granularity": _TEXT,
        "status": _TEXT,
        "actors": {"type": "string", "description": 'Actor names joined with "; ".'},
        "actor_ids": {"type": "string", "description": 'Actor ids joined with "; ".'},
        "location": _TEXT,
        "location_id": _TEXT,
        "confidence": {"type": "number"},
        "mention_count": {"type": "integer"},
        "sources": {
            "type": "string",
            "description": 'Distinct sources of the reporting articles, joined with "; ".',
        },
        "first_reported": {
            "type": ["string", "null"],
            "format": "date",
            "description": "Local publication date of the earliest reporting article.",
        },
        "url": {
            "type": ["string", "null"],
            "description": "The event's permalink, https://HOST/api/v1/events/{id}.",
        },
    },
}
GEOJSON = {
    "type": "object",
    "required": ["type", "features"],
    "properties": {
        "type": {"const": "FeatureCollection"},
        "features": {
            "type": "array",
            "items": {
                "type": "object",
                "required": ["type", "id", "geometry", "properties"],
                "properties": {
                    "type": {"const": "Feature"},
                    "id": {"type": "integer"},
                    "geometry": {
                        "type": "object",
                        "properties": {
                            "type": {"const": "Point"},
                            "coordinates": {
                                "type": "array",
                                "description": "[lon, lat]",
                                "items": {"type": "number"},
                            },
                        },
                    },
                    "properties": _GEOJSON_PROPERTIES,
                },
            },
        },
    },
}
_EXPORT_DESCRIPTION = """\
Takes the same filters as `GET /api/v1/events` (no paging: the whole result is streamed in date
order, read from the database in keyset batches of 2,000). `timelinejs`: a TimelineJS document whose
month-level dates carry only year and month, year-level dates only the year, and ranges an
end_date. `ics`: all-day VEVENTs (DTEND exclusive, the day after the last day), CRLF lines folded
at 75 octets, UID `event-<id>@event-timeline`, STATUS TENTATIVE for planned events (CONFIRMED
otherwise), URL the event's permalink `<scheme>://<host>/api/v1/events/<id>` from the request's
host; the DESCRIPTION's labels (type, granularity, "Actors") are in the response language.
`csv`: UTF-8 with a byte-order mark and a header row; columns id, type, title, date_start,
date_end, granularity, status, actors, location, lat, lon, confidence, article_ids, actor_ids,
sources, urls, mention_count, first_reported. `geojson`: a FeatureCollection of the located
events, coordinates [lon, lat], flat properties. Titles and actor and place names follow the
response language (`lang`, Accept-Language) in every format; CSV headers, GeoJSON property names,
type and granularity values stay the same ids in every language, so a script reads an Arabic
export by the same column names as an English one."""
_CSV_EXAMPLE = (
    "\ufeffid,type,title,date_start,date_end,granularity,status,actors,location,lat,lon,confidence,"
    "article_ids,actor_ids,sources,urls,mention_count,first_reported\r\n12,visit,Hakan Fidan visits Cairo,"
    "2024-05-01,2024-05-31,month,past,Hakan Fidan; Egypt,Cairo,30.0444,31.2357,0.9,3,hakan-fidan; egypt,"
    "Anadolu,https://www.aa.com.tr/en/fidan-cairo,1,2024-06-02\r\n"
)
_ICS_EXAMPLE = (
    "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//event-timeline//EN\r\nCALSCALE:GREGORIAN\r\n"
    "BEGIN:VEVENT\r\nUID:event-12@event-timeline\r\nDTSTAMP:20240601T120000Z\r\n"
    "DTSTART;VALUE=DATE:20240501\r\nDTEND;VALUE=DATE:20240601\r\nSUMMARY:Hakan Fidan visits Cairo\r\n"
    "STATUS:CONFIRMED\r\nURL:http://127.0.0.1:5000/api/v1/events/12\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
)
_EXPORTED = answer(
    TIMELINEJS,
    "The export, as an attachment named events.<json|ics|csv|geojson>.",
    headers={
        "Content-Disposition": {"schema": {"type": "string"}, "example": 'attachment; filename="events.ics"'}
    },
    example={
        "title": {"text": {"headline": "Events"}},
        "events": [
            {
                "unique_id": "event-12",
                "start_date": {"year": 2024, "month": 5},
                "text": {
                    "headline": "Hakan Fidan visits Cairo",
                    "text": "<p class='actors'>Hakan Fidan, Egypt</p>",
                },
                "group": "visit",
            }
        ],
    },
)
_EXPORTED["content"] |= {
    "text/calendar": {"schema": {"type": "string"}, "example": _ICS_EXAMPLE},
    "text/csv": {"schema": {"type": "string"}, "example": _CSV_EXAMPLE},
    "application/geo+json": {"schema": GEOJSON},
}


@api.get("/events/export")
@documented(
    "Every event matching the filters as TimelineJS JSON, iCalendar, CSV or GeoJSON (streamed)",
    tag="exports",
    description=_EXPORT_DESCRIPTION,
    query=ExportQuery(exclude=EXPORT_EXCLUDE),
    responses={200: _EXPORTED},
    localised=True,
)
def export_events() -> Response:
    query = parse_query(ExportQuery(exclude=EXPORT_EXCLUDE))
    export = exports.FORMATS[query["format"]]
    filters = filters_from(query)
    language = response_language(query)
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    stamp = datetime.now(UTC)
    base_url = request.url_root  # permalinks are absolute from the host (and mount) the client asked

    # The request's session is closed at teardown, before the body is streamed: use our own. The
    # first batch is read now, so a database that is down answers 503 before any header is sent.
    session = app.extensions["sessionmaker"]()
    try:
        batch_size = app.config["EXPORT_BATCH_SIZE"]
        batches = usecases.export_batches(session, filters, language, batch_size)
        first = list(itertools.islice(batches, 1))
    except BaseException:
        session.close()
        raise

    def generate() -> Iterator[str]:
        try:
            dumped = (
                event for batch in itertools.chain(first, batches) for event in dump_events(batch, language)
            )
            yield from _coalesced(exports.render(export.name, dumped, stamp, base_url, language), batch_size)
        except Exception as error:
            if not is_unavailable(error):
                raise
            log.warning("export interrupted: %s", describe(error))
            yield INCOMPLETE_MARKER
            raise ExportInterrupted("the database failed during the export") from error
        finally:
            batches.close()  # waits for a batch being read: the session is not shared between threads
            session.close()

    response = Response(stream_with_context(generate()), content_type=export.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="events.{export.extension}"'
    response.call_on_close(session.close)  # also when the body is never read
    return content_language(response, language)
