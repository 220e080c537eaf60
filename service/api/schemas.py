"""Marshmallow schemas: validate what clients send, serialise what they get back."""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from datetime import UTC, date, datetime, timedelta, timezone
from typing import Any, NamedTuple

from marshmallow import RAISE, Schema, ValidationError, fields, post_dump, validate, validates_schema

from service import names
from service.api.errors import problem_type
from service.api.examples import EXAMPLES
from service.pipeline.titles import title_languages
from service.vocabulary import ACTOR_KINDS, ACTOR_ORIGINS, EVENT_TYPES, GRANULARITIES, RESOLUTIONS, STATUSES


class PublishedAt(fields.Field):
    """A date (YYYY-MM-DD) or a timezone-aware ISO 8601 datetime."""

    # Its JSON Schema (service/api/openapi.py reads a field's `openapi`).
    openapi: dict[str, Any] = {
        "type": "string",
        "anyOf": [{"format": "date"}, {"format": "date-time"}],
        "description": "A date (YYYY-MM-DD) or an ISO 8601 datetime with its offset, returned as sent "
        "(`Z` as `+00:00`). Relative dates in the text resolve against the local date in that offset.",
        "examples": ["2024-05-17", "2024-05-17T09:30:00+03:00"],
    }

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

LANGUAGE_CODE = r"^[a-z]{2,3}$"
# A character that is not whitespace as Python's str.strip sees it, written out because JSON
# Schema's patterns are ECMAScript's, whose \S lets \x1c-\x1f and \x85 through.
NOT_BLANK = r"[^\t\n\x0b\x0c\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]"


class ArticleIn(StrictSchema):
    """An article to ingest: its text and publication date, and what is known about its origin."""

    text = fields.Str(
        required=True,
        validate=validate.Length(min=1, max=1_000_000),
        metadata={"description": "Not blank.", "openapi": {"pattern": NOT_BLANK}},
    )
    published_at = PublishedAt(required=True)
    title = fields.Str(validate=validate.Length(max=500), allow_none=True)
    url = fields.Url(
        validate=validate.Length(max=2000),
        allow_none=True,
        metadata={
            "description": "An absolute http, https, ftp or ftps URL with a domain name, localhost or an "
            "IP address.",
            # what marshmallow's URL validator accepts, so generated clients and tests send valid URLs
            "openapi": {
                "pattern": r"^(https?|ftps?)://([A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,6}"
                r"(:[0-9]{1,5})?(/|[/?#]\S+)?$",
            },
        },
    )
    source = fields.Str(
        validate=validate.Length(max=200), allow_none=True, metadata={"description": "The outlet."}
    )
    language = fields.Str(
        validate=validate.Regexp(LANGUAGE_CODE, error="Must be a language code such as 'ar' or 'en'."),
        allow_none=True,
        metadata={"description": "Detected when absent."},
    )

    @validates_schema
    def _text_not_blank(self, data: dict[str, Any], **kwargs: Any) -> None:
        if "text" in data and not data["text"].strip():
            raise ValidationError("Must not be blank.", "text")


class DatesIn(StrictSchema):
    """A text whose temporal expressions are to be resolved against a publication date."""

    text = fields.Str(required=True, validate=validate.Length(min=1, max=200_000))
    published_at = PublishedAt(required=True)
    language = fields.Str(
        validate=validate.Regexp(LANGUAGE_CODE, error="Must be a language code such as 'ar' or 'en'."),
        allow_none=True,
        metadata={"description": "Detected when absent."},
    )


class ActorIn(StrictSchema):
    """An actor to add; its names are matched in articles ingested afterwards."""

    id = fields.Str(
        validate=validate.Regexp(r"^[\w-]{1,120}$", error="Letters, digits and dashes only."),
        metadata={"description": "Derived from the name when absent."},
    )
    name = fields.Str(
        required=True,
        validate=validate.Length(min=1, max=300),
        metadata={"description": "Canonical English name."},
    )
    kind = fields.Str(required=True, validate=validate.OneOf(ACTOR_KINDS))
    wikidata_id = fields.Str(
        validate=validate.Regexp(r"^Q[1-9][0-9]*$", error="Must look like Q7747."), allow_none=True
    )
    names = fields.Dict(
        keys=fields.Str(validate=validate.Regexp(LANGUAGE_CODE, error="Must be a language code.")),
        values=fields.List(
            fields.Str(validate=validate.Length(min=1, max=300)), validate=validate.Length(max=50)
        ),
        load_default=dict,
        metadata={
            "description": "Names and aliases per language code.",
            "openapi": {"propertyNames": {"pattern": LANGUAGE_CODE}},
        },
    )


