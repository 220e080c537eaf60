"""Actors over HTTP: counts, alias search, adding actors and aliases that later ingestion uses."""

from __future__ import annotations


def test_actors_list_counts_and_alias_search(client):
    client.post(
        "/api/v1/articles",
        json={
            "text": "أجرى الرئيس الروسي فلاديمير بوتين اتصالاً هاتفياً مع الرئيس الصيني شي جين بينغ يوم 3 مارس 2023.",
            "published_at": "2023-03-05",
        },
    )
    actors = client.get("/api/v1/actors").get_json()["items"]
    putin = next(a for a in actors if a["id"] == "vladimir-putin")
    assert putin["name"] == "Vladimir Putin" and putin["kind"] == "person" and putin["event_count"] == 1
    assert "بوتين" in " ".join(putin["names"]["ar"])
    found = client.get("/api/v1/actors?q=بوتين").get_json()["items"]
    assert [a["id"] for a in found] == ["vladimir-putin"]
    assert client.get("/api/v1/actors/vladimir-putin").get_json()["event_count"] == 1
    assert client.get("/api/v1/actors/nobody").status_code == 404


def test_added_actor_is_recognised_in_later_articles(client):
    response = client.post(
        "/api/v1/actors",
        json={"name": "Zarqa Testperson", "kind": "person", "names": {"ar": ["زرقاء تستبيرسون"]}},
    )
    assert response.status_code == 201
    actor = response.get_json()
    assert actor["id"] == "zarqa-testperson" and actor["origin"] == "api"
    assert (
        client.post("/api/v1/actors", json={"name": "Zarqa Testperson", "kind": "person"}).status_code == 409
    )
    article = {
        "text": "التقت زرقاء تستبيرسون الرئيس الروسي فلاديمير بوتين في موسكو يوم 4 مارس 2023.",
        "published_at": "2023-03-05",
    }
    events = client.post("/api/v1/articles", json=article).get_json()["events"]
    assert any("zarqa-testperson" in [a["id"] for a in e["actors"]] for e in events)


def test_alias_added_to_a_shipped_actor(client):
    response = client.post(
        "/api/v1/actors/vladimir-putin/aliases", json={"name": "ف. بوتين الأب", "language": "ar"}
    )
    assert response.status_code == 201
    assert "ف. بوتين الأب" in response.get_json()["names"]["ar"]
    assert (
        client.post("/api/v1/actors/nobody/aliases", json={"name": "x", "language": "en"}).status_code == 404
    )


def test_invalid_actor_input(client):
    body = client.post("/api/v1/actors", json={"name": "", "kind": "alien", "wikidata_id": "7747"}).get_json()
    assert set(body["errors"]) == {"name", "kind", "wikidata_id"}
    assert client.post("/api/v1/actors/vladimir-putin/aliases", json={"name": "x"}).status_code == 422
