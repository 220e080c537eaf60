"""No file of the repository quotes the development set (../shared/dev-news): tests, resources and
docs use sentences of their own.

A quote is QUOTE_WORDS or more consecutive words of an article's text, compared after the
pipeline's normalisation (letter variants, diacritics, case) with punctuation ignored. A run made
only of words the resources write in names and titles ("Saudi Crown Prince Mohammed bin Salman")
names someone; it quotes nothing.
"""

from __future__ import annotations

import json
import re
import subprocess
from collections.abc import Iterable, Iterator
from pathlib import Path

import pytest

from service.pipeline.normalise import normalise

REPO = Path(__file__).resolve().parent.parent
DEV_NEWS = REPO.parent / "shared" / "dev-news" / "dev_news.json"
RESOURCES = REPO / "service" / "resources"
QUOTE_WORDS = 6
CHECKED_SUFFIXES = (".py", ".yaml", ".md", ".json", ".txt")
WORD = re.compile(r"\w+")
# Resource lines that write names or titles: an actor's or place's names, an office's spellings,
# demonyms, honorifics (read as text: parsing every YAML file would take seconds).
NAME_LINE = re.compile(r"\b(?:names?|written|adjectives|honorifics):(.*)")

Run = tuple[str, ...]


def _words(text: str) -> list[str]:
    return WORD.findall(normalise(text).text)


def _runs(words: list[str]) -> Iterator[tuple[int, Run]]:
    for index in range(len(words) - QUOTE_WORDS + 1):
        yield index, tuple(words[index : index + QUOTE_WORDS])


def quotable_runs(texts: Iterable[str], name_words: set[str]) -> set[Run]:
    """Every run of QUOTE_WORDS words of the texts, but those made only of name words."""
    return {run for text in texts for _, run in _runs(_words(text)) if not name_words.issuperset(run)}


def first_quote(text: str, quotable: set[Run]) -> str | None:
    """The first quoted run in a text (with a few words after it), or None."""
    words = _words(text)
    for index, run in _runs(words):
        if run in quotable:
            return " ".join(words[index : index + 2 * QUOTE_WORDS])
    return None


def _name_words() -> set[str]:
    """Every word the resources write in a name or a title."""
    words: set[str] = set()
    for path in RESOURCES.rglob("*.yaml"):
        for found in NAME_LINE.finditer(path.read_text(encoding="utf-8")):
            words.update(_words(found.group(1)))
    return words


def _strings(value: object) -> Iterator[str]:
    """Every string in a parsed JSON document (its Arabic may be written as \\u escapes)."""
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from _strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _strings(item)


def _readable_text(path: Path) -> str:
    text = path.read_text(encoding="utf-8", errors="replace")
    if path.suffix == ".json":
        try:
            return "\n".join(_strings(json.loads(text)))
        except ValueError:
            return text
    return text


def _tracked_files() -> list[Path]:
    listed = subprocess.run(
        ["git", "ls-files", "-z"], cwd=REPO, capture_output=True, text=True, check=True
    ).stdout.split("\0")
    return [REPO / name for name in listed if name.endswith(CHECKED_SUFFIXES) and (REPO / name).is_file()]


def test_a_run_of_six_words_is_a_quote_unless_it_only_names() -> None:
    article = "Ahmed Ali bin Khalid Al Rashid, the new envoy, said the port would reopen on Sunday morning."
    quotable = quotable_runs([article], name_words={"ahmed", "ali", "bin", "khalid", "al", "rashid"})
    assert first_quote("We wrote: the port would reopen on Sunday morning!", quotable)
    assert first_quote("Ahmed Ali bin Khalid Al Rashid arrived.", quotable) is None  # a name
    assert first_quote("the port would reopen on Monday", quotable) is None  # five words only
    assert first_quote("The Port  would\nREOPEN on Sunday", quotable)  # spacing and case do not hide it


def test_no_tracked_file_quotes_the_development_set() -> None:
    if not DEV_NEWS.exists():
        pytest.skip("../shared/dev-news is not here")
    articles = json.loads(DEV_NEWS.read_text(encoding="utf-8"))["articles"]
    quotable = quotable_runs((article["text"] for article in articles), _name_words())
    found = [
        f"{path.relative_to(REPO)}: {quote}"
        for path in _tracked_files()
        if (quote := first_quote(_readable_text(path), quotable)) is not None
    ]
    assert not found, "text of ../shared/dev-news quoted in:\n" + "\n".join(found)
