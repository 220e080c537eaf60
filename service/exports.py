"""Export formats: serialised events (as the API returns them) in, text chunks out; no Flask, no database."""

from __future__ import annotations

import csv
import html
import io
import json
import re
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from service.pipeline.gazetteer.loading import name_language
from service.pipeline.titles import event_labels

Event = dict[str, Any]  # one item of GET /api/v1/events

# TimelineJS date parts shown for each granularity: a month-level date must not look like a day.
_TIMELINEJS_PARTS = {
    "day": ("year", "month", "day"),
    "week": ("year", "month", "day"),
    "month": ("year", "month"),
    "season": ("year", "month"),
    "year": ("year",),
}


@dataclass(frozen=True)
class ExportFormat:
    name: str
    media_type: str
    extension: str
    chunks: Callable[..., Iterator[str]]


# -- TimelineJS -----------------------------------------------------------------------------------


def timelinejs_date(day: date, granularity: str) -> dict[str, int]:
    """A TimelineJS date object with only the parts the granularity knows."""
    parts = _TIMELINEJS_PARTS.get(granularity, ("year", "month", "day"))
    return {part: getattr(day, part) for part in parts}


def _is_range(start: date, end: date, granularity: str) -> bool:
    """True when [start, end] is more than the single day, month or year its granularity names."""
    if granularity == "month":
        return (start.year, start.month) != (end.year, end.month)
    if granularity == "year":
        return start.year != end.year
    return start != end


def timelinejs_slide(event: Event) -> dict[str, Any]:
    """One TimelineJS slide: headline = title; text = actors, place and the quoted mentions."""
    start = date.fromisoformat(event["date"]["start"])
    end = date.fromisoformat(event["date"]["end"])
    granularity = event["date"]["granularity"]
    shown = "day" if granularity in ("range", "unknown") else granularity
    slide: dict[str, Any] = {
        "unique_id": f"event-{event['id']}",
        "start_date": timelinejs_date(start, shown),
        "text": {"headline": html.escape(event["title"]), "text": _timelinejs_text(event)},
        "group": event["type"],
    }
    if _is_range(start, end, shown):
        slide["end_date"] = timelinejs_date(end, shown)
    return slide


def _timelinejs_text(event: Event) -> str:
    lines = []
    if event.get("actors"):
        names = ", ".join(html.escape(actor["name"]) for actor in event["actors"])
        lines.append(f"<p class='actors'>{names}</p>")
    if event.get("location"):
        lines.append(f"<p class='place'>{html.escape(event['location']['name'])}</p>")
    for mention in event.get("mentions", []):
        lines.append(f"<blockquote dir='auto'>{html.escape(mention['sentence'])}</blockquote>")
    return "".join(lines)


def timelinejs_chunks(events: Iterable[Event], title: str = "Events") -> Iterator[str]:
    """A TimelineJS JSON document, one slide per chunk."""
    yield json.dumps({"title": {"text": {"headline": html.escape(title)}}}, ensure_ascii=False)[:-1]
    yield ', "events": ['
    for index, event in enumerate(events):
        yield ("," if index else "") + json.dumps(timelinejs_slide(event), ensure_ascii=False)
    yield "]}"


# -- iCalendar ------------------------------------------------------------------------------------


# Control characters TEXT may not hold (RFC 5545 §3.3.11 allows HTAB only); line breaks are escaped.
_ICS_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")
_LINE_BREAK = re.compile("\r\n|\r|\n")


def ics_escape(text: str) -> str:
    """TEXT value escaping (RFC 5545 §3.3.11): every line break (CRLF, CR or LF) becomes \\n."""
    text = text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,")
    return _LINE_BREAK.sub("\\\\n", _ICS_CONTROL.sub("", text))


def ics_fold(line: str) -> str:
    """Fold a content line into CRLF-terminated lines of at most 75 octets, never splitting a character."""
    encoded = line.encode("utf-8")
    pieces, start, limit = [], 0, 75
    while len(encoded) - start > limit:
        end = start + limit
        while encoded[end] & 0xC0 == 0x80:  # a UTF-8 continuation byte: cut before its character
            end -= 1
        pieces.append(encoded[start:end].decode("utf-8"))
        start, limit = end, 74  # a continuation line starts with a space
    pieces.append(encoded[start:].decode("utf-8"))
    return "\r\n ".join(pieces) + "\r\n"


# A planned event may still move or be called off; a reported one took place.
_ICS_STATUS = {"planned": "TENTATIVE", "past": "CONFIRMED"}


