"""openapi.yaml, generated from the marshmallow schemas and each route's @documented annotation.

Adding an endpoint takes three steps:

1. describe what it takes and answers with marshmallow schemas in service/api/schemas.py (an
   answer's schema is named `...Out`; its class docstring and fields' `metadata={"description": ...}`
   become the documentation, `metadata={"openapi": {...}}` adds JSON Schema keywords marshmallow
   cannot express);
2. annotate the view under its route decorator:
       @api.get("/things")
       @documented("List things", tag="things", query=ThingQuery,
                   responses={200: answer(ThingPageOut, "One page of things.")})
   Statuses every operation of its kind has are added here (see `_conventional_problems`): 422 and
   414 with a query schema; 400, 413, 415 and 422 with a body; 401 and 403 for writes; 404 with
   path parameters; 429 and 503 on /api/. Name others in `problems`. A view whose answer depends
   on the language (`lang`, Accept-Language) says `localised=True`: its 2xx answers carry
   Content-Language and Vary;
3. `flask openapi write` and commit openapi.yaml; tests/test_openapi.py fails while it differs.

The document is served as /openapi.yaml and /openapi.json, built once per process from the app.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from copy import deepcopy
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

import yaml
from apispec import APISpec
from apispec.ext.marshmallow import MarshmallowPlugin, OpenAPIConverter
from apispec.ext.marshmallow.common import resolve_schema_cls, resolve_schema_instance
from apispec.ext.marshmallow.field_converter import DEFAULT_FIELD_MAPPING
from flask import Flask
from marshmallow import Schema, fields

from service.api.language import LANGUAGES

View = TypeVar("View", bound=Callable[..., Any])
SchemaLike = type[Schema] | Schema

OPENAPI_PATH = Path(__file__).resolve().parents[2] / "openapi.yaml"  # the committed copy
OPENAPI_VERSION = "3.1.0"
METHODS = ("get", "post", "put", "patch", "delete")
PATH_ARGUMENT = re.compile(r"<(?:(\w+):)?(\w+)>")  # <int:article_id>, <actor_id>


@dataclass(frozen=True)
class Operation:
    """What @documented records on a view; the generator turns it into an OpenAPI operation."""

    summary: str
    tag: str
    description: str | None = None
    query: SchemaLike | None = None
    body: SchemaLike | dict[str, Any] | None = None
    body_example: Any = None
    responses: Mapping[int, dict[str, Any]] = field(default_factory=dict)
    problems: Sequence[int] = ()
    paginated: bool = False  # a Link rel="next" header on 200
    conditional: bool = False  # ETag and Last-Modified on 200, and 304
    localised: bool = False  # Content-Language and Vary on 2xx


def documented(
    summary: str,
    *,
    tag: str,
    description: str | None = None,
    query: SchemaLike | None = None,
    body: SchemaLike | dict[str, Any] | None = None,
    body_example: Any = None,
    responses: Mapping[int, dict[str, Any]],
    problems: Sequence[int] = (),
    paginated: bool = False,
    conditional: bool = False,
    localised: bool = False,
) -> Callable[[View], View]:
    """Record a view's OpenAPI operation (the view itself is unchanged).

    `body` is a schema, or a JSON Schema whose `items` may be one (a batch).
    """
    operation = Operation(
        summary,
        tag,
        description,
        query,
        body,
        body_example,
        responses,
        problems,
        paginated,
        conditional,
        localised,
    )

    def mark(view: View) -> View:
        view.openapi = operation  # type: ignore[attr-defined]
        return view

    return mark


def answer(
    schema: SchemaLike | dict[str, Any] | None,
    description: str,
    *,
    media_type: str = "application/json",
    headers: dict[str, Any] | None = None,
    **content: Any,
) -> dict[str, Any]:
    """A response object: `schema` (a marshmallow schema or a JSON Schema) as `media_type`.

    Extra keywords (example, examples) go beside the schema.
    """
    response: dict[str, Any] = {"description": description}
    if headers:
        response["headers"] = headers
    if schema is not None:
        response["content"] = {media_type: {"schema": schema, **content}}
    return response


# -- what every document says ----------------------------------------------------------------------

INFO = {
    "title": "Event timeline API",
    "version": "1.0.0",
    "summary": "Dated diplomatic events extracted from Arabic and English news, merged into one timeline.",
    "license": {"name": "MIT", "identifier": "MIT"},
    "description": """\
