"""Arabic first, in the output too: titles and names in ar or en (`lang`, Accept-Language), place
aliases for `location=`, and shipped actors searchable from an empty database."""

from __future__ import annotations

import csv
import io
import json

import icalendar
import pytest

from tests.factories import seed

CALL_AR = "اتصال هاتفي بين فلاديمير بوتين وشي جين بينغ"
VISIT_AR = "زيارة هاكان فيدان إلى القاهرة"
TALKS_AR = "محادثات بين هاكان فيدان وفلاديمير بوتين في موسكو"


@pytest.fixture
def known(session):
    return seed(session)


def _titles(client, url: str, **headers: str) -> dict[int, str]:
    response = client.get(url, headers=headers)
    assert response.status_code == 200, response.get_data(as_text=True)
    return {event["id"]: event["title"] for event in response.get_json()["items"]}


def test_lang_ar_renders_stored_events_with_arabic_titles_and_names(client, known):
    response = client.get("/api/v1/events?lang=ar")
    assert response.headers["Content-Language"] == "ar"
    assert "Accept-Language" in response.headers["Vary"]
    events = {event["id"]: event for event in response.get_json()["items"]}
    assert events[known["call"]]["title"] == CALL_AR
    assert events[known["visit"]]["title"] == VISIT_AR  # Egypt is the venue's country: not "meets Egypt"
    assert events[known["talks"]]["title"] == TALKS_AR  # the host (Putin in Moscow) is named last
    assert [a["name"] for a in events[known["call"]]["actors"]] == ["فلاديمير بوتين", "شي جين بينغ"]
    assert events[known["visit"]]["location"]["name"] == "القاهرة"
    assert events[known["visit"]]["location"]["id"] == "cairo"


def test_english_titles_say_who_did_what(client, known):
    titles = _titles(client, "/api/v1/events?lang=en")
    assert titles[known["visit"]] == "Hakan Fidan visits Cairo"
    assert titles[known["talks"]] == "Hakan Fidan holds talks with Vladimir Putin in Moscow"
    assert titles[known["call"]] == "Vladimir Putin speaks with Xi Jinping by phone"


@pytest.mark.parametrize(
    "header, language",
    [
        ("ar", "ar"),
        ("ar-EG,ar;q=0.9,en;q=0.8", "ar"),
        ("en;q=0.1, ar-SA;q=0.2", "ar"),  # q-values rule, a regional tag names its language
        ("fr, en;q=0.5, ar;q=0.9", "ar"),
        ("en-GB,en;q=0.9,ar;q=0.8", "en"),
        ("fr, de", "en"),
        ("ar;q=0, *", "en"),
        ("", "en"),
    ],
)
def test_accept_language_chooses_by_q_values(client, known, header, language):
    response = client.get("/api/v1/events", headers={"Accept-Language": header} if header else {})
    assert response.headers["Content-Language"] == language
    title = next(e["title"] for e in response.get_json()["items"] if e["id"] == known["call"])
    assert (title == CALL_AR) == (language == "ar")


def test_lang_wins_over_accept_language(client, known):
    titles = _titles(client, "/api/v1/events?lang=en", **{"Accept-Language": "ar"})
    assert titles[known["call"]] == "Vladimir Putin speaks with Xi Jinping by phone"


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/events?lang=fr",
        "/api/v1/events?lang=ar&lang=en",
        "/api/v1/timeline?lang=AR",
        "/api/v1/actors?lang=",
        "/api/v1/events/1?lang=de",
        "/api/v1/actors/vladimir-putin?lang=de",
        "/api/v1/events/export?format=csv&lang=fr",
        "/api/v1/stats/events?split=actor&lang=fr",
        "/api/v1/stats/actors?lang=english",
    ],
)
def test_an_unknown_language_is_a_422_naming_lang(client, known, url):
    response = client.get(url)
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert "lang" in response.get_json()["errors"]


def test_each_language_has_its_own_etag(client, known):
    arabic = client.get("/api/v1/events?lang=ar")
    assert (
        client.get("/api/v1/events?lang=ar", headers={"If-None-Match": arabic.headers["ETag"]}).status_code
        == 304
    )
    # Same URL, another Accept-Language: the stored Arabic copy must not be confirmed for it.
    negotiated = client.get("/api/v1/events", headers={"Accept-Language": "ar"})
    english = client.get("/api/v1/events", headers={"If-None-Match": negotiated.headers["ETag"]})
    assert english.status_code == 200 and english.headers["Content-Language"] == "en"