def event_url(base_url: str | None, event_id: int) -> str | None:
    """The event's permalink under the API, absolute when the service's base URL is known."""
    return f"{base_url.rstrip('/')}/api/v1/events/{event_id}" if base_url else None


def ics_event(event: Event, stamp: datetime, base_url: str | None = None, language: str | None = None) -> str:
    """One all-day VEVENT; DTEND is exclusive, so it is the day after the last day. The description's
    labels are `language`'s (titles.yaml `labels`; the canonical names' language by default)."""
    start = date.fromisoformat(event["date"]["start"])
    end = date.fromisoformat(event["date"]["end"]) + timedelta(days=1)
    labels = event_labels(language or name_language())
    kind = labels.types.get(event["type"], event["type"])
    granularity = labels.granularities.get(event["date"]["granularity"], event["date"]["granularity"])
    description = [f"{kind} ({granularity})"]
    if event.get("actors"):
        description.append(f"{labels.actors}: {', '.join(a['name'] for a in event['actors'])}")
    description += [f"“{m['sentence']}”" for m in event.get("mentions", [])]
    lines = [
        "BEGIN:VEVENT",
        f"UID:event-{event['id']}@event-timeline",
        f"DTSTAMP:{stamp.strftime('%Y%m%dT%H%M%SZ')}",
        f"DTSTART;VALUE=DATE:{start.strftime('%Y%m%d')}",
        f"DTEND;VALUE=DATE:{end.strftime('%Y%m%d')}",
        f"SUMMARY:{ics_escape(event['title'])}",
        f"DESCRIPTION:{ics_escape(chr(10).join(description))}",
        f"CATEGORIES:{ics_escape(event['type'])}",
        f"STATUS:{_ICS_STATUS.get(event['status'], 'CONFIRMED')}",
    ]
    url = event_url(base_url, event["id"])
    if url:
        lines.append(f"URL:{url}")
    location = event.get("location")
    if location:
        lines.append(f"LOCATION:{ics_escape(location['name'])}")
        if location.get("lat") is not None and location.get("lon") is not None:
            lines.append(f"GEO:{location['lat']};{location['lon']}")
    lines.append("END:VEVENT")
    return "".join(ics_fold(line) for line in lines)


def ics_chunks(
    events: Iterable[Event], stamp: datetime, base_url: str | None = None, language: str | None = None
) -> Iterator[str]:
    """An iCalendar document; `stamp` (UTC) is the DTSTAMP of every event, `base_url` roots their URLs,
    `language` labels their descriptions."""
    yield "".join(
        ics_fold(line)
        for line in ("BEGIN:VCALENDAR", "VERSION:2.0", "PRODID:-//event-timeline//EN", "CALSCALE:GREGORIAN")
    )
    for event in events:
        yield ics_event(event, stamp, base_url, language)
    yield ics_fold("END:VCALENDAR")


# -- CSV ------------------------------------------------------------------------------------------

CSV_COLUMNS = (
    "id",
    "type",
    "title",
    "date_start",
    "date_end",
    "granularity",
    "status",
    "actors",
    "location",
    "lat",
    "lon",
    "confidence",
    "article_ids",
    "actor_ids",
    "sources",
    "urls",
    "mention_count",
    "first_reported",
)


# A text cell starting with one of these is run as a formula by spreadsheet tools (OWASP "CSV
# injection"); a leading single quote makes it text. Numbers are written as numbers.
_FORMULA_STARTS = frozenset(("=", "+", "-", "@", "\t", "\r"))


def neutralise_csv_cells(row: list[Any]) -> list[Any]:
    """The row with every text cell that a spreadsheet would evaluate prefixed by a single quote."""
    # cell[:1] in a set: half the time of cell.startswith(tuple), on every cell of every row
    return [f"'{cell}" if isinstance(cell, str) and cell[:1] in _FORMULA_STARTS else cell for cell in row]


def csv_row(event: Event) -> list[Any]:
    """One event as CSV cells; several values in one cell are joined by "; " (article ids by spaces)."""
    location = event.get("location") or {}
    mentions = event.get("mentions", [])
    return neutralise_csv_cells(
        [
            event["id"],
            event["type"],
            event["title"],
            event["date"]["start"],
            event["date"]["end"],
            event["date"]["granularity"],
            event["status"],
            "; ".join(actor["name"] for actor in event.get("actors", [])),
            location.get("name", ""),
            "" if location.get("lat") is None else location["lat"],
            "" if location.get("lon") is None else location["lon"],
            event["confidence"],
            " ".join(str(a) for a in sorted({m["article_id"] for m in mentions})),
            "; ".join(actor["id"] for actor in event.get("actors", [])),
            "; ".join(sources(mentions)),
            " ".join(urls(mentions)),
            len(mentions),
            first_reported(mentions) or "",
        ]
    )


