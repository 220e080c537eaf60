"""openapi.yaml is generated from the schemas and routes, valid OpenAPI 3.1, and says what the app does."""

from __future__ import annotations

import json

import pytest
import yaml
from openapi_spec_validator import validate

from service import create_app
from service.api.openapi import OPENAPI_PATH, PATH_ARGUMENT, build_spec, to_yaml
from service.api.schemas import MAX_REPEATED


@pytest.fixture(scope="module")
def flask_app(tmp_path_factory):
    return create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('o') / 'x.db'}", "AUTO_MIGRATE": False}
    )


@pytest.fixture(scope="module")
def spec(flask_app) -> dict:
    return build_spec(flask_app)


def test_the_committed_openapi_yaml_is_the_generated_one(flask_app):
    generated = to_yaml(build_spec(flask_app))
    committed = OPENAPI_PATH.read_text(encoding="utf-8")
    assert committed == generated, "openapi.yaml is stale: run `flask openapi write` and commit it"


def test_spec_is_valid_openapi_31(spec):
    assert spec["openapi"].startswith("3.1")
    validate(spec)


def _app_operations(app) -> set[tuple[str, str]]:
    operations = set()
    for rule in app.url_map.iter_rules():
        if rule.endpoint == "static":
            continue
        path = PATH_ARGUMENT.sub(r"{\2}", rule.rule)
        for method in rule.methods - {"HEAD", "OPTIONS"}:
            operations.add((path, method.lower()))
    return operations


def test_every_route_is_documented(spec, flask_app):
    documented = {(path, method) for path, item in spec["paths"].items() for method in item}
    assert _app_operations(flask_app) == documented


def test_servers_are_relative_so_try_it_out_works_on_any_port(spec):
    assert [server["url"] for server in spec["servers"]] == ["/"]


def test_the_served_documents_are_the_generated_one(flask_app, spec):
    client = flask_app.test_client()
    served_yaml = client.get("/openapi.yaml")
    assert served_yaml.mimetype == "application/yaml"
    assert served_yaml.get_data(as_text=True) == to_yaml(spec)
    served_json = client.get("/openapi.json")
    assert served_json.mimetype == "application/json"
    assert served_json.get_json() == json.loads(json.dumps(yaml.safe_load(to_yaml(spec))))


def _parameters(spec: dict, path: str, method: str = "get") -> dict[str, dict]:
    return {p["name"]: p for p in spec["paths"][path][method].get("parameters", [])}


def test_query_parameters_come_from_the_query_schemas(spec):
    events = _parameters(spec, "/api/v1/events")
    assert set(events) == {
        *("actor", "type", "from", "to", "location", "status", "article_id", "min_confidence", "q"),
        *("granularity", "lang", "sort", "limit", "cursor"),
    }
    assert set(_parameters(spec, "/api/v1/timeline")) == set(events) - {"sort"} | {"bucket"}
    assert _parameters(spec, "/api/v1/timeline")["limit"]["schema"]["maximum"] == 2000
    assert set(_parameters(spec, "/api/v1/events/export")) == set(events) - {"sort", "limit", "cursor"} | {
        "format"
    }
    assert _parameters(spec, "/api/v1/events/export")["format"]["required"] is True
    for name in ("actor", "type", "granularity"):
        assert events[name]["schema"]["maxItems"] == MAX_REPEATED
        assert events[name]["style"] == "form" and events[name]["explode"] is True


def test_answers_name_their_fields_and_which_are_always_present(spec):
    schemas = spec["components"]["schemas"]
    event = schemas["Event"]
    assert set(event["required"]) == set(event["properties"]) >= {"id", "date", "actors", "mentions"}
    assert event["properties"]["date"] == {"$ref": "#/components/schemas/DateSpan"}
    assert event["properties"]["actors"]["items"] == {"$ref": "#/components/schemas/ActorRef"}
    bucket = schemas["StatsBucket"]
    assert "by" in bucket["properties"] and "by" not in bucket["required"]
    assert schemas["ArticleIn"]["required"] == ["published_at", "text"]
    assert schemas["ArticleIn"]["additionalProperties"] is False


