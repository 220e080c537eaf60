"""gunicorn settings: its own limits sit above the app's, so clients meet the app's problem+json.

gunicorn answers some errors itself, in HTML, before the app sees the request; raising its limits
over the app's (service/config.py) leaves those answers to the app: 414 for a long URL and 431 for
large or many headers. What gunicorn still answers itself is listed in docs/USERS.md.
"""

import gc

from service.config import from_environment as _app_settings

_app = _app_settings()

# The request line is method, URL and version; 8190 bytes is the most gunicorn allows (0 would be
# unlimited, read into memory). The app refuses URLs over MAX_URL_LENGTH (4096) first.
limit_request_line = 8190
# Header fields: twice the app's limits, which the app answers with 431.
limit_request_field_size = 2 * _app["MAX_HEADER_FIELD_SIZE"]
limit_request_fields = 2 * _app["MAX_HEADER_FIELDS"]

# A worker busy longer than this is killed and its client gets no answer at all (or gunicorn's
# HTML 500). The app's own time limits (database timeouts, extraction budget) add up to less, so
# a slow request ends as the app's 503 or a stored partial result first.
timeout = 60
graceful_timeout = 30
# Threaded workers: the worker's main thread keeps telling gunicorn it is alive while a request
# thread streams a long export (a full export of a million events takes most of a minute), so
# `timeout` kills hung workers, never a long download; keep-alive connections are served too.
worker_class = "gthread"
threads = 2


def post_worker_init(worker: object) -> None:
    """Load the compiled resources (else read on the first request that needs them), freeze them
    for the garbage collector, and let it run less often."""
    from service.compiled import compiled

    compiled()
    # What is loaded lives as long as the worker, and its large dicts (the gazetteer) made every
    # full collection walk them again; and a collection every 700 new objects ran thousands of
    # times over an export's batches in memory. Together: a quarter of a full export's CPU time.
    gc.collect()
    gc.freeze()
    gc.set_threshold(50_000, 20, 10)


# gunicorn's own lines go through the app's JSON handler (service/logs.py), like the app's, each
# with a request_id (null outside requests). gunicorn's access lines stay off: they would carry
# query strings, and the app logs one line per request without them.
logconfig_dict = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"json": {"()": "service.logs.json_handler"}},
    "root": {"level": "INFO", "handlers": ["json"]},
    "loggers": {
        "gunicorn.error": {"level": "INFO", "handlers": [], "propagate": True, "qualname": "gunicorn.error"},
        "gunicorn.access": {
            "level": "WARNING",
            "handlers": [],
            "propagate": True,
            "qualname": "gunicorn.access",
        },
    },
}


# What the app keeps for the worker's life (modules, mappers, compiled statements, the gazetteer,
# much of it built by the first requests) is frozen out of garbage collection: a full collection
# walked its ~170,000 objects in 40-150 ms, charged to whichever request was running (p99). Frozen
# at start, after a full collection (no request waits yet), and after the 1st, 10th, 100th and
# 1000th request, after collecting the two young generations only (a millisecond), so little of
# what is frozen then is garbage that the collector would have freed.
FREEZE_AFTER_REQUESTS = frozenset({1, 10, 100, 1000})
_served = 0


def post_request(worker: object, req: object, environ: object, resp: object) -> None:
    global _served
    _served += 1
    if _served in FREEZE_AFTER_REQUESTS:
        gc.collect(1)
        gc.freeze()
