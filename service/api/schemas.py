"""Marshmallow schemas: validate what clients send, serialise what they get back."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_dump, validate, validates_schema

from service import names
from service.pipeline.titles import title_languages
from service.vocabulary import ACTOR_KINDS, EVENT_TYPES, GRANULARITIES, STATUSES


class PublishedAt(fields.Field):
    """A date (YYYY-MM-DD) or a timezone-aware ISO 8601 datetime."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> dict[str, Any]:
        if not isinstance(value, str):
            raise ValidationError("Must be a date (YYYY-MM-DD) or an ISO 8601 datetime with offset.")
        text = value.strip()
        if len(text) == 10:
            try:
                day = date.fromisoformat(text)
            except ValueError as error:
                raise ValidationError(f"Not a valid date: {error}.") from error
            return {
                "instant": datetime(day.year, day.month, day.day, tzinfo=UTC),
                "date": day,
                "time_known": False,
            }
        try:
            instant = datetime.fromisoformat(text.replace("Z", "+00:00"))
        except ValueError as error:
            raise ValidationError(
                "Must be a date (YYYY-MM-DD) or an ISO 8601 datetime with offset."
            ) from error
        if instant.tzinfo is None:
            raise ValidationError("A datetime needs a timezone offset, e.g. 2024-05-17T09:30:00+03:00.")
        try:
            instant.astimezone(UTC)  # it is stored in UTC, which must stay within years 1 to 9999
        except OverflowError as error:
            raise ValidationError("Must fall between 0001-01-01 and 9999-12-31 in UTC.") from error
        return {"instant": instant, "date": instant.date(), "time_known": True}


class StrictSchema(Schema):
    class Meta:
        unknown = RAISE


# -- input ---------------------------------------------------------------------------------------


