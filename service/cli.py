"""Command-line tools: `flask dates`, `reprocess`, `migrate`, `ingest`, `export`, `world-coverage`,
`calendar-vocabulary`, `keys`, `jobs`."""

from __future__ import annotations

import json
import re
import sys
from collections.abc import Callable, Iterator
from contextlib import closing
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import click
from flask import Flask, current_app
from flask.cli import with_appcontext
from marshmallow import ValidationError

from service import exports, usecases
from service.db import session_scope
from service.migrate import upgrade


def register(app: Flask) -> None:
    app.cli.add_command(dates_command)
    app.cli.add_command(reprocess_command)
    app.cli.add_command(migrate_command)
    app.cli.add_command(ingest_command)
    app.cli.add_command(export_command)
    app.cli.add_command(world_coverage_command)
    app.cli.add_command(calendar_vocabulary_command)
    app.cli.add_command(keys_group)
    app.cli.add_command(openapi_group)
    app.cli.add_command(jobs_group)


@click.command("dates")
@click.argument("text", required=False)
@click.option(
    "--published", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Publication date, YYYY-MM-DD."
)
@click.option("--language", default=None, help="ar, en, ... (detected when absent).")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON instead of a table.")
def dates_command(text: str | None, published: datetime, language: str | None, as_json: bool) -> None:
    """Resolve the temporal expressions in TEXT (or standard input) against a publication date."""
    text = text if text is not None else sys.stdin.read()
    expressions = usecases.resolve_dates(text, published.date(), language)
    if as_json:
        from service.api.schemas import ExpressionOut

        payload = {"expressions": ExpressionOut(many=True).dump(expressions)}
        click.echo(json.dumps(payload, ensure_ascii=False, indent=2))
        return
    if not expressions:
        click.echo("no temporal expressions")
    for expression in expressions:
        span = f"{expression.date.start}..{expression.date.end}"
        click.echo(
            f"{expression.start:>5}-{expression.end:<5} {expression.text}  ->  {span} "
            f"({expression.date.granularity}, anchor: {expression.anchor})"
        )


@click.command("reprocess")
@with_appcontext
@click.option("--stale-only", is_flag=True, help="Only articles extracted by an older extractor version.")
def reprocess_command(stale_only: bool) -> None:
    """Re-extract stored articles with the current rules (idempotent)."""
    with session_scope(current_app) as session:
        count = usecases.reprocess_articles(
            session, only_stale=stale_only, budget=current_app.config["EXTRACTION_BUDGET_SECONDS"]
        )
    click.echo(f"reprocessed {count} article(s)")


@click.command("migrate")
@with_appcontext
def migrate_command() -> None:
    """Apply database migrations up to the latest revision."""
    upgrade(current_app.config["DATABASE_URL"])
    click.echo("database is at the latest revision")


# -- ingest and export ------------------------------------------------------------------------------


@dataclass
class IngestSummary:
    new: int = 0
    duplicate: int = 0
    failed: int = 0
    events_created: int = 0
    events_merged: int = 0

    def line(self) -> str:
        return (
            f"articles: {self.new} new, {self.duplicate} duplicate, {self.failed} failed; "
            f"events: {self.events_created} created, {self.events_merged} merged"
        )


@dataclass(frozen=True)
class IngestOptions:
    """What the command line says about every article read: defaults, encoding, headline rule."""

    published: str | None = None
    source: str | None = None
    language: str | None = None
    encoding: str | None = None
    title_line: bool = True

    def defaults(self) -> dict[str, str]:
        """The source and language every article gets unless it names its own."""
        return {k: v for k, v in (("source", self.source), ("language", self.language)) if v}


class BadInput(Exception):
    """A file, line or manifest row that cannot become an article; the message says why."""


STDIN = Path("-")
ARTICLE_SUFFIXES = (".jsonl", ".txt")
MANIFEST_FIELDS = ("path", "published_at", "source", "url", "title", "language")
HEADLINE_MAX = 200
# A first line ending like a sentence is the article's first sentence, not its headline.
_SENTENCE_END = (".", "\u06d4", "\u3002")
_HEADLINE = re.compile(r"\s*(?P<title>[^\n]+?)[ \t\r]*\n[ \t\r]*\n(?P<body>.*)", re.DOTALL)


