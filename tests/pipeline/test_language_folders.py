"""Language knowledge is data: adding a language means adding a folder, and no .py file holds words.

The throwaway language below is written from scratch in a temporary folder: a calendar generated
from dateparser's locale data, a handful of hand-made words, one trigger; it reads a dated meeting
with the same pipeline the shipped languages use.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import yaml

from service.pipeline import extract
from service.pipeline.gazetteer import ActorRecord, Gazetteer
from service.pipeline.language import languages_in, load_language
from service.pipeline.temporal import find_dates
from service.pipeline.temporal.locale_calendar import render
from tests.pipeline.languages import LANGUAGES

SERVICE = Path(__file__).resolve().parents[2] / "service"
ARABIC_SCRIPT = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")


def test_no_python_file_under_service_holds_arabic_script():
    found = [
        f"{path.relative_to(SERVICE)}:{number}"
        for path in sorted(SERVICE.rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if ARABIC_SCRIPT.search(line)
    ]
    assert found == []


def test_no_language_code_is_written_in_the_pipeline():
    codes = "|".join(re.escape(code) for code in LANGUAGES)
    literal = re.compile(rf"""["']({codes})["']""")
    found = [
        f"{path.relative_to(SERVICE)}:{number}: {line.strip()}"
        for path in sorted((SERVICE / "pipeline").rglob("*.py"))
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if literal.search(line)
    ]
    assert found == []


def test_word_attachment_is_declared_once_per_language():
    """Clitics, the article and endings live in language.yaml only, not in the other files."""
    for language in LANGUAGES.values():
        assert language.resource("language.yaml")["morphology"] is not None
        assert "morphology" not in (language.resource("events.yaml") or {})
        assert "clitics" not in (language.resource("temporal.yaml") or {})
        roles = language.resource("roles.yaml") or {}
        assert not {"proclitics", "contractions", "article", "adjective_forms"} & set(roles)


def _write(folder: Path, name: str, data: dict) -> None:
    (folder / name).write_text(yaml.safe_dump(data, allow_unicode=True), encoding="utf-8")


def _spanish(root: Path) -> Path:
    """A minimal Spanish folder: what a new language starts with."""
    folder = root / "es"
    folder.mkdir()
    (folder / "calendar.yaml").write_text(render("es"), encoding="utf-8")  # months, weekdays, days
    _write(
        folder,
        "language.yaml",
        {"script": {"letters": ["A-Za-z\u00c0-\u00ff"]}, "morphology": {"article_words": ["el", "la"]}},
    )
    _write(
        folder,
        "temporal.yaml",
        {
            "date_orders": ["dm"],
            "numeric_order": "dmy",
            "ordinal_days": {
                "entries": {},
                "suffixes": [],
                "of_words": ["de"],
                "examples": [
                    {
                        "text": "Llegó el 3 de mayo.",
                        "published_at": date(2024, 6, 1),
                        "expression": "3 de mayo",
                        "start": date(2024, 5, 3),
                        "end": date(2024, 5, 3),
                        "granularity": "day",
                    }
                ],
            },
            "years": {
                "prefixes": ["de"],
                "dual_prefixes": [],
                "context": [],
                "suffixes": [],
                "examples": [
                    {
                        "text": "Llegó el 3 de mayo de 2023.",
                        "published_at": date(2024, 6, 1),
                        "expression": "3 de mayo de 2023",
                        "start": date(2023, 5, 3),
                        "end": date(2023, 5, 3),
                        "granularity": "day",
                    }
                ],
            },
        },
    )
    _write(
        folder, "events.yaml", {"triggers": {"meeting": {"verbs": ["se reunió con"], "nouns": ["reunión"]}}}
    )
    return folder


def test_a_throwaway_language_folder_extracts_a_dated_event(tmp_path: Path):
    spanish = load_language(_spanish(tmp_path))
    assert languages_in(tmp_path) == {"es": spanish}
    # people the data knows, given their Spanish names as an analyst would through the API
    gazetteer = Gazetteer.load(
        extra_actors=[
            ActorRecord("vladimir-putin", "Vladimir Putin", "person", None, {"es": ("Vladimir Putin",)}),
            ActorRecord("xi-jinping", "Xi Jinping", "person", None, {"es": ("Xi Jinping",)}),
        ]
    )
    text = "Vladimir Putin se reunió con Xi Jinping el 5 de marzo de 2024 para hablar de comercio."
    [event] = extract(text, date(2024, 3, 9), spanish, gazetteer)
    assert event.type == "meeting"
    assert (event.date.start, event.date.end, event.date.granularity) == (
        date(2024, 3, 5),
        date(2024, 3, 5),
        "day",
    )
    assert {actor.id for actor, _ in event.actors} == {"vladimir-putin", "xi-jinping"}
    # the generated calendar alone dates a weekday and yesterday in the new language
    found = find_dates("Ayer, el lunes, llegó.", date(2024, 3, 9), spanish)
    assert [(e.date.start, e.anchor) for e in found] == [
        (date(2024, 3, 8), "publication"),
        (date(2024, 3, 4), "weekday"),
    ]
