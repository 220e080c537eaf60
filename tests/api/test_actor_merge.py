"""Merging an actor read from articles into a known one: names, events and the old id follow it."""

from __future__ import annotations

from service.auth import create_key

ENGLISH = {
    "text": (
        "Kenyan Energy Minister Otieno Wambugu arrived in Addis Ababa on Monday. "
        "Wambugu met Ethiopian Prime Minister Abiy Ahmed on Tuesday."
    ),
    "published_at": "2025-03-05",
}
ARABIC = {
    "text": "وصل وزير الطاقة الكيني أوتينو وامبوغو، إلى نيروبي يوم الأحد 2 مارس 2025.",
    "published_at": "2025-03-05",
}
KNOWN = {"name": "Otieno Wambugu Kamau", "kind": "person", "wikidata_id": None}


def _extracted(client) -> list[str]:  # type: ignore[no-untyped-def]
    items = client.get("/api/v1/actors", query_string={"limit": 500}).get_json()["items"]
    return sorted(a["id"] for a in items if a["origin"] == "extracted")


def _actors_of_events(client) -> list[list[str]]:  # type: ignore[no-untyped-def]
    return sorted(
        sorted(a["id"] for a in e["actors"]) for e in client.get("/api/v1/events").get_json()["items"]
    )


def test_a_new_actor_merged_into_a_known_one_takes_its_names_and_events_along(app, client):
    for article in (ENGLISH, ARABIC):
        assert client.post("/api/v1/articles", json=article).status_code == 201
    english, arabic = "otieno-wambugu", next(i for i in _extracted(client) if i != "otieno-wambugu")
    assert _extracted(client) == sorted([english, arabic])
    assert client.post("/api/v1/actors", json=KNOWN).status_code == 201
    events_before = len(client.get("/api/v1/events").get_json()["items"])

    for source in (english, arabic):
        response = client.post(f"/api/v1/actors/{source}/merge", json={"into": "otieno-wambugu-kamau"})
        assert response.status_code == 200, response.get_json()
        assert response.headers["Location"] == "/api/v1/actors/otieno-wambugu-kamau"
    known = response.get_json()
    assert "Otieno Wambugu" in known["names"]["en"] and "أوتينو وامبوغو" in known["names"]["ar"]
    assert known["event_count"] == events_before
    assert _extracted(client) == []
    every = _actors_of_events(client)
    assert ["abiy-ahmed", "otieno-wambugu-kamau"] in every
    assert not {english, arabic} & {actor for actors in every for actor in actors}

    # The old ids answer with where they went, like merged events do.
    moved = client.get(f"/api/v1/actors/{english}")
    assert moved.status_code == 308 and moved.headers["Location"] == "/api/v1/actors/otieno-wambugu-kamau"
    assert moved.get_json() == {
        "id": english,
        "merged_into": "otieno-wambugu-kamau",
        "location": "/api/v1/actors/otieno-wambugu-kamau",
    }
    # Events are found by the old id too.
    by_old_id = client.get("/api/v1/events", query_string={"actor": english}).get_json()["items"]
    assert len(by_old_id) == events_before
    # Searching by a merged name finds the known actor, in either script.
    for q in ("Wambugu", "وامبوغو"):
        found = client.get("/api/v1/actors", query_string={"q": q}).get_json()["items"]
        assert [a["id"] for a in found] == ["otieno-wambugu-kamau"]
    # Sending the same merge again is harmless; another target is a conflict.
    again = client.post(f"/api/v1/actors/{english}/merge", json={"into": "otieno-wambugu-kamau"})
    assert again.status_code == 200
    assert client.post(f"/api/v1/actors/{english}/merge", json={"into": "abiy-ahmed"}).status_code == 409


