"""Marshmallow schemas: validate what clients send, serialise what they get back."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any

from marshmallow import RAISE, Schema, ValidationError, fields, post_dump, validate, validates_schema

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


class PageQuery(StrictSchema):
    limit = fields.Int(load_default=50, validate=validate.Range(min=1, max=500))
    cursor = fields.Str(validate=validate.Length(max=500))


# Most values a list parameter takes (maxItems in openapi.yaml); more are refused.
MAX_REPEATED = 20


class CommaList(fields.List):
    """A list given as repeated parameters, comma-separated values or both (a=x,y&a=z).

    Blanks are dropped. A bad value's message names the value, not its position: the item
    field's own messages say `{input}`.
    """

    def __init__(self, item: fields.Field, **kwargs: Any) -> None:
        kwargs.setdefault("load_default", list)
        kwargs.setdefault("validate", validate.Length(max=MAX_REPEATED, error="Give at most {max} values."))
        super().__init__(item, **kwargs)

    def _deserialize(self, value: Any, attr: str | None, data: Any, **kwargs: Any) -> list[Any]:
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(item, str) for item in items):
            raise ValidationError("Must be a comma-separated list.")
        parts = [part.strip() for item in items for part in item.split(",") if part.strip()]
        if not parts:
            raise ValidationError("Give at least one value.")
        values, errors = [], []
        for part in parts:
            try:
                values.append(self.inner.deserialize(part))
            except ValidationError as error:
                errors.extend(error.messages)
        if errors:
            raise ValidationError(errors)
        return values


def one_of(choices: tuple[str, ...], noun: str) -> validate.OneOf:
    """A vocabulary check whose message names the rejected value and the accepted ones."""
    return validate.OneOf(choices, error=f"Unknown {noun} '{{input}}'. Use any of: {{choices}}.")


class EventQuery(PageQuery):
    actor = CommaList(
        fields.Str(
            validate=validate.Length(max=300, error="Actor '{input}' is longer than {max} characters.")
        )
    )
    type = CommaList(fields.Str(validate=one_of(EVENT_TYPES, "event type")))
    from_ = fields.Date(data_key="from")
    to = fields.Date()
    location = fields.Str(validate=validate.Length(min=1, max=300))
    status = fields.Str(validate=validate.OneOf(STATUSES))
    article_id = fields.Int(validate=validate.Range(min=1, max=2**31 - 1))
    min_confidence = fields.Float(validate=validate.Range(min=0, max=1))
    q = fields.Str(validate=validate.Length(min=1, max=300))
    granularity = CommaList(fields.Str(validate=one_of(GRANULARITIES, "granularity")))
    sort = fields.Str(load_default="date", validate=validate.OneOf(["date", "-date"]))

    @validates_schema
    def _range_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ValidationError("Must not be after 'to'.", "from")


class TimelineQuery(EventQuery):
    limit = fields.Int(load_default=500, validate=validate.Range(min=1, max=2000))
    bucket = fields.Str(load_default="month", validate=validate.OneOf(["day", "month", "year"]))


class ActorQuery(PageQuery):
    q = fields.Str(validate=validate.Length(min=1, max=300))
    kind = fields.Str(validate=validate.OneOf(ACTOR_KINDS))


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
    id = fields.Int()
    type = fields.Str()
    title = fields.Str()
    date = fields.Method("_date")
    status = fields.Str()
    actors = fields.Method("_actors")
    location = fields.Nested(LocationOut, allow_none=True)
    confidence = fields.Float()
    mentions = fields.List(fields.Nested(MentionOut))

    def _date(self, event: Any) -> dict[str, str]:
        return {
            "start": event.date_start.isoformat(),
            "end": event.date_end.isoformat(),
            "granularity": event.granularity,
        }

    def _actors(self, event: Any) -> list[dict[str, str]]:
        return [
            {"id": link.actor.id, "name": link.actor.name, "kind": link.actor.kind}
            for link in event.actor_links
        ]


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
    id = fields.Str()
    name = fields.Str()
    kind = fields.Str()
    wikidata_id = fields.Str(allow_none=True)
    origin = fields.Str()
    names = fields.Method("_names")
    event_count = fields.Int()

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


def published_text(article: Any) -> str:
    """The publication date as the client sent it: a date, or a datetime in the offset it was sent with."""
    if not article.published_time_known:
        return article.published_date.isoformat()
    offset = timezone(timedelta(seconds=article.published_offset or 0))
    return article.published_at.astimezone(offset).isoformat()


def dump_actor(actor: Any, event_count: int) -> dict[str, Any]:
    data = ActorOut().dump(actor)
    data["event_count"] = event_count
    return data
