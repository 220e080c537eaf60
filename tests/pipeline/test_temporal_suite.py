"""Conformance suite (../shared/temporal-suite): scored exactly as its README says.

The suite rows are third-party material and are read from the shared folder, never copied here.
Set SHARED_DIR to point at another copy; without the folder the test is skipped.
"""

from __future__ import annotations

import csv
import os
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import pytest

from service.pipeline.temporal import TemporalExpression, find_dates
from tests.pipeline.languages import CODES, LANGUAGES

SHARED_DIR = Path(os.environ.get("SHARED_DIR", Path(__file__).resolve().parents[2].parent / "shared"))
SUITE_DIR = SHARED_DIR / "temporal-suite"
PASS_BAR = 0.95


@dataclass
class Row:
    """One suite row (a negative row has no expression)."""

    id: str
    published_at: date
    sentence: str
    expression: str
    start: str
    end: str
    granularity: str
    note: str

    @property
    def group(self) -> str:
        return self.id.split("-")[1]

    @property
    def negative(self) -> bool:
        return self.granularity == "none"


@dataclass
class Score:
    """Per-language tallies: rows correct per group, plus the README's secondary numbers."""

    correct: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    total: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    failures: list[str] = field(default_factory=list)
    exact_spans: int = 0
    spurious: int = 0
    positives: tuple[int, int] = (0, 0)
    negatives: tuple[int, int] = (0, 0)

    @property
    def accuracy(self) -> float:
        return sum(self.correct.values()) / max(1, sum(self.total.values()))


def read_rows(language: str) -> list[Row]:
    """Rows of one suite file."""
    with (SUITE_DIR / f"{language}.tsv").open(encoding="utf-8", newline="") as handle:
        reader = csv.DictReader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        return [
            Row(
                r["id"],
                date.fromisoformat(r["published_at"]),
                r["sentence"],
                r["expression"],
                r["start"],
                r["end"],
                r["granularity"],
                r["note"],
            )
            for r in reader
        ]


def _overlap(a: tuple[int, int], b: tuple[int, int]) -> int:
    return max(0, min(a[1], b[1]) - max(a[0], b[0]))


def score(language: str, rows: list[Row]) -> Score:
    """Score rows the README's way: overlap match, greedy pairing by largest overlap."""
    result = Score()
    by_sentence: dict[tuple[date, str], list[Row]] = defaultdict(list)
    for row in rows:
        by_sentence[(row.published_at, row.sentence)].append(row)
    pos_ok = pos_all = neg_ok = neg_all = 0
    for (published_at, sentence), group_rows in by_sentence.items():
        outputs = find_dates(sentence, published_at, LANGUAGES[language])
        positives = [r for r in group_rows if not r.negative]
        for row in group_rows:
            if row.negative:
                ok = not outputs
                neg_all += 1
                neg_ok += ok
                _tally(result, row, ok, outputs)
        pairs = []
        for row in positives:
            begin = sentence.find(row.expression)
            span = (begin, begin + len(row.expression))
            for index, out in enumerate(outputs):
                overlap = _overlap(span, (out.start, out.end))
                if overlap:
                    pairs.append((overlap, row.id, index))
        matched: dict[str, TemporalExpression] = {}
        used: set[int] = set()
        for _, row_id, index in sorted(pairs, key=lambda p: -p[0]):
            if row_id not in matched and index not in used:
                matched[row_id] = outputs[index]
                used.add(index)
        if positives:
            result.spurious += len(outputs) - len(used)
        for row in positives:
            out = matched.get(row.id)
            ok = bool(out) and (
                out.date.start.isoformat(),
                out.date.end.isoformat(),
                out.date.granularity,
            ) == (row.start, row.end, row.granularity)
            result.exact_spans += bool(out) and out.text == row.expression
            pos_all += 1
            pos_ok += ok
            _tally(result, row, ok, [out] if out else outputs)
    result.positives = (pos_ok, pos_all)
    result.negatives = (neg_ok, neg_all)
    return result


def _tally(result: Score, row: Row, ok: bool, outputs: list[TemporalExpression]) -> None:
    result.total[row.group] += 1
    result.correct[row.group] += ok
    if not ok:
        got = "; ".join(f"{o.text!r} {o.date.start}..{o.date.end} {o.date.granularity}" for o in outputs)
        result.failures.append(
            f"{row.id}: want {row.expression!r} {row.start}..{row.end} {row.granularity} | got {got}"
        )


def report(language: str, result: Score) -> str:
    """The per-group table, as printed by the test."""
    lines = [
        f"== {language}: {sum(result.correct.values())}/{sum(result.total.values())} = {result.accuracy:.1%}"
    ]
    lines.append(
        f"   positives {result.positives[0]}/{result.positives[1]}, negatives {result.negatives[0]}/{result.negatives[1]}"
    )
    lines.append(
        f"   exact-span matches {result.exact_spans}, spurious outputs on positive sentences {result.spurious}"
    )
    for group in sorted(result.total):
        lines.append(f"   {group:<5} {result.correct[group]:>3}/{result.total[group]:<3}")
    lines.extend(f"   FAIL {failure}" for failure in result.failures)
    return "\n".join(lines)


@pytest.mark.parametrize("language", CODES)
def test_suite(language: str) -> None:
    if not (SUITE_DIR / f"{language}.tsv").exists():
        pytest.skip(f"temporal suite not found under {SUITE_DIR}")
    rows = read_rows(language)
    result = score(language, rows)
    print("\n" + report(language, result))
    assert result.negatives[0] == result.negatives[1], "every negative row must yield no expression"
    assert result.accuracy >= PASS_BAR, (
        f"{language}: {result.accuracy:.1%} of rows exact, need {PASS_BAR:.0%}"
    )


if __name__ == "__main__":
    for lang in CODES:
        print(report(lang, score(lang, read_rows(lang))))
