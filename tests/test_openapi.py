"""openapi.yaml is valid OpenAPI 3.1 and says exactly what the app does."""

from __future__ import annotations

import re

import pytest
import yaml
from openapi_spec_validator import validate

from service import create_app
from service.api import schemas
from service.vocabulary import EVENT_TYPES
from service.web import OPENAPI_PATH


@pytest.fixture(scope="module")
def spec() -> dict:
    return yaml.safe_load(OPENAPI_PATH.read_text(encoding="utf-8"))


@pytest.fixture(scope="module")
def flask_app(tmp_path_factory):
    return create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('o') / 'x.db'}", "AUTO_MIGRATE": False}
    )


def test_spec_is_valid_openapi_31(spec):
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def _app_operations(app) -> set[tuple[str, str]]:
    operations = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operations.add((path, method.lower()))
    return operations


def test_routes_and_spec_agree(spec, flask_app):
    documented = {
        (path, method) for path, item in spec["paths"].items() for method in item if method != "parameters"
    }
    assert _app_operations(flask_app) == documented


@pytest.mark.parametrize(
    "schema, component",
    [
        (schemas.ArticleIn, "ArticleIn"),
        (schemas.ActorIn, "ActorIn"),
        (schemas.AliasIn, "AliasIn"),
        (schemas.MergeIn, "MergeIn"),
        (schemas.DatesIn, "DatesIn"),
        (schemas.EventOut, "Event"),
        (schemas.MentionOut, "Mention"),
        (schemas.ActorOut, "Actor"),
        (schemas.ExpressionOut, "Expression"),
        (schemas.IngestJobOut, "IngestJob"),
        (schemas.IngestJobErrorOut, "IngestJobError"),
    ],
)
def test_component_properties_match_the_marshmallow_schemas(spec, schema, component):
    fields = {field.data_key or name for name, field in schema().fields.items()}
    assert fields == set(spec["components"]["schemas"][component]["properties"])


def test_query_parameters_match_the_schemas(spec):
    def documented(path: str) -> set[str]:
        names = set()
        for parameter in spec["paths"][path]["get"]["parameters"]:
            if "$ref" in parameter:
                parameter = spec["components"]["parameters"][parameter["$ref"].rsplit("/", 1)[1]]
            names.add(parameter["name"])
        return names

    def accepted(schema) -> set[str]:
        return {field.data_key or name for name, field in schema.fields.items()}

    assert documented("/api/v1/events") == accepted(schemas.EventQuery())
    assert documented("/api/v1/timeline") == accepted(schemas.TimelineQuery(exclude=("sort",)))
    assert documented("/api/v1/actors") == accepted(schemas.ActorQuery())
    assert documented("/api/v1/articles") == accepted(schemas.PageQuery())


def test_event_type_vocabulary_is_the_same(spec):
    assert tuple(spec["components"]["schemas"]["EventType"]["enum"]) == EVENT_TYPES
