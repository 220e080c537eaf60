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
    assert set(compose["services"]) == {"postgres", "rabbitmq", "api", "worker"}
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


def test_the_worker_runs_celery_on_the_broker_and_database_the_api_uses(compose):
    services = compose["services"]
    worker, api, rabbitmq = services["worker"], services["api"], services["rabbitmq"]
    command = worker["command"]
    assert command[:4] == ["celery", "-A", "service.worker", "worker"]
    assert "service.worker" in " ".join(worker["healthcheck"]["test"])
    for name in ("postgres", "rabbitmq"):
        assert worker["depends_on"][name]["condition"] == "service_healthy"
        assert api["depends_on"][name]["condition"] == "service_healthy"
    assert worker["environment"]["DATABASE_URL"] == api["environment"]["DATABASE_URL"]
    broker = make_url(worker["environment"]["CELERY_BROKER_URL"])
    assert broker == make_url(api["environment"]["CELERY_BROKER_URL"])
    assert (broker.drivername, broker.host, broker.port) == ("amqp", "rabbitmq", 5672)
    credentials = rabbitmq["environment"]
    assert (broker.username, broker.password) == (
        credentials["RABBITMQ_DEFAULT_USER"],
        credentials["RABBITMQ_DEFAULT_PASS"],
    )
    assert "rabbitmq:/var/lib/rabbitmq" in rabbitmq["volumes"] and "rabbitmq" in compose["volumes"]
    assert "rabbitmq-diagnostics" in rabbitmq["healthcheck"]["test"]


def test_every_variable_compose_gives_the_worker_is_one_the_service_reads(compose, monkeypatch):
    env = compose["services"]["worker"]["environment"]
    for key, value in env.items():
        monkeypatch.setenv(key, value)
    settings = config.from_environment()
    assert set(env) <= set(settings)
    assert settings["CELERY_BROKER_URL"] == env["CELERY_BROKER_URL"]


def test_the_module_celery_loads_holds_the_celery_app_with_the_ingest_task(monkeypatch, tmp_path):
    import importlib
    import sys

    from celery import Celery

    from service.jobs import TASK_NAME

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'worker.db'}")
    monkeypatch.setenv("CELERY_BROKER_URL", "amqp://guest:guest@127.0.0.1:5672//")
    monkeypatch.setenv("INGEST_JOB_QUEUE", "compose-check")
    monkeypatch.delitem(sys.modules, "service.worker", raising=False)
    worker = importlib.import_module("service.worker")
    try:
        assert not hasattr(worker, "app"), "celery -A would take a Flask `app` for its own"
        assert isinstance(worker.celery, Celery) and TASK_NAME in worker.celery.tasks
        assert worker.celery.conf.task_default_queue == "compose-check"
        assert worker.celery.conf.task_acks_late and worker.celery.conf.task_reject_on_worker_lost
    finally:
        worker.flask_app.extensions["engine"].dispose()
        del sys.modules["service.worker"]


def test_a_worker_without_a_broker_says_what_to_set(monkeypatch, tmp_path):
    import importlib
    import sys

    monkeypatch.setenv("DATABASE_URL", f"sqlite:///{tmp_path / 'worker.db'}")
    monkeypatch.delenv("CELERY_BROKER_URL", raising=False)
    monkeypatch.delitem(sys.modules, "service.worker", raising=False)
    with pytest.raises(SystemExit, match="CELERY_BROKER_URL"):
        importlib.import_module("service.worker")
    sys.modules.pop("service.worker", None)
