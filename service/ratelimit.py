"""Rate limits per client address and per API key (Flask-Limiter), answered as 429 problem+json.

Counters live in Redis when REDIS_URL is set, so every worker and machine shares them; otherwise
in each process's memory (each gunicorn worker then counts on its own). Only /api/ is limited.
"""

from __future__ import annotations

import hashlib
import logging
import math
import time

from flask import Flask, Response, current_app, request
from flask_limiter import ApplicationLimit, Limiter, RateLimitExceeded

from service.api.errors import problem
from service.auth import bearer_token, is_write

log = logging.getLogger(__name__)


def client_address() -> str:
    return request.remote_addr or "unknown"


def presented_key() -> str:
    """The key's bucket: a hash of the token sent (never the token itself, which would be stored)."""
    return "key:" + hashlib.sha256((bearer_token() or "").encode()).hexdigest()[:24]


def _limit(name: str) -> str:
    return current_app.config[name]


def init_app(app: Flask) -> Limiter:
    """Limit reads and writes per address, and again per key when one is sent."""
    app.config.setdefault("RATELIMIT_ENABLED", app.config["RATE_LIMITS_ENABLED"])
    no_key = lambda: bearer_token() is None  # noqa: E731
    limiter = Limiter(
        client_address,
        application_limits=[
            ApplicationLimit(
                lambda: _limit("RATE_LIMIT_READS"), scope="reads-by-address", exempt_when=is_write
            ),
            ApplicationLimit(
                lambda: _limit("RATE_LIMIT_WRITES"),
                scope="writes-by-address",
                exempt_when=lambda: not is_write(),
            ),
            ApplicationLimit(
                lambda: _limit("RATE_LIMIT_READS"),
                key_function=presented_key,
                scope="reads-by-key",
                exempt_when=lambda: no_key() or is_write(),
            ),
            ApplicationLimit(
                lambda: _limit("RATE_LIMIT_WRITES"),
                key_function=presented_key,
                scope="writes-by-key",
                exempt_when=lambda: no_key() or not is_write(),
            ),
        ],
        storage_uri=app.config["REDIS_URL"] or "memory://",
        strategy="moving-window",
        key_prefix="timeline",
        # A Redis outage must not take the API down: count in memory until it is back.
        in_memory_fallback_enabled=True,
        swallow_errors=True,
    )
    limiter.init_app(app)
    limiter.request_filter(lambda: not request.path.startswith("/api/"))

    @app.errorhandler(RateLimitExceeded)
    def _too_many(error: RateLimitExceeded) -> Response:
        breached = limiter.current_limit
        wait = max(1, math.ceil(breached.window.reset_time - time.time())) if breached else 1
        response = problem(
            429,
            "Too many requests",
            f"The rate limit of {error.limit.limit} was reached; retry in {wait} s.",
        )
        response.headers["Retry-After"] = str(wait)
        return response

    app.extensions["timeline_limiter"] = limiter
    return limiter
