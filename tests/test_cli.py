"""`flask ingest` (JSONL, .txt, directories; idempotent; errors counted) and `flask export`."""

from __future__ import annotations

import json
import re

import pytest

from tests.factories import seed

LINES = [
    {
        "text": "Russian President Vladimir Putin held a phone call with Xi Jinping on 3 March 2023.",
        "published_at": "2023-03-05",
    },
    {
        "text": "أجرى وزير الخارجية التركي هاكان فيدان محادثات في القاهرة يوم 14 مايو 2024.",
        "published_at": "2024-05-16",
    },
]
TXT = "The Egyptian president held talks with the French president in Cairo on 10 January 2022."


@pytest.fixture
def corpus(tmp_path):
    folder = tmp_path / "corpus"
    (folder / "nested").mkdir(parents=True)
    with (folder / "news.jsonl").open("w", encoding="utf-8") as out:
        for line in LINES:
            out.write(json.dumps(line, ensure_ascii=False) + "\n")
        out.write("{not json\n")
        out.write(json.dumps({"text": "No date given."}) + "\n")
    (folder / "nested" / "cairo.txt").write_text(TXT, encoding="utf-8")
    (folder / "notes.md").write_text("ignored", encoding="utf-8")
    return folder


def _summary(output: str) -> dict[str, int]:
    match = re.search(
        r"articles: (\d+) new, (\d+) duplicate, (\d+) failed; events: (\d+) created, (\d+) merged", output
    )
    assert match, output
    return dict(
        zip(("new", "duplicate", "failed", "created", "merged"), map(int, match.groups()), strict=True)
    )


def test_ingest_directory_counts_errors_and_is_idempotent(app, client, corpus):
    runner = app.test_cli_runner()
    first = runner.invoke(args=["ingest", str(corpus), "--published", "2022-01-12", "--source", "wire"])
    assert first.exit_code == 0, first.output
    counts = _summary(first.output)
    assert (counts["new"], counts["duplicate"], counts["failed"]) == (3, 0, 2)
    assert counts["created"] >= 3
    assert "news.jsonl:3: failed" in first.stderr and "news.jsonl:4: failed" in first.stderr
    events = client.get("/api/v1/events?limit=500").get_json()["items"]
    assert len(events) == counts["created"]
    articles = client.get("/api/v1/articles").get_json()["items"]
    assert {a["source"] for a in articles} == {"wire"}
    assert "cairo" in {a["title"] for a in articles}

    again = runner.invoke(args=["ingest", str(corpus), "--published", "2022-01-12"])
    assert _summary(again.output) == {"new": 0, "duplicate": 3, "failed": 2, "created": 0, "merged": 0}
    assert len(client.get("/api/v1/events?limit=500").get_json()["items"]) == len(events)


def test_ingest_txt_without_published_fails_that_file_only(app, corpus):
    result = app.test_cli_runner().invoke(
        args=["ingest", str(corpus / "nested" / "cairo.txt"), str(corpus / "news.jsonl")]
    )
    assert result.exit_code == 0
    assert _summary(result.output)["new"] == 2 and _summary(result.output)["failed"] == 3
    assert "needs --published" in result.stderr


def test_ingest_counts_an_event_merged_from_a_second_article(app, tmp_path):
    runner = app.test_cli_runner()
    same = {
        "text": "Putin and Xi Jinping spoke by phone on 3 March 2023, the Kremlin said.",
        "published_at": "2023-03-06",
    }
    (tmp_path / "a.jsonl").write_text(json.dumps(LINES[0]) + "\n", encoding="utf-8")
    (tmp_path / "b.jsonl").write_text(json.dumps(same) + "\n", encoding="utf-8")
    assert _summary(runner.invoke(args=["ingest", str(tmp_path / "a.jsonl")]).output)["created"] == 1
    second = _summary(runner.invoke(args=["ingest", str(tmp_path / "b.jsonl")]).output)
    assert (second["new"], second["created"], second["merged"]) == (1, 0, 1)


def test_export_writes_a_filtered_file(app, session, tmp_path):
    seed(session)
    target = tmp_path / "visits.ics"
    result = app.test_cli_runner().invoke(
        args=["export", "--format", "ics", "--type", "visit", "-o", str(target)]
    )
    assert result.exit_code == 0, result.output
    body = target.read_bytes().decode("utf-8")
    assert body.count("BEGIN:VEVENT") == 1 and "DTEND;VALUE=DATE:20240601\r\n" in body


def test_export_csv_to_stdout_and_rejects_bad_filters(app, session):
    seed(session)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["export", "--format", "csv", "--actor", "xi-jinping"])
    assert result.exit_code == 0
    assert result.output.startswith("\ufeffid,") and len(result.output.strip().splitlines()) == 2
    bad = runner.invoke(args=["export", "--format", "csv", "--from", "2024-02-30"])
    assert bad.exit_code != 0 and "from" in bad.output
