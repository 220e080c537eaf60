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


def test_alias_on_a_shipped_actor_extends_it_and_ingestion_keeps_working(app, client, database_url):
    from service import create_app

    alias = {"name": "Vova Testalias", "language": "en"}
    assert client.post("/api/v1/actors/vladimir-putin/aliases", json=alias).status_code == 201
    plain = {
        "text": "Russian President Vladimir Putin held a phone call with Xi Jinping on 3 March 2023.",
        "published_at": "2023-03-05",
    }
    by_alias = {
        "text": "Vova Testalias met Turkish President Recep Tayyip Erdogan in Sochi on 4 September 2023.",
        "published_at": "2023-09-05",
    }
    assert client.post("/api/v1/articles", json=plain).status_code == 201
    response = client.post("/api/v1/articles", json=by_alias)
    assert response.status_code == 201, response.get_json()
    assert any("vladimir-putin" in [a["id"] for a in e["actors"]] for e in response.get_json()["events"])

    # The alias is stored: a restarted service still ingests, and reprocessing still works.
    restarted = create_app({"TESTING": True, "DATABASE_URL": database_url, "AUTO_MIGRATE": False})
    try:
        again = restarted.test_client()
        later = {
            "text": "Vova Testalias held talks with Xi Jinping in Beijing on 10 October 2023.",
            "published_at": "2023-10-11",
        }
        response = again.post("/api/v1/articles", json=later)
        assert response.status_code == 201, response.get_json()
        assert any("vladimir-putin" in [a["id"] for a in e["actors"]] for e in response.get_json()["events"])
        result = restarted.test_cli_runner().invoke(args=["reprocess"])
        assert result.exit_code == 0, result.output
        assert "reprocessed 3 article(s)" in result.output
        names = again.get("/api/v1/actors/vladimir-putin").get_json()["names"]
        assert "Vova Testalias" in names["en"] and "Vladimir Putin" in names["en"]
    finally:
        restarted.extensions["engine"].dispose()


def test_a_shipped_actors_wikidata_id_cannot_be_taken_so_its_aliases_stay_addable(client):
    # G20 (Q19771) is shipped but not stored until first named
    taken = client.post(
        "/api/v1/actors", json={"name": "Group Twenty", "kind": "organisation", "wikidata_id": "Q19771"}
    )
    assert taken.status_code == 409 and "Q19771" in taken.get_json()["detail"]
    alias = client.post(
        "/api/v1/actors/g20/aliases", json={"language": "en", "name": "Group of Twenty nations"}
    )
    assert alias.status_code in (200, 201)
