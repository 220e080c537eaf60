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
from service.api.schemas import EventQuery, dump_event_batch
from service.db import is_unavailable

log = logging.getLogger(__name__)

# Written last when the database fails mid-stream, before the connection is dropped: it makes a JSON
# body invalid, and is a one-cell row a CSV reader sees (docs/USERS.md, "Exports").
INCOMPLETE_MARKER = "\n#EXPORT INCOMPLETE: the database failed during the export; discard this file.\n"


class ExportInterrupted(RuntimeError):
    """Raised into the server mid-stream so it closes the connection without ending the body."""


class ExportQuery(EventQuery):
    format = fields.Str(required=True, validate=validate.OneOf(list(exports.FORMATS)))


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


@api.get("/events/export")
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
                event
                for batch in itertools.chain(first, batches)
                for event in dump_event_batch(batch, language)
            )
            yield from _coalesced(exports.render(export.name, dumped, stamp, base_url), batch_size)
        except Exception as error:
            if not is_unavailable(error):
                raise
            log.warning("export interrupted: %s", describe(error))
            yield INCOMPLETE_MARKER
            raise ExportInterrupted("the database failed during the export") from error
        finally:
            session.close()

    response = Response(stream_with_context(generate()), content_type=export.media_type)
    response.headers["Content-Disposition"] = f'attachment; filename="events.{export.extension}"'
    response.call_on_close(session.close)  # also when the body is never read
    return content_language(response, language)
