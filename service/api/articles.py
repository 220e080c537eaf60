"""Articles: ingest, list, read (with events), delete."""

from __future__ import annotations

import time
from typing import Any

from flask import Response, current_app

from service import metrics, usecases
from service.api import api, json_response, parse_body, parse_query
from service.api.language import content_language, response_language
from service.api.schemas import ArticleIn, ArticleOut, EventOut, LanguageQuery, PageQuery
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
def post_article() -> Response:
    data = article_input(parse_body(ArticleIn()))
    started = time.perf_counter()
    result = usecases.ingest_article(get_session(), data, current_app.config["EXTRACTION_BUDGET_SECONDS"])
    metrics.record_ingest(result.created, len(result.events), time.perf_counter() - started)
    language = response_language({})  # the events' titles follow Accept-Language
    events = EventOut(many=True, language=language).dump(result.events)
    body = ArticleOut().dump(result.article) | {"events": events}
    status = 201 if result.created else 200
    response = json_response(body, status, {"Location": f"/api/v1/articles/{result.article.id}"})
    return content_language(response, language)


@api.get("/articles")
def list_articles() -> Response:
    query = parse_query(PageQuery())
    page = usecases.list_articles(get_session(), query["limit"], query.get("cursor"))
    items = ArticleOut(many=True, exclude=("text",)).dump(page.items)
    return json_response({"items": items, "next_cursor": page.next_cursor})


@api.get("/articles/<int:article_id>")
def get_article(article_id: int) -> Response:
    language = response_language(parse_query(LanguageQuery()))
    article, events = usecases.get_article(get_session(), article_id)
    body = ArticleOut().dump(article) | {"events": EventOut(many=True, language=language).dump(events)}
    return content_language(json_response(body), language)


@api.delete("/articles/<int:article_id>")
def delete_article(article_id: int) -> Response:
    usecases.delete_article(get_session(), article_id)
    return Response(status=204)