def test_descriptions_carry_over_from_schemas_and_annotations(spec):
    mention = spec["components"]["schemas"]["Mention"]
    assert "How the date was derived" in mention["properties"]["resolution"]["description"]
    assert mention["description"].startswith("One sentence of one article")
    get_event = spec["paths"]["/api/v1/events/{event_id}"]["get"]
    assert "never reused" in get_event["description"]


def test_conventional_statuses_are_added_by_kind_of_operation(spec):
    def statuses(path: str, method: str) -> set[str]:
        return set(spec["paths"][path][method]["responses"])

    assert statuses("/api/v1/articles", "post") >= {
        "200",
        "201",
        "400",
        "401",
        "403",
        "413",
        "415",
        "422",
        "429",
    }
    assert spec["paths"]["/api/v1/articles"]["post"]["security"] == [{"bearerKey": []}, {}]
    assert "security" not in spec["paths"]["/api/v1/dates/resolve"]["post"]  # computes, stores nothing
    assert statuses("/api/v1/events", "get") >= {"200", "304", "414", "422", "429", "503"}
    assert statuses("/api/v1/events/{event_id}", "get") >= {"200", "304", "308", "404", "410"}
    ok = spec["paths"]["/api/v1/events"]["get"]["responses"]["200"]
    assert set(ok["headers"]) == {"Link", "ETag", "Last-Modified", "Content-Language", "Vary"}
    assert statuses("/healthz", "get") == {"200"}


def test_operations_answering_in_a_language_take_lang_and_say_content_language(spec):
    localised = {
        ("/api/v1/events", "get"),
        ("/api/v1/events/{event_id}", "get"),
        ("/api/v1/timeline", "get"),
        ("/api/v1/events/export", "get"),
        ("/api/v1/actors", "get"),
        ("/api/v1/actors/{actor_id}", "get"),
        ("/api/v1/articles/{article_id}", "get"),
        ("/api/v1/stats/events", "get"),
        ("/api/v1/stats/actors", "get"),
    }
    for path, method in localised:
        assert _parameters(spec, path, method)["lang"]["schema"]["enum"] == ["en", "ar"], path
        ok = spec["paths"][path][method]["responses"]["200"]
        assert {"Content-Language", "Vary"} <= set(ok["headers"]), path
    taking_lang = {
        (path, method)
        for path, item in spec["paths"].items()
        for method in item
        if "lang" in _parameters(spec, path, method)
    }
    assert taking_lang == localised


def test_ingest_jobs_take_a_batch_and_answer_202_with_location(spec):
    post = spec["paths"]["/api/v1/ingest-jobs"]["post"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    assert body["type"] == "array" and body["minItems"] == 1
    assert body["items"] == {"$ref": "#/components/schemas/ArticleIn"}
    assert "JSON Lines" in post["description"]
    accepted = post["responses"]["202"]
    assert "Location" in accepted["headers"]
    assert accepted["content"]["application/json"]["schema"] == {"$ref": "#/components/schemas/IngestJob"}
    assert {"400", "401", "413", "415", "422", "503"} <= set(post["responses"])
    assert post["security"] == [{"bearerKey": []}, {}]
    progress = spec["paths"]["/api/v1/ingest-jobs/{job_id}"]["get"]["responses"]
    assert {"200", "404"} <= set(progress)
    error = spec["components"]["schemas"]["IngestJobError"]["properties"]
    assert set(error) == {"index", "type", "status", "title", "detail"}


def test_problem_responses_name_their_type(spec):
    responses = spec["components"]["responses"]
    assert responses["ValidationFailed"]["content"]["application/problem+json"]["example"]["type"] == (
        "/problems/validation-failed"
    )
    assert "Retry-After" in responses["RateLimited"]["headers"]
