"""Events and the timeline: filtered, keyset-paginated queries."""

from __future__ import annotations

from typing import Any

from flask import Response, request, url_for

from service import usecases
from service.api import api, caching, json_response, next_link, parse_query
from service.api.language import content_language, response_language
from service.api.openapi import answer, documented
from service.api.schemas import (
    EventMergedOut,
    EventOut,
    EventPageOut,
    EventQuery,
    LanguageQuery,
    TimelineOut,
    TimelineQuery,
    dump_event_batch,
)
from service.db import get_session
from service.response_cache import until_next_write
from service.store import EventFilters


def filters_from(query: dict[str, Any]) -> EventFilters:
    return EventFilters(
        actors=tuple(query["actor"]),
        types=tuple(query["type"]),
        date_from=query.get("from_"),
        date_to=query.get("to"),
        location=query.get("location"),
        status=query.get("status"),
        article_id=query.get("article_id"),
        min_confidence=query.get("min_confidence"),
        q=query.get("q"),
        granularities=tuple(query.get("granularity", ())),
    )


@api.get("/events")
@documented(
    "Query the timeline's events",
    tag="events",
    query=EventQuery,
    responses={
        200: answer(EventPageOut, "One keyset page of events; follow next_cursor or the Link header.")
    },
    paginated=True,
    conditional=True,
    localised=True,
)
@until_next_write
def list_events() -> Response:
    query = parse_query(EventQuery())
    language = response_language(query)
    version = usecases.events_version(get_session())
    etag, last_modified = caching.validators(*version, request.query_string, language)
    if (unchanged := caching.not_modified(etag, last_modified)) is not None:
        return content_language(unchanged, language)
    page = usecases.query_events(
        get_session(),
        filters_from(query),
        query["limit"],
        query.get("cursor"),
        query["sort"] == "-date",
        language,
    )
    body = {"items": dump_event_batch(page.batch, language), "next_cursor": page.next_cursor}
    response = json_response(body, headers=next_link(page.next_cursor))
    return content_language(caching.mark(response, etag, last_modified), language)


@api.get("/events/<int:event_id>")
@documented(
    "One event with every mention that supports it",
    tag="events",
    description="Event ids are permanent: never reused, kept through reprocessing and re-merging. When two "
    "events merge, the one with more of the merged mentions keeps its id and the other id answers 308 with "
    "the survivor's URL; when an event splits, its id stays with the larger part. An id whose event vanished "
    "(every article reporting it was deleted) answers 410.",
    responses={
        200: answer(EventOut, "The event."),
        308: answer(
            EventMergedOut,
            "The event merged into another one; follow Location (a permanent redirect).",
            headers={
                "Location": {
                    "description": "The URL of the event this id merged into.",
                    "schema": {"type": "string"},
                }
            },
        ),
    },
    query=LanguageQuery,
    problems=(410,),
    conditional=True,
    localised=True,
)
def get_event(event_id: int) -> Response:
    language = response_language(parse_query(LanguageQuery()))
    try:
        event = usecases.get_event(get_session(), event_id)
    except usecases.Moved as moved:
        return merged_into(moved)
    mention_ids = [m.id for m in event.mentions]
    etag, last_modified = caching.validators(event.updated_at, event.id, mention_ids, language)
    if (unchanged := caching.not_modified(etag, last_modified)) is not None:
        return content_language(unchanged, language)
    body = EventOut(language=language).dump(event)
    return content_language(caching.mark(json_response(body), etag, last_modified), language)


def merged_into(moved: usecases.Moved) -> Response:
    """308 Permanent Redirect to the event a merged-away id now answers with (a permalink keeps working)."""
    location = url_for("api.get_event", event_id=moved.event_id)
    if request.query_string:
        location += "?" + request.query_string.decode("latin-1")
    body = {"id": moved.old_id, "merged_into": moved.event_id, "location": location}
    return json_response(EventMergedOut().dump(body), 308, {"Location": location})


@api.get("/timeline")
@documented(
    "Events grouped into ordered day, month or year buckets (for widgets)",
    tag="events",
    query=TimelineQuery(exclude=("sort",)),
    responses={200: answer(TimelineOut, "Buckets in date order, each with its events in date order.")},
    paginated=True,
    conditional=True,
    localised=True,
)
@until_next_write
def timeline() -> Response:
    query = parse_query(TimelineQuery(exclude=("sort",)))
    language = response_language(query)
    version = usecases.events_version(get_session())
    etag, last_modified = caching.validators(*version, request.query_string, language)
    if (unchanged := caching.not_modified(etag, last_modified)) is not None:
        return content_language(unchanged, language)
    buckets, next_cursor = usecases.timeline(
        get_session(), filters_from(query), query["bucket"], query["limit"], query.get("cursor"), language
    )
    body = {
        "bucket": query["bucket"],
        "buckets": [{"key": key, "events": dump_event_batch(batch, language)} for key, batch in buckets],
        "next_cursor": next_cursor,
    }
    response = json_response(body, headers=next_link(next_cursor))
    return content_language(caching.mark(response, etag, last_modified), language)
