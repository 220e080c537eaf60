"""The pure export formatters: TimelineJS, iCalendar, CSV and GeoJSON."""

from __future__ import annotations

import csv
import io
import json
from datetime import UTC, date, datetime

import geojson
import icalendar
import ics
import pandas
from geojson_pydantic import FeatureCollection
from hypothesis import given
from hypothesis import strategies as st

from service import exports

STAMP = datetime(2024, 6, 1, 12, 0, tzinfo=UTC)


def event(**overrides):
    base = {
        "id": 7,
        "type": "visit",
        "title": "زيارة هاكان فيدان إلى القاهرة",
        "date": {"start": "2024-05-14", "end": "2024-05-14", "granularity": "day"},
        "status": "past",
        "actors": [{"id": "hakan-fidan", "name": "Hakan Fidan", "kind": "person"}],
        "location": {"id": "cairo", "name": "Cairo", "lat": 30.04, "lon": 31.24},
        "confidence": 0.9,
        "mentions": [
            {
                "article_id": 3,
                "sentence": "Fidan visited Cairo, then Ankara; <b>",
                "source": "Anadolu",
                "article_title": "Fidan in Cairo",
                "article_url": "https://www.aa.com.tr/en/fidan-cairo",
                "published_at": "2024-05-15",
            }
        ],
    }
    return base | overrides


def mention(article_id: int, published_at: str, source: str | None = None, url: str | None = None):
    return {
        "article_id": article_id,
        "sentence": f"Sentence {article_id}.",
        "source": source,
        "article_title": None,
        "article_url": url,
        "published_at": published_at,
    }


def text(chunks) -> str:
    return "".join(chunks)


# -- TimelineJS -------------------------------------------------------------------------------------


def test_timelinejs_month_dates_have_no_day_and_ranges_get_an_end_date():
    month = event(id=1, date={"start": "2024-05-01", "end": "2024-05-31", "granularity": "month"})
    year = event(id=2, date={"start": "2023-01-01", "end": "2023-12-31", "granularity": "year"})
    span = event(id=3, date={"start": "2024-03-03", "end": "2024-03-05", "granularity": "range"})
    document = json.loads(text(exports.timelinejs_chunks([month, year, span])))
    slides = {slide["unique_id"]: slide for slide in document["events"]}
    assert slides["event-1"]["start_date"] == {"year": 2024, "month": 5}
    assert "end_date" not in slides["event-1"]
    assert slides["event-2"]["start_date"] == {"year": 2023}
    assert slides["event-3"]["start_date"] == {"year": 2024, "month": 3, "day": 3}
    assert slides["event-3"]["end_date"] == {"year": 2024, "month": 3, "day": 5}


def test_timelinejs_text_is_escaped_html_with_actors_place_and_mentions():
    slide = exports.timelinejs_slide(event())
    assert slide["text"]["headline"] == "زيارة هاكان فيدان إلى القاهرة"
    assert "Hakan Fidan" in slide["text"]["text"] and "Cairo" in slide["text"]["text"]
    assert "&lt;b&gt;" in slide["text"]["text"] and "<b>" not in slide["text"]["text"]
    assert slide["group"] == "visit"


def test_timelinejs_of_no_events_is_valid_json():
    assert json.loads(text(exports.timelinejs_chunks([])))["events"] == []


# -- iCalendar --------------------------------------------------------------------------------------


def test_ics_all_day_event_has_exclusive_dtend_for_day_and_range():
    day = text(exports.ics_chunks([event()], STAMP))
    assert "DTSTART;VALUE=DATE:20240514\r\n" in day
    assert "DTEND;VALUE=DATE:20240515\r\n" in day
    month = event(date={"start": "2024-02-01", "end": "2024-02-29", "granularity": "month"})
    body = text(exports.ics_chunks([month], STAMP))
    assert "DTSTART;VALUE=DATE:20240201\r\n" in body
    assert "DTEND;VALUE=DATE:20240301\r\n" in body  # leap year: the day after Feb 29


def test_ics_lines_end_in_crlf_fold_at_75_octets_and_escape_text():
    body = text(exports.ics_chunks([event(title="A, B; C \\ " + "ط" * 80)], STAMP))
    assert body.startswith("BEGIN:VCALENDAR\r\n") and body.endswith("END:VCALENDAR\r\n")
    assert "\n" not in body.replace("\r\n", "")
    assert "\r" not in body.replace("\r\n", "")
    for line in body.split("\r\n"):
        assert len(line.encode("utf-8")) <= 75
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:A\\, B\\; C \\\\ " + "ط" * 80 + "\r\n" in unfolded
    assert "UID:event-7@event-timeline\r\n" in unfolded
    assert "GEO:30.04;31.24\r\n" in unfolded
    assert "DTSTAMP:20240601T120000Z\r\n" in unfolded


