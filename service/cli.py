"""Command-line tools: `flask dates`, `flask reprocess`, `flask migrate`."""

from __future__ import annotations

import json
import sys
from datetime import date

import click
from flask import Flask, current_app

from service import usecases
from service.db import session_scope
from service.migrate import upgrade


def register(app: Flask) -> None:
    app.cli.add_command(dates_command)
    app.cli.add_command(reprocess_command)
    app.cli.add_command(migrate_command)


@click.command("dates")
@click.argument("text", required=False)
@click.option(
    "--published", required=True, type=click.DateTime(["%Y-%m-%d"]), help="Publication date, YYYY-MM-DD."
)
@click.option("--language", default=None, help="ar, en, ... (detected when absent).")
@click.option("--json", "as_json", is_flag=True, help="Print the API's JSON instead of a table.")
def dates_command(text: str | None, published: date, language: str | None, as_json: bool) -> None:
    """Resolve the temporal expressions in TEXT (or standard input) against a publication date."""
    text = text if text is not None else sys.stdin.read()
    expressions = usecases.resolve_dates(
        text, published.date() if hasattr(published, "date") else published, language
    )
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
@click.option("--stale-only", is_flag=True, help="Only articles extracted by an older extractor version.")
def reprocess_command(stale_only: bool) -> None:
    """Re-extract stored articles with the current rules (idempotent)."""
    with session_scope(current_app) as session:
        count = usecases.reprocess_articles(session, only_stale=stale_only)
    click.echo(f"reprocessed {count} article(s)")


@click.command("migrate")
def migrate_command() -> None:
    """Apply database migrations up to the latest revision."""
    upgrade(current_app.config["DATABASE_URL"])
    click.echo("database is at the latest revision")
