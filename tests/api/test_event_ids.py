"""Event permalinks over HTTP: a merged-away id redirects to the survivor, a vanished one is 410 Gone."""

from __future__ import annotations

from tests.test_stable_ids import A1, A2, B, X


def post(client, text: str) -> dict:
    response = client.post("/api/v1/articles", json={"text": text, "published_at": "2023-04-01"})
    assert response.status_code == 201, response.get_json()
    return response.get_json()


def test_a_merged_away_event_redirects_permanently_to_the_event_it_joined(client):
    talks = post(client, A1)["events"][0]["id"]
    post(client, A2)
    post(client, B)
    meeting_article = post(client, X)
    meeting = meeting_article["events"][0]["id"]
    assert meeting != talks
    assert client.delete(f"/api/v1/articles/{meeting_article['id']}").status_code == 204

    response = client.get(f"/api/v1/events/{meeting}")
    assert response.status_code == 308
    assert response.headers["Location"].endswith(f"/api/v1/events/{talks}")
    assert response.get_json() == {"id": meeting, "merged_into": talks, "location": f"/api/v1/events/{talks}"}
    followed = client.get(f"/api/v1/events/{meeting}", follow_redirects=True)
    assert followed.status_code == 200 and followed.get_json()["id"] == talks
    assert len(followed.get_json()["mentions"]) == 3


def test_an_event_whose_every_report_was_deleted_is_gone_and_an_unknown_id_is_not_found(client):
    article = post(client, X)
    event_id = article["events"][0]["id"]
    assert client.delete(f"/api/v1/articles/{article['id']}").status_code == 204

    gone = client.get(f"/api/v1/events/{event_id}")
    assert gone.status_code == 410 and gone.mimetype == "application/problem+json"
    assert gone.get_json()["title"] == "Gone" and str(event_id) in gone.get_json()["detail"]
    assert client.get(f"/api/v1/events/{event_id + 1000}").status_code == 404

    again = post(client, X)
    assert again["id"] > article["id"] and again["events"][0]["id"] > event_id, "ids are never reused"
    assert client.get(f"/api/v1/articles/{article['id']}").status_code == 404
