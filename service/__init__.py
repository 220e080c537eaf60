"""The event-timeline service: create_app wires config -> database -> resources -> API."""

from __future__ import annotations

from typing import Any

from flask import Flask

from service import config, db


def create_app(test_config: dict[str, Any] | None = None) -> Flask:
    """Build the Flask app; `test_config` overrides settings read from the environment."""
    app = Flask(__name__)
    app.config.from_mapping(config.from_environment())
    if test_config:
        app.config.update(test_config)
    app.json.ensure_ascii = False  # type: ignore[attr-defined]

    db.init_app(app)
    if app.config["AUTO_MIGRATE"]:
        from service.migrate import upgrade

        upgrade(app.config["DATABASE_URL"])

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