def test_ics_text_escapes_every_line_break_and_drops_other_control_characters():
    body = text(
        exports.ics_chunks(
            [
                event(
                    title="one\rtwo\r\nthree\nfour\x0bfive",
                    mentions=[{"article_id": 1, "sentence": "a\rBEGIN:VALARM"}],
                )
            ],
            STAMP,
        )
    )
    assert "\r" not in body.replace("\r\n", "") and "\n" not in body.replace("\r\n", "")
    unfolded = body.replace("\r\n ", "")
    assert "SUMMARY:one\\ntwo\\nthree\\nfourfive\r\n" in unfolded
    assert "\r\nBEGIN:VALARM" not in unfolded
    assert "a\\nBEGIN:VALARM" in unfolded


def test_ics_folding_never_splits_a_multibyte_character():
    folded = exports.ics_fold("SUMMARY:" + "é" * 100)
    for line in folded.split("\r\n")[:-1]:
        line.encode("utf-8").decode("utf-8")  # would raise on a split character
        assert len(line.encode("utf-8")) <= 75
    assert folded.replace("\r\n ", "") == "SUMMARY:" + "é" * 100 + "\r\n"


@given(st.text(st.characters(blacklist_categories=("Cs",), blacklist_characters="\r\n"), max_size=300))
def test_ics_folding_fills_each_line_to_75_octets_without_splitting_a_character(line):
    folded = exports.ics_fold(line)
    assert folded.endswith("\r\n")
    lines = folded.removesuffix("\r\n").split("\r\n")
    assert lines[0] + "".join(continued.removeprefix(" ") for continued in lines[1:]) == line
    for this, following in zip(lines, lines[1:] + [None], strict=True):
        assert len(this.encode("utf-8")) <= 75
        if following is not None:  # folded only where the next character would not fit
            assert len(this.encode("utf-8")) + len(following[1].encode("utf-8")) > 75


def test_ics_uid_is_stable_per_event():
    first = text(exports.ics_chunks([event()], STAMP))
    again = text(exports.ics_chunks([event(title="renamed")], datetime(2025, 1, 1, tzinfo=UTC)))
    assert "UID:event-7@event-timeline" in first and "UID:event-7@event-timeline" in again


def test_ics_marks_planned_events_tentative_and_links_each_to_its_permalink():
    planned = event(id=8, status="planned")
    body = text(exports.ics_chunks([event(), planned], STAMP, "http://timeline.example:8080/"))
    calendar = icalendar.Calendar.from_ical(body)
    parsed = {str(vevent["UID"]): vevent for vevent in calendar.walk("VEVENT")}
    assert str(parsed["event-8@event-timeline"]["STATUS"]) == "TENTATIVE"
    assert str(parsed["event-7@event-timeline"]["STATUS"]) == "CONFIRMED"
    assert str(parsed["event-8@event-timeline"]["URL"]) == "http://timeline.example:8080/api/v1/events/8"
    assert parsed["event-7@event-timeline"].decoded("DTSTART") == date(2024, 5, 14)
    # a second, independent parser reads the same
    by_uid = {item.uid: item for item in ics.Calendar(body).events}
    assert by_uid["event-8@event-timeline"].status == "TENTATIVE"
    assert by_uid["event-7@event-timeline"].url == "http://timeline.example:8080/api/v1/events/7"
    assert by_uid["event-7@event-timeline"].all_day


def test_ics_without_a_base_url_has_no_url_line():
    assert "URL:" not in text(exports.ics_chunks([event()], STAMP))


# -- CSV ------------------------------------------------------------------------------------------


def test_csv_has_bom_header_and_arabic_text():
    body = text(exports.csv_chunks([event(), event(id=8, location=None, actors=[])]))
    assert body.startswith("\ufeffid,type,title,")
    rows = list(csv.reader(io.StringIO(body.removeprefix("\ufeff"))))
    assert rows[0] == list(exports.CSV_COLUMNS)
    assert rows[1][2] == "زيارة هاكان فيدان إلى القاهرة"
    assert rows[1][7] == "Hakan Fidan" and rows[1][8] == "Cairo" and rows[1][12] == "3"
    assert rows[2][8:11] == ["", "", ""]
    assert len(rows) == 3