class AliasIn(StrictSchema):
    """Another name for an actor, in a language."""

    name = fields.Str(required=True, validate=validate.Length(min=1, max=300))
    language = fields.Str(
        required=True,
        validate=validate.Regexp(LANGUAGE_CODE, error="Must be a language code such as 'ar'."),
    )


class MergeIn(StrictSchema):
    """The actor to merge into: it must exist, be another actor and of the same kind."""

    into = fields.Str(
        required=True,
        validate=validate.Length(min=1, max=120),
        metadata={"description": "The id of the actor to merge into."},
    )


class PageQuery(StrictSchema):
    limit = fields.Int(
        load_default=50, validate=validate.Range(min=1, max=500), metadata={"description": "Items per page."}
    )
    cursor = fields.Str(
        validate=validate.Length(max=500),
        metadata={
            "description": "Opaque: copy `next_cursor` of the previous page, or follow its "
            '`Link: <...>; rel="next"` header. It continues only the query that issued it: with other '
            "filters or another `sort` it answers 422 naming `cursor` (any page size is fine)."
        },
    )


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
        if items and not parts:
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


class LanguageQuery(StrictSchema):
    lang = fields.Str(
        validate=validate.OneOf(title_languages()),
        metadata={
            "description": "The language of event titles and of actor and place names in the response. "
            "Without it the request's Accept-Language decides by its q-values (`ar-EG` counts as `ar`), "
            "else English. Titles are rendered when read, from the event's type, actors and place with "
            "the templates in `service/resources/<lang>/titles.yaml`, so every stored event reads in every "
            "language."
        },
    )


class EventQuery(PageQuery, LanguageQuery):
    actor = CommaList(
        fields.Str(
            validate=validate.Length(max=300, error="Actor '{input}' is longer than {max} characters."),
            metadata={"openapi": {"pattern": r"[^\s,]"}},
        ),
        metadata={
            "description": "Actor id or any name or alias in any script. Several (comma-separated, the "
            "parameter repeated, or both; at most 20 values): events with every one of them."
        },
    )
    type = CommaList(
        fields.Str(validate=one_of(EVENT_TYPES, "event type")),
        metadata={
            "description": "Event types (comma-separated or repeated, at most 20): events of any of them."
        },
    )
    from_ = fields.Date(
        data_key="from",
        metadata={
            "description": "Events whose date interval overlaps [from, to] are returned; `from` after `to` "
            "answers 422."
        },
    )
    to = fields.Date()
    location = fields.Str(
        validate=validate.Length(min=1, max=300),
        metadata={
            "description": "Location id or any of its names, in any script and normalised like article "
            "text: every spelling the pipeline matches a place by (places.yaml aliases too) is stored with "
            "the place."
        },
    )
    status = fields.Str(validate=validate.OneOf(STATUSES))
    article_id = fields.Int(
        validate=validate.Range(min=1, max=2**31 - 1),
        metadata={"description": "Only events with a mention in this article."},
    )
    min_confidence = fields.Float(validate=validate.Range(min=0, max=1))
    q = fields.Str(
        validate=validate.Length(min=1, max=300),
        metadata={
            "description": "Text in the event's title or in a mention's sentence (case-insensitive); `%` and "
            "`_` match themselves, not any characters."
        },
    )
    granularity = CommaList(
        fields.Str(validate=one_of(GRANULARITIES, "granularity")),
        metadata={
            "description": "Only events dated at one of these granularities, e.g. `day,range` to leave out "
            "month- and year-level dates (comma-separated or repeated, at most 20).",
            "example": ["day", "range"],
        },
    )
    sort = fields.Str(load_default="date", validate=validate.OneOf(["date", "-date"]))

    @validates_schema
    def _range_in_order(self, data: dict[str, Any], **kwargs: Any) -> None:
        if data.get("from_") and data.get("to") and data["from_"] > data["to"]:
            raise ValidationError("Must not be after 'to'.", "from")


