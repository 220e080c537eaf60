"""Ingest jobs: submit a batch of articles (202), then follow its progress."""

from __future__ import annotations

from flask import Response, current_app

from service import jobs, usecases
from service.api import JSONL_TYPES, api, json_response, parse_batch
from service.api.articles import article_input
from service.api.examples import EXAMPLES
from service.api.openapi import answer, documented
from service.api.schemas import ArticleIn, IngestJobOut
from service.config import DEFAULT_INGEST_JOB_MAX_ARTICLES
from service.db import get_session


@api.post("/ingest-jobs")
@documented(
    "Submit a batch of articles to be ingested by workers",
    tag="ingest-jobs",
    description="202 at once with the job; workers ingest its articles (each as `POST /api/v1/articles` "
    "would) and `GET` on the Location reports progress. The body is a JSON array of articles; JSON Lines, "
    f"one article per line, is accepted too as {', '.join(f'`{media}`' for media in JSONL_TYPES)} (not "
    "listed below: JSON Schema cannot describe it; a line that is not JSON answers 400 naming it). At "
    f"most `INGEST_JOB_MAX_ARTICLES` ({DEFAULT_INGEST_JOB_MAX_ARTICLES} by default) articles and "
    "`INGEST_JOB_MAX_BYTES` (64 MiB by default). "
    "Every article is validated first: one invalid article refuses the whole batch with 422, whose `errors` "
    "map each bad article's index (from 0) to its fields. Articles stored before count as done, not "
    "created. When the task queue cannot be reached, 503 and no job is created.",
    body={"type": "array", "minItems": 1, "maxItems": DEFAULT_INGEST_JOB_MAX_ARTICLES, "items": ArticleIn},
    body_example=EXAMPLES["ingest_job_articles"],
    responses={
        202: answer(
            IngestJobOut,
            "Accepted; the job waits for workers.",
            headers={
                "Location": {
                    "description": "The job: /api/v1/ingest-jobs/{job_id}.",
                    "schema": {"type": "string"},
                }
            },
        )
    },
)
def post_ingest_job() -> Response:
    batch = parse_batch(ArticleIn(), current_app.config["INGEST_JOB_MAX_ARTICLES"])
    progress = usecases.submit_ingest_job(
        get_session(), [article_input(data) for data in batch], jobs.enqueuer(current_app)
    )
    location = f"/api/v1/ingest-jobs/{progress.job.id}"
    return json_response(IngestJobOut().dump(progress), 202, {"Location": location})


@api.get("/ingest-jobs/<int:job_id>")
@documented(
    "An ingest job's progress and the articles it gave up on",
    tag="ingest-jobs",
    responses={200: answer(IngestJobOut, "The job.")},
)
def get_ingest_job(job_id: int) -> Response:
    return json_response(IngestJobOut().dump(usecases.get_ingest_job(get_session(), job_id)))
