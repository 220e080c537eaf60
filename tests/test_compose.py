"""docker-compose.yml and the Dockerfile agree with the code (no Docker engine runs here)."""

from __future__ import annotations

import json
import shlex
from pathlib import Path

import pytest
import yaml
from sqlalchemy.engine import make_url

from service import config

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load((ROOT / "docker-compose.yml").read_text())


def test_services_have_health_checks_and_a_named_volume(compose):
    assert set(compose["services"]) == {"postgres", "api"}
    for service in compose["services"].values():
        assert service["healthcheck"]["test"]
    assert "pgdata" in compose["volumes"]
    assert "pgdata:/var/lib/postgresql/data" in compose["services"]["postgres"]["volumes"]
    assert compose["services"]["api"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_api_runs_gunicorn_on_the_app_factory_and_the_published_port(compose):
    api = compose["services"]["api"]
    command = api["command"]
    assert command[0] == "gunicorn" and command[-1] == "app:app" and "--preload" in command
    bind = command[command.index("--bind") + 1]
    assert bind.endswith(":5000") and "5000:5000" in api["ports"]
    assert "/readyz" in " ".join(api["healthcheck"]["test"])
    import app  # noqa: F401  the module gunicorn loads must expose `app`

    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd_line = next(line for line in dockerfile.splitlines() if line.startswith("CMD"))
    assert "app:app" in cmd_line and "gunicorn" in cmd_line
    assert "requirements.txt" in dockerfile
    for path in shlex.split(
        " ".join(line[5:] for line in dockerfile.splitlines() if line.startswith("COPY"))
    ):
        if path not in (".", "./", "./service", "./migrations"):
            assert (ROOT / path).exists(), f"Dockerfile copies a missing {path}"


def test_database_url_matches_the_postgres_service(compose, monkeypatch):
    env = compose["services"]["api"]["environment"]
    postgres = compose["services"]["postgres"]["environment"]
    url = make_url(env["DATABASE_URL"])
    assert url.drivername == "postgresql+psycopg"
    assert (url.host, url.port) == ("postgres", 5432)
    assert (url.username, url.password, url.database) == (
        postgres["POSTGRES_USER"],
        postgres["POSTGRES_PASSWORD"],
        postgres["POSTGRES_DB"],
    )
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = config.from_environment()
    assert set(env) <= set(settings), "every variable compose sets is one the service reads"
    assert settings["DATABASE_URL"] == env["DATABASE_URL"]
    assert settings["MAX_CONTENT_LENGTH"] == int(env["MAX_CONTENT_LENGTH"])


def _gunicorn_settings() -> dict:
    """The settings gunicorn reads from gunicorn.conf.py (names it does not know are ignored)."""
    import runpy

    from gunicorn.config import Config

    known = Config().settings
    values = runpy.run_path(str(ROOT / "gunicorn.conf.py"))
    return {name: value for name, value in values.items() if name in known}


def test_gunicorn_runs_with_the_repositorys_config_in_compose_and_the_image(compose):
    command = compose["services"]["api"]["command"]
    assert command[command.index("--config") + 1] == "gunicorn.conf.py"
    dockerfile = (ROOT / "Dockerfile").read_text()
    cmd = json.loads(next(line for line in dockerfile.splitlines() if line.startswith("CMD"))[4:])
    assert cmd[cmd.index("--config") + 1] == "gunicorn.conf.py"
    copied = " ".join(line for line in dockerfile.splitlines() if line.startswith("COPY"))
    assert "gunicorn.conf.py" in copied.split()


def test_gunicorns_request_limits_sit_above_the_apps():
    gunicorn = _gunicorn_settings()
    app = config.from_environment()
    longest_request_line = len("OPTIONS ") + app["MAX_URL_LENGTH"] + len(" HTTP/1.1")
    assert longest_request_line < gunicorn["limit_request_line"] <= 8190  # gunicorn caps it at 8190
    assert gunicorn["limit_request_field_size"] > app["MAX_HEADER_FIELD_SIZE"]
    assert gunicorn["limit_request_fields"] > app["MAX_HEADER_FIELDS"]


def test_the_apps_time_limits_end_a_request_before_gunicorn_kills_the_worker():
    timeout = _gunicorn_settings()["timeout"]
    limits = {
        key: value
        for key, value in config.from_environment().items()
        if key.endswith(("_TIMEOUT", "_SECONDS"))
    }
    # A request meets each limit at most once (pool, connect, lock or statement, extraction).
    assert sum(limits.values()) < timeout, limits
