"""Known events stored directly (not through the extractor), so export, stats and widget tests are exact."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, time

from sqlalchemy.orm import Session

from service import store
from service.models import Actor, Article, Event, EventActor, EventMention, Location

ACTORS = {
    "vladimir-putin": ("Vladimir Putin", "person"),
    "xi-jinping": ("Xi Jinping", "person"),
    "hakan-fidan": ("Hakan Fidan", "person"),
    "egypt": ("Egypt", "country"),
    "turkey": ("Turkey", "country"),
}
LOCATIONS = {"cairo": ("Cairo", 30.0444, 31.2357), "moscow": ("Moscow", 55.7558, 37.6173)}


@dataclass(frozen=True)
class Known:
    """One seeded event: its fields and the one sentence that mentions it."""

    key: str
    type: str
    title: str
    start: date
    end: date
    granularity: str
    actors: tuple[str, ...]
    location: str | None
    sentence: str
    expression: str
    published: date
    language: str


KNOWN = (
    Known(
        "call",
        "phone_call",
        "اتصال هاتفي بين بوتين وشي جين بينغ",
        date(2023, 3, 3),
        date(2023, 3, 3),
        "day",
        ("vladimir-putin", "xi-jinping"),
        None,
        "تحدث الرئيس بوتين هاتفياً مع الرئيس شي جين بينغ في 3 مارس 2023 حول التعاون الاقتصادي.",
        "3 مارس 2023",
        date(2023, 3, 5),
        "ar",
    ),
    Known(
        "visit",
        "visit",
        "Hakan Fidan visits Cairo",
        date(2024, 5, 1),
        date(2024, 5, 31),
        "month",
        ("hakan-fidan", "egypt"),
        "cairo",
        "Hakan Fidan travelled to Cairo in May 2024 for talks on Gaza.",
        "May 2024",
        date(2024, 6, 2),
        "en",
    ),
    Known(
        "talks",
        "talks",
        "Fidan and Putin talks in Moscow",
        date(2024, 5, 20),
        date(2024, 5, 22),
        "range",
        ("hakan-fidan", "vladimir-putin"),
        "moscow",
        "Fidan held talks with Putin in Moscow from 20 to 22 May 2024, officials said.",
        "from 20 to 22 May 2024",
        date(2024, 5, 23),
        "en",
    ),
    Known(
        "agreement",
        "agreement",
        "اتفاق تجاري بين تركيا ومصر",
        date(2022, 1, 1),
        date(2022, 12, 31),
        "year",
        ("turkey", "egypt", "hakan-fidan"),
        None,
        "وقعت تركيا ومصر اتفاقاً تجارياً عام 2022 بحضور هاكان فيدان.",
        "عام 2022",
        date(2023, 1, 10),
        "ar",
    ),
)


def seed(session: Session) -> dict[str, int]:
    """Store the KNOWN events (with actors, places, one article and mention each); returns key -> event id."""
    for actor_id, (name, kind) in ACTORS.items():
        session.add(Actor(id=actor_id, name=name, kind=kind, origin="gazetteer"))
    for location_id, (name, lat, lon) in LOCATIONS.items():
        session.add(Location(id=location_id, name=name, lat=lat, lon=lon))
    session.flush()
    ids: dict[str, int] = {}
    for index, known in enumerate(KNOWN):
        prefix = f"Report {index}. "
        text = prefix + known.sentence
        article = Article(
            title=f"Report {index}",
            language=known.language,
            text=text,
            published_at=datetime.combine(known.published, time(), tzinfo=UTC),
            published_date=known.published,
            published_time_known=False,
            content_hash=f"{index:064d}",
            extractor_version="test",
        )
        event = Event(
            type=known.type,
            title=known.title,
            date_start=known.start,
            date_end=known.end,
            granularity=known.granularity,
            status="past",
            location_id=known.location,
            confidence=0.9 - index * 0.1,
        )
        for position, actor_id in enumerate(known.actors):
            event.actor_links.append(EventActor(actor_id=actor_id, position=position))
        session.add_all([article, event])
        session.flush()
        expression_start = len(prefix) + known.sentence.index(known.expression)
        session.add(
            EventMention(
                event_id=event.id,
                article_id=article.id,
                sentence=known.sentence,
                span_start=len(prefix),
                span_end=len(text),
                trigger=known.type,
                expression=known.expression,
                expression_start=expression_start,
                expression_end=expression_start + len(known.expression),
                resolution="explicit",
                type=known.type,
                date_start=known.start,
                date_end=known.end,
                granularity=known.granularity,
                status="past",
                location_id=known.location,
                confidence=0.9,
            )
        )
        ids[known.key] = event.id
    store.bump_version(session)  # written directly, so counted here as every use case counts its writes
    session.commit()
    return ids
