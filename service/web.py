"""Non-API routes: health probes, the OpenAPI document and its rendered docs page."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Blueprint, Response, abort, current_app, render_template, request, send_from_directory
from markupsafe import Markup, escape
from sqlalchemy import text

from service.api import json_response
from service.api.errors import PROBLEM_KINDS, RETRY_AFTER_SECONDS
from service.api.language import LANGUAGES, content_language, response_language
from service.api.openapi import answer, documented, spec_of, to_yaml
from service.api.schemas import HealthOut
from service.migrate import apply_pending

WIDGET_DIR = Path(__file__).resolve().parent / "static" / "widget"

web = Blueprint("web", __name__)

# The page, the widget and Swagger UI load only vendored files from this origin; styles may be
# inline (the page's own, and those vis-timeline and Swagger UI set), scripts may not.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self'",
        "style-src 'self' 'unsafe-inline'",
        "img-src 'self' data:",
        "font-src 'self' data:",
        "connect-src 'self'",
        "object-src 'none'",
        "base-uri 'self'",
        "form-action 'self'",
        "frame-ancestors 'self'",  # the widget embeds as a script, so no other site frames the page
    ]
)
HTML_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Referrer-Policy": "no-referrer",
    "X-Frame-Options": "SAMEORIGIN",  # frame-ancestors for browsers without CSP level 2
}


@web.after_app_request
def security_headers(response: Response) -> Response:
    """nosniff on every answer; CSP, referrer and frame policies on HTML pages."""
    response.headers["X-Content-Type-Options"] = "nosniff"
    if response.mimetype == "text/html":
        for name, value in HTML_HEADERS.items():
            response.headers.setdefault(name, value)
    return response


HTML = {"type": "string"}


@web.get("/healthz")
@documented("The process is up", tag="service", responses={200: answer(HealthOut, "Up.")})
def healthz() -> Response:
    return json_response({"status": "ok"})


@web.get("/readyz")
@documented(
    "The database is reachable",
    tag="service",
    responses={200: answer(HealthOut, "Ready."), 503: answer(HealthOut, "The database is unreachable.")},
)
def readyz() -> Response:
    """200 when the database answers (and a migration left pending at start has run), else 503."""
    try:
        apply_pending(current_app)
        with current_app.extensions["engine"].connect() as connection:
            connection.execute(text("SELECT 1"))
    except Exception as error:  # any driver error means "not ready", never a 500
        headers = {"Retry-After": str(RETRY_AFTER_SECONDS)}
        return json_response({"status": "unavailable", "detail": type(error).__name__}, 503, headers)
    return json_response({"status": "ok"})


@web.get("/openapi.yaml")
@documented(
    "This document",
    tag="service",
    responses={200: answer({"type": "string"}, "OpenAPI 3.1 in YAML.", media_type="application/yaml")},
)
def openapi_document() -> Response:
    """The OpenAPI document generated from the app (the same as the committed openapi.yaml)."""
    return Response(to_yaml(spec_of(current_app)), mimetype="application/yaml")


@web.get("/openapi.json")
@documented(
    "This document in JSON", tag="service", responses={200: answer({"type": "object"}, "OpenAPI 3.1.")}
)
def openapi_json() -> Response:
    return json_response(spec_of(current_app))


@web.get("/docs")
@documented(
    "This document rendered (Swagger UI bundled in the repo, no CDN)",
    tag="service",
    responses={200: answer(HTML, "HTML page.", media_type="text/html")},
)
def docs() -> str:
    return render_template("docs.html")


@web.get("/problems/<kind>")
@documented(
    "What an error's `type` means",
    tag="service",
    description="Each problem+json answer's `type` is `/problems/<kind>`: this page explains the kind.",
    responses={200: answer(HTML, "HTML page.", media_type="text/html")},
)
def problem_type(kind: str) -> str:
    """What an error's `type` means: the page each problem+json answer's `type` points to."""
    if kind not in PROBLEM_KINDS:
        abort(404)
    known = PROBLEM_KINDS[kind]
    meaning = Markup(re.sub(r"`([^`]+)`", r"<code>\1</code>", str(escape(known.meaning))))
    return render_template("problem.html", kind=known, meaning=meaning)


@web.get("/")
@documented(
    "The timeline page (the widget mounted on this service's own API)",
    tag="widget",
    description="In the language of `?lang=` (en or ar; another value is ignored), else of Accept-Language, "
    "else English.",
    responses={200: answer(HTML, "HTML page.", media_type="text/html")},
    localised=True,
)
def index() -> Response:
    """The timeline page, in the language of `?lang=` or else of Accept-Language (English by default)."""
    lang = request.args.get("lang")
    language = response_language({"lang": lang} if lang in LANGUAGES else {})
    return content_language(
        Response(render_template("index.html", lang=language), mimetype="text/html"), language
    )


@web.get("/widget.js")
@documented(
    "The embeddable timeline widget",
    tag="widget",
    description='Mounts into any page: `<div id="timeline"></div><script src="http://HOST:5000/widget.js" '
    'data-api="http://HOST:5000" data-target="#timeline"></script>`. Optional `data-query` adds '
    "/api/v1/events filters. The embedding origin must be listed in CORS_ORIGINS.",
    responses={200: answer({"type": "string"}, "JavaScript.", media_type="text/javascript")},
)
def widget_script() -> Response:
    """The embeddable timeline widget (mounts into the element named by data-target)."""
    response = send_from_directory(WIDGET_DIR, "widget.js", mimetype="text/javascript", max_age=300)
    response.headers["Access-Control-Allow-Origin"] = "*"  # a script any site may load
    return response