def sources(mentions: list[dict[str, Any]]) -> list[str]:
    """The distinct sources of the articles that report an event, in order of first appearance."""
    return list(dict.fromkeys(m["source"] for m in mentions if m.get("source")))


def urls(mentions: list[dict[str, Any]]) -> list[str]:
    """The distinct URLs of the articles that report an event, in order of first appearance."""
    return list(dict.fromkeys(m["article_url"] for m in mentions if m.get("article_url")))


def first_reported(mentions: list[dict[str, Any]]) -> str | None:
    """The publication date (YYYY-MM-DD, as published) of the earliest article reporting an event."""
    published = [m["published_at"] for m in mentions if m.get("published_at")]
    if len(published) < 2:  # most events: nothing to compare (an export reads a million)
        return published[0][:10] if published else None
    return min(published, key=_instant)[:10]


def _instant(published_at: str) -> datetime:
    """A publication date or datetime as a comparable UTC instant (a bare date is midnight UTC)."""
    instant = datetime.fromisoformat(published_at)
    return instant if instant.tzinfo else instant.replace(tzinfo=UTC)


def csv_chunks(events: Iterable[Event]) -> Iterator[str]:
    """UTF-8 CSV with a byte-order mark (so spreadsheet tools read Arabic) and a header row."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")

    def flush() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(CSV_COLUMNS)
    yield "\ufeff" + flush()
    for event in events:
        writer.writerow(csv_row(event))
        yield flush()


# -- GeoJSON --------------------------------------------------------------------------------------


def geojson_feature(event: Event, base_url: str | None = None) -> dict[str, Any] | None:
    """A Point feature at the event's place ([lon, lat]); None when the event has no coordinates.

    Properties are flat (no objects or arrays): GIS tools (QGIS, kepler.gl) read each as one column
    and can animate over `date_start`/`date_end`; several values share one "; "-joined string.
    """
    location = event.get("location")
    if not location or location.get("lat") is None or location.get("lon") is None:
        return None
    mentions = event.get("mentions", [])
    return {
        "type": "Feature",
        "id": event["id"],
        "geometry": {"type": "Point", "coordinates": [location["lon"], location["lat"]]},
        "properties": {
            "id": event["id"],
            "title": event["title"],
            "type": event["type"],
            "date_start": event["date"]["start"],
            "date_end": event["date"]["end"],
            "granularity": event["date"]["granularity"],
            "status": event["status"],
            "actors": "; ".join(actor["name"] for actor in event.get("actors", [])),
            "actor_ids": "; ".join(actor["id"] for actor in event.get("actors", [])),
            "location": location["name"],
            "location_id": location["id"],
            "confidence": event["confidence"],
            "mention_count": len(mentions),
            "sources": "; ".join(sources(mentions)),
            "first_reported": first_reported(mentions),
            "url": event_url(base_url, event["id"]),
        },
    }


def geojson_chunks(events: Iterable[Event], base_url: str | None = None) -> Iterator[str]:
    """A FeatureCollection of the located events."""
    yield '{"type": "FeatureCollection", "features": ['
    first = True
    for event in events:
        feature = geojson_feature(event, base_url)
        if feature is None:
            continue
        yield ("" if first else ",") + json.dumps(feature, ensure_ascii=False)
        first = False
    yield "]}"


FORMATS = {
    "timelinejs": ExportFormat("timelinejs", "application/json", "json", timelinejs_chunks),
    "ics": ExportFormat("ics", "text/calendar; charset=utf-8", "ics", ics_chunks),
    "csv": ExportFormat("csv", "text/csv; charset=utf-8", "csv", csv_chunks),
    "geojson": ExportFormat("geojson", "application/geo+json", "geojson", geojson_chunks),
}


def render(
    name: str,
    events: Iterable[Event],
    stamp: datetime,
    base_url: str | None = None,
    language: str | None = None,
) -> Iterator[str]:
    """The chunks of one export format.

    `stamp` is used where the format records when it was made; `base_url` (the service's root URL)
    makes each event's permalink absolute where the format links to it (ICS, GeoJSON); `language`
    is that of the ICS description's labels. Titles and names come in the events already rendered.
    CSV headers and GeoJSON property names stay English ids in every language: they are the
    columns' keys that scripts, pandas and QGIS joins read by name, as JSON keys are.
    """
    if name == "ics":
        return ics_chunks(events, stamp, base_url, language)
    if name == "geojson":
        return geojson_chunks(events, base_url)
    return FORMATS[name].chunks(events)