def test_event_detail_timeline_and_article_in_arabic(client, known):
    detail = client.get(f"/api/v1/events/{known['talks']}?lang=ar")
    assert detail.headers["Content-Language"] == "ar" and detail.get_json()["title"] == TALKS_AR
    timeline = client.get("/api/v1/timeline?bucket=year", headers={"Accept-Language": "ar"})
    titles = {e["title"] for bucket in timeline.get_json()["buckets"] for e in bucket["events"]}
    assert {CALL_AR, VISIT_AR, TALKS_AR} <= titles
    article_id = detail.get_json()["mentions"][0]["article_id"]
    article = client.get(f"/api/v1/articles/{article_id}?lang=ar").get_json()
    assert [e["title"] for e in article["events"]] == [TALKS_AR]


def test_actors_are_named_in_the_response_language(client, known):
    actor = client.get("/api/v1/actors/hakan-fidan?lang=ar")
    assert actor.headers["Content-Language"] == "ar"
    assert actor.get_json()["name"] == "هاكان فيدان"
    assert client.get("/api/v1/actors/hakan-fidan").get_json()["name"] == "Hakan Fidan"
    listed = client.get("/api/v1/actors", headers={"Accept-Language": "ar"}).get_json()["items"]
    assert {a["id"]: a["name"] for a in listed}["egypt"] == "مصر"


# -- dashboards -------------------------------------------------------------------------------------


def test_stats_name_actor_series_in_the_response_language(client, known):
    response = client.get("/api/v1/stats/events?interval=year&split=actor&lang=ar")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == "ar" and "Accept-Language" in response.headers["Vary"]
    series = {s["id"]: s["name"] for s in response.get_json()["series"]}
    assert series["hakan-fidan"] == "هاكان فيدان" and series["egypt"] == "مصر"
    english = client.get("/api/v1/stats/events?interval=year&split=actor").get_json()["series"]
    assert {s["id"]: s["name"] for s in english}["hakan-fidan"] == "Hakan Fidan"
    # Grafana's long rows name their series the same way; ids and counts do not change with language.
    rows = client.get(
        "/api/v1/stats/events?interval=year&split=actor&format=rows", headers={"Accept-Language": "ar"}
    ).get_json()
    assert {(r["series_id"], r["series"]) for r in rows} >= {("vladimir-putin", "فلاديمير بوتين")}
    assert [s["count"] for s in response.get_json()["series"]] == [s["count"] for s in english]


def test_stats_name_location_series_in_the_response_language(client, known):
    body = client.get("/api/v1/stats/events?split=location", headers={"Accept-Language": "ar-EG"}).get_json()
    assert {s["id"]: s["name"] for s in body["series"]} == {"cairo": "القاهرة", "moscow": "موسكو"}
    types = client.get("/api/v1/stats/events?split=type&lang=ar").get_json()["series"]
    assert {s["id"] for s in types} == {s["name"] for s in types}  # types are ids in every language


def test_actor_stats_name_actors_and_pairs_in_the_response_language(client, known):
    response = client.get("/api/v1/stats/actors?lang=ar")
    assert response.headers["Content-Language"] == "ar"
    body = response.get_json()
    assert {a["id"]: a["name"] for a in body["actors"]}["hakan-fidan"] == "هاكان فيدان"
    pair_names = {a["id"]: a["name"] for pair in body["pairs"] for a in pair["actors"]}
    assert pair_names["vladimir-putin"] == "فلاديمير بوتين" and pair_names["turkey"] == "تركيا"
    english = client.get("/api/v1/stats/actors").get_json()
    assert {a["id"]: a["name"] for a in english["actors"]}["hakan-fidan"] == "Hakan Fidan"
    assert [(a["id"], a["count"]) for a in english["actors"]] == [
        (a["id"], a["count"]) for a in body["actors"]
    ]


# -- exports ----------------------------------------------------------------------------------------


def _export(client, query: str) -> str:
    response = client.get(f"/api/v1/events/export?{query}")
    assert response.status_code == 200
    assert response.headers["Content-Language"] == ("ar" if "lang=ar" in query else "en")
    return response.get_data(as_text=True)


def test_csv_export_in_arabic(client, known):
    rows = list(csv.DictReader(io.StringIO(_export(client, "format=csv&lang=ar").removeprefix("\ufeff"))))
    by_id = {int(row["id"]): row for row in rows}
    assert by_id[known["visit"]]["title"] == VISIT_AR
    assert by_id[known["visit"]]["actors"] == "هاكان فيدان; مصر"
    assert by_id[known["visit"]]["location"] == "القاهرة"
    assert by_id[known["visit"]]["actor_ids"] == "hakan-fidan; egypt"  # ids stay ids


