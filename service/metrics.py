"""Prometheus metrics: request latency, articles ingested, events extracted, extraction latency.

The default registry is per process: behind gunicorn with several workers each worker reports its
own numbers, so scrape each worker or run one worker per container (see docs/USERS.md).
"""

from __future__ import annotations

import time

from flask import Flask, Response, g, request
from prometheus_client import CONTENT_TYPE_LATEST, Counter, Histogram, generate_latest

REQUEST_LATENCY = Histogram(
    "timeline_http_request_duration_seconds",
    "Time to answer an HTTP request.",
    ["method", "endpoint", "status"],
)
ARTICLES_INGESTED = Counter(
    "timeline_articles_ingested_total", "Articles received, by outcome (new or duplicate).", ["outcome"]
)
EVENTS_EXTRACTED = Counter("timeline_events_extracted_total", "Events extracted from new articles.")
EXTRACTION_LATENCY = Histogram(
    "timeline_extraction_duration_seconds", "Time to store an article and extract its events."
)


def record_ingest(created: bool, events: int, seconds: float) -> None:
    """Count one ingested article (new or duplicate) and, when new, its events and extraction time."""
    ARTICLES_INGESTED.labels("new" if created else "duplicate").inc()
    if created:
        EVENTS_EXTRACTED.inc(events)
        EXTRACTION_LATENCY.observe(seconds)


def metrics_view() -> Response:
    return Response(generate_latest(), content_type=CONTENT_TYPE_LATEST)


def init_app(app: Flask) -> None:
    """Time every request and serve GET /metrics."""

    @app.before_request
    def _start_timer() -> None:
        g.request_started = time.perf_counter()

    @app.after_request
    def _observe(response: Response) -> Response:
        started = g.pop("request_started", None)
        if started is not None:
            endpoint = request.url_rule.rule if request.url_rule else "unmatched"
            REQUEST_LATENCY.labels(request.method, endpoint, str(response.status_code)).observe(
                time.perf_counter() - started
            )
        return response

    from service.api.openapi import answer, documented  # here: the API package imports this module

    view = documented(
        "Prometheus metrics of this process",
        tag="service",
        description="timeline_http_request_duration_seconds (histogram by method, route, status), "
        "timeline_articles_ingested_total (by outcome new|duplicate), timeline_events_extracted_total, "
        "timeline_extraction_duration_seconds (histogram). Counted per process.",
        responses={
            200: answer(
                {"type": "string"},
                "Prometheus text exposition format.",
                media_type="text/plain",
                example='timeline_articles_ingested_total{outcome="new"} 42.0\n',
            )
        },
    )(metrics_view)
    app.add_url_rule("/metrics", "metrics", view, methods=["GET"])