class ArticleIn(StrictSchema):
    text = fields.Str(required=True, validate=validate.Length(min=1, max=1_000_000))
    published_at = PublishedAt(required=True)
    title = fields.Str(validate=validate.Length(max=500), allow_none=True)
    url = fields.Url(validate=validate.Length(max=2000), allow_none=True)
    source = fields.Str(validate=validate.Length(max=200), allow_none=True)
    language = fields.Str(
        validate=validate.Regexp(r"^[a-z]{2,3}$", error="Must be a language code such as 'ar' or 'en'."),
        allow_none=True,
    )

    @validates_schema
    def _text_not_blank(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "text" in data and not data["text"].strip():
            raise ValidationError("Must not be blank.", "text")


class DatesIn(StrictSchema):
    text = fields.Str(required=True, validate=validate.Length(min=1, max=200_000))
    published_at = PublishedAt(required=True)
    language = fields.Str(
        validate=validate.Regexp(r"^[a-z]{2,3}$", error="Must be a language code such as 'ar' or 'en'."),
        allow_none=True,
    )


class ActorIn(StrictSchema):
    id = fields.Str(validate=validate.Regexp(r"^[\w-]{1,120}$", error="Letters, digits and dashes only."))
    name = fields.Str(required=True, validate=validate.Length(min=1, max=300))
    kind = fields.Str(required=True, validate=validate.OneOf(ACTOR_KINDS))
    wikidata_id = fields.Str(
        validate=validate.Regexp(r"^Q[1-9][0-9]*$", error="Must look like Q7747."), allow_none=True
    )
    names = fields.Dict(
        keys=fields.Str(validate=validate.Regexp(r"^[a-z]{2,3}$", error="Must be a language code.")),
        values=fields.List(
            fields.Str(validate=validate.Length(min=1, max=300)), validate=validate.Length(max=50)
        ),
        load_default=dict,
    )


class AliasIn(StrictSchema):
    name = fields.Str(required=True, validate=validate.Length(min=1, max=300))
    language = fields.Str(
        required=True,
        validate=validate.Regexp(r"^[a-z]{2,3}$", error="Must be a language code such as 'ar'."),
    )


class MergeIn(StrictSchema):
    into = fields.Str(required=True, validate=validate.Length(min=1, max=120))


class PageQuery(StrictSchema):
    limit = fields.Int(load_default=50, validate=validate.Range(min=1, max=500))
    cursor = fields.Str(validate=validate.Length(max=500))


# Most values a repeatable query parameter takes (openapi.yaml: maxItems); more are refused.
MAX_REPEATED = 20


class CommaList(fields.List):
    """A list given as repeated parameters, comma-separated values or both (a=x,y&a=z); blanks dropped."""

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise ValidationError("Must be a comma-separated list.")
        parts = [part.strip() for item in items for part in item.split(",") if part.strip()]
        if not parts:
            raise ValidationError("Give at least one value.")
        return super()._deserialize(parts, attr, data, **kwargs)


def each_one_of(choices: tuple[str, ...]) -> validate.Validator:
    """Every value is one of `choices`; the error names the values that are not."""

    def check(values: list[str]) -> None:
        unknown = [value for value in values if value not in choices]
        if unknown:
            raise ValidationError(
                f"Unknown value(s) {', '.join(map(repr, unknown))}; use any of: {', '.join(choices)}."
            )

    return validate.And(check, validate.Length(max=MAX_REPEATED, error="Give at most {max} values."))


class LanguageQuery(StrictSchema):
    """`lang`: the language of titles and names in the response (else Accept-Language decides)."""

    lang = fields.Str(validate=validate.OneOf(title_languages()))


class EventQuery(PageQuery, LanguageQuery):
    actor = fields.List(
        fields.Str(validate=validate.Length(min=1, max=300)),
        load_default=list,
        validate=validate.Length(max=MAX_REPEATED, error="Give at most {max} values."),
    )
    type = fields.List(
        fields.Str(validate=validate.OneOf(EVENT_TYPES)),
        load_default=list,
        validate=validate.Length(max=MAX_REPEATED, error="Give at most {max} values."),
    )
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    location = fields.Str(validate=validate.Length(min=1, max=300))
    status = fields.Str(validate=validate.OneOf(STATUSES))
    article_id = fields.Int(validate=validate.Range(min=1, max=2**31 - 1))
    min_confidence = fields.Float(validate=validate.Range(min=0, max=1))
    q = fields.Str(validate=validate.Length(min=1, max=300))
    granularity = CommaList(fields.Str(), validate=each_one_of(GRANULARITIES))
    sort = fields.Str(load_default="date", validate=validate.OneOf(["date", "-date"]))

    @validates_schema
    def _range_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ValidationError("Must not be after 'to'.", "from")


class TimelineQuery(EventQuery):
    limit = fields.Int(load_default=500, validate=validate.Range(min=1, max=2000))
    bucket = fields.Str(load_default="month", validate=validate.OneOf(["day", "month", "year"]))


class ActorQuery(PageQuery, LanguageQuery):
    q = fields.Str(validate=validate.Length(min=1, max=300))
    kind = fields.Str(validate=validate.OneOf(ACTOR_KINDS))


# Query parameters that may be repeated; every other one must appear at most once.
REPEATABLE = {"actor", "type", "granularity"}


# -- output --------------------------------------------------------------------------------------


class DateSpanOut(Schema):
    start = fields.Date()
    end = fields.Date()
    granularity = fields.Str()


class ActorRefOut(Schema):
    id = fields.Str()
    name = fields.Str()
    kind = fields.Str()


class LocationOut(Schema):
    id = fields.Str()
    name = fields.Str()
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)


