"""Configuration: defaults overridden by environment variables (nothing else reads os.environ)."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

INSTANCE_DIR = Path(__file__).resolve().parent.parent / "instance"


def default_database_url() -> str:
    """Embedded SQLite in instance/ unless DATABASE_URL names another database."""
    return f"sqlite:///{INSTANCE_DIR / 'timeline.db'}"


def from_environment() -> dict[str, Any]:
    """Settings read from the environment, with their defaults."""
    return {
        "DATABASE_URL": os.environ.get("DATABASE_URL") or default_database_url(),
        "MAX_CONTENT_LENGTH": int(os.environ.get("MAX_CONTENT_LENGTH", str(2 * 1024 * 1024))),
        "CORS_ORIGINS": [o.strip() for o in os.environ.get("CORS_ORIGINS", "").split(",") if o.strip()],
        "AUTO_MIGRATE": os.environ.get("AUTO_MIGRATE", "1") not in ("0", "false", "no"),
        "EXTRACTION_BUDGET_SECONDS": float(os.environ.get("EXTRACTION_BUDGET_SECONDS", "10")),
    }
