"""Command-line tools: `flask dates`, `reprocess`, `migrate`, `ingest`, `export`, `world-coverage`,
`calendar-vocabulary`."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterator
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
        count = usecases.reprocess_articles(session, only_stale=stale_only)
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


def _input_files(paths: tuple[Path, ...]) -> list[Path]:
    """The given files, and the .jsonl and .txt files under the given directories, in name order."""
    files: list[Path] = []
    for path in paths:
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*") if p.is_file() and p.suffix in (".jsonl", ".txt")))
        else:
            files.append(path)
    return files


def _records(
    path: Path, published: str | None, source: str | None, language: str | None
) -> Iterator[tuple[str, Any]]:
    """(where, raw article or error text) per article in a file: one per JSONL line, one per .txt file."""
    if path.suffix == ".txt":
        if not published:
            yield str(path), "a .txt file needs --published YYYY-MM-DD"
            return
        raw: dict[str, Any] = {"text": path.read_text(encoding="utf-8"), "published_at": published}
        raw |= {"title": path.stem} | ({"source": source} if source else {})
        yield str(path), raw | ({"language": language} if language else {})
        return
    with path.open(encoding="utf-8") as lines:
        for number, line in enumerate(lines, 1):
            if not line.strip():
                continue
            try:
                raw = json.loads(line)
            except ValueError as error:
                yield f"{path}:{number}", f"not JSON: {error}"
                continue
            if isinstance(raw, dict):
                raw = (
                    ({"source": source} if source else {})
                    | ({"language": language} if language else {})
                    | raw
                )
            yield f"{path}:{number}", raw


def _count(path: Path) -> int:
    if path.suffix == ".txt":
        return 1
    with path.open(encoding="utf-8") as lines:
        return sum(1 for line in lines if line.strip())


@click.command("ingest")
@with_appcontext
@click.argument("paths", nargs=-1, required=True, type=click.Path(exists=True, path_type=Path))
@click.option("--published", help="Publication date (YYYY-MM-DD or ISO datetime) for .txt files.")
@click.option("--source", help="Source name for .txt files (and JSONL lines without one).")
@click.option("--language", help="ar, en, ... (detected when absent).")
def ingest_command(
    paths: tuple[Path, ...], published: str | None, source: str | None, language: str | None
) -> None:
    """Ingest articles from JSONL files (one article per line), .txt files or directories; idempotent."""
    from tqdm import tqdm

    from service.api.schemas import ArticleIn

    files = _input_files(paths)
    summary = IngestSummary()
    schema = ArticleIn()
    with (
        session_scope(current_app) as session,
        tqdm(
            total=sum(_count(f) for f in files if f.suffix in (".jsonl", ".txt")),
            unit="article",
            file=sys.stderr,
        ) as progress,
    ):
        for path in files:
            if path.suffix not in (".jsonl", ".txt"):
                click.echo(f"{path}: skipped (not .jsonl or .txt)", err=True)
                continue
            for where, raw in _records(path, published, source, language):
                progress.update(1)
                try:
                    if isinstance(raw, str):
                        raise ValueError(raw)
                    if not isinstance(raw, dict):
                        raise ValueError("each line must be a JSON object")
                    data = schema.load(raw)
                    moment = data.pop("published_at")
                    article = usecases.ArticleInput(
                        published_at=moment["instant"],
                        published_date=moment["date"],
                        published_time_known=moment["time_known"],
                        **data,
                    )
                    result, created, merged = usecases.ingest_counted(session, article)
                except Exception as error:  # one bad article must not stop the run
                    session.rollback()
                    summary.failed += 1
                    detail = error.messages if isinstance(error, ValidationError) else str(error)
                    progress.write(f"{where}: failed: {detail}", file=sys.stderr)
                    continue
                if result.created:
                    summary.new += 1
                    summary.events_created += created
                    summary.events_merged += merged
                else:
                    summary.duplicate += 1
    click.echo(summary.line())


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
    from service.api.schemas import EventOut

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
        with session_scope(current_app) as session:
            dumped = (EventOut().dump(e) for e in usecases.iter_events(session, filters_from(query)))
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
    from service.pipeline.world import SEATS, coverage, coverage_ratio, load_world

    matrix = coverage(load_world(), first_year, last_year)
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
