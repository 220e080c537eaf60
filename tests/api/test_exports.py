"""GET /api/v1/events/export: every format, filtered like /events, streamed from the database."""

from __future__ import annotations

import csv
import io
import json

import pytest

from service import usecases
from service.models import Actor, Event
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
    response = _export(client, "format=csv")
    raw = response.get_data()
    assert raw.startswith(b"\xef\xbb\xbfid,type,title")
    rows = list(csv.reader(io.StringIO(raw.decode("utf-8-sig"))))
    assert len(rows) == 5
    assert "اتصال هاتفي بين بوتين وشي جين بينغ" in [row[2] for row in rows]


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
    session.get(Event, known["visit"]).title = "Fidan\rBEGIN:VEVENT"
    session.commit()
    body = _export(client, "format=ics").get_data(as_text=True)
    assert "\r" not in body.replace("\r\n", "")
    assert body.split("\r\n").count("BEGIN:VEVENT") == 4
