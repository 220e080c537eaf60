"""Events and timeline over HTTP: filters, keyset pagination, buckets, validation."""

from __future__ import annotations

import pytest

ARTICLES = [
    (
        "أجرى الرئيس الروسي فلاديمير بوتين اتصالاً هاتفياً مع الرئيس الصيني شي جين بينغ يوم 3 مارس 2023.",
        "2023-03-05",
    ),
    ("التقى وزير الخارجية الأردني أيمن الصفدي نظيره الألماني في برلين يوم 15 مايو 2024.", "2024-05-17"),
    (
        "The Egyptian president held talks with the French president in Cairo on 10 January 2022.",
        "2022-01-12",
    ),
]


@pytest.fixture
def stored(client):
    ids = []
    for text, published in ARTICLES:
        response = client.post("/api/v1/articles", json={"text": text, "published_at": published})
        assert response.status_code == 201, response.get_json()
        ids.append(response.get_json()["id"])
    return ids


def _events(client, query=""):
    response = client.get(f"/api/v1/events{query}")
    assert response.status_code == 200, response.get_json()
    return response.get_json()["items"]


def test_events_have_the_contract_shape(client, stored):
    events = _events(client)
    assert len(events) == 3
    for event in events:
        assert set(event) >= {
            "id",
            "type",
            "title",
            "date",
            "status",
            "actors",
            "location",
            "confidence",
            "mentions",
        }
        assert set(event["date"]) == {"start", "end", "granularity"}
        for actor in event["actors"]:
            assert set(actor) >= {"id", "name", "kind"}
        for mention in event["mentions"]:
            assert set(mention) >= {"article_id", "sentence", "start", "end", "expression", "resolution"}
    assert [e["date"]["start"] for e in events] == sorted(e["date"]["start"] for e in events)


def test_filter_by_actor_in_any_script_and_type(client, stored):
    by_english = _events(client, "?actor=Vladimir Putin")
    by_arabic = _events(client, "?actor=بوتين")
    assert [e["id"] for e in by_english] == [e["id"] for e in by_arabic]
    assert len(by_english) == 1 and by_english[0]["type"] == "phone_call"
    assert len(_events(client, "?actor=vladimir-putin&actor=xi-jinping")) == 1
    assert _events(client, "?actor=vladimir-putin&actor=Nobody Known") == []
    assert {e["type"] for e in _events(client, "?type=phone_call&type=meeting")} == {"phone_call", "meeting"}


def test_filter_by_date_overlap_place_status_article_and_text(client, stored):
    in_2023 = _events(client, "?from=2023-01-01&to=2023-12-31")
    assert [e["date"]["start"] for e in in_2023] == ["2023-03-03"]
    assert len(_events(client, "?location=Berlin")) == 1
    assert len(_events(client, "?location=برلين")) == 1
    assert len(_events(client, "?status=past")) == 3
    assert _events(client, "?status=planned") == []
    assert len(_events(client, f"?article_id={stored[2]}")) == 1
    assert len(_events(client, "?q=Cairo")) == 1
    assert _events(client, "?min_confidence=1") == [] or all(
        e["confidence"] >= 1 for e in _events(client, "?min_confidence=1")
    )


def test_keyset_pagination_in_both_directions_survives_new_events(client, stored):
    first = client.get("/api/v1/events?limit=2").get_json()
    assert len(first["items"]) == 2 and first["next_cursor"]
    # an event dated before the cursor arrives between the two page requests
    client.post(
        "/api/v1/articles",
        json={
            "text": "The Egyptian president met the French president on 1 January 2020.",
            "published_at": "2020-01-02",
        },
    )
    second = client.get(f"/api/v1/events?limit=2&cursor={first['next_cursor']}").get_json()
    seen = [e["id"] for e in first["items"] + second["items"]]
    assert len(seen) == len(set(seen)) == 3
    newest_first = _events(client, "?sort=-date")
    assert [e["date"]["start"] for e in newest_first] == sorted(
        (e["date"]["start"] for e in newest_first), reverse=True
    )


def test_event_by_id_and_timeline_buckets(client, stored):
    event = _events(client)[0]
    assert client.get(f"/api/v1/events/{event['id']}").get_json() == event
    assert client.get("/api/v1/events/99999").status_code == 404
    timeline = client.get("/api/v1/timeline?bucket=year").get_json()
    assert [b["key"] for b in timeline["buckets"]] == ["2022", "2023", "2024"]
    months = client.get("/api/v1/timeline?bucket=month&actor=بوتين").get_json()
    assert [b["key"] for b in months["buckets"]] == ["2023-03"]


@pytest.mark.parametrize(
    "query, field",
    [
        ("?type=party", "type"),
        ("?from=2024-13-01", "from"),
        ("?from=2024-05-01&to=2024-01-01", "from"),
        ("?limit=501", "limit"),
        ("?min_confidence=2", "min_confidence"),
        ("?status=maybe", "status"),
        ("?sort=name", "sort"),
        ("?cursor=xyz", "cursor"),
        ("?colour=red", "colour"),
        ("?location=a&location=b", "location"),
    ],
)
def test_invalid_event_queries_name_the_field(client, query, field):
    response = client.get(f"/api/v1/events{query}")
    assert response.status_code == 422
    assert response.mimetype == "application/problem+json"
    assert field in response.get_json()["errors"]


def test_unencoded_utf8_in_the_query_string_is_understood(client, stored):
    raw = "actor=بوتين".encode().decode("latin-1")  # what a WSGI server hands over for raw bytes
    response = client.get("/api/v1/events", environ_overrides={"QUERY_STRING": raw})
    assert [e["type"] for e in response.get_json()["items"]] == ["phone_call"]
