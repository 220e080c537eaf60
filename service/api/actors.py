"""Actors: list and search by any alias, read, add, give more names, merge one into another."""

from __future__ import annotations

from flask import Response, request, url_for

from service import usecases
from service.api import api, json_response, next_link, parse_body, parse_query
from service.api.examples import EXAMPLES
from service.api.language import content_language, response_language
from service.api.openapi import answer, documented
from service.api.schemas import (
    ActorIn,
    ActorMergedOut,
    ActorOut,
    ActorPageOut,
    ActorQuery,
    AliasIn,
    LanguageQuery,
    MergeIn,
    dump_actor,
    dump_actors,
)
from service.db import get_session
from service.response_cache import until_next_write

MERGED = answer(
    ActorMergedOut,
    "The actor was merged into another one; follow Location (a permanent redirect).",
    headers={
        "Location": {
            "description": "The same request's URL on the actor this id merged into.",
            "schema": {"type": "string"},
        }
    },
)


@api.get("/actors")
@documented(
    "Actors with their event counts, searchable by any name or alias",
    tag="actors",
    description="Without `q`, the stored actors (those events name, and those added through the API). With "
    "`q`, also the actors of the shipped data that no event names yet (event_count 0), so a search works on "
    "an empty database. `name` is in the response language (`lang`, else Accept-Language).",
    query=ActorQuery,
    responses={200: answer(ActorPageOut, "One page of actors ordered by name.")},
    paginated=True,
    localised=True,
)
@until_next_write
def list_actors() -> Response:
    query = parse_query(ActorQuery())
    language = response_language(query)
    page = usecases.list_actors(
        get_session(), query.get("q"), query.get("kind"), query["limit"], query.get("cursor")
    )
    items = dump_actors(page.items, language)
    body = {"items": items, "next_cursor": page.next_cursor}
    return content_language(json_response(body, headers=next_link(page.next_cursor)), language)


@api.get("/actors/<actor_id>")
@documented(
    "One actor",
    tag="actors",
    description="An actor merged into another one (POST /api/v1/actors/{actor_id}/merge) answers 308 with "
    "the URL of the actor it went to.",
    query=LanguageQuery,
    responses={200: answer(ActorOut, "The actor."), 308: MERGED},
    localised=True,
)
def get_actor(actor_id: str) -> Response:
    language = response_language(parse_query(LanguageQuery()))
    try:
        actor, count = usecases.get_actor(get_session(), actor_id)
    except usecases.ActorMoved as moved:
        return merged_into(moved, "api.get_actor")
    return content_language(json_response(dump_actor(actor, count, language)), language)


@api.post("/actors")
@documented(
    "Add an actor; its names are matched in articles ingested afterwards",
    tag="actors",
    body=ActorIn,
    body_example=EXAMPLES["actor_in"],
    responses={201: answer(ActorOut, "Created.")},
    problems=(409,),
)
def post_actor() -> Response:
    data = parse_body(ActorIn())
    actor, count = usecases.create_actor(
        get_session(), data["name"], data["kind"], data["names"], data.get("wikidata_id"), data.get("id")
    )
    return json_response(dump_actor(actor, count), 201, {"Location": f"/api/v1/actors/{actor.id}"})


@api.post("/actors/<actor_id>/aliases")
@documented(
    "Give an actor (stored or shipped in the gazetteer) another name",
    tag="actors",
    body=AliasIn,
    body_example=EXAMPLES["alias_in"],
    responses={201: answer(ActorOut, "The actor with its names."), 308: MERGED},
)
def post_alias(actor_id: str) -> Response:
    data = parse_body(AliasIn())
    try:
        actor, count = usecases.add_alias(get_session(), actor_id, data["language"], data["name"])
    except usecases.ActorMoved as moved:
        return merged_into(moved, "api.post_alias")
    return json_response(dump_actor(actor, count), 201)


@api.post("/actors/<actor_id>/merge")
@documented(
    "Merge an actor read from articles (or added through the API) into another actor",
    tag="actors",
    description="For a person or organisation the service read from articles and stored as a new actor "
    "(origin `extracted`), or one added through the API, when it is in fact an actor already known. Every "
    "name of the merged actor becomes an alias of the other (its display name too, unless it is a "
    "transliteration), its mentions and events name the other (events are re-merged, since two may now be "
    "one), and its id answers 308 with the other's URL from then on; filtering events by the old id still "
    "works. The merge is stored: `flask reprocess` and later articles read the merged names as the other "
    "actor. Sending the same merge again answers 200 and changes nothing. Actors shipped in the gazetteer "
    "data cannot be merged away (409): edit the data files instead. Both must be of the same kind (else "
    "422 naming `into`).",
    body=MergeIn,
    body_example={"into": "antti-hakkanen"},
    responses={
        200: answer(
            ActorOut,
            "The actor merged into, with its names and event count.",
            headers={
                "Location": {"description": "The URL of the actor merged into.", "schema": {"type": "string"}}
            },
        )
    },
    problems=(409,),
)
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
    return json_response(ActorMergedOut().dump(body), 308, {"Location": location})
