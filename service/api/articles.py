"""Articles: ingest, list, read (with events), delete."""

from __future__ import annotations

import time
from typing import Any

from flask import Response, current_app

from service import metrics, usecases
from service.api import api, json_response, next_link, parse_body, parse_query
from service.api.examples import EXAMPLES
from service.api.language import content_language, response_language
from service.api.openapi import answer, documented
from service.api.schemas import (
    ArticleIn,
    ArticlePageOut,
    ArticleWithEventsOut,
    LanguageQuery,
    PageQuery,
    dump_article,
)
from service.db import get_session


def article_input(data: dict[str, Any]) -> usecases.ArticleInput:
    """The use cases' article from what ArticleIn loaded."""
    published = data["published_at"]
    return usecases.ArticleInput(
        published_at=published["instant"],
        published_date=published["date"],
        published_time_known=published["time_known"],
        **{key: value for key, value in data.items() if key != "published_at"},
    )


@api.post("/articles")
@documented(
    "Ingest an article and extract its events",
    tag="articles",
    description="201 with the stored article and its events. Posting the same article again (same url, or "
    "same text and published_at) answers 200 with the stored one and stores nothing new. The events' titles "
    "and names follow Accept-Language.",
    body=ArticleIn,
    body_example=EXAMPLES["article_in"],
    responses={
        201: answer(
            ArticleWithEventsOut,
            "Stored, with the events extracted from it.",
            headers={"Location": {"schema": {"type": "string"}}},
        ),
        200: answer(ArticleWithEventsOut, "Already stored; nothing new was written."),
    },
    localised=True,
)
def post_article() -> Response:
    data = article_input(parse_body(ArticleIn()))
    started = time.perf_counter()
    result = usecases.ingest_article(get_session(), data, current_app.config["EXTRACTION_BUDGET_SECONDS"])
    metrics.record_ingest(result.created, len(result.events), time.perf_counter() - started)
    language = response_language({})  # the events' titles follow Accept-Language
    body = dump_article(result.article, result.events, language)
    status = 201 if result.created else 200
    response = json_response(body, status, {"Location": f"/api/v1/articles/{result.article.id}"})
    return content_language(response, language)


@api.get("/articles")
@documented(
    "List articles, newest first",
    tag="articles",
    query=PageQuery,
    responses={200: answer(ArticlePageOut, "One page of articles (without their text).")},
    paginated=True,
)
def list_articles() -> Response:
    query = parse_query(PageQuery())
    page = usecases.list_articles(get_session(), query["limit"], query.get("cursor"))
    return json_response(ArticlePageOut().dump(page), headers=next_link(page.next_cursor))


@api.get("/articles/<int:article_id>")
@documented(
    "One article with its events",
    tag="articles",
    query=LanguageQuery,
    responses={200: answer(ArticleWithEventsOut, "The article.")},
    localised=True,
)
def get_article(article_id: int) -> Response:
    language = response_language(parse_query(LanguageQuery()))
    article, events = usecases.get_article(get_session(), article_id)
    return content_language(json_response(dump_article(article, events, language)), language)


@api.delete("/articles/<int:article_id>")
@documented(
    "Delete an article",
    tag="articles",
    description="Its mentions go; its events are re-merged, and events left without any mention are deleted.",
    responses={204: {"description": "Deleted."}},
)
def delete_article(article_id: int) -> Response:
    usecases.delete_article(get_session(), article_id)
    return Response(status=204)