def test_csv_headers_and_ids_stay_the_same_in_every_language(client, known):
    arabic = list(csv.reader(io.StringIO(_export(client, "format=csv&lang=ar").removeprefix("\ufeff"))))
    english = list(csv.reader(io.StringIO(_export(client, "format=csv&lang=en").removeprefix("\ufeff"))))
    assert arabic[0] == english[0] and arabic[0][:3] == ["id", "type", "title"]
    column = arabic[0].index("granularity")
    assert [row[column] for row in arabic[1:]] == [row[column] for row in english[1:]]


def test_ics_description_labels_follow_the_language(client, known):
    def descriptions(query: str) -> dict[str, str]:
        calendar = icalendar.Calendar.from_ical(_export(client, f"format=ics&{query}"))
        return {str(e["UID"]): str(e["DESCRIPTION"]) for e in calendar.walk("VEVENT")}

    visit = f"event-{known['visit']}@event-timeline"
    arabic, english = descriptions("lang=ar"), descriptions("lang=en")
    assert arabic[visit].splitlines()[:2] == ["زيارة (شهر)", "الفاعلون: هاكان فيدان, مصر"]
    assert english[visit].splitlines()[:2] == ["visit (month)", "Actors: Hakan Fidan, Egypt"]


def test_geojson_ics_and_timelinejs_exports_in_arabic(client, known):
    features = json.loads(_export(client, "format=geojson&lang=ar"))["features"]
    talks = next(f["properties"] for f in features if f["id"] == known["talks"])
    assert (talks["title"], talks["location"]) == (TALKS_AR, "موسكو")
    calendar = icalendar.Calendar.from_ical(_export(client, "format=ics&lang=ar"))
    assert CALL_AR in {str(event["SUMMARY"]) for event in calendar.walk("VEVENT")}
    slides = json.loads(_export(client, "format=timelinejs&lang=ar"))["events"]
    assert VISIT_AR in {slide["text"]["headline"] for slide in slides}


# -- location by any spelling the pipeline matched --------------------------------------------------


def test_location_finds_an_event_by_the_alias_it_was_extracted_from(client):
    # "هاربين" is a places.yaml alias of Harbin (GeoNames spells it "هاربن")
    article = {
        "text": "زار الرئيس الروسي فلاديمير بوتين مدينة هاربين يوم 17 مايو 2024 والتقى مسؤولين محليين.",
        "published_at": "2024-05-18",
    }
    events = client.post("/api/v1/articles", json=article).get_json()["events"]
    harbin = {e["id"] for e in events if e["location"] and e["location"]["id"] == "harbin"}
    assert harbin
    for spelling in ("هاربين", "هاربن", "Harbin", "harbin"):
        found = {e["id"] for e in client.get(f"/api/v1/events?location={spelling}").get_json()["items"]}
        assert found == harbin, spelling
    assert (
        client.get("/api/v1/events?location=هاربين&lang=ar").get_json()["items"][0]["location"]["name"]
        == "هاربن"
    )


# -- shipped actors from an empty database ----------------------------------------------------------


def test_shipped_actors_are_found_in_an_empty_database(client):
    assert client.get("/api/v1/actors").get_json()["items"] == []  # nothing stored
    found = client.get("/api/v1/actors?q=فيدان").get_json()["items"]
    assert [(a["id"], a["origin"], a["event_count"]) for a in found] == [("hakan-fidan", "gazetteer", 0)]
    assert "هاكان فيدان" in found[0]["names"]["ar"]
    assert client.get("/api/v1/actors?q=Fidan&kind=country").get_json()["items"] == []
    shipped = client.get("/api/v1/actors/hakan-fidan?lang=ar").get_json()
    assert (shipped["name"], shipped["event_count"]) == ("هاكان فيدان", 0)


def test_search_pages_through_stored_and_shipped_actors_alike(client, known):
    everything = client.get("/api/v1/actors?q=Vladimir&limit=500").get_json()
    assert everything["next_cursor"] is None
    ids = [a["id"] for a in everything["items"]]
    assert "vladimir-putin" in ids and len(ids) > 3
    counts = {a["id"]: a["event_count"] for a in everything["items"]}
    assert counts["vladimir-putin"] == 2  # the stored one, with its events
    assert [a["name"] for a in everything["items"]] == sorted(a["name"] for a in everything["items"])
    paged, cursor = [], None
    while True:
        page = client.get("/api/v1/actors", query_string={"q": "Vladimir", "limit": 2, "cursor": cursor})
        body = page.get_json()
        paged += [a["id"] for a in body["items"]]
        cursor = body["next_cursor"]
        if cursor is None:
            break
    assert paged == ids