Post articles with their publication date; the service recognises temporal expressions,
resolves them against that date, extracts dated events (summits, calls, visits, talks,
consultations, statements, agreements ...) with actors and places, and merges the same real
event reported by several articles into one timeline event.

**Errors.** Every error is `application/problem+json` (RFC 9457) whose `type` names its kind,
`/problems/<kind>` relative to this service (each is a page; docs/USERS.md lists them).
Validation errors answer **422** with per-field messages in `errors`; a message about a list
names the bad value (`{"type": ["Unknown event type 'vist'. ..."]}`). Malformed JSON answers 400
(also JSON nested too deeply); a non-JSON body 415; an oversized body 413 (chunked or not); an
unknown id 404; a wrong method 405. Text with NUL characters or lone surrogates (such as the JSON
escape `\\ud800`) cannot be stored and answers 422 naming the field. A URL longer than
`MAX_URL_LENGTH` (4096 bytes) answers 414, a header field larger than `MAX_HEADER_FIELD_SIZE`
(8190 bytes) or more than `MAX_HEADER_FIELDS` (100) header fields answer 431.

**Lists and pages.** A parameter that takes several values takes them comma-separated
(`type=visit,phone_call`), repeated (`type=visit&type=phone_call`) or both, at most 20 values.
Lists are keyset paginated: follow `next_cursor`, or the `Link: <...>; rel="next"` header (RFC
8288) that carries the same request with the next cursor. A cursor continues only the query that
issued it; with other filters it answers 422 naming `cursor`.

**Languages.** Event titles and actor and place names are served in English or Arabic: `lang`
when given, else the best of `Accept-Language`, else English. Such answers carry
`Content-Language` and `Vary: Accept-Language`.

