"""Running ingest jobs: on Celery workers through a broker, or on a thread when no broker is set.

With CELERY_BROKER_URL set, every few articles of a job (INGEST_JOB_CHUNK_SIZE) make one Celery
task. A task is acknowledged only after it ran (acks_late) and goes back to the queue when its
worker dies (reject_on_worker_lost; a broker connection that drops returns it too): delivery is
at least once, and usecases.ingest_job_item makes every delivery after the first a no-op.

Without a broker (the embedded default of `make run`) one thread per serving process runs the same
chunks in submission order, so a newcomer's jobs work with nothing else installed. That thread dies
with its process: `flask jobs resume ID` queues a job's unfinished articles again.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from typing import TYPE_CHECKING, Any, Protocol

from flask import Flask

from service import usecases
from service.db import is_unavailable, session_scope

if TYPE_CHECKING:
    from celery import Celery

log = logging.getLogger(__name__)

TASK_NAME = "service.jobs.ingest_items"
# A task that found the database unavailable tries again this often, after this many seconds.
DATABASE_RETRIES = 60
DATABASE_RETRY_DELAY = 5


class Runner(Protocol):
    def enqueue(self, job_id: int, indexes: Sequence[int]) -> None: ...


def init_app(app: Flask) -> None:
    """Attach the runner the configuration asks for: Celery with a broker URL, else a thread."""
    runner: Runner = CeleryRunner(app) if app.config["CELERY_BROKER_URL"] else ThreadRunner(app)
    app.extensions["ingest_jobs"] = runner


def enqueuer(app: Flask) -> usecases.Enqueue:
    """The function that queues a job's items on this app's runner."""
    return app.extensions["ingest_jobs"].enqueue


def chunks(indexes: Sequence[int], size: int) -> list[list[int]]:
    """The indexes in order, `size` at a time (one task each)."""
    items = list(indexes)
    return [items[start : start + size] for start in range(0, len(items), max(1, size))]


def ingest_items(app: Flask, job_id: int, indexes: Sequence[int]) -> None:
    """Ingest these articles of a job, each in its own transaction (the work of one task)."""
    budget = app.config["EXTRACTION_BUDGET_SECONDS"]
    with session_scope(app) as session:
        for index in indexes:
            usecases.ingest_job_item(session, job_id, index, budget)


class ThreadRunner:
    """Runs a job's chunks one after another on a thread of this process (no broker needed)."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self._executor: ThreadPoolExecutor | None = None
        self._lock = threading.Lock()

    def enqueue(self, job_id: int, indexes: Sequence[int]) -> None:
        with self._lock:  # started on first use: gunicorn --preload forks after create_app
            if self._executor is None:
                self._executor = ThreadPoolExecutor(max_workers=1, thread_name_prefix="ingest-job")
        for chunk in chunks(indexes, self.app.config["INGEST_JOB_CHUNK_SIZE"]):
            future = self._executor.submit(ingest_items, self.app, job_id, chunk)
            future.add_done_callback(_log_failure)

    def join(self) -> None:
        """Wait until the queued chunks are done (before the database goes away, as in tests)."""
        with self._lock:
            executor, self._executor = self._executor, None
        if executor is not None:
            executor.shutdown(wait=True)


def _log_failure(future: Future[None]) -> None:
    error = future.exception()
    if error is not None:
        log.error("an ingest job chunk stopped (flask jobs resume retries it): %s", type(error).__name__)


class CeleryRunner:
    """Queues a job's chunks as Celery tasks on the broker; worker processes anywhere run them."""

    def __init__(self, app: Flask) -> None:
        self.app = app
        self.celery = make_celery(app)

    def enqueue(self, job_id: int, indexes: Sequence[int]) -> None:
        from kombu.exceptions import OperationalError

        try:
            with self.celery.producer_or_acquire() as producer:
                for chunk in chunks(indexes, self.app.config["INGEST_JOB_CHUNK_SIZE"]):
                    self.celery.send_task(TASK_NAME, args=(job_id, chunk), producer=producer)
        except OperationalError as error:
            log.warning("the task queue refused an ingest job: %s", error)
            raise usecases.QueueUnavailable("the task queue is unavailable") from error


def make_celery(app: Flask) -> Celery:
    """A Celery app for the Flask app's broker and queue, with the ingest task registered."""
    from celery import Celery
    from celery.signals import worker_process_init

    celery = Celery(app.import_name)
    celery.conf.update(
        broker_url=app.config["CELERY_BROKER_URL"],
        broker_connection_retry_on_startup=True,
        # The broker confirms each message it stored, so an accepted job's tasks are not lost in flight.
        broker_transport_options={"confirm_publish": True},
        task_default_queue=app.config["INGEST_JOB_QUEUE"],
        task_serializer="json",
        accept_content=["json"],
        task_ignore_result=True,  # progress is in the database: no result backend
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,  # a worker holds one task beyond the one it runs, not four
        # Keep the service's JSON log lines; its handler writes to sys.stderr, so that stays the real one.
        worker_hijack_root_logger=False,
        worker_redirect_stdouts=False,
    )

    @celery.task(name=TASK_NAME, bind=True, max_retries=DATABASE_RETRIES)
    def ingest_items_task(task: Any, job_id: int, indexes: list[int]) -> None:
        if (task.request.delivery_info or {}).get("redelivered"):
            log.info("ingest job %d: articles %s delivered again; those done are skipped", job_id, indexes)
        try:
            ingest_items(app, job_id, indexes)
        except Exception as error:
            if not is_unavailable(error):
                raise
            raise task.retry(exc=error, countdown=DATABASE_RETRY_DELAY) from error

    @worker_process_init.connect(weak=False)
    def _own_connections(**_kwargs: Any) -> None:
        # A forked pool process must not share the parent's pooled database connections.
        app.extensions["engine"].dispose(close=False)

    return celery
