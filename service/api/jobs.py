"""Ingest jobs: submit a batch of articles (202), then follow its progress."""

from __future__ import annotations

from flask import Response, current_app

from service import jobs, usecases
from service.api import api, json_response, parse_batch
from service.api.articles import article_input
from service.api.schemas import ArticleIn, IngestJobOut
from service.db import get_session


@api.post("/ingest-jobs")
def post_ingest_job() -> Response:
    batch = parse_batch(ArticleIn(), current_app.config["INGEST_JOB_MAX_ARTICLES"])
    progress = usecases.submit_ingest_job(
        get_session(), [article_input(data) for data in batch], jobs.enqueuer(current_app)
    )
    location = f"/api/v1/ingest-jobs/{progress.job.id}"
    return json_response(IngestJobOut().dump(progress), 202, {"Location": location})


@api.get("/ingest-jobs/<int:job_id>")
def get_ingest_job(job_id: int) -> Response:
    return json_response(IngestJobOut().dump(usecases.get_ingest_job(get_session(), job_id)))
