"""Actors: list and search by any alias, read, add, and give more names."""

from __future__ import annotations

from flask import Response

from service import usecases
from service.api import api, json_response, next_link, parse_body, parse_query
from service.api.language import content_language, response_language
from service.api.openapi import answer, documented
from service.api.schemas import (
    ActorIn,
    ActorOut,
    ActorPageOut,
    ActorQuery,
    AliasIn,
    LanguageQuery,
    dump_actor,
)
from service.db import get_session


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
def list_actors() -> Response:
    query = parse_query(ActorQuery())
    language = response_language(query)
    page = usecases.list_actors(
        get_session(), query.get("q"), query.get("kind"), query["limit"], query.get("cursor")
    )
    items = [dump_actor(actor, count, language) for actor, count in page.items]
    body = {"items": items, "next_cursor": page.next_cursor}
    return content_language(json_response(body, headers=next_link(page.next_cursor)), language)


@api.get("/actors/<actor_id>")
@documented(
    "One actor",
    tag="actors",
    query=LanguageQuery,
    responses={200: answer(ActorOut, "The actor.")},
    localised=True,
)
def get_actor(actor_id: str) -> Response:
    language = response_language(parse_query(LanguageQuery()))
    actor, count = usecases.get_actor(get_session(), actor_id)
    return content_language(json_response(dump_actor(actor, count, language)), language)


@api.post("/actors")
@documented(
    "Add an actor; its names are matched in articles ingested afterwards",
    tag="actors",
    body=ActorIn,
    body_example={
        "name": "Tedros Adhanom Ghebreyesus",
        "kind": "person",
        "names": {"ar": ["تيدروس أدهانوم غيبريسوس"]},
    },
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
    body_example={"name": "تيدروس", "language": "ar"},
    responses={201: answer(ActorOut, "The actor with its names.")},
)
def post_alias(actor_id: str) -> Response:
    data = parse_body(AliasIn())
    actor, count = usecases.add_alias(get_session(), actor_id, data["language"], data["name"])
    return json_response(dump_actor(actor, count), 201)
