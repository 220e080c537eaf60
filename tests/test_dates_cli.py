"""`flask dates` resolves a text for a person (table) or a program (JSON), from an argument or stdin."""

from __future__ import annotations

import json

import pytest

from service import create_app


@pytest.fixture(scope="module")
def runner(tmp_path_factory):
    app = create_app(
        {"DATABASE_URL": f"sqlite:///{tmp_path_factory.mktemp('cli') / 'x.db'}", "AUTO_MIGRATE": False}
    )
    return app.test_cli_runner()


def test_dates_prints_a_table(runner):
    result = runner.invoke(args=["dates", "وصل الوفد أمس الاثنين", "--published", "2024-05-14"])
    assert result.exit_code == 0, result.output
    assert "2024-05-13..2024-05-13" in result.output and "أمس الاثنين" in result.output


def test_dates_reads_stdin_and_prints_json(runner):
    text = "The talks will resume next week."
    result = runner.invoke(args=["dates", "--published", "2024-05-14", "--json"], input=text)
    assert result.exit_code == 0, result.output
    (expression,) = json.loads(result.output)["expressions"]
    assert text[expression["start"] : expression["end"]] == "next week"
    assert expression["date"]["granularity"] == "week"


def test_dates_without_any_expression_says_so(runner):
    result = runner.invoke(args=["dates", "حضر 1500 طالب الحفل", "--published", "2024-05-14"])
    assert result.output.strip() == "no temporal expressions"
