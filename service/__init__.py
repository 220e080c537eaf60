"""The event-timeline service: create_app wires config -> database -> resources -> API."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

from flask import Flask

from service import config, db


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app; `test_config` overrides settings read from the environment."""
    app = Flask(__name__)
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]
    app.wsgi_app = _percent_encode_raw_query(app.wsgi_app)  # type: ignore[method-assign]

    db.init_app(app)
    if app.config["AUTO_MIGRATE"]:
        from service.migrate import upgrade_on_start

        upgrade_on_start(app)  # an unreachable database does not stop the start: see migrate.py

    from service.pipeline.resources import validate_resources

    validate_resources()  # fail fast on a broken lexicon or gazetteer

    from service.api import api, errors
    from service.web import web

    app.register_blueprint(api)
    app.register_blueprint(web)
    errors.register(app)

    from service import metrics
    from service.api import caching

    metrics.init_app(app)
    caching.register_cors(app)

    from service import cli

    cli.register(app)
    return app


def _percent_encode_raw_query(wsgi_app: Any) -> Any:
    """Accept unencoded UTF-8 in query strings (`curl '...?actor=بوتين'`), as browsers encode it.

    WSGI hands raw bytes over as latin-1 text (Werkzeug's development server even does so twice);
    undoing that and percent-encoding the bytes lets them be decoded as UTF-8 like any query.
    """

    def middleware(environ: dict[str, Any], start_response: Any) -> Any:
        query = environ.get("QUERY_STRING", "")
        if not query.isascii():
            environ["QUERY_STRING"] = quote(_raw_bytes(query), safe="=&+%;/:,?@!$'()*~")
        return wsgi_app(environ, start_response)

    return middleware


def _raw_bytes(query: str) -> bytes:
    data = query.encode("latin-1", "replace")
    for _ in range(2):
        try:
            data = data.decode("utf-8").encode("latin-1")
        except UnicodeError:
            break
    return data
