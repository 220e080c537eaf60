"""End to end: the five seed articles posted over HTTP into an empty database score as required."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from werkzeug.serving import make_server

from service import create_app
from tests.conftest import shared_path


@pytest.fixture
def server(database_url):
    app = create_app({"DATABASE_URL": database_url, "AUTO_MIGRATE": False})
    http = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=http.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{http.server_port}"
    http.shutdown()
    thread.join()
    app.extensions["engine"].dispose()


def score(server: str, tmp_path: Path, *inputs: str) -> dict:
    """Run the shared scorer against the live server; its metrics as a dict."""
    scorer = shared_path("eval", "score_timeline.py")
    metrics_file = tmp_path / "metrics.json"
    run = subprocess.run(
        [sys.executable, str(scorer), "--base-url", server, *inputs, "--json-out", str(metrics_file)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    print(run.stdout)
    assert run.returncode == 0, run.stderr
    return json.loads(metrics_file.read_text())


def test_seed_timeline_scores(server, tmp_path):
    seeds = shared_path("seeds")
    metrics = score(
        server, tmp_path, "--manifest", str(seeds / "manifest.json"), "--gold", str(seeds / "gold.json")
    )
    assert metrics["ingest_failures"] == 0
    assert metrics["recall"] == 1.0
    assert metrics["date_exact"] >= 0.9
    assert metrics["type_ok"] >= 0.9
    assert metrics["precision"] >= 0.85
    assert metrics["duplicates"] == 0
    assert metrics["merged_sources"] == "1/1"


def test_development_timeline_does_not_regress(server, tmp_path):
    """Our own 20-article set (tests/fixtures/dev_timeline.json): the rules were tuned on it, so
    this guards against regressions rather than measuring generalisation."""
    metrics = score(
        server, tmp_path, "--dataset", str(Path(__file__).parent / "fixtures" / "dev_timeline.json")
    )
    assert metrics["ingest_failures"] == 0
    assert metrics["recall"] >= 0.75
    assert metrics["precision"] >= 0.72  # re-based when its visits and meetings were split into two events
    # 4 since visits and the meetings during them became separate events (README, "How events are
    # read"): a visit-or-meeting gold event split mechanically can leave one of the two unmatched
    assert metrics["duplicates"] <= 4


# The real development set (../shared/dev-news): its floor rises with the score and never falls.
DEV_NEWS_FLOOR = {"recall": 0.9, "precision": 0.88, "date_exact": 0.88}


def test_development_news_scores_above_its_floor(server, tmp_path):
    """35 real articles from outlets the rules were not written for; tuned on, so not held out."""
    metrics = score(server, tmp_path, "--dataset", str(shared_path("dev-news", "dev_news.json")))
    assert metrics["ingest_failures"] == 0
    for metric, floor in DEV_NEWS_FLOOR.items():
        assert metrics[metric] >= floor, (metric, metrics[metric])
    # issue "Extraction that generalises": every multi-source event merged, no duplicates
    assert metrics["duplicates"] == 0
    found, total = metrics["merged_sources"].split("/")
    assert found == total