class MentionOut(Schema):
    article_id = fields.Int()
    sentence = fields.Str()
    start = fields.Int(attribute="span_start")
    end = fields.Int(attribute="span_end")
    trigger = fields.Str()
    expression = fields.Str(allow_none=True)
    expression_start = fields.Int(allow_none=True)
    expression_end = fields.Int(allow_none=True)
    resolution = fields.Str()
    date = fields.Method("_date")
    published_at = fields.Method("_published")
    # Provenance: which article reported it, so a mention can be cited without a second request.
    source = fields.Str(attribute="article.source", allow_none=True)
    article_title = fields.Str(attribute="article.title", allow_none=True)
    article_url = fields.Str(attribute="article.url", allow_none=True)

    def _date(self, mention: Any) -> dict[str, str]:
        return {
            "start": mention.date_start.isoformat(),
            "end": mention.date_end.isoformat(),
            "granularity": mention.granularity,
        }

    def _published(self, mention: Any) -> str:
        return published_text(mention.article)


class EventOut(Schema):
    """An event with its title, actors' and place's names in one language (service/names.py)."""

    def __init__(self, *args: Any, language: str = names.CANONICAL_LANGUAGE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language

    id = fields.Int()
    type = fields.Str()
    title = fields.Method("_title")
    date = fields.Method("_date")
    status = fields.Str()
    actors = fields.Method("_actors")
    location = fields.Method("_location", allow_none=True)
    confidence = fields.Float()
    mentions = fields.List(fields.Nested(MentionOut))

    def _date(self, event: Any) -> dict[str, str]:
        return {
            "start": event.date_start.isoformat(),
            "end": event.date_end.isoformat(),
            "granularity": event.granularity,
        }

    def _title(self, event: Any) -> str:
        actors = [link.actor for link in event.actor_links]
        return names.title(event.type, actors, event.location, event.date_start, self.language)

    def _actors(self, event: Any) -> list[dict[str, str]]:
        return [
            {
                "id": link.actor.id,
                "name": names.actor_name(link.actor, self.language),
                "kind": link.actor.kind,
            }
            for link in event.actor_links
        ]

    def _location(self, event: Any) -> dict[str, Any] | None:
        if event.location is None:
            return None
        location = LocationOut().dump(event.location)
        return location | {"name": names.place_name(event.location, self.language)}


class StatsBucketOut(Schema):
    key = fields.Str()
    start = fields.Date()
    end = fields.Date()
    count = fields.Int()
    by = fields.Dict(keys=fields.Str(), values=fields.Int())

    @post_dump
    def _by_only_when_split(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        if data.get("by") is None:
            data.pop("by", None)
        return data


class StatsSeriesOut(Schema):
    id = fields.Str()
    name = fields.Str()
    count = fields.Int()


class StatsRowOut(Schema):
    time = fields.Str()
    series = fields.Str()
    series_id = fields.Str()
    value = fields.Int()


class ArticleOut(Schema):
    id = fields.Int()
    title = fields.Str(allow_none=True)
    url = fields.Str(allow_none=True)
    source = fields.Str(allow_none=True)
    language = fields.Str()
    published_at = fields.Method("_published")
    ingested_at = fields.DateTime()
    extractor_version = fields.Str()
    extraction_note = fields.Str(allow_none=True)
    content_hash = fields.Str()
    text = fields.Str()

    def _published(self, article: Any) -> str:
        return published_text(article)


class ActorOut(Schema):
    """An actor; `name` in the response language, `names` every stored or shipped one."""

    def __init__(self, *args: Any, language: str = names.CANONICAL_LANGUAGE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language

    id = fields.Str()
    name = fields.Method("_name")
    kind = fields.Str()
    wikidata_id = fields.Str(allow_none=True)
    origin = fields.Str()
    names = fields.Method("_names")
    event_count = fields.Int()

    def _name(self, actor: Any) -> str:
        return names.actor_name(actor, self.language)

    def _names(self, actor: Any) -> dict[str, list[str]]:
        names: dict[str, list[str]] = {}
        for name in actor.names:
            names.setdefault(name.language, []).append(name.name)
        return names


class ExpressionOut(Schema):
    text = fields.Str()
    start = fields.Int()
    end = fields.Int()
    date = fields.Nested(DateSpanOut)
    anchor = fields.Str()


class IngestJobErrorOut(Schema):
    """An article of a job given up on: its index in the batch and a problem+json's fields."""

    index = fields.Int()
    status = fields.Function(lambda item: item.problem["status"])
    title = fields.Function(lambda item: item.problem["title"])
    detail = fields.Function(lambda item: item.problem.get("detail"))


class IngestJobOut(Schema):
    id = fields.Int(attribute="job.id")
    status = fields.Str()
    total = fields.Int(attribute="job.total")
    done = fields.Int()
    created = fields.Int()
    failed = fields.Int()
    pending = fields.Int()
    submitted_at = fields.DateTime(attribute="job.submitted_at")
    finished_at = fields.DateTime(allow_none=True)
    errors = fields.List(fields.Nested(IngestJobErrorOut))


def published_text(article: Any) -> str:
    """The publication date as the client sent it: a date, or a datetime with its offset (UTC)."""
    if article.published_time_known:
        return article.published_at.isoformat()
    return article.published_date.isoformat()


def dump_actor(actor: Any, event_count: int, language: str = names.CANONICAL_LANGUAGE) -> dict[str, Any]:
    data = ActorOut(language=language).dump(actor)
    data["event_count"] = event_count
    return data


def dump_event_batch(batch: Any, language: str = names.CANONICAL_LANGUAGE) -> list[dict[str, Any]]:
    """The events of a store.EventBatch exactly as EventOut dumps them, built from rows directly.

    An export serialises every event in the database: plain dicts are many times faster than
    marshmallow over ORM objects (tests/api/test_exports.py checks both agree). For a language other
    than the canonical one the batch carries its actors' and places' stored names in it.
    """
    dumped = []
    for row in batch.events:
        place = None
        if row.location_id is not None:
            place = _Entity(
                row.location_id,
                row.location_name,
                _stored(batch.place_names, row.location_id, language),
                country=row.location_country,
            )
        actors = [
            _Entity(a.id, a.name, _stored(batch.actor_names, a.id, language), kind=a.kind)
            for a in batch.actors.get(row.id, ())
        ]
        dumped.append(
            {
                "id": row.id,
                "type": row.type,
                "title": names.title(row.type, actors, place, row.date_start, language),
                "date": {
                    "start": row.date_start.isoformat(),
                    "end": row.date_end.isoformat(),
                    "granularity": row.granularity,
                },
                "status": row.status,
                "actors": [
                    {"id": a.id, "name": names.actor_name(a, language), "kind": a.kind} for a in actors
                ],
                "location": None
                if place is None
                else {
                    "id": place.id,
                    "name": names.place_name(place, language),
                    "lat": row.lat,
                    "lon": row.lon,
                },
                "confidence": float(row.confidence),
                "mentions": [_mention_dict(m) for m in batch.mentions.get(row.id, ())],
            }
        )
    return dumped


@dataclass(frozen=True)
class _Name:
    language: str
    name: str


@dataclass(frozen=True)
class _Entity:
    """An actor or place read as plain rows, shaped as service/names.py reads ORM objects."""

    id: str
    name: str
    names: tuple[_Name, ...]
    kind: str = ""
    country: str | None = None


def _stored(stored: dict[str, list[str]], owner: str, language: str) -> tuple[_Name, ...]:
    return tuple(_Name(language, name) for name in stored.get(owner, ()))


def _mention_dict(row: Any) -> dict[str, Any]:
    return {
        "article_id": row.article_id,
        "sentence": row.sentence,
        "start": row.span_start,
        "end": row.span_end,
        "trigger": row.trigger,
        "expression": row.expression,
        "expression_start": row.expression_start,
        "expression_end": row.expression_end,
        "resolution": row.resolution,
        "date": {
            "start": row.date_start.isoformat(),
            "end": row.date_end.isoformat(),
            "granularity": row.granularity,
        },
        "published_at": published_text(row),
        "source": row.source,
        "article_title": row.article_title,
        "article_url": row.article_url,
    }