def _input_files(paths: tuple[Path, ...]) -> list[Path]:
    """The given files, and the .jsonl and .txt files under the given directories, in name order."""
    files: list[Path] = []
    for path in paths:
        if path != STDIN and path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in ARTICLE_SUFFIXES))
        else:
            files.append(path)
    return files


def _decode(data: bytes, encoding: str | None) -> tuple[str, str | None]:
    """The text in the given encoding, else UTF-8 (with or without BOM), else the detected encoding's
    text and that encoding's name."""
    if encoding:
        import codecs

        codec = "utf-8-sig" if codecs.lookup(encoding).name == "utf-8" else encoding
        try:
            return data.decode(codec), None
        except UnicodeDecodeError as error:
            raise BadInput(f"not valid {encoding} (byte {error.start})") from error
    try:
        return data.decode("utf-8-sig"), None
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data).best()
    if best is None:
        raise BadInput("not UTF-8, and no other encoding fits; give --encoding")
    return str(best), best.encoding


def _read_text(path: Path, encoding: str | None, note: Callable[[str], None]) -> str:
    """A file's (or, for `-`, standard input's) text; says on stderr when its encoding was detected."""
    try:
        data = sys.stdin.buffer.read() if path == STDIN else path.read_bytes()
    except OSError as error:
        raise BadInput(f"cannot read: {error.strerror or error}") from error
    text, detected = _decode(data, encoding)
    if not text.strip():
        raise BadInput("empty file")
    if detected:
        note(f"{_name(path)}: not UTF-8, read as {detected} (detected; --encoding overrides)")
    return text


def _name(path: Path) -> str:
    return "<stdin>" if path == STDIN else str(path)


def _headline(text: str) -> tuple[str | None, str]:
    """(title, rest) when the first line is a headline, else (None, text).

    A headline is a first line of at most HEADLINE_MAX characters that does not end with a full stop and
    is followed by a blank line and more text."""
    match = _HEADLINE.match(text)
    if not match:
        return None, text
    title, rest = match["title"].strip(), match["body"]
    if len(title) > HEADLINE_MAX or title.endswith(_SENTENCE_END) or not rest.strip():
        return None, text
    return title, rest


def _text_article(text: str, fallback_title: str | None, options: IngestOptions) -> dict[str, Any]:
    """The raw article of a plain text: its headline (or the fallback) as title, the rest as text."""
    title, body = _headline(text) if options.title_line else (None, text)
    title = title or fallback_title
    return options.defaults() | {"text": body} | ({"title": title} if title else {})