def test_csv_cells_that_a_spreadsheet_would_run_as_formulas_are_neutralised():
    hostile = event(
        title='=HYPERLINK("http://evil.example","click")',
        actors=[{"id": "x", "name": "+cmd|' /C calc'!A0", "kind": "person"}],
        location={"id": "y", "name": "@SUM(1+1)", "lat": -33.86, "lon": -151.2},
    )
    rows = list(csv.reader(io.StringIO(text(exports.csv_chunks([hostile])).removeprefix("\ufeff"))))
    assert rows[1][2] == '\'=HYPERLINK("http://evil.example","click")'
    assert rows[1][7] == "'+cmd|' /C calc'!A0"
    assert rows[1][8] == "'@SUM(1+1)"
    assert rows[1][9:11] == ["-33.86", "-151.2"]  # numbers stay numbers
    for start in ("-", "\t", "\r", "=", "+", "@"):
        (cell,) = exports.neutralise_csv_cells([start + "1+2"])
        assert cell == "'" + start + "1+2", repr(start)
    assert exports.neutralise_csv_cells(["Cairo", "", "زيارة", 3, -1.5]) == ["Cairo", "", "زيارة", 3, -1.5]


def test_csv_carries_provenance_that_pandas_reads_with_types():
    reported = event(
        mentions=[
            mention(4, "2024-05-01T23:00:00+00:00", "Anadolu", "https://www.aa.com.tr/a"),
            mention(3, "2024-05-02T01:00:00+03:00", "Al Ahram", "https://english.ahram.org.eg/b"),
            mention(5, "2024-05-03", "Anadolu", "https://www.aa.com.tr/a"),
        ]
    )
    unreported = event(id=8, mentions=[], actors=[])
    frame = pandas.read_csv(
        io.StringIO(text(exports.csv_chunks([reported, unreported]))),
        encoding="utf-8-sig",
        parse_dates=["date_start", "date_end", "first_reported"],
        dtype={"actor_ids": "string", "sources": "string", "urls": "string"},
    )
    assert list(frame.columns) == list(exports.CSV_COLUMNS)
    first = frame.iloc[0]
    assert first["actor_ids"] == "hakan-fidan"
    assert first["sources"] == "Anadolu; Al Ahram"
    assert first["urls"] == "https://www.aa.com.tr/a https://english.ahram.org.eg/b"
    assert frame["mention_count"].tolist() == [3, 0] and frame["mention_count"].dtype.kind == "i"
    # 01:00 at +03:00 is 22:00 UTC on the 1st, before 23:00 UTC: it is the first report, on its own date
    assert first["first_reported"] == pandas.Timestamp("2024-05-02")
    assert pandas.isna(frame.iloc[1]["first_reported"])
    assert frame["date_start"].dtype.kind == "M" and frame.iloc[0]["article_ids"] == "3 4 5"


# -- GeoJSON --------------------------------------------------------------------------------------


def test_geojson_has_only_located_events_with_lon_lat_order():
    unlocated = event(id=9, location=None)
    no_coordinates = event(id=10, location={"id": "x", "name": "X", "lat": None, "lon": None})
    collection = json.loads(text(exports.geojson_chunks([unlocated, event(), no_coordinates])))
    assert collection["type"] == "FeatureCollection"
    assert [feature["id"] for feature in collection["features"]] == [7]
    assert collection["features"][0]["geometry"] == {"type": "Point", "coordinates": [31.24, 30.04]}


def test_geojson_properties_are_flat_and_the_collection_is_valid_geojson():
    body = text(exports.geojson_chunks([event(), event(id=8, status="planned", actors=[])], "http://h/"))
    assert geojson.loads(body).is_valid
    collection = FeatureCollection.model_validate_json(body)  # the RFC 7946 models
    assert len(collection.features) == 2
    properties = json.loads(body)["features"][0]["properties"]
    assert all(value is None or isinstance(value, str | int | float) for value in properties.values())
    assert properties["date_start"] == "2024-05-14" and properties["date_end"] == "2024-05-14"
    assert properties["actors"] == "Hakan Fidan" and properties["actor_ids"] == "hakan-fidan"
    assert properties["sources"] == "Anadolu" and properties["mention_count"] == 1
    assert properties["first_reported"] == "2024-05-15"
    assert properties["url"] == "http://h/api/v1/events/7"


def test_every_format_streams_one_chunk_per_event():
    events = [event(id=i) for i in range(5)]
    for name in exports.FORMATS:
        chunks = list(exports.render(name, iter(events), STAMP))
        assert len(chunks) >= 5, name
