"""Configuration: defaults overridden by environment variables (nothing else reads os.environ)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"
# Articles per ingest job unless INGEST_JOB_MAX_ARTICLES says otherwise (openapi.yaml states it).
DEFAULT_INGEST_JOB_MAX_ARTICLES = 5000


def default_database_url() -> str:
    """Embedded SQLite in instance/ unless DATABASE_URL names another database."""
    return f"sqlite:///{INSTANCE_DIR / 'timeline.db'}"


def default_cache_dir() -> Path:
    """Where compiled resources are cached: $XDG_CACHE_HOME/event-timeline, else instance/cache."""
    xdg = os.environ.get("XDG_CACHE_HOME")
    return Path(xdg) / "event-timeline" if xdg else INSTANCE_DIR / "cache"


def from_environment() -> dict[str, Any]:
    """Settings read from the environment, with their defaults."""
    return {
        "DATABASE_URL": os.environ.get("DATABASE_URL") or default_database_url(),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(2 * 1024 * 1024))),
        "CORS_ORIGINS": [o.strip() for o in os.environ.get("CORS_ORIGINS", "").split(",") if o.strip()],
        # The compiled gazetteer and world data (service/compiled.py); "off" builds them in every process.
        "RESOURCE_CACHE_DIR": _cache_dir(os.environ.get("RESOURCE_CACHE_DIR")),
        "AUTO_MIGRATE": os.environ.get("AUTO_MIGRATE", "1") not in ("0", "false", "no"),
        # Seconds a request may wait on the database: all well below gunicorn's worker timeout
        # (gunicorn.conf.py), so a client gets a 503 it can retry rather than a killed worker.
        "DB_CONNECT_TIMEOUT": _seconds("DB_CONNECT_TIMEOUT", 5),
        "DB_STATEMENT_TIMEOUT": _seconds("DB_STATEMENT_TIMEOUT", 15),
        "DB_LOCK_TIMEOUT": _seconds("DB_LOCK_TIMEOUT", 5),
        "DB_POOL_TIMEOUT": _seconds("DB_POOL_TIMEOUT", 5),
        "SQLITE_BUSY_TIMEOUT": _seconds("SQLITE_BUSY_TIMEOUT", 10),
        # Request limits the app answers with problem+json; gunicorn.conf.py sets gunicorn's above them.
        "MAX_URL_LENGTH": int(os.environ.get("MAX_URL_LENGTH", "4096")),
        "MAX_HEADER_FIELD_SIZE": int(os.environ.get("MAX_HEADER_FIELD_SIZE", "8190")),
        "MAX_HEADER_FIELDS": int(os.environ.get("MAX_HEADER_FIELDS", "100")),
        # Events an export reads per query (three queries per batch); memory grows with it, not the export.
        "EXPORT_BATCH_SIZE": int(os.environ.get("EXPORT_BATCH_SIZE", "2000")),
        # Read responses kept per worker until the next write (service/response_cache.py); 0: off.
        "RESPONSE_CACHE_MB": float(os.environ.get("RESPONSE_CACHE_MB", "32")),
        "EXTRACTION_BUDGET_SECONDS": _seconds("EXTRACTION_BUDGET_SECONDS", 10),
        # Access control (docs/USERS.md): writes always need a key once one exists; reads only if set.
        "READS_REQUIRE_KEY": _flag("READS_REQUIRE_KEY", False),
        # Rate limits per client address and per API key, in the limits library's notation
        # ("100/minute;2000/hour"); generous, as one page view makes several reads.
        "RATE_LIMITS_ENABLED": _flag("RATE_LIMITS_ENABLED", True),
        "RATE_LIMIT_READS": os.environ.get("RATE_LIMIT_READS", "6000/minute"),
        "RATE_LIMIT_WRITES": os.environ.get("RATE_LIMIT_WRITES", "1200/minute"),
        # Shared rate-limit counters (all workers and machines); in-process memory when unset.
        "REDIS_URL": os.environ.get("REDIS_URL") or None,
        # Ingest jobs (POST /api/v1/ingest-jobs, `flask ingest --async`): with a broker URL such as
        # amqp://guest:guest@127.0.0.1:5672// they run on Celery workers (`celery -A service.worker
        # worker`); without one, on a thread of the serving process (README: Running with workers).
        # No result backend: a job's progress is kept in the database.
        "CELERY_BROKER_URL": os.environ.get("CELERY_BROKER_URL") or None,
        "INGEST_JOB_QUEUE": os.environ.get("INGEST_JOB_QUEUE", "ingest"),
        "INGEST_JOB_MAX_ARTICLES": int(
            os.environ.get("INGEST_JOB_MAX_ARTICLES", str(DEFAULT_INGEST_JOB_MAX_ARTICLES))
        ),
        "INGEST_JOB_MAX_BYTES": int(os.environ.get("INGEST_JOB_MAX_BYTES", str(64 * 1024 * 1024))),
        # Articles per task: small enough that a lost worker repeats little and workers share evenly.
        "INGEST_JOB_CHUNK_SIZE": int(os.environ.get("INGEST_JOB_CHUNK_SIZE", "5")),
        # "json" (one object per line, with the request id) or "text" for reading in a terminal.
        "LOG_FORMAT": os.environ.get("LOG_FORMAT", "json"),
        "LOG_LEVEL": os.environ.get("LOG_LEVEL", "INFO"),
    }


def _cache_dir(value: str | None) -> Path | None:
    if value is None or not value.strip():
        return default_cache_dir()
    return None if value.strip().lower() in ("off", "0", "false", "no") else Path(value)


def _flag(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    return default if value is None else value.strip().lower() not in ("0", "false", "no", "off", "")


def _seconds(name: str, default: float) -> float:
    return float(os.environ.get(name, str(default)))