def _jsonl_records(where: str, text: str, options: IngestOptions) -> Iterator[tuple[str, Any]]:
    """(where, raw article or BadInput) per non-blank line of a JSONL text."""
    for number, line in enumerate(text.split("\n"), 1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
        except ValueError as error:
            yield f"{where}:{number}", BadInput(f"not JSON: {error}")
            continue
        if not isinstance(raw, dict):
            yield f"{where}:{number}", BadInput("each line must be a JSON object")
            continue
        yield f"{where}:{number}", options.defaults() | raw


def _records(path: Path, options: IngestOptions, note: Callable[[str], None]) -> Iterator[tuple[str, Any]]:
    """(where, raw article or BadInput) per article in a file: one per JSONL line, one per .txt file or
    standard input."""
    where = _name(path)
    try:
        if path != STDIN and path.suffix not in ARTICLE_SUFFIXES:
            raise BadInput("not a .jsonl or .txt file (list other files in a --manifest)")
        if path.suffix != ".jsonl" and not options.published:
            kind = "standard input" if path == STDIN else "a .txt file"
            raise BadInput(f"{kind} needs --published YYYY-MM-DD (or list it in a --manifest)")
        text = _read_text(path, options.encoding, note)
    except BadInput as error:
        yield where, error
        return
    if path.suffix == ".jsonl":
        yield from _jsonl_records(where, text, options)
        return
    stem = None if path == STDIN else path.stem
    yield where, _text_article(text, stem, options) | {"published_at": options.published}


def _manifest_rows(manifest: Path, text: str) -> Iterator[tuple[str, dict[str, Any] | BadInput]]:
    """(where, row or BadInput) per row of a manifest: JSONL (by suffix or a leading `{`) or CSV with a
    header."""
    if manifest.suffix in (".jsonl", ".ndjson") or text.lstrip().startswith("{"):
        for number, line in enumerate(text.split("\n"), 1):
            if not line.strip():
                continue
            try:
                row = json.loads(line)
            except ValueError as error:
                yield f"{manifest}:{number}", BadInput(f"not JSON: {error}")
                continue
            yield f"{manifest}:{number}", row if isinstance(row, dict) else BadInput("not a JSON object")
        return
    import csv
    import io

    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = [name.strip() for name in reader.fieldnames or ()]
    unknown = [name for name in header if name and name not in MANIFEST_FIELDS]
    if "path" not in header or unknown:
        problem = f"unknown column(s) {', '.join(unknown)}" if unknown else "no path column"
        yield str(manifest), BadInput(f"{problem}; the header names {', '.join(MANIFEST_FIELDS)}")
        return
    reader.fieldnames = header
    for row in reader:
        where = f"{manifest}:{reader.line_num}"
        if None in row:
            yield where, BadInput("more cells than the header has columns")
            continue
        yield where, {name: value.strip() for name, value in row.items() if name and value and value.strip()}


def _manifest_records(
    manifest: Path, options: IngestOptions, note: Callable[[str], None]
) -> Iterator[tuple[str, Any]]:
    """(where, raw article or BadInput) per manifest row: the text file it names, with the row's
    published_at, source, url, title and language (paths relative to the manifest)."""
    try:
        text = _read_text(manifest, options.encoding, note)
    except BadInput as error:
        yield str(manifest), error
        return
    for where, row in _manifest_rows(manifest, text):
        if isinstance(row, BadInput):
            yield where, row
            continue
        relative = row.pop("path", None)
        if not isinstance(relative, str) or not relative.strip():
            yield where, BadInput("the row has no path")
            continue
        where, target = f"{where} ({relative})", manifest.parent / relative
        try:
            if target.suffix == ".jsonl":
                raise BadInput("a manifest row is one text article; give .jsonl files as arguments")
            body = _read_text(target, options.encoding, note)
        except BadInput as error:
            yield where, error
            continue
        yield where, _text_article(body, target.stem, options) | row


def _count(path: Path, manifest: bool = False) -> int:
    """About how many articles a file holds, for the progress bar; never fails."""
    if path == STDIN or (path.suffix != ".jsonl" and not manifest):
        return 1
    try:
        with path.open("rb") as lines:
            count = sum(1 for line in lines if line.strip())
    except OSError:
        return 1
    csv_header = manifest and path.suffix not in (".jsonl", ".ndjson")
    return max(1, count - csv_header)


def _reason(error: Exception) -> str:
    """Why an article failed, on one line."""
    if isinstance(error, ValidationError) and isinstance(error.messages, dict):
        return "; ".join(
            f"{field}: {' '.join(map(str, messages)) if isinstance(messages, list) else messages}"
            for field, messages in error.messages.items()
        )
    lines = [line.strip() for line in str(error).splitlines() if line.strip()]
    return lines[0] if lines else type(error).__name__


def _check_published(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    from service.api.schemas import PublishedAt

    if value is not None:
        try:
            PublishedAt().deserialize(value)
        except ValidationError as error:
            raise click.BadParameter(" ".join(map(str, error.messages))) from error
    return value


def _check_encoding(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    import codecs

    if value is not None:
        try:
            codecs.lookup(value)
        except LookupError as error:
            raise click.BadParameter(f"unknown encoding {value!r}") from error
    return value


@click.command("ingest")
@with_appcontext
@click.argument("paths", nargs=-1, type=click.Path(exists=True, allow_dash=True, path_type=Path))
@click.option(
    "--manifest",
    "manifests",
    multiple=True,
    type=click.Path(exists=True, dir_okay=False, path_type=Path),
    help="CSV (with a header) or JSONL: path, published_at and optional source, url, title, language "
    "per text file; paths relative to the manifest. Repeatable.",
)
@click.option(
    "--published",
    callback=_check_published,
    help="Publication date (YYYY-MM-DD or ISO datetime with offset) for .txt files and `-`.",
)
@click.option("--source", help="Source name for articles that do not name one.")
@click.option("--language", help="ar, en, ... (detected when absent).")
@click.option(
    "--encoding",
    callback=_check_encoding,
    help="Read every file in this encoding (default: UTF-8, else detected).",
)
@click.option(
    "--title-line/--no-title-line",
    default=True,
    show_default=True,
    help="Take a text's first line as its title when it is a headline "
    "(short, no final full stop, a blank line after).",
)
@click.option(
    "--async",
    "submit",
    is_flag=True,
    help="Submit the valid articles as one ingest job for the workers and print its id "
    "(`flask jobs status ID` follows it) instead of ingesting them here.",
)
def ingest_command(
    paths: tuple[Path, ...],
    manifests: tuple[Path, ...],
    published: str | None,
    source: str | None,
    language: str | None,
    encoding: str | None,
    title_line: bool,
    submit: bool,
) -> None:
    """Ingest articles from JSONL files (one article per line), .txt files, directories, `-` (standard
    input) and manifests; idempotent. Exits 1 when anything failed."""
    from tqdm import tqdm

    from service.api.schemas import ArticleIn

    if not paths and not manifests:
        raise click.UsageError("give files, directories, '-' (standard input) or --manifest FILE")
    options = IngestOptions(published, source, language, encoding, title_line)
    sources = [(path, False) for path in _input_files(paths)] + [(m, True) for m in manifests]
    counts = [_count(path, manifest=is_manifest) for path, is_manifest in sources]
    summary = IngestSummary()
    schema = ArticleIn()
    batch: list[usecases.ArticleInput] = []
    with (
        session_scope(current_app) as session,
        tqdm(total=sum(counts), unit="article", file=sys.stderr) as progress,
    ):

        def note(message: str) -> None:
            progress.write(message, file=sys.stderr)

        for (path, is_manifest), count in zip(sources, counts, strict=True):
            records = _manifest_records(path, options, note) if is_manifest else _records(path, options, note)
            seen = 0
            for where, raw in records:
                seen += 1
                progress.update(1)
                try:
                    if isinstance(raw, BadInput):
                        raise raw
                    data = schema.load(raw)
                    moment = data.pop("published_at")
                    article = usecases.ArticleInput(
                        published_at=moment["instant"],
                        published_date=moment["date"],
                        published_time_known=moment["time_known"],
                        **data,
                    )
                    if submit:
                        batch.append(article)
                        continue
                    stored, created, merged = usecases.ingest_counted(
                        session, article, current_app.config["EXTRACTION_BUDGET_SECONDS"]
                    )
                except Exception as error:  # one bad article must not stop the run
                    session.rollback()
                    summary.failed += 1
                    note(f"{where}: failed: {_reason(error)}")
                    continue
                if stored:
                    summary.new += 1
                    summary.events_created += created
                    summary.events_merged += merged
                else:
                    summary.duplicate += 1
            progress.update(max(0, count - seen))
        if submit:
            _submit_job(session, batch, summary.failed)
            return
    click.echo(summary.line())
    if summary.failed:
        raise SystemExit(1)


def _submit_job(session: Any, batch: list[usecases.ArticleInput], failed: int) -> None:
    """Submit the articles read as one ingest job (in jobs of at most INGEST_JOB_MAX_ARTICLES)."""
    from service import jobs

    if not batch:
        raise click.ClickException("no valid article to submit")
    limit = current_app.config["INGEST_JOB_MAX_ARTICLES"]
    for start in range(0, len(batch), limit):
        try:
            progress = usecases.submit_ingest_job(
                session, batch[start : start + limit], jobs.enqueuer(current_app)
            )
        except usecases.QueueUnavailable as error:
            raise click.ClickException("the task queue is unavailable; nothing more was submitted") from error
        click.echo(progress.job.id)
        click.echo(f"submitted ingest job {progress.job.id}: {progress.job.total} article(s)", err=True)
    if not current_app.config["CELERY_BROKER_URL"]:
        click.echo("no CELERY_BROKER_URL: the job runs in this process, which ends when it is done", err=True)
    if failed:
        click.echo(f"{failed} article(s) could not be read or were invalid (see above)", err=True)
        raise SystemExit(1)


@click.command("export")
@with_appcontext
@click.option("--format", "format_", required=True, type=click.Choice(sorted(exports.FORMATS)))
@click.option("--actor", multiple=True, help="Actor id or name (any script); repeatable.")
@click.option("--type", "types", multiple=True, help="Event type; repeatable.")
@click.option("--from", "date_from", help="Events ending on or after YYYY-MM-DD.")
@click.option("--to", "date_to", help="Events starting on or before YYYY-MM-DD.")
@click.option("--location", help="Place id or name.")
@click.option("--status", help="past or planned.")
@click.option("--article-id", type=int)
@click.option("--min-confidence", type=float)
@click.option("--q", help="Text in the title or a mention's sentence.")
@click.option(
    "-o", "--output", type=click.Path(dir_okay=False, path_type=Path), help="File (default: stdout)."
)
def export_command(format_: str, output: Path | None, **filters: Any) -> None:
    """Write the events matching the filters as TimelineJS JSON, iCalendar, CSV or GeoJSON."""
    from service.api.events import filters_from
    from service.api.exports import EXPORT_EXCLUDE, ExportQuery
    from service.api.schemas import dump_events

    raw = {
        "format": format_,
        "actor": list(filters.pop("actor")),
        "type": list(filters.pop("types")),
        "from": filters.pop("date_from"),
        "to": filters.pop("date_to"),
    } | filters
    try:
        query = ExportQuery(exclude=EXPORT_EXCLUDE).load({k: v for k, v in raw.items() if v is not None})
    except ValidationError as error:
        raise click.UsageError(json.dumps(error.messages, ensure_ascii=False)) from error
    stream = output.open("w", encoding="utf-8", newline="") if output else sys.stdout
    try:
        with (
            session_scope(current_app) as session,
            closing(usecases.export_batches(session, filters_from(query))) as batches,
        ):
            dumped = (event for batch in batches for event in dump_events(batch))
            for chunk in exports.render(format_, dumped, datetime.now(UTC)):
                stream.write(chunk)
    finally:
        if output:
            stream.close()
    if output:
        click.echo(f"wrote {output} ({format_})", err=True)


@click.command("world-coverage")
@click.option("--first-year", default=2000, show_default=True)
@click.option("--last-year", default=lambda: datetime.now(UTC).year, type=int, help="Default: this year.")
def world_coverage_command(first_year: int, last_year: int) -> None:
    """Print the office-holder coverage matrix: years filled per country and seat."""
    from service.compiled import compiled
    from service.pipeline.world import SEATS, coverage, coverage_ratio

    matrix = coverage(compiled().world, first_year, last_year)
    years = last_year - first_year + 1
    click.echo("country  " + "  ".join(f"{seat:>18}" for seat in SEATS))
    for country, row in matrix.items():
        click.echo(f"{country:<7}  " + "  ".join(f"{f'{row[seat]}/{years}':>18}" for seat in SEATS))
    ratio = coverage_ratio(matrix, first_year, last_year)
    click.echo(f"coverage {first_year}-{last_year}: {ratio:.1%} of country-seat-years")


@click.command("calendar-vocabulary")
@click.argument("languages", nargs=-1, required=True)
def calendar_vocabulary_command(languages: tuple[str, ...]) -> None:
    """Write service/resources/<LANG>/calendar.yaml from dateparser's locale data."""
    from service.pipeline.temporal.lexicon import CALENDAR_NAME
    from service.pipeline.temporal.locale_calendar import render
    from service.resources import RESOURCES_DIR

    for language in languages:
        path = RESOURCES_DIR / language / CALENDAR_NAME
        path.parent.mkdir(exist_ok=True)
        path.write_text(render(language), encoding="utf-8")
        click.echo(f"wrote {path}")


@click.group("jobs")
def jobs_group() -> None:
    """Follow ingest jobs (`flask ingest --async`, POST /api/v1/ingest-jobs) and queue them again."""


@jobs_group.command("status")
@with_appcontext
@click.argument("job_id", type=int)
def jobs_status_command(job_id: int) -> None:
    """Print a job's progress as the API reports it (JSON)."""
    from service.api.schemas import IngestJobOut

    with session_scope(current_app) as session:
        try:
            progress = usecases.get_ingest_job(session, job_id)
        except usecases.NotFound as error:
            raise click.ClickException(f"no ingest job {job_id}") from error
        click.echo(json.dumps(IngestJobOut().dump(progress), ensure_ascii=False, indent=2))


@jobs_group.command("resume")
@with_appcontext
@click.argument("job_id", type=int)
def jobs_resume_command(job_id: int) -> None:
    """Queue a job's unfinished articles again (after a broker lost its tasks or a server stopped)."""
    from service import jobs

    with session_scope(current_app) as session:
        try:
            count = usecases.resume_ingest_job(session, job_id, jobs.enqueuer(current_app))
        except usecases.NotFound as error:
            raise click.ClickException(f"no ingest job {job_id}") from error
        except usecases.QueueUnavailable as error:
            raise click.ClickException("the task queue is unavailable") from error
    click.echo(f"queued {count} pending article(s) of ingest job {job_id} again")


@click.group("keys")
def keys_group() -> None:
    """Create, list and revoke API keys (writes need one once the first exists)."""


@keys_group.command("create")
@with_appcontext
@click.argument("name")
@click.option(
    "--scope",
    type=click.Choice(["write", "read"]),
    default="write",
    show_default=True,
    help="'read' keys may only read (for READS_REQUIRE_KEY); 'write' keys may also write.",
)
def keys_create_command(name: str, scope: str) -> None:
    """Create a key named NAME and print it once (only its hash is stored)."""
    from sqlalchemy.exc import IntegrityError

    from service import auth

    with session_scope(current_app) as session:
        try:
            created = auth.create_key(session, name, scope)
        except IntegrityError as error:
            raise click.ClickException(f"a key named {name!r} already exists") from error
        click.echo(created.secret)
        click.echo(
            f"created {scope} key {created.key.id} ({name}); it is shown only now: store it safely",
            err=True,
        )


@keys_group.command("list")
@with_appcontext
def keys_list_command() -> None:
    """List keys: id, name, prefix, scope, creation and revocation (never the keys themselves)."""
    from service import auth

    with session_scope(current_app) as session:
        keys = auth.list_keys(session)
        if not keys:
            click.echo("no API keys: writes are accepted only from loopback addresses")
        for key in keys:
            click.echo(auth.describe_key(key))


@keys_group.command("revoke")
@with_appcontext
@click.argument("key")
def keys_revoke_command(key: str) -> None:
    """Revoke KEY, given by its id, name or prefix; requests with it are refused from now on."""
    from service import auth

    with session_scope(current_app) as session:
        try:
            revoked = auth.revoke_key(session, key)
        except auth.KeyNotFound as error:
            raise click.ClickException(f"no single API key matches {error}") from error
        click.echo(f"revoked key {revoked.id} ({revoked.name})")


@click.group("openapi")
def openapi_group() -> None:
    """The OpenAPI document generated from the schemas and routes (service/api/openapi.py)."""


@openapi_group.command("write")
@click.argument("path", type=click.Path(dir_okay=False, path_type=Path), required=False)
def openapi_write_command(path: Path | None) -> None:
    """Regenerate openapi.yaml (or write PATH; `-` for standard output)."""
    from service.api.openapi import OPENAPI_PATH, build_spec, to_yaml

    text = to_yaml(build_spec(current_app))
    if str(path) == "-":
        click.echo(text, nl=False)
        return
    target = path or OPENAPI_PATH
    target.write_text(text, encoding="utf-8")
    click.echo(f"wrote {target} ({len(text.splitlines())} lines)")
