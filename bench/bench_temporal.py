"""Benchmark: find_dates vs dateparser.search.search_dates on the seed articles.

Run on demand: .venv/bin/python bench/bench_temporal.py [repeats]
Both run in the same process on the same texts; the script prints ms per article and the ratio.
"""

from __future__ import annotations

import json
import sys
import time
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.pipeline.language import shipped_languages  # noqa: E402
from service.pipeline.temporal import find_dates  # noqa: E402

SEEDS = ROOT.parent / "shared" / "seeds"


def _load() -> list[tuple[str, date, str]]:
    manifest = json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))
    return [
        (
            (SEEDS / a["file"]).read_text(encoding="utf-8"),
            date.fromisoformat(a["published_at"]),
            a["language"],
        )
        for a in manifest["articles"]
    ]


def _time(run, articles, repeats: int) -> tuple[float, int]:  # type: ignore[no-untyped-def]
    found = sum(run(*article) for article in articles)  # warm-up (grammar compilation, caches)
    began = time.perf_counter()
    for _ in range(repeats):
        for article in articles:
            run(*article)
    elapsed = time.perf_counter() - began
    return elapsed * 1000 / (repeats * len(articles)), found


def _ours(text: str, published: date, language: str) -> int:
    return len(find_dates(text, published, shipped_languages()[language]))


def _dateparser(text: str, published: date, language: str) -> int:
    from dateparser.search import search_dates

    settings = {
        "RELATIVE_BASE": datetime.combine(published, datetime.min.time()),
        "PREFER_DATES_FROM": "past",
    }
    return len(search_dates(text, languages=[language], settings=settings) or [])


def main() -> None:
    if not (SEEDS / "manifest.json").exists():
        print(f"seed articles not found under {SEEDS}; nothing to benchmark")
        return
    repeats = int(sys.argv[1]) if len(sys.argv) > 1 else 20
    articles = _load()
    ours_ms, ours_found = _time(_ours, articles, repeats)
    theirs_ms, theirs_found = _time(_dateparser, articles, max(1, repeats // 4))
    print(f"{len(articles)} seed articles, {sum(len(a[0]) for a in articles)} characters")
    print(f"find_dates                : {ours_ms:8.2f} ms/article, {ours_found} expressions")
    print(f"dateparser.search_dates   : {theirs_ms:8.2f} ms/article, {theirs_found} hits")
    print(f"speed ratio               : {theirs_ms / ours_ms:8.1f}x faster")


if __name__ == "__main__":
    main()
