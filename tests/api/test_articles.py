"""Articles over HTTP: ingest, idempotency, reading back, deleting, and every kind of bad input."""

from __future__ import annotations

ARTICLE = {
    "text": "التقى وزير الخارجية الأردني أيمن الصفدي نظيره الألماني في برلين يوم 15 مايو 2024 لبحث الأزمة.",
    "published_at": "2024-05-17",
    "source": "Test Wire",
    "url": "https://example.test/news/1",
}
ENGLISH = {
    "text": "The Egyptian foreign minister held talks with his French counterpart in Paris on 15 May 2024.",
    "published_at": "2024-05-17T10:00:00+03:00",
}


def test_post_article_stores_it_with_its_events(client):
    response = client.post("/api/v1/articles", json=ARTICLE)
    assert response.status_code == 201
    body = response.get_json()
    assert body["language"] == "ar"
    assert body["published_at"] == "2024-05-17"
    assert response.headers["Location"] == f"/api/v1/articles/{body['id']}"
    assert "الصفدي" in response.get_data(as_text=True), "Arabic must be returned as text, not \\u escapes"
    assert body["events"], "a dated meeting should yield an event"
    event = body["events"][0]
    assert event["date"] == {"start": "2024-05-15", "end": "2024-05-15", "granularity": "day"}
    assert event["mentions"][0]["article_id"] == body["id"]


def test_posting_the_same_article_twice_stores_nothing_new(client):
    first = client.post("/api/v1/articles", json=ARTICLE).get_json()
    again = client.post("/api/v1/articles", json=ARTICLE)
    assert again.status_code == 200
    assert again.get_json()["id"] == first["id"]
    same_url_other_text = dict(ARTICLE, text="نص آخر تماما")
    assert client.post("/api/v1/articles", json=same_url_other_text).status_code == 200
    assert len(client.get("/api/v1/articles").get_json()["items"]) == 1
    events = client.get("/api/v1/events").get_json()["items"]
    assert len(events) == len(first["events"])


def test_same_text_and_date_without_url_is_a_duplicate(client):
    body = {"text": ENGLISH["text"], "published_at": "2024-05-17"}
    assert client.post("/api/v1/articles", json=body).status_code == 201
    assert client.post("/api/v1/articles", json=body).status_code == 200
    assert client.post("/api/v1/articles", json=dict(body, published_at="2024-05-18")).status_code == 201


def test_datetime_publication_keeps_its_offset_and_language_is_detected(client):
    body = client.post("/api/v1/articles", json=ENGLISH).get_json()
    assert body["language"] == "en"
    assert body["published_at"] == ENGLISH["published_at"] == "2024-05-17T10:00:00+03:00"


def test_article_can_be_read_listed_and_deleted(client):
    created = client.post("/api/v1/articles", json=ARTICLE).get_json()
    read = client.get(f"/api/v1/articles/{created['id']}").get_json()
    assert read["text"] == ARTICLE["text"]
    assert [e["id"] for e in read["events"]] == [e["id"] for e in created["events"]]
    listed = client.get("/api/v1/articles").get_json()
    assert [a["id"] for a in listed["items"]] == [created["id"]]
    assert "text" not in listed["items"][0]
    assert client.delete(f"/api/v1/articles/{created['id']}").status_code == 204
    assert client.get(f"/api/v1/articles/{created['id']}").status_code == 404
    assert client.get("/api/v1/events").get_json()["items"] == [], "events without mentions go too"


def test_deleting_one_source_keeps_the_event_of_the_other(client):
    other = dict(
        ARTICLE,
        url="https://example.test/news/2",
        text=ARTICLE["text"].replace("لبحث الأزمة", "لبحث التعاون"),
    )
    first = client.post("/api/v1/articles", json=ARTICLE).get_json()
    second = client.post("/api/v1/articles", json=other).get_json()
    events = client.get("/api/v1/events").get_json()["items"]
    assert len(events) == 1 and len(events[0]["mentions"]) == 2, "one meeting reported twice is one event"
    client.delete(f"/api/v1/articles/{first['id']}")
    events = client.get("/api/v1/events").get_json()["items"]
    assert len(events) == 1
    assert [m["article_id"] for m in events[0]["mentions"]] == [second["id"]]


def test_articles_pagination(client):
    for day in range(1, 4):
        client.post(
            "/api/v1/articles", json={"text": f"Article number {day}.", "published_at": f"2024-01-0{day}"}
        )
    first = client.get("/api/v1/articles?limit=2").get_json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    second = client.get(f"/api/v1/articles?limit=2&cursor={first['next_cursor']}").get_json()
    assert len(second["items"]) == 1 and second["next_cursor"] is None


def _problem(response, status):
    assert response.status_code == status
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == status and body["title"]
    return body


def test_bad_input_answers_problem_json_and_stores_nothing(client):
    _problem(client.post("/api/v1/articles", data="{not json", content_type="application/json"), 400)
    _problem(client.post("/api/v1/articles", data="text=1", content_type="text/plain"), 415)
    body = _problem(
        client.post("/api/v1/articles", json={"text": 5, "published_at": "2024-02-30", "extra": 1}), 422
    )
    assert set(body["errors"]) == {"text", "published_at", "extra"}
    body = _problem(
        client.post("/api/v1/articles", json={"text": "x", "published_at": "2024-05-17T10:00:00"}), 422
    )
    assert "timezone" in body["errors"]["published_at"][0]
    body = _problem(client.post("/api/v1/articles", json={"published_at": "2024-05-17"}), 422)
    assert "text" in body["errors"]
    _problem(client.post("/api/v1/articles", json=[1, 2]), 422)
    _problem(client.post("/api/v1/articles", json={"text": "   ", "published_at": "2024-05-17"}), 422)
    _problem(
        client.post("/api/v1/articles", json={"text": "x", "published_at": "2024-05-17", "url": "nope"}), 422
    )
    assert client.get("/api/v1/articles").get_json()["items"] == []


def test_oversized_body_is_413(app, client):
    app.config["MAX_CONTENT_LENGTH"] = 1000
    _problem(client.post("/api/v1/articles", json={"text": "x" * 2000, "published_at": "2024-05-17"}), 413)


def test_unknown_ids_methods_and_parameters(client):
    _problem(client.get("/api/v1/articles/999"), 404)
    _problem(client.delete("/api/v1/articles/999"), 404)
    _problem(client.get("/api/v1/articles/abc"), 404)
    response = _problem(client.put("/api/v1/articles"), 405)
    assert "POST" in response["detail"] or "Allow" in client.put("/api/v1/articles").headers
    body = _problem(client.get("/api/v1/articles?limit=0&bogus=1"), 422)
    assert set(body["errors"]) == {"limit", "bogus"}
    _problem(client.get("/api/v1/articles?cursor=garbage!!"), 422)
    _problem(client.get("/nowhere"), 404)