**Caching.** Event and timeline responses carry a weak `ETag` and `Last-Modified`; send them back
in `If-None-Match` / `If-Modified-Since` to get **304 Not Modified** while nothing changed.
Browsers on the origins listed in `CORS_ORIGINS` may read the API (and read those headers and
`Link`); they may not write (a write's preflight gets no CORS headers).

**Access control.** Writes (posting and deleting articles, submitting ingest jobs, adding actors
and aliases, merging actors) need an API key, `Authorization: Bearer <key>` (`flask keys create NAME`): 401
without a valid key, 403 when the key may only read. Until the first key is created, clients on
the server's own machine (loopback, not proxied) may write without one. Reads are open unless the server sets
`READS_REQUIRE_KEY` (then they answer 401 without a key too). Every API request is rate limited
per client address and per key (`RATE_LIMIT_READS`, `RATE_LIMIT_WRITES`): 429 with `Retry-After`.
Every response carries an `X-Request-ID` (the client's own, when it sends a short token, or a
generated one).
""",
}
TAGS = [
    {"name": "articles"},
    {
        "name": "ingest-jobs",
        "description": "Batches of articles ingested by workers (Celery), with their progress.",
    },
    {"name": "events"},
    {"name": "actors"},
    {"name": "dates"},
    {
        "name": "exports",
        "description": "Filtered events as TimelineJS JSON, iCalendar, CSV (UTF-8 with BOM) or GeoJSON, "
        "streamed.",
    },
    {"name": "stats", "description": "Dashboard aggregates."},
    {"name": "widget", "description": "The timeline page and the embeddable widget."},
    {"name": "service"},
]
SECURITY_SCHEMES = {
    "bearerKey": {
        "type": "http",
        "scheme": "bearer",
        "description": "An API key from `flask keys create NAME` (shown once; only its hash is stored).",
    }
}
# A write needs a key, except from loopback until the first key exists: hence the empty alternative.
WRITE_SECURITY = [{"bearerKey": []}, {}]
HEADERS = {
    "ETag": {
        "description": "Weak validator of this response; send it back in If-None-Match.",
        "schema": {"type": "string"},
        "example": 'W/"3f1c2a9b0d4e5f60718293a4b5c6d7e8"',
    },
    "LastModified": {
        "description": "When the events behind this response last changed (seconds resolution).",
        "schema": {"type": "string"},
        "example": "Sat, 01 Jun 2024 12:00:00 GMT",
    },
    "Link": {
        "description": 'RFC 8288: `<URL>; rel="next"`, this request with the next page\'s cursor; absent on '
        "the last page.",
        "schema": {"type": "string"},
        "example": '<http://127.0.0.1:5000/api/v1/events?type=visit&cursor=WyI...>; rel="next"',
    },
    "RetryAfter": {
        "description": "Seconds to wait before retrying.",
        "schema": {"type": "integer", "minimum": 1},
    },
    "ContentLanguage": {
        "description": "The language of titles and names in this response (`lang`, else Accept-Language).",
        "schema": {"type": "string", "enum": list(LANGUAGES)},
        "example": "ar",
    },
    "Vary": {
        "description": "Includes Accept-Language: the body depends on it when `lang` is not given.",
        "schema": {"type": "string"},
        "example": "Accept-Language, Origin",
    },
}
NOT_MODIFIED = {
    "description": "The client's copy is current; no body. Send the ETag of an earlier response in "
    "If-None-Match (or its Last-Modified in If-Modified-Since; If-None-Match wins when both are sent).",
    "headers": {
        "ETag": {"$ref": "#/components/headers/ETag"},
        "Last-Modified": {"$ref": "#/components/headers/LastModified"},
    },
}


# -- the generator ---------------------------------------------------------------------------------


class Converter(OpenAPIConverter):
    """apispec's marshmallow converter with this project's conventions (see schemas.py, "output")."""

    # marshmallow's URL validator accepts IRIs (non-ASCII paths), which JSON Schema's "uri" is not
    field_mapping = {**DEFAULT_FIELD_MAPPING, fields.Url: ("string", None)}

    def init_attribute_functions(self) -> None:
        super().init_attribute_functions()
        self.attribute_functions += [self._openapi_metadata, self._nullable_enum]

    def _openapi_metadata(self, field: fields.Field, ret: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """A field's `openapi` (in its metadata or class): JSON Schema keywords, or a stand-in shape."""
        # A dict adds keywords; a schema or a field describes what a Method field returns.
        extra = field.metadata.get("openapi", getattr(field, "openapi", None))
        if extra is None:
            return {}
        if isinstance(extra, dict):
            return deepcopy(extra)
        shape = (
            self.field2property(extra)
            if isinstance(extra, fields.Field)
            else self.resolve_nested_schema(extra)
        )
        ret.clear()  # a Method field has no shape of its own: this one replaces it
        description = field.metadata.get("description")
        return shape | ({"description": description} if description else {})

    def _nullable_enum(self, field: fields.Field, ret: dict[str, Any], **kwargs: Any) -> dict[str, Any]:
        """A field that may be null takes null too when its values are listed in metadata."""
        if field.allow_none and "enum" in ret and None not in ret["enum"]:
            return {"enum": [*ret["enum"], None]}
        return {}

    def schema2jsonschema(self, schema: Any) -> dict[str, Any]:
        jsonschema = super().schema2jsonschema(schema)
        cls = resolve_schema_cls(schema)
        if cls.__doc__ and cls.__doc__.strip():
            jsonschema = {"description": cls.__doc__.strip(), **jsonschema}
        if cls.__name__.endswith("Out"):  # an answer: every field is present unless marked optional
            instance = resolve_schema_instance(schema)
            present = [
                f.data_key or name for name, f in instance.fields.items() if not f.metadata.get("optional")
            ]
            jsonschema["required"] = sorted(present)
        return jsonschema


class Plugin(MarshmallowPlugin):
    Converter = Converter


def component_name(schema: SchemaLike) -> str:
    """ArticleIn -> ArticleIn, EventOut -> Event."""
    return resolve_schema_cls(schema).__name__.removesuffix("Out")


def build_spec(app: Flask) -> dict[str, Any]:
    """The OpenAPI document of every documented route of `app`."""
    from service import auth  # here: auth imports the API package, which imports this module
    from service.api.errors import PROBLEM_KINDS
    from service.api.schemas import ProblemOut

    spec = APISpec(
        title=INFO["title"],
        version=INFO["version"],
        openapi_version=OPENAPI_VERSION,
        plugins=[Plugin(schema_name_resolver=component_name)],
        info={key: value for key, value in INFO.items() if key not in ("title", "version")},
        servers=[{"url": "/", "description": "This service, wherever it runs."}],
        tags=TAGS,
    )
    for name, scheme in SECURITY_SCHEMES.items():
        spec.components.security_scheme(name, scheme)
    for name, header in HEADERS.items():
        spec.components.header(name, deepcopy(header))
    spec.components.schema("Problem", schema=ProblemOut)
    for kind in PROBLEM_KINDS.values():
        spec.components.response(_response_name(kind.slug), _problem_response(kind))
    spec.components.response("NotModified", deepcopy(NOT_MODIFIED))

    for rule in sorted(app.url_map.iter_rules(), key=lambda rule: rule.rule):
        view = app.view_functions[rule.endpoint]
        operation = getattr(view, "openapi", None)
        if operation is None:
            continue  # checked by tests/test_openapi.py: only `static` may be undocumented
        path = PATH_ARGUMENT.sub(r"{\2}", rule.rule)
        for method in METHODS:
            if method.upper() not in rule.methods:
                continue
            writes = method != "get" and rule.endpoint not in auth.READ_ONLY_POSTS
            spec.path(
                path=path,
                operations={method: _operation(rule, view.__name__, operation, writes, PROBLEM_KINDS)},
            )
    document = spec.to_dict()
    document["info"] = {"title": INFO["title"], "version": INFO["version"], **document["info"]}
    return document


def _operation(rule: Any, name: str, operation: Operation, writes: bool, kinds: dict) -> dict[str, Any]:
    """One OpenAPI operation object (marshmallow schemas are resolved by apispec)."""
    parameters = [
        _path_parameter(converter, argument) for converter, argument in PATH_ARGUMENT.findall(rule.rule)
    ]
    if operation.query is not None:
        parameters.append({"in": "query", "schema": operation.query})
    result: dict[str, Any] = {
        "tags": [operation.tag],
        "operationId": _camel_case(name),
        "summary": operation.summary,
    }
    if operation.description:
        result["description"] = operation.description
    if writes:
        result["security"] = WRITE_SECURITY
    if parameters:
        result["parameters"] = parameters
    if operation.body is not None:
        # a JSON Schema is copied: apispec replaces the schemas in it with references
        schema = dict(operation.body) if isinstance(operation.body, dict) else operation.body
        body: dict[str, Any] = {"schema": schema}
        if operation.body_example is not None:
            body["example"] = operation.body_example
        result["requestBody"] = {"required": True, "content": {"application/json": body}}
    responses = {str(status): deepcopy(response) for status, response in operation.responses.items()}
    if operation.localised:
        for status, response in responses.items():
            if status.startswith("2"):
                headers = response.setdefault("headers", {})
                headers["Content-Language"] = {"$ref": "#/components/headers/ContentLanguage"}
                headers["Vary"] = {"$ref": "#/components/headers/Vary"}
    ok = responses.get("200")
    if ok is not None and (operation.paginated or operation.conditional):
        headers = ok.setdefault("headers", {})
        if operation.paginated:
            headers["Link"] = {"$ref": "#/components/headers/Link"}
        if operation.conditional:
            headers["ETag"] = {"$ref": "#/components/headers/ETag"}
            headers["Last-Modified"] = {"$ref": "#/components/headers/LastModified"}
    if operation.conditional:
        responses["304"] = {"$ref": "#/components/responses/NotModified"}
    statuses = _conventional_problems(rule, operation, writes) | set(operation.problems)
    for status in sorted(statuses):
        if str(status) not in responses:
            kind = _kind_for(status, operation, kinds)
            responses[str(status)] = {"$ref": f"#/components/responses/{_response_name(kind)}"}
    result["responses"] = dict(sorted(responses.items()))
    return result


def _conventional_problems(rule: Any, operation: Operation, writes: bool) -> set[int]:
    """The error statuses every operation of this kind can answer."""
    statuses: set[int] = set()
    if rule.rule.startswith("/api/"):
        statuses |= {429, 503}  # rate limits; the database down or busy
    if operation.query is not None:
        statuses |= {414, 422}
    if operation.body is not None:
        statuses |= {400, 413, 415, 422}
    if writes:
        statuses |= {401, 403}
    if rule.arguments:
        statuses.add(404)
    return statuses


def _kind_for(status: int, operation: Operation, kinds: dict) -> str:
    """The problem kind documented for a status: a bad body's 400 is malformed JSON."""
    if status == 400 and operation.body is not None:
        return "malformed-json"
    return next(kind.slug for kind in kinds.values() if kind.status == status)


def _problem_response(kind: Any) -> dict[str, Any]:
    example: dict[str, Any] = {"type": kind.uri, "title": kind.title, "status": kind.status}
    if kind.status == 422:
        example["detail"] = "One or more fields are invalid; see 'errors'."
        example["errors"] = {"type": ["Unknown event type 'vist'. Use any of: visit, phone_call, ..."]}
    response: dict[str, Any] = {
        "description": f"`{kind.uri}`: {kind.meaning}",
        "content": {
            "application/problem+json": {
                "schema": {"$ref": "#/components/schemas/Problem"},
                "example": example,
            }
        },
    }
    if kind.status in (429, 503):
        response["headers"] = {"Retry-After": {"$ref": "#/components/headers/RetryAfter"}}
    if kind.status == 401:
        response["headers"] = {
            "WWW-Authenticate": {"schema": {"type": "string"}, "example": 'Bearer realm="timeline"'}
        }
    return response


def _path_parameter(converter: str, argument: str) -> dict[str, Any]:
    schema = {"type": "integer", "minimum": 1} if converter == "int" else {"type": "string"}
    return {"name": argument, "in": "path", "required": True, "schema": schema}


def _response_name(slug: str) -> str:
    return "".join(part.capitalize() for part in slug.split("-"))


def _camel_case(name: str) -> str:
    first, *rest = name.split("_")
    return first + "".join(part.capitalize() for part in rest)


class _Dumper(yaml.SafeDumper):
    """Multi-line text as literal blocks, no anchors for repeated values."""

    def ignore_aliases(self, data: Any) -> bool:
        return True


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value and not value.startswith((" ", "\n")) and " \n" not in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_Dumper.add_representer(str, _text)
TOP_LEVEL_ORDER = ("openapi", "info", "servers", "tags", "paths", "components")


def to_yaml(document: dict[str, Any]) -> str:
    """The document as YAML, in a fixed order, with Arabic examples readable."""
    ordered = {key: document[key] for key in TOP_LEVEL_ORDER if key in document}
    ordered |= {key: value for key, value in document.items() if key not in ordered}
    return yaml.dump(
        ordered, Dumper=_Dumper, sort_keys=False, allow_unicode=True, width=100, default_flow_style=None
    )


def spec_of(app: Flask) -> dict[str, Any]:
    """The app's document, built on first use and kept for the life of the process."""
    if "openapi" not in app.extensions:
        app.extensions["openapi"] = build_spec(app)
    return app.extensions["openapi"]
