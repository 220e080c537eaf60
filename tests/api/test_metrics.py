"""GET /metrics: Prometheus text with request latency and ingestion counters."""

from __future__ import annotations

from prometheus_client import REGISTRY

from service import metrics


def _value(name: str, labels: dict[str, str] | None = None) -> float:
    return REGISTRY.get_sample_value(name, labels or {}) or 0.0


def test_metrics_endpoint_exposes_prometheus_text(client):
    client.get("/healthz")
    response = client.get("/metrics")
    assert response.status_code == 200
    assert response.content_type.startswith("text/plain")
    body = response.get_data(as_text=True)
    for name in (
        "timeline_http_request_duration_seconds_bucket",
        "timeline_articles_ingested_total",
        "timeline_events_extracted_total",
        "timeline_extraction_duration_seconds_count",
    ):
        assert name in body


def test_request_latency_is_observed_per_route_and_status(client):
    labels = {"method": "GET", "endpoint": "/api/v1/events/<int:event_id>", "status": "404"}
    before = _value("timeline_http_request_duration_seconds_count", labels)
    assert client.get("/api/v1/events/999999").status_code == 404
    assert _value("timeline_http_request_duration_seconds_count", labels) == before + 1


def test_posting_an_article_counts_new_and_duplicate(client):
    new_before = _value("timeline_articles_ingested_total", {"outcome": "new"})
    dup_before = _value("timeline_articles_ingested_total", {"outcome": "duplicate"})
    timed_before = _value("timeline_extraction_duration_seconds_count")
    article = {"text": "Officials met in Cairo on 3 March 2023.", "published_at": "2023-03-05"}
    assert client.post("/api/v1/articles", json=article).status_code == 201
    assert client.post("/api/v1/articles", json=article).status_code == 200
    assert _value("timeline_articles_ingested_total", {"outcome": "new"}) == new_before + 1
    assert _value("timeline_articles_ingested_total", {"outcome": "duplicate"}) == dup_before + 1
    assert _value("timeline_extraction_duration_seconds_count") == timed_before + 1


def test_record_ingest_counts_events_only_for_new_articles():
    before = _value("timeline_events_extracted_total")
    metrics.record_ingest(True, 3, 0.01)
    metrics.record_ingest(False, 5, 0.01)
    assert _value("timeline_events_extracted_total") == before + 3
