"""Dashboard aggregates: event counts per interval and the most active actors."""

from __future__ import annotations

from dataclasses import asdict

from flask import Response
from marshmallow import fields, validate

from service import stats, usecases
from service.api import api, json_response, parse_query
from service.api.errors import invalid
from service.api.events import filters_from
from service.api.schemas import EventQuery, StatsBucketOut, StatsRowOut, StatsSeriesOut
from service.db import get_session

STATS_EXCLUDE = ("limit", "cursor", "sort")


class EventStatsQuery(EventQuery):
    interval = fields.Str(load_default="month", validate=validate.OneOf(stats.INTERVALS))
    split = fields.Str(validate=validate.OneOf(stats.SPLITS))
    format = fields.Str(load_default="buckets", validate=validate.OneOf(["buckets", "rows"]))


class ActorStatsQuery(EventQuery):
    limit = fields.Int(load_default=10, validate=validate.Range(min=1, max=100))


@api.get("/stats/events")
def event_stats() -> Response:
    query = parse_query(EventStatsQuery(exclude=STATS_EXCLUDE))
    try:
        counts = usecases.event_stats(
            get_session(), filters_from(query), query["interval"], query.get("split")
        )
    except stats.TooManyBuckets as error:
        raise invalid({"interval": [str(error)]}, str(error)) from error
    if query["format"] == "rows":
        return json_response(StatsRowOut(many=True).dump(stats.flat_rows(counts)))
    body = {
        "interval": query["interval"],
        "split": query.get("split"),
        "start": counts.buckets[0].start.isoformat() if counts.buckets else None,
        "end": counts.buckets[-1].end.isoformat() if counts.buckets else None,
        "total": sum(bucket.count for bucket in counts.buckets),
        "buckets": StatsBucketOut(many=True).dump(counts.buckets),
    }
    if counts.series is not None:
        body["series"] = StatsSeriesOut(many=True).dump(counts.series)
    return json_response(body)


@api.get("/stats/actors")
def actor_stats() -> Response:
    query = parse_query(ActorStatsQuery(exclude=("cursor", "sort")))
    actors, pairs = usecases.actor_stats(get_session(), filters_from(query), query["limit"])
    body = {
        "actors": [asdict(actor) for actor in actors],
        "pairs": [{"actors": [asdict(a) for a in pair.actors], "count": pair.count} for pair in pairs],
    }
    return json_response(body)