class TimelineQuery(EventQuery):
    limit = fields.Int(
        load_default=500,
        validate=validate.Range(min=1, max=2000),
        metadata={"description": "Events per page."},
    )
    bucket = fields.Str(load_default="month", validate=validate.OneOf(["day", "month", "year"]))


class ActorQuery(PageQuery, LanguageQuery):
    q = fields.Str(
        validate=validate.Length(min=1, max=300),
        metadata={
            "description": "Part of the canonical name or of any alias, in any script; `%` and `_` match "
            "themselves."
        },
    )
    kind = fields.Str(validate=validate.OneOf(ACTOR_KINDS))


# -- output --------------------------------------------------------------------------------------
# A schema whose name ends in "Out" describes an answer: its component in openapi.yaml drops the
# suffix, and every field is always present unless its metadata says "optional".


def enum(values: tuple[str, ...] | list[str]) -> dict[str, Any]:
    """Metadata listing the values an answer's field takes (validators only check input)."""
    return {"enum": list(values)}


class InLanguage(Schema):
    """An answer whose titles and names are in one language (service/names.py); `Localised` fields
    nested in it answer in the same one."""

    def __init__(self, *args: Any, language: str = names.CANONICAL_LANGUAGE, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.language = language


class Localised(fields.Nested):
    """A nested answer in the language of the schema it is nested in (an event in a page of events)."""

    @property
    def schema(self) -> Schema:
        nested = super().schema
        owner = self.parent
        while isinstance(owner, fields.Field):  # a List's item field: its parent is the List
            owner = owner.parent
        nested.language = getattr(owner, "language", names.CANONICAL_LANGUAGE)
        return nested


IN_RESPONSE_LANGUAGE = "In the response language (`lang`, else Accept-Language)."


class DateSpanOut(Schema):
    """A date interval: first and last day (inclusive) and how precisely it is known."""

    start = fields.Date()
    end = fields.Date(metadata={"description": "The last day (inclusive)."})
    granularity = fields.Str(metadata=enum(GRANULARITIES))


class ActorRefOut(Schema):
    """An actor taking part in an event."""

    id = fields.Str()
    name = fields.Str(metadata={"description": IN_RESPONSE_LANGUAGE})
    kind = fields.Str(metadata=enum(ACTOR_KINDS))


class LocationOut(InLanguage):
    """Where an event took place."""

    id = fields.Str()
    name = fields.Method(
        "_name", metadata={"openapi": {"type": "string"}, "description": IN_RESPONSE_LANGUAGE}
    )
    lat = fields.Float(allow_none=True)
    lon = fields.Float(allow_none=True)

    def _name(self, location: Any) -> str:
        return names.place_name(location, self.language)


class MentionOut(Schema):
    """One sentence of one article that reports the event, with how its date was found."""

    article_id = fields.Int()
    sentence = fields.Str()
    start = fields.Int(
        attribute="span_start",
        metadata={"description": "Sentence start, a character offset into the article text."},
    )
    end = fields.Int(attribute="span_end")
    trigger = fields.Str(metadata={"description": "The words that report the event."})
    expression = fields.Str(
        allow_none=True, metadata={"description": "The temporal expression that dates this mention."}
    )
    expression_start = fields.Int(allow_none=True)
    expression_end = fields.Int(allow_none=True)
    resolution = fields.Str(
        metadata={
            **enum(RESOLUTIONS),
            "description": "How the date was derived: explicit (fully written), publication (relative to the "
            "publication date, or the publication date itself when expression is null), previous (relative "
            "to the date just mentioned), weekday (a weekday resolved by tense), discourse (carried over "
            "from an earlier sentence about the same happening).",
        }
    )
    date = fields.Method("_date", metadata={"openapi": DateSpanOut})
    published_at = fields.Method("_published", metadata={"openapi": PublishedAt.openapi})
    # Provenance: which article reported it, so a mention can be cited without a second request.
    source = fields.Str(
        attribute="article.source",
        allow_none=True,
        metadata={"description": "The reporting article's source (outlet), as ingested."},
    )
    article_title = fields.Str(
        attribute="article.title", allow_none=True, metadata={"description": "The reporting article's title."}
    )
    article_url = fields.Str(
        attribute="article.url", allow_none=True, metadata={"description": "The reporting article's URL."}
    )

    def _date(self, mention: Any) -> dict[str, str]:
        return {
            "start": mention.date_start.isoformat(),
            "end": mention.date_end.isoformat(),
            "granularity": mention.granularity,
        }

    def _published(self, mention: Any) -> str:
        return published_text(mention.article)


class EventOut(InLanguage):
    """A dated event, merged from every mention that reports it."""

    id = fields.Int(
        metadata={"description": "Permanent: never reused, kept through reprocessing and merges."}
    )
    type = fields.Str(metadata=enum(EVENT_TYPES))
    title = fields.Method(
        "_title",
        metadata={
            "openapi": {
                "type": "string",
                "examples": EXAMPLES["event_titles"],
            },
            "description": "Who did what, in the response language, rendered when read from the type, the "
            "actors and the place (`resources/<lang>/titles.yaml`); actor and place names are in that "
            "language too.",
        },
    )
    date = fields.Method("_date", metadata={"openapi": DateSpanOut})
    status = fields.Str(metadata=enum(STATUSES))
    actors = fields.Method("_actors", metadata={"openapi": ActorRefOut(many=True)})
    location = Localised(LocationOut, allow_none=True)
    confidence = fields.Float(validate=validate.Range(min=0, max=1))
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


NEXT_CURSOR = {
    "description": "The cursor of the next page (null on the last one); also in the `Link` header."
}


class EventPageOut(InLanguage):
    """One keyset page of events."""

    items = fields.List(Localised(EventOut))
    next_cursor = fields.Str(allow_none=True, metadata=NEXT_CURSOR)


class EventMergedOut(Schema):
    """Where a merged-away event id went."""

    id = fields.Int(metadata={"description": "The requested, merged-away event id."})
    merged_into = fields.Int(metadata={"description": "The id of the event it merged into."})
    location = fields.Str(metadata={"description": "The URL of that event (also in the Location header)."})


class TimelineBucketOut(InLanguage):
    """The events starting in one day, month or year."""

    key = fields.Str(metadata={"description": "YYYY-MM-DD, YYYY-MM or YYYY of the events' start dates."})
    events = fields.List(Localised(EventOut))


class TimelineOut(InLanguage):
    """Buckets in date order, each with its events in date order."""

    bucket = fields.Str(metadata=enum(["day", "month", "year"]))
    buckets = fields.List(Localised(TimelineBucketOut))
    next_cursor = fields.Str(allow_none=True, metadata=NEXT_CURSOR)


class StatsBucketOut(Schema):
    """Events counted in one interval."""

    key = fields.Str(metadata={"description": "2024-05-17, 2024-W20 (ISO week), 2024-05 or 2024."})
    start = fields.Date(metadata={"description": "First day of the bucket."})
    end = fields.Date(metadata={"description": "Last day of the bucket (inclusive)."})
    count = fields.Int()
    by = fields.Dict(
        keys=fields.Str(),
        values=fields.Int(),
        metadata={
            "optional": True,
            "description": "Counts per series id (only with split; series with no event here left out).",
        },
    )

    @post_dump
    def _by_only_when_split(self, data: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        if data.get("by") is None:
            data.pop("by", None)
        return data


def dump_buckets(buckets: list[Any]) -> list[dict[str, Any]]:
    """stats.Bucket list exactly as StatsBucketOut dumps it, built directly: a split by actor over
    a month of days holds thousands of counts, which marshmallow would check one field at a time."""
    dumped = []
    for bucket in buckets:
        data = {
            "key": bucket.key,
            "start": bucket.start.isoformat(),
            "end": bucket.end.isoformat(),
            "count": bucket.count,
        }
        if bucket.by is not None:
            data["by"] = dict(bucket.by)
        dumped.append(data)
    return dumped


def dump_series(series: list[Any]) -> list[dict[str, Any]]:
    """stats.Series list exactly as StatsSeriesOut dumps it, built directly (a month split by actor
    names hundreds of series: 3-6 ms through marshmallow)."""
    return [{"id": one.id, "name": one.name, "count": one.count} for one in series]


class StatsSeriesOut(Schema):
    """One value of the split, with its name."""

    id = fields.Str(metadata={"description": "Event type, actor id, location id or source."})
    name = fields.Str()
    count = fields.Int(metadata={"description": "Events over the whole range."})


class EventStatsOut(Schema):
    """Event counts per interval, oldest first."""

    interval = fields.Str(metadata=enum(["day", "week", "month", "year"]))
    split = fields.Str(allow_none=True, metadata=enum(["type", "actor", "location", "source"]))
    start = fields.Date(allow_none=True, metadata={"description": "First day of the first bucket."})
    end = fields.Date(allow_none=True, metadata={"description": "Last day of the last bucket."})
    total = fields.Int(metadata={"description": "Events counted (each once)."})
    buckets = fields.List(fields.Nested(StatsBucketOut))
    series = fields.List(
        fields.Nested(StatsSeriesOut),
        metadata={
            "optional": True,
            "description": "Only with split; its values with their names, most events first.",
        },
    )


class StatsRowOut(Schema):
    """One series in one bucket, in long format."""

    time = fields.Str(metadata={"format": "date-time", "description": "Start of the bucket, RFC 3339 UTC."})
    series = fields.Str(metadata={"description": 'The series\' name ("events" without split).'})
    series_id = fields.Str()
    value = fields.Int()


class ActorCountOut(Schema):
    """An actor with the number of matching events it takes part in."""

    id = fields.Str()
    name = fields.Str()
    kind = fields.Str(metadata=enum(ACTOR_KINDS))
    count = fields.Int(metadata={"description": "Number of matching events the actor takes part in."})


class ActorPairOut(Schema):
    """Two actors and the number of matching events they share."""

    actors = fields.List(fields.Nested(ActorCountOut), validate=validate.Length(equal=2))
    count = fields.Int()


class ActorStatsOut(Schema):
    """The most active actors, and the pairs that most often share an event."""

    actors = fields.List(fields.Nested(ActorCountOut))
    pairs = fields.List(fields.Nested(ActorPairOut))


class ArticleOut(Schema):
    """A stored article (without its text in lists)."""

    id = fields.Int()
    title = fields.Str(allow_none=True)
    url = fields.Str(allow_none=True)
    source = fields.Str(allow_none=True)
    language = fields.Str()
    published_at = fields.Method("_published", metadata={"openapi": PublishedAt.openapi})
    ingested_at = fields.DateTime()
    extractor_version = fields.Str()
    extraction_note = fields.Str(
        allow_none=True,
        metadata={
            "description": "Why extraction found less than it might have (its time budget ran out, "
            "it failed)."
        },
    )
    content_hash = fields.Str()

    def _published(self, article: Any) -> str:
        return published_text(article)


class ArticleWithEventsOut(ArticleOut, InLanguage):
    """An article with its text and the events extracted from it."""

    text = fields.Str()
    events = fields.List(Localised(EventOut))


class ArticlePageOut(Schema):
    """One page of articles, newest first."""

    items = fields.List(fields.Nested(ArticleOut))
    next_cursor = fields.Str(allow_none=True, metadata=NEXT_CURSOR)


class ActorOut(InLanguage):
    """An actor, its names per language and its number of events."""

    id = fields.Str()
    name = fields.Method(
        "_name", metadata={"openapi": {"type": "string"}, "description": IN_RESPONSE_LANGUAGE}
    )
    kind = fields.Str(metadata=enum(ACTOR_KINDS))
    wikidata_id = fields.Str(allow_none=True)
    origin = fields.Str(metadata=enum(ACTOR_ORIGINS))
    names = fields.Method(
        "_names",
        metadata={
            "openapi": fields.Dict(keys=fields.Str(), values=fields.List(fields.Str())),
            "description": "Every stored or shipped name, per language code.",
        },
    )
    event_count = fields.Int()

    def _name(self, actor: Any) -> str:
        return names.actor_name(actor, self.language)

    def _names(self, actor: Any) -> dict[str, list[str]]:
        names: dict[str, list[str]] = {}
        for name in actor.names:
            names.setdefault(name.language, []).append(name.name)
        return names


class ActorMergedOut(Schema):
    """Where a merged-away actor id went."""

    id = fields.Str(metadata={"description": "The requested, merged-away actor id."})
    merged_into = fields.Str(metadata={"description": "The id of the actor it merged into."})
    location = fields.Str(metadata={"description": "The URL to follow (also in the Location header)."})


class ActorPageOut(InLanguage):
    """One page of actors ordered by name."""

    items = fields.List(Localised(ActorOut))
    next_cursor = fields.Str(allow_none=True, metadata=NEXT_CURSOR)


class ExpressionOut(Schema):
    """A temporal expression found in the text, with the dates it resolves to."""

    text = fields.Str()
    start = fields.Int()
    end = fields.Int()
    date = fields.Nested(DateSpanOut)
    anchor = fields.Str(metadata=enum(["explicit", "publication", "previous", "weekday"]))


class ExpressionsOut(Schema):
    """The expressions, spans being character offsets into the text as sent."""

    expressions = fields.List(fields.Nested(ExpressionOut))


class HealthOut(Schema):
    """Whether the process (healthz) or the database (readyz) is up."""

    status = fields.Str()
    detail = fields.Str(metadata={"optional": True})


class ProblemOut(Schema):
    """An error (RFC 9457); `type` names its kind (docs/USERS.md, "Errors")."""

    type = fields.Str(
        metadata={
            "format": "uri-reference",
            "description": "`/problems/<kind>`, relative to this service, where a page describes the kind.",
        }
    )
    title = fields.Str()
    status = fields.Int()
    detail = fields.Str(metadata={"optional": True})
    errors = fields.Dict(
        keys=fields.Str(),
        metadata={
            "optional": True,
            "description": "Only with 422: each invalid field or parameter with its messages.",
        },
    )


class IngestJobErrorOut(Schema):
    """An article the job gave up on, by its index in the batch, with a problem's fields."""

    index = fields.Int(metadata={"openapi": {"minimum": 0}, "description": "Its index in the batch, from 0."})
    type = fields.Function(
        lambda item: problem_type(item.problem["status"]),
        metadata={
            "openapi": {"type": "string", "format": "uri-reference"},
            "description": "The problem's kind, as in a problem+json answer (`/problems/<kind>`).",
        },
    )
    status = fields.Function(lambda item: item.problem["status"], metadata={"openapi": {"type": "integer"}})
    title = fields.Function(lambda item: item.problem["title"], metadata={"openapi": {"type": "string"}})
    detail = fields.Function(
        lambda item: item.problem.get("detail"), metadata={"openapi": {"type": ["string", "null"]}}
    )


class IngestJobOut(Schema):
    """A batch of articles being ingested by workers, and how far it got."""

    id = fields.Int(attribute="job.id")
    status = fields.Str(
        metadata={
            **enum(["queued", "running", "completed"]),
            "description": "completed when no article is pending (some may have failed).",
        }
    )
    total = fields.Int(attribute="job.total", metadata={"description": "Articles in the batch."})
    done = fields.Int(metadata={"description": "Articles stored, by this job or before it."})
    created = fields.Int(
        metadata={"description": "Articles this job stored (the rest of `done` were stored before)."}
    )
    failed = fields.Int(metadata={"description": "Articles given up on; see `errors`."})
    pending = fields.Int(metadata={"description": "Articles still waiting for a worker."})
    submitted_at = fields.DateTime(attribute="job.submitted_at")
    finished_at = fields.DateTime(
        allow_none=True, metadata={"description": "When the last article was done or given up on."}
    )
    errors = fields.List(fields.Nested(IngestJobErrorOut))


def published_text(article: Any) -> str:
    """The publication date as the client sent it: a date, or a datetime in the offset it was sent with."""
    if not article.published_time_known:
        return article.published_date.isoformat()
    offset = timezone(timedelta(seconds=article.published_offset or 0))
    return article.published_at.astimezone(offset).isoformat()


def dump_article(article: Any, events: list[Any], language: str = names.CANONICAL_LANGUAGE) -> dict[str, Any]:
    """ArticleWithEventsOut for an article and its events, titles and names in `language`."""
    return ArticleWithEventsOut(exclude=("events",)).dump(article) | {
        "events": EventOut(many=True, language=language).dump(events)
    }


def dump_actor(actor: Any, event_count: int, language: str = names.CANONICAL_LANGUAGE) -> dict[str, Any]:
    return dump_actors([(actor, event_count)], language)[0]


def dump_actors(
    actors: Iterable[tuple[Any, int]], language: str = names.CANONICAL_LANGUAGE
) -> list[dict[str, Any]]:
    """ActorOut of each (actor, event count), through one schema: building a schema per actor cost
    more than dumping it (a page of 50: 5-15 ms)."""
    schema = ActorOut(language=language)
    return [schema.dump(actor) | {"event_count": event_count} for actor, event_count in actors]


def dump_event_batch(batch: Any, language: str = names.CANONICAL_LANGUAGE) -> list[dict[str, Any]]:
    """The events of a store.EventBatch exactly as EventOut dumps them (see dump_events)."""
    return list(dump_events(batch, language))


def dump_events(batch: Any, language: str = names.CANONICAL_LANGUAGE) -> Iterator[dict[str, Any]]:
    """The events of a store.EventBatch exactly as EventOut dumps them, built from rows directly.

    An export serialises every event in the database: plain dicts are many times faster than
    marshmallow over ORM objects (tests/api/test_exports.py checks both agree), and made one at a
    time each is dropped before the next is made (a batch's worth alive at once would keep the
    garbage collector busy). For a language other than the canonical one the batch carries its
    actors' and places' stored names in it. Each actor and place is named once per batch, and its
    dict is shared by the events that list it: read them, never change them.
    """
    actors: dict[str, tuple[_Entity, dict[str, Any]]] = {}
    places: dict[str, tuple[_Entity, dict[str, Any]]] = {}
    for row in batch.events:
        place = None
        if row.location_id is not None:
            if (named := places.get(row.location_id)) is None:
                entity = _Entity(
                    row.location_id,
                    row.location_name,
                    _stored(batch.place_names, row.location_id, language),
                    country=row.location_country,
                )
                out = {
                    "id": entity.id,
                    "name": names.place_name(entity, language),
                    "lat": row.lat,
                    "lon": row.lon,
                }
                named = places[row.location_id] = (entity, out)
            place = named
        listed = []
        for a in batch.actors.get(row.id, ()):
            if (named := actors.get(a.id)) is None:
                entity = _Entity(a.id, a.name, _stored(batch.actor_names, a.id, language), kind=a.kind)
                named = actors[a.id] = (
                    entity,
                    {"id": a.id, "name": names.actor_name(entity, language), "kind": a.kind},
                )
            listed.append(named)
        yield {
            "id": row.id,
            "type": row.type,
            "title": names.title(
                row.type, [entity for entity, _ in listed], place and place[0], row.date_start, language
            ),
            "date": {
                "start": row.date_start.isoformat(),
                "end": row.date_end.isoformat(),
                "granularity": row.granularity,
            },
            "status": row.status,
            "actors": [out for _, out in listed],
            "location": place and place[1],
            "confidence": float(row.confidence),
            "mentions": [_mention_dict(m) for m in batch.mentions.get(row.id, ())],
        }


class _Name(NamedTuple):
    language: str
    name: str


class _Entity(NamedTuple):
    """An actor or place read as plain rows, shaped as service/names.py reads ORM objects (a tuple:
    a page makes one per actor, an export millions)."""

    id: str
    name: str
    names: tuple[_Name, ...]
    kind: str = ""
    country: str | None = None


def _stored(stored: dict[str, list[str]], owner: str, language: str) -> tuple[_Name, ...]:
    found = stored.get(owner)
    return tuple(_Name(language, name) for name in found) if found else ()


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
