"""Health probes, the OpenAPI document, the docs page and the dates endpoint."""

from __future__ import annotations


def test_health_and_readiness(client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    assert client.get("/readyz").get_json() == {"status": "ok"}


def test_readiness_reports_an_unreachable_database():
    from service import create_app

    app = create_app({"DATABASE_URL": "postgresql+psycopg://nobody@127.0.0.1:1/none", "AUTO_MIGRATE": False})
    response = app.test_client().get("/readyz")
    assert response.status_code == 503


def test_openapi_and_docs_are_served_without_a_cdn(client):
    assert client.get("/openapi.yaml").data.startswith(b"openapi: 3.1")
    page = client.get("/docs").get_data(as_text=True)
    assert "swagger-ui-bundle.js" in page
    assert "http://" not in page and "https://" not in page, "assets must come from this server"
    asset = client.get("/static/vendor/swagger-ui/swagger-ui-bundle.js")
    assert asset.status_code == 200
    asset.close()


def test_dates_resolve_reports_spans_into_the_text_as_sent(client):
    text = "يعقد الرئيسان اجتماعا افتراضيا غداً الأربعاء"
    response = client.post("/api/v1/dates/resolve", json={"text": text, "published_at": "2021-12-14"})
    assert response.status_code == 200
    (expression,) = response.get_json()["expressions"]
    assert text[expression["start"] : expression["end"]] == expression["text"]
    assert expression["date"] == {"start": "2021-12-15", "end": "2021-12-15", "granularity": "day"}


def test_dates_resolve_validates(client):
    response = client.post("/api/v1/dates/resolve", json={"text": "x", "published_at": "yesterday"})
    assert response.status_code == 422 and "published_at" in response.get_json()["errors"]
