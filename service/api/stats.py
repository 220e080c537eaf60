"""Dashboard aggregates: event counts per interval and the most active actors."""

from __future__ import annotations

from dataclasses import asdict

from flask import Response
from marshmallow import fields, validate

from service import stats, usecases
from service.api import api, json_response, parse_query
from service.api.errors import invalid
from service.api.events import filters_from
from service.api.language import content_language, response_language
from service.api.openapi import answer, documented
from service.api.schemas import (
    ActorStatsOut,
    EventQuery,
    EventStatsOut,
    StatsRowOut,
    dump_buckets,
    dump_series,
)
from service.db import get_session
from service.response_cache import until_next_write

# `lang` (or Accept-Language) names the actors and locations of splits and rankings.
STATS_EXCLUDE = ("limit", "cursor", "sort")
ACTOR_STATS_EXCLUDE = ("cursor", "sort")


class EventStatsQuery(EventQuery):
    interval = fields.Str(load_default="month", validate=validate.OneOf(stats.INTERVALS))
    split = fields.Str(validate=validate.OneOf(stats.SPLITS))
    format = fields.Str(load_default="buckets", validate=validate.OneOf(["buckets", "rows"]))


class ActorStatsQuery(EventQuery):
    limit = fields.Int(
        load_default=10, validate=validate.Range(min=1, max=100), metadata={"description": "Actors listed."}
    )


_EVENT_STATS_DESCRIPTION = """\
Events are counted in the bucket of their start date; one that started before `from` but reaches
into the range counts in the first bucket. The buckets cover [`from`, `to`] with zeros where
nothing happened; a bound that is not given is the first or last event's bucket (no bounds and no
events: no buckets). At most 3660 buckets (422 naming `interval` beyond). Split by actor or
source, an event counts once in `count` and once under each of its actors or sources in `by`; an
event without a location (or source) counts only in `count`. A source is the article's `source`,
else its URL's host. Actors and locations are named in the response language (`lang`,
Accept-Language); types and sources are ids. Same filters as `GET /api/v1/events`.

`format=rows` answers a JSON array of long-format rows `{time, series, series_id, value}`, oldest
first, every series in every bucket (zeros included): the shape a Grafana Infinity JSON query with
Format "Time series" reads as one series per `series` (docs/USERS.md)."""
_EVENT_STATS_EXAMPLES = {
    "buckets": {
        "value": {
            "interval": "year",
            "split": "actor",
            "start": "2023-01-01",
            "end": "2024-12-31",
            "total": 3,
            "buckets": [
                {
                    "key": "2023",
                    "start": "2023-01-01",
                    "end": "2023-12-31",
                    "count": 1,
                    "by": {"vladimir-putin": 1},
                },
                {
                    "key": "2024",
                    "start": "2024-01-01",
                    "end": "2024-12-31",
                    "count": 2,
                    "by": {"hakan-fidan": 2, "vladimir-putin": 1},
                },
            ],
            "series": [
                {"id": "hakan-fidan", "name": "Hakan Fidan", "count": 2},
                {"id": "vladimir-putin", "name": "Vladimir Putin", "count": 2},
            ],
        }
    },
    "rows": {
        "value": [
            {"time": "2023-01-01T00:00:00Z", "series": "Hakan Fidan", "series_id": "hakan-fidan", "value": 0},
            {
                "time": "2023-01-01T00:00:00Z",
                "series": "Vladimir Putin",
                "series_id": "vladimir-putin",
                "value": 1,
            },
            {"time": "2024-01-01T00:00:00Z", "series": "Hakan Fidan", "series_id": "hakan-fidan", "value": 2},
            {
                "time": "2024-01-01T00:00:00Z",
                "series": "Vladimir Putin",
                "series_id": "vladimir-putin",
                "value": 1,
            },
        ]
    },
}


@api.get("/stats/events")
@documented(
    "Event counts per day, ISO week, month or year, optionally split by type, actor, location or source",
    tag="stats",
    description=_EVENT_STATS_DESCRIPTION,
    query=EventStatsQuery(exclude=STATS_EXCLUDE),
    responses={
        200: answer(
            {"oneOf": [EventStatsOut, {"type": "array", "items": StatsRowOut}]},
            "Buckets oldest first (format=buckets), or long-format rows (format=rows).",
            examples=_EVENT_STATS_EXAMPLES,
        )
    },
    localised=True,
)
@until_next_write
def event_stats() -> Response:
    query = parse_query(EventStatsQuery(exclude=STATS_EXCLUDE))
    language = response_language(query)
    try:
        counts = usecases.event_stats(
            get_session(), filters_from(query), query["interval"], query.get("split"), language
        )
    except stats.TooManyBuckets as error:
        raise invalid({"interval": [str(error)]}, str(error)) from error
    if query["format"] == "rows":
        return content_language(json_response(StatsRowOut(many=True).dump(stats.flat_rows(counts))), language)
    body = {
        "interval": query["interval"],
        "split": query.get("split"),
        "start": counts.buckets[0].start.isoformat() if counts.buckets else None,
        "end": counts.buckets[-1].end.isoformat() if counts.buckets else None,
        "total": sum(bucket.count for bucket in counts.buckets),
        "buckets": dump_buckets(counts.buckets),
    }
    if counts.series is not None:
        body["series"] = dump_series(counts.series)
    return content_language(json_response(body), language)


@api.get("/stats/actors")
@documented(
    "The most active actors and the pairs that most often share an event, in a period",
    tag="stats",
    query=ActorStatsQuery(exclude=ACTOR_STATS_EXCLUDE),
    responses={
        200: answer(
            ActorStatsOut,
            "Actors by number of events (then id); pairs by number of shared events.",
            example={
                "actors": [
                    {"id": "hakan-fidan", "name": "Hakan Fidan", "kind": "person", "count": 3},
                    {"id": "egypt", "name": "Egypt", "kind": "country", "count": 2},
                ],
                "pairs": [
                    {
                        "actors": [
                            {"id": "egypt", "name": "Egypt", "kind": "country", "count": 2},
                            {"id": "hakan-fidan", "name": "Hakan Fidan", "kind": "person", "count": 3},
                        ],
                        "count": 2,
                    }
                ],
            },
        )
    },
    localised=True,
)
@until_next_write
def actor_stats() -> Response:
    query = parse_query(ActorStatsQuery(exclude=ACTOR_STATS_EXCLUDE))
    language = response_language(query)
    actors, pairs = usecases.actor_stats(get_session(), filters_from(query), query["limit"], language)
    body = {
        "actors": [asdict(actor) for actor in actors],
        "pairs": [{"actors": [asdict(a) for a in pair.actors], "count": pair.count} for pair in pairs],
    }
    return content_language(json_response(body), language)
