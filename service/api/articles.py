"""Articles: ingest, list, read (with events), delete."""

from __future__ import annotations

import time

from flask import Response, current_app

from service import metrics, usecases
from service.api import api, json_response, next_link, parse_body, parse_query
from service.api.schemas import ArticleIn, ArticleOut, EventOut, PageQuery
from service.db import get_session


@api.post("/articles")
def post_article() -> Response:
    data = parse_body(ArticleIn())
    published = data.pop("published_at")
    article_input = usecases.ArticleInput(
        published_at=published["instant"],
        published_date=published["date"],
        published_time_known=published["time_known"],
        **data,
    )
    started = time.perf_counter()
    result = usecases.ingest_article(
        get_session(), article_input, current_app.config["EXTRACTION_BUDGET_SECONDS"]
    )
    metrics.record_ingest(result.created, len(result.events), time.perf_counter() - started)
    body = ArticleOut().dump(result.article) | {"events": EventOut(many=True).dump(result.events)}
    status = 201 if result.created else 200
    return json_response(body, status, {"Location": f"/api/v1/articles/{result.article.id}"})


@api.get("/articles")
def list_articles() -> Response:
    query = parse_query(PageQuery())
    page = usecases.list_articles(get_session(), query["limit"], query.get("cursor"))
    items = ArticleOut(many=True, exclude=("text",)).dump(page.items)
    return json_response(
        {"items": items, "next_cursor": page.next_cursor}, headers=next_link(page.next_cursor)
    )


@api.get("/articles/<int:article_id>")
def get_article(article_id: int) -> Response:
    parse_query(PageQuery(only=()))
    article, events = usecases.get_article(get_session(), article_id)
    return json_response(ArticleOut().dump(article) | {"events": EventOut(many=True).dump(events)})


@api.delete("/articles/<int:article_id>")
def delete_article(article_id: int) -> Response:
    usecases.delete_article(get_session(), article_id)
    return Response(status=204)
