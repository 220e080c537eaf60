"""Ingest job use cases: every delivery of an item after the first changes nothing."""

from __future__ import annotations

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select

from service import jobs, store, usecases
from service.models import Article, IngestJobItem


def article(number: int) -> usecases.ArticleInput:
    text = f"Turkey's president received the Qatari emir in Ankara on 4 June 2024, statement {number} said."
    return usecases.ArticleInput(
        text=text,
        published_at=datetime(2024, 6, 5, tzinfo=UTC),
        published_date=date(2024, 6, 5),
        published_time_known=False,
        source="Test Wire",
    )


class Recorder:
    """An enqueue that only remembers what it was asked to queue."""

    def __init__(self) -> None:
        self.calls: list[tuple[int, list[int]]] = []

    def __call__(self, job_id: int, indexes) -> None:
        self.calls.append((job_id, list(indexes)))


def articles_stored(session) -> int:
    return session.scalar(select(func.count()).select_from(Article))


def test_submitting_stores_pending_items_then_queues_them(session):
    queued = Recorder()
    progress = usecases.submit_ingest_job(session, [article(0), article(1)], queued)
    assert queued.calls == [(progress.job.id, [0, 1])]
    again = usecases.get_ingest_job(session, progress.job.id)
    assert (again.status, again.pending, again.done, again.finished_at) == ("queued", 2, 0, None)


def test_an_item_delivered_twice_stores_its_article_once(session):
    job = usecases.submit_ingest_job(session, [article(0)], Recorder()).job
    usecases.ingest_job_item(session, job.id, 0)
    usecases.ingest_job_item(session, job.id, 0)  # the broker delivered the task again
    assert articles_stored(session) == 1
    progress = usecases.get_ingest_job(session, job.id)
    assert (progress.status, progress.done, progress.created) == ("completed", 1, 1)
    item = session.get(IngestJobItem, (job.id, 0))
    assert item.payload is None and item.article_id is not None, "the text is not kept twice"


def test_an_article_stored_before_the_job_counts_as_done_not_created(session):
    usecases.ingest_article(session, article(0))
    job = usecases.submit_ingest_job(session, [article(0), article(1)], Recorder()).job
    for index in (0, 1):
        usecases.ingest_job_item(session, job.id, index)
    progress = usecases.get_ingest_job(session, job.id)
    assert (progress.done, progress.created, articles_stored(session)) == (2, 1, 2)


class Killed(BaseException):
    """Stands for the worker process dying in the middle of a transaction."""


def test_a_worker_dying_before_commit_leaves_neither_article_nor_status(session, monkeypatch):
    job = usecases.submit_ingest_job(session, [article(0)], Recorder()).job
    finish = store.finish_job_item

    def die(*args, **kwargs):
        raise Killed

    monkeypatch.setattr(store, "finish_job_item", die)
    with pytest.raises(Killed):
        usecases.ingest_job_item(session, job.id, 0)
    assert articles_stored(session) == 0, "the article commits only with its item's status"
    assert usecases.get_ingest_job(session, job.id).pending == 1
    monkeypatch.setattr(store, "finish_job_item", finish)
    usecases.ingest_job_item(session, job.id, 0)  # the redelivered task
    progress = usecases.get_ingest_job(session, job.id)
    assert (progress.created, articles_stored(session)) == (1, 1)


def test_an_article_that_cannot_be_stored_is_reported_by_index(session, monkeypatch, caplog):
    job = usecases.submit_ingest_job(session, [article(0), article(1)], Recorder()).job

    def broken(*args, **kwargs):
        raise ValueError("a rule broke")

    usecases.ingest_job_item(session, job.id, 0)
    monkeypatch.setattr(usecases, "_add_mentions", broken)
    usecases.ingest_job_item(session, job.id, 1)
    progress = usecases.get_ingest_job(session, job.id)
    assert (progress.status, progress.done, progress.failed) == ("completed", 1, 1)
    assert [(e.index, e.problem["status"]) for e in progress.errors] == [(1, 500)]
    assert "ingest job" in caplog.text and articles_stored(session) == 1


def test_resume_queues_only_the_pending_items(session):
    queued = Recorder()
    job = usecases.submit_ingest_job(session, [article(n) for n in range(3)], queued).job
    usecases.ingest_job_item(session, job.id, 1)
    assert usecases.resume_ingest_job(session, job.id, queued) == 2
    assert queued.calls[-1] == (job.id, [0, 2])
    with pytest.raises(usecases.NotFound):
        usecases.resume_ingest_job(session, 999, queued)


def test_chunks_split_a_job_into_tasks_in_order():
    assert jobs.chunks(range(7), 3) == [[0, 1, 2], [3, 4, 5], [6]]
    assert jobs.chunks([4, 9], 5) == [[4, 9]]
