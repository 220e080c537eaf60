"""Actors: list and search by any alias, read, add, give more names, merge one into another."""

from __future__ import annotations

from flask import Response, request, url_for

from service import usecases
from service.api import api, json_response, parse_body, parse_query
from service.api.language import content_language, response_language
from service.api.schemas import ActorIn, ActorQuery, AliasIn, LanguageQuery, MergeIn, dump_actor
from service.db import get_session


@api.get("/actors")
def list_actors() -> Response:
    query = parse_query(ActorQuery())
    language = response_language(query)
    page = usecases.list_actors(
        get_session(), query.get("q"), query.get("kind"), query["limit"], query.get("cursor")
    )
    items = [dump_actor(actor, count, language) for actor, count in page.items]
    return content_language(json_response({"items": items, "next_cursor": page.next_cursor}), language)


@api.get("/actors/<actor_id>")
def get_actor(actor_id: str) -> Response:
    language = response_language(parse_query(LanguageQuery()))
    try:
        actor, count = usecases.get_actor(get_session(), actor_id)
    except usecases.ActorMoved as moved:
        return merged_into(moved, "api.get_actor")
    return content_language(json_response(dump_actor(actor, count, language)), language)


@api.post("/actors")
def post_actor() -> Response:
    data = parse_body(ActorIn())
    actor, count = usecases.create_actor(
        get_session(), data["name"], data["kind"], data["names"], data.get("wikidata_id"), data.get("id")
    )
    return json_response(dump_actor(actor, count), 201, {"Location": f"/api/v1/actors/{actor.id}"})


@api.post("/actors/<actor_id>/aliases")
def post_alias(actor_id: str) -> Response:
    data = parse_body(AliasIn())
    try:
        actor, count = usecases.add_alias(get_session(), actor_id, data["language"], data["name"])
    except usecases.ActorMoved as moved:
        return merged_into(moved, "api.post_alias")
    return json_response(dump_actor(actor, count), 201)


@api.post("/actors/<actor_id>/merge")
def merge_actor(actor_id: str) -> Response:
    data = parse_body(MergeIn())
    actor, count = usecases.merge_actor(get_session(), actor_id, data["into"])
    location = url_for("api.get_actor", actor_id=actor.id)
    return json_response(dump_actor(actor, count), 200, {"Location": location})


def merged_into(moved: usecases.ActorMoved, endpoint: str) -> Response:
    """308 Permanent Redirect to the same request on the actor a merged-away id went to."""
    location = url_for(endpoint, actor_id=moved.actor_id)
    if request.query_string:
        location += "?" + request.query_string.decode("latin-1")
    body = {"id": moved.old_id, "merged_into": moved.actor_id, "location": location}
    return json_response(body, 308, {"Location": location})
