"""`flask ingest` (JSONL, .txt, directories, manifests, stdin; any encoding; idempotent; a bad file is
reported and the run goes on, exiting 1) and `flask export`."""

from __future__ import annotations

import json
import re

import pytest

from service.cli import IngestOptions, _headline, _text_article
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
    assert first.exit_code == 1, first.output  # two lines failed
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
    assert result.exit_code == 1
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
    first = runner.invoke(args=["ingest", str(tmp_path / "a.jsonl")])
    assert first.exit_code == 0 and _summary(first.output)["created"] == 1
    second = _summary(runner.invoke(args=["ingest", str(tmp_path / "b.jsonl")]).output)
    assert (second["new"], second["created"], second["merged"]) == (1, 0, 1)


ARABIC_HEADLINE = "فيدان في القاهرة"
UNDECODABLE = bytes(range(256)) * 4  # neither UTF-8 nor text in any encoding


def _articles(client) -> dict[str, dict]:
    """Every stored article, with its text, by title."""
    listed = client.get("/api/v1/articles?limit=100").get_json()["items"]
    full = [client.get(f"/api/v1/articles/{a['id']}").get_json() for a in listed]
    return {a["title"]: a for a in full}


def test_ingest_reads_windows_1256_and_reports_bad_files_and_goes_on(app, client, tmp_path):
    folder = tmp_path / "reports"
    folder.mkdir()
    (folder / "0-empty.txt").write_bytes(b"")
    (folder / "1-binary.txt").write_bytes(UNDECODABLE)
    (folder / "2-arabic.txt").write_bytes(f"{ARABIC_HEADLINE}\n\n{LINES[1]['text']}".encode("cp1256"))
    (folder / "3-bom.txt").write_bytes(TXT.encode("utf-8-sig"))
    (tmp_path / "notes.md").write_text("not an article", encoding="utf-8")

    result = app.test_cli_runner().invoke(
        args=["ingest", str(folder), str(tmp_path / "notes.md"), "--published", "2024-05-16"]
    )

    assert result.exit_code == 1
    assert _summary(result.stdout) == {"new": 2, "duplicate": 0, "failed": 3, "created": 2, "merged": 0}
    assert re.search(r"0-empty\.txt: failed: empty file\n", result.stderr)
    assert re.search(
        r"1-binary\.txt: failed: not UTF-8, and no other encoding fits; give --encoding\n", result.stderr
    )
    assert re.search(r"notes\.md: failed: not a \.jsonl or \.txt file", result.stderr)
    assert re.search(r"2-arabic\.txt: not UTF-8, read as cp1256", result.stderr)
    articles = _articles(client)
    assert articles[ARABIC_HEADLINE]["text"] == LINES[1]["text"]
    assert articles["3-bom"]["text"] == TXT  # no BOM left in the text


def test_ingest_encoding_option_forces_the_encoding(app, client, tmp_path):
    short = tmp_path / "call.txt"
    short.write_bytes("اتصال هاتفي بين بوتين وشي جين بينغ في 3 مارس 2023".encode("cp1256"))
    runner = app.test_cli_runner()

    wrong = runner.invoke(args=["ingest", str(short), "--published", "2023-03-05", "--encoding", "utf-8"])
    assert wrong.exit_code == 1 and "call.txt: failed: not valid utf-8 (byte 0)" in wrong.stderr

    right = runner.invoke(args=["ingest", str(short), "--published", "2023-03-05", "--encoding", "cp1256"])
    assert right.exit_code == 0, right.output
    assert _articles(client)["call"]["text"] == "اتصال هاتفي بين بوتين وشي جين بينغ في 3 مارس 2023"

    unknown = runner.invoke(args=["ingest", str(short), "--published", "2023-03-05", "--encoding", "klingon"])
    assert unknown.exit_code == 2 and "unknown encoding 'klingon'" in unknown.output


def test_ingest_csv_manifest_gives_each_file_its_own_date_source_and_url(app, client, tmp_path):
    (tmp_path / "reports").mkdir()
    (tmp_path / "reports" / "cairo.txt").write_text(TXT, encoding="utf-8")
    (tmp_path / "reports" / "fidan.txt").write_text(LINES[1]["text"], encoding="utf-8")
    manifest = tmp_path / "manifest.csv"
    manifest.write_text(
        "path,published_at,source,url\n"
        "reports/cairo.txt,2022-01-12,Wire,https://example.com/cairo\n"
        "reports/fidan.txt,2024-05-16T09:30:00+03:00,Al-Ahram,\n"
        "reports/missing.txt,2024-05-16,,\n"
        "reports/cairo.txt,2022-02-30,,\n",
        encoding="utf-8",
    )

    result = app.test_cli_runner().invoke(args=["ingest", "--manifest", str(manifest)])

    assert result.exit_code == 1
    assert _summary(result.stdout)["new"] == 2 and _summary(result.stdout)["failed"] == 2
    assert "manifest.csv:4 (reports/missing.txt): failed: cannot read: No such file" in result.stderr
    assert "manifest.csv:5 (reports/cairo.txt): failed: published_at: Not a valid date" in result.stderr
    articles = _articles(client)
    cairo, fidan = articles["cairo"], articles["fidan"]
    assert (cairo["published_at"], cairo["source"], cairo["url"]) == (
        "2022-01-12",
        "Wire",
        "https://example.com/cairo",
    )
    assert fidan["published_at"].startswith("2024-05-16T") and fidan["source"] == "Al-Ahram"
    assert fidan["url"] is None