def test_the_merge_survives_reprocessing_and_later_articles(app, client):
    assert client.post("/api/v1/articles", json=ENGLISH).status_code == 201
    assert client.post("/api/v1/actors", json=KNOWN).status_code == 201
    merged = client.post("/api/v1/actors/otieno-wambugu/merge", json={"into": "otieno-wambugu-kamau"})
    assert merged.status_code == 200
    before = _actors_of_events(client)

    result = app.test_cli_runner().invoke(args=["reprocess"])
    assert result.exit_code == 0, result.output
    assert _actors_of_events(client) == before
    assert _extracted(client) == [] and client.get("/api/v1/actors/otieno-wambugu").status_code == 308

    later = {
        "text": "Kenyan Energy Minister Otieno Wambugu held talks with Sudanese officials in Khartoum on 20 May 2025.",
        "published_at": "2025-05-21",
    }
    events = client.post("/api/v1/articles", json=later).get_json()["events"]
    assert events and all("otieno-wambugu-kamau" in [a["id"] for a in e["actors"]] for e in events)
    assert _extracted(client) == []


def test_a_merge_into_a_shipped_actor_stores_it_and_gives_it_the_names(client):
    # A misspelt name under another office than the tables list for him: read as a new person.
    text = "Finnish Deputy Defence Minister Antti Hakanen visited Tallinn on 3 March 2025."
    assert (
        client.post("/api/v1/articles", json={"text": text, "published_at": "2025-03-05"}).status_code == 201
    )
    assert _extracted(client) == ["antti-hakanen"]
    response = client.post("/api/v1/actors/antti-hakanen/merge", json={"into": "antti-hakkanen"})
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert body["origin"] == "gazetteer" and body["event_count"] == 1
    assert {"Antti Häkkänen", "Antti Hakanen"} <= set(body["names"]["en"])


def test_a_wikidata_id_moves_to_an_actor_without_one(client):
    added = {"name": "Aino Testhenkilo", "kind": "person", "wikidata_id": "Q987654321"}
    assert client.post("/api/v1/actors", json=added).status_code == 201
    assert (
        client.post("/api/v1/actors", json={"name": "Aino T. Henkilo", "kind": "person"}).status_code == 201
    )
    response = client.post("/api/v1/actors/aino-testhenkilo/merge", json={"into": "aino-t-henkilo"})
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["wikidata_id"] == "Q987654321"


def test_what_cannot_be_merged(client):
    assert client.post("/api/v1/articles", json=ENGLISH).status_code == 201

    def merge(source: str, body: object) -> tuple[int, dict]:
        response = client.post(f"/api/v1/actors/{source}/merge", json=body)
        return response.status_code, response.get_json()

    status, body = merge("otieno-wambugu", {"into": "otieno-wambugu"})
    assert status == 422 and "into" in body["errors"]
    status, body = merge("otieno-wambugu", {"into": "nobody-at-all"})
    assert status == 422 and "into" in body["errors"]
    status, body = merge("otieno-wambugu", {"into": "kenya"})  # a person is not a country
    assert status == 422 and "into" in body["errors"]
    status, body = merge("otieno-wambugu", {})
    assert status == 422 and "into" in body["errors"]
    status, body = merge("otieno-wambugu", {"into": "abiy-ahmed", "extra": 1})
    assert status == 422 and "extra" in body["errors"]
    assert merge("nobody-at-all", {"into": "abiy-ahmed"})[0] == 404
    assert merge("abiy-ahmed", {"into": "otieno-wambugu"})[0] == 409  # shipped data is edited in files
    assert _extracted(client) == ["otieno-wambugu"]  # nothing happened


def test_merging_needs_a_write_key_once_keys_exist(client, session):
    assert client.post("/api/v1/articles", json=ENGLISH).status_code == 201
    reader = create_key(session, "merge-reader", scope="read").secret
    writer = create_key(session, "merge-writer").secret
    session.commit()
    body = {"into": "abiy-ahmed"}
    assert client.post("/api/v1/actors/otieno-wambugu/merge", json=body).status_code == 401
    denied = client.post(
        "/api/v1/actors/otieno-wambugu/merge", json=body, headers={"Authorization": f"Bearer {reader}"}
    )
    assert denied.status_code == 403
    allowed = client.post(
        "/api/v1/actors/otieno-wambugu/merge", json=body, headers={"Authorization": f"Bearer {writer}"}
    )
    assert allowed.status_code == 200
