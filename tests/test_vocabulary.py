"""The extractor version follows the pipeline's code and resources, so reprocessing finds stale articles."""

from __future__ import annotations

from service.vocabulary import EXTRACTOR_VERSION, extractor_version


def _tree(root, rule: str, lexicon: str, notes: str) -> None:
    (root / "pipeline").mkdir(exist_ok=True)
    (root / "resources" / "xx").mkdir(parents=True, exist_ok=True)
    (root / "pipeline" / "rules.py").write_text(rule)
    (root / "resources" / "xx" / "events.yaml").write_text(lexicon)
    (root / "resources" / "README.md").write_text(notes)


def test_the_version_changes_when_code_or_a_resource_changes(tmp_path):
    _tree(tmp_path, "STRENGTH = 1\n", "visit: [trip]\n", "notes")
    first = extractor_version(tmp_path)
    assert extractor_version(tmp_path) == first
    _tree(tmp_path, "STRENGTH = 1\n", "visit: [trip]\n", "other notes")
    assert extractor_version(tmp_path) == first  # documentation does not change extraction
    _tree(tmp_path, "STRENGTH = 1\n", "visit: [trip, tour]\n", "other notes")
    second = extractor_version(tmp_path)
    assert second != first
    _tree(tmp_path, "STRENGTH = 2\n", "visit: [trip, tour]\n", "other notes")
    assert extractor_version(tmp_path) not in (first, second)


def test_the_shipped_version_fits_the_article_column():
    assert len(EXTRACTOR_VERSION) == 20 and extractor_version() == EXTRACTOR_VERSION