def test_ingest_jsonl_manifest_rows_and_a_manifest_with_unknown_columns(app, client, tmp_path):
    (tmp_path / "call.txt").write_text(LINES[0]["text"], encoding="utf-8")
    rows = tmp_path / "manifest.jsonl"
    rows.write_text(
        json.dumps(
            {"path": "call.txt", "published_at": "2023-03-05", "title": "Putin-Xi call", "language": "en"}
        )
        + "\n{not json\n",
        encoding="utf-8",
    )
    odd = tmp_path / "odd.csv"
    odd.write_text("file,date\ncall.txt,2023-03-05\n", encoding="utf-8")

    result = app.test_cli_runner().invoke(args=["ingest", "--manifest", str(rows), "--manifest", str(odd)])

    assert result.exit_code == 1
    assert _summary(result.stdout)["new"] == 1 and _summary(result.stdout)["failed"] == 2
    assert "manifest.jsonl:2: failed: not JSON" in result.stderr
    assert (
        "odd.csv: failed: unknown column(s) file, date; the header names path, published_at" in result.stderr
    )
    assert _articles(client)["Putin-Xi call"]["language"] == "en"


def test_ingest_reads_one_article_from_stdin(app, client):
    runner = app.test_cli_runner()
    article = f"Putin and Xi speak by phone\n\n{LINES[0]['text']}\n"

    result = runner.invoke(args=["ingest", "-", "--published", "2023-03-05"], input=article)

    assert result.exit_code == 0, result.output
    assert _summary(result.stdout)["new"] == 1
    stored = _articles(client)["Putin and Xi speak by phone"]
    assert stored["text"].strip() == LINES[0]["text"]

    undated = runner.invoke(args=["ingest", "-"], input=article)
    assert undated.exit_code == 1 and "<stdin>: failed: standard input needs --published" in undated.stderr


def test_ingest_without_anything_to_read_is_a_usage_error(app):
    result = app.test_cli_runner().invoke(args=["ingest"])
    assert result.exit_code == 2 and "--manifest" in result.output


@pytest.mark.parametrize(
    ("text", "title"),
    [
        ("Putin and Xi speak by phone\n\nThe Kremlin said on Friday ...", "Putin and Xi speak by phone"),
        ("زيارة فيدان إلى القاهرة\r\n\r\nأجرى وزير الخارجية ...", "زيارة فيدان إلى القاهرة"),
        ("Will Xi visit Moscow?\n\nThe Kremlin said ...", "Will Xi visit Moscow?"),
        ("\n  Leading blank lines are fine  \n\nBody.", "Leading blank lines are fine"),
        ("The president arrived on Monday.\n\nHe met ...", None),  # a sentence, not a headline
        ("A first line\nwith the text right under it\n\nMore.", None),  # no blank line after it
        ("Only a title\n\n", None),  # nothing after it
        ("One line of text only", None),
        ("x" * 201 + "\n\nBody", None),  # too long for a headline
    ],
)
def test_a_text_first_line_is_its_title_when_it_is_a_headline(text, title):
    assert _headline(text)[0] == title
    if title:
        assert _headline(text)[1].strip() == text.split("\n")[-1].strip()


def test_no_title_line_keeps_the_whole_text_and_the_file_name_as_title():
    text = "Putin and Xi speak by phone\n\nThe Kremlin said ..."
    kept = _text_article(text, "call", IngestOptions(title_line=False))
    assert kept == {"text": text, "title": "call"}
    assert _text_article(text, "call", IngestOptions())["title"] == "Putin and Xi speak by phone"


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


def test_ingest_async_submits_a_job_that_jobs_status_follows(app, corpus):
    import time

    runner = app.test_cli_runner()
    submitted = runner.invoke(args=["ingest", "--async", str(corpus / "news.jsonl")])
    assert submitted.exit_code == 1, "the two bad lines are reported"
    job_id = int(submitted.stdout.strip())
    assert "line 3" not in submitted.stdout and "2 article(s) could not be read" in submitted.stderr
    deadline = time.monotonic() + 60
    while True:
        status = runner.invoke(args=["jobs", "status", str(job_id)])
        progress = json.loads(status.stdout)
        if progress["status"] == "completed" or time.monotonic() > deadline:
            break
        time.sleep(0.1)
    assert (progress["total"], progress["created"], progress["failed"]) == (2, 2, 0)
    resumed = runner.invoke(args=["jobs", "resume", str(job_id)])
    assert "queued 0 pending article(s)" in resumed.output
    assert runner.invoke(args=["jobs", "status", "999"]).exit_code != 0
