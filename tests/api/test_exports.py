"""GET /api/v1/events/export: every format, filtered like /events, streamed from the database."""

from __future__ import annotations

import csv
import io
import json

import geojson
import icalendar
import pandas
import pytest
from geojson_pydantic import FeatureCollection
from sqlalchemy import select

from service import exports, usecases
from service.models import Actor, Article, Event, EventMention
from service.store import EventFilters
from tests.factories import seed


@pytest.fixture
def known(session):
    return seed(session)


def _export(client, query: str):
    response = client.get(f"/api/v1/events/export?{query}")
    assert response.status_code == 200, response.get_data(as_text=True)
    assert response.is_streamed
    return response


def test_timelinejs_export_has_one_slide_per_event_in_date_order(client, known):
    document = json.loads(_export(client, "format=timelinejs").get_data(as_text=True))
    ids = [slide["unique_id"] for slide in document["events"]]
    assert ids == [f"event-{known[k]}" for k in ("agreement", "call", "visit", "talks")]
    visit = document["events"][2]
    assert visit["start_date"] == {"year": 2024, "month": 5} and "end_date" not in visit
    assert document["events"][3]["end_date"] == {"year": 2024, "month": 5, "day": 22}


def test_export_applies_the_event_filters(client, known):
    body = _export(client, "format=timelinejs&actor=vladimir-putin&from=2024-01-01").get_data(as_text=True)
    assert [s["unique_id"] for s in json.loads(body)["events"]] == [f"event-{known['talks']}"]


def test_ics_export_is_a_calendar_with_exclusive_ends(client, known):
    response = _export(client, "format=ics&type=visit")
    assert response.content_type == "text/calendar; charset=utf-8"
    assert response.headers["Content-Disposition"] == 'attachment; filename="events.ics"'
    body = response.get_data(as_text=True)
    assert body.count("BEGIN:VEVENT") == 1
    assert "DTSTART;VALUE=DATE:20240501\r\nDTEND;VALUE=DATE:20240601\r\n" in body
    assert f"UID:event-{known['visit']}@event-timeline" in body


def test_csv_export_starts_with_a_bom_and_keeps_arabic(client, known):
    response = _export(client, "format=csv&lang=ar")
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbfid,type,title")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 5
    assert "اتصال هاتفي بين فلاديمير بوتين وشي جين بينغ" in [row[2] for row in rows]


def test_geojson_export_has_only_located_events(client, known):
    response = _export(client, "format=geojson")
    assert response.content_type == "application/geo+json"
    collection = json.loads(response.get_data(as_text=True))
    assert [f["id"] for f in collection["features"]] == [known["visit"], known["talks"]]
    assert collection["features"][0]["geometry"]["coordinates"] == [31.2357, 30.0444]


def test_unknown_format_and_paging_parameters_are_rejected(client, known):
    assert client.get("/api/v1/events/export?format=pdf").status_code == 422
    assert client.get("/api/v1/events/export").status_code == 422
    assert client.get("/api/v1/events/export?format=csv&limit=5").status_code == 422


def test_iter_events_reads_every_event_across_batches(session, known):
    events = list(usecases.iter_events(session, EventFilters(), batch=1))
    assert [e.id for e in events] == [known[k] for k in ("agreement", "call", "visit", "talks")]


def test_csv_export_neutralises_an_actor_named_like_a_formula(client, known, session):
    session.get(Actor, "hakan-fidan").name = '=HYPERLINK("http://evil.example","x")'
    session.commit()
    body = _export(client, "format=csv&actor=hakan-fidan").get_data(as_text=True)
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert len(rows) == 4  # header, visit, talks, agreement
    led_by_fidan = [row[7] for row in rows[1:] if "HYPERLINK" in row[7].split("; ")[0]]
    assert led_by_fidan == [
        '\'=HYPERLINK("http://evil.example","x"); Egypt',
        '\'=HYPERLINK("http://evil.example","x"); Vladimir Putin',
    ]
    assert not [cell for row in rows for cell in row if cell.startswith(("=", "+", "-", "@"))]


def test_ics_export_escapes_a_bare_carriage_return_in_a_title(client, known, session):
    session.get(Actor, "hakan-fidan").name = "Fidan\rBEGIN:VEVENT"  # titles are rendered from names
    session.commit()
    body = _export(client, "format=ics").get_data(as_text=True)
    assert "\r" not in body.replace("\r\n", "")
    assert body.split("\r\n").count("BEGIN:VEVENT") == 4


# -- provenance and the granularity filter -----------------------------------------------------------


def sourced(session, known):
    """The visit reported by Anadolu (with a URL), planned; the talks by an article with only a URL."""
    for key, source, url in (
        ("visit", "Anadolu", "https://www.aa.com.tr/en/fidan-cairo"),
        ("talks", None, "https://tass.com/politics/1"),
    ):
        mention = session.scalars(select(EventMention).where(EventMention.event_id == known[key])).one()
        article = session.get(Article, mention.article_id)
        article.source, article.url, article.title = source, url, f"About the {key}"
    session.get(Event, known["visit"]).status = "planned"
    session.commit()


