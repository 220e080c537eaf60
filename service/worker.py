"""Celery worker entry point: `celery -A service.worker worker` runs ingest jobs' tasks.

Configuration comes from the environment like the API's (CELERY_BROKER_URL, INGEST_JOB_QUEUE,
DATABASE_URL); start as many workers, on as many machines, as the broker and database can serve.
"""

from __future__ import annotations

import gc

from service import create_app, usecases
from service.jobs import CeleryRunner

flask_app = create_app()
if not isinstance(flask_app.extensions["ingest_jobs"], CeleryRunner):
    raise SystemExit("set CELERY_BROKER_URL (e.g. amqp://guest:guest@127.0.0.1:5672//) to run a worker")
celery = flask_app.extensions["ingest_jobs"].celery  # what `celery -A service.worker` looks for

# The matchers are built here, before the pool processes fork: they share them instead of each
# building its own on its first article, and frozen out of the collector's sight, their pages stay shared.
usecases.prepare_extraction()
gc.freeze()