def test_each_mention_names_its_article_source_url_title_and_date(client, known, session):
    sourced(session, known)
    event = client.get(f"/api/v1/events/{known['visit']}").get_json()
    (mention,) = event["mentions"]
    assert mention["source"] == "Anadolu"
    assert mention["article_url"] == "https://www.aa.com.tr/en/fidan-cairo"
    assert mention["article_title"] == "About the visit"
    assert mention["published_at"] == "2024-06-02"
    listed = client.get("/api/v1/events?type=talks").get_json()["items"][0]["mentions"][0]
    assert (listed["source"], listed["article_url"]) == (None, "https://tass.com/politics/1")


def test_csv_export_reads_in_pandas_with_provenance_columns(client, known, session):
    sourced(session, known)
    raw = _export(client, "format=csv").get_data()
    frame = pandas.read_csv(io.BytesIO(raw), encoding="utf-8-sig", parse_dates=["first_reported"])
    assert list(frame.columns) == list(exports.CSV_COLUMNS)
    visit = frame.set_index("id").loc[known["visit"]]
    assert visit["actor_ids"] == "hakan-fidan; egypt"
    assert visit["sources"] == "Anadolu" and visit["urls"] == "https://www.aa.com.tr/en/fidan-cairo"
    assert visit["mention_count"] == 1 and visit["first_reported"] == pandas.Timestamp("2024-06-02")
    assert frame["mention_count"].sum() == 4


def test_ics_export_marks_planned_events_tentative_with_a_permalink_from_the_request_host(
    client, known, session
):
    sourced(session, known)
    response = client.get("/api/v1/events/export?format=ics", base_url="https://analyst.example:8443")
    calendar = icalendar.Calendar.from_ical(response.get_data(as_text=True))
    events = {str(vevent["UID"]): vevent for vevent in calendar.walk("VEVENT")}
    visit = events[f"event-{known['visit']}@event-timeline"]
    assert str(visit["STATUS"]) == "TENTATIVE"
    assert str(visit["URL"]) == f"https://analyst.example:8443/api/v1/events/{known['visit']}"
    assert str(events[f"event-{known['call']}@event-timeline"]["STATUS"]) == "CONFIRMED"
    permalink = client.get(str(visit["URL"]).removeprefix("https://analyst.example:8443"))
    assert permalink.status_code == 200 and permalink.get_json()["id"] == known["visit"]


def test_geojson_export_is_valid_and_flat_for_gis_tools(client, known, session):
    sourced(session, known)
    body = _export(client, "format=geojson").get_data(as_text=True)
    assert geojson.loads(body).is_valid
    FeatureCollection.model_validate_json(body)
    features = {f["id"]: f["properties"] for f in json.loads(body)["features"]}
    visit = features[known["visit"]]
    assert (visit["date_start"], visit["date_end"]) == ("2024-05-01", "2024-05-31")
    assert visit["actors"] == "Hakan Fidan; Egypt" and visit["sources"] == "Anadolu"
    assert features[known["talks"]]["sources"] == ""  # an article with only a URL names no source
    for properties in features.values():
        assert all(value is None or isinstance(value, str | int | float) for value in properties.values())


@pytest.mark.parametrize(
    "query",
    ["granularity=day,range", "granularity=day&granularity=range", "granularity=range,day,"],
)
def test_granularity_filter_on_events_timeline_and_exports(client, known, query):
    wanted = [known["call"], known["talks"]]
    events = client.get(f"/api/v1/events?{query}").get_json()["items"]
    assert [e["id"] for e in events] == wanted
    timeline = client.get(f"/api/v1/timeline?bucket=year&{query}").get_json()["buckets"]
    assert [e["id"] for b in timeline for e in b["events"]] == wanted
    document = json.loads(_export(client, f"format=timelinejs&{query}").get_data(as_text=True))
    assert [s["unique_id"] for s in document["events"]] == [f"event-{i}" for i in wanted]


def test_an_unknown_granularity_is_a_422_naming_the_value(client, known):
    response = client.get("/api/v1/events?granularity=day,decade")
    assert response.status_code == 422
    assert response.content_type == "application/problem+json"
    assert "'decade'" in response.get_json()["errors"]["granularity"][0]
    assert client.get("/api/v1/events?granularity=,").status_code == 422


def test_export_batches_dump_exactly_what_the_api_returns(session, known):
    from service.api.schemas import EventOut, dump_event_batch

    batches = list(usecases.export_batches(session, EventFilters(), batch=3))
    assert [len(batch.events) for batch in batches] == [3, 1]
    fast = [event for batch in batches for event in dump_event_batch(batch)]
    slow = [EventOut().dump(event) for event in usecases.iter_events(session, EventFilters())]
    assert fast == slow


def test_export_batches_in_arabic_dump_what_the_api_returns_in_arabic(session, known):
    from service.api.schemas import EventOut, dump_event_batch

    batches = list(usecases.export_batches(session, EventFilters(), "ar", batch=3))
    fast = [event for batch in batches for event in dump_event_batch(batch, "ar")]
    slow = [EventOut(language="ar").dump(event) for event in usecases.iter_events(session, EventFilters())]
    assert fast == slow
    assert any("\u0600" <= ch <= "\u06ff" for event in fast for ch in event["title"])


def test_export_batches_follow_the_filters(session, known):
    batches = usecases.export_batches(session, EventFilters(actors=("hakan-fidan",)), batch=2)
    ids = [row.id for batch in batches for row in batch.events]
    assert ids == [known[k] for k in ("agreement", "visit", "talks")]
