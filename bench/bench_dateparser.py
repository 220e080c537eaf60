"""Benchmark: the whole extraction (`extract`) vs dateparser.search.search_dates on the same real articles.

Run: .venv/bin/python bench/bench_dateparser.py [rounds, default 5]
The texts are read at run time from ../shared: the seed articles and the dev-news set, both
languages. `extract` runs with the shipped gazetteer already loaded (as in a serving process);
dateparser runs with `languages=[language]` and `RELATIVE_BASE` = the publication date. Both are
warmed up first, then timed in turn, once per round over all the articles; each figure is the
best round's CPU time of this process (wall time on a shared machine mostly measures the
neighbours). The target of issue 11 is extraction >= 10x faster than dateparser.
"""

from __future__ import annotations

import json
import sys
import time
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.pipeline import extract  # noqa: E402
from service.pipeline.gazetteer import Gazetteer  # noqa: E402
from service.pipeline.language import shipped_languages  # noqa: E402

SHARED = ROOT.parent / "shared"
SEEDS = SHARED / "seeds"
DEV_NEWS = SHARED / "dev-news" / "dev_news.json"
TARGET = 10.0

Article = tuple[str, str, date, str]  # (id, text, published, language)


def load_articles() -> list[Article]:
    """The seed articles and the dev-news articles, read from ../shared (empty when it is absent)."""
    articles: list[Article] = []
    if (SEEDS / "manifest.json").exists():
        for a in json.loads((SEEDS / "manifest.json").read_text(encoding="utf-8"))["articles"]:
            text = (SEEDS / a["file"]).read_text(encoding="utf-8")
            articles.append((f"seed-{a['id']}", text, date.fromisoformat(a["published_at"]), a["language"]))
    if DEV_NEWS.exists():
        for a in json.loads(DEV_NEWS.read_text(encoding="utf-8"))["articles"]:
            articles.append((a["id"], a["text"], date.fromisoformat(a["published_at"]), a["language"]))
    return articles


def _cpu_ms(run: Callable[[Article], object], articles: list[Article]) -> float:
    began = time.process_time()
    for article in articles:
        run(article)
    return (time.process_time() - began) * 1000 / len(articles)


def _compare(
    ours: Callable[[Article], object],
    theirs: Callable[[Article], object],
    articles: list[Article],
    rounds: int,
) -> tuple[float, float]:
    """Best-of-`rounds` ms/article of each, the two timed in turn in every round (so that a busy
    neighbour slows both alike); both warmed up first."""
    for article in articles:  # warm-up: grammars compiled, tries built, caches filled
        ours(article)
        theirs(article)
    ours_ms, theirs_ms = [], []
    for _ in range(rounds):
        ours_ms.append(_cpu_ms(ours, articles))
        theirs_ms.append(_cpu_ms(theirs, articles))
    return min(ours_ms), min(theirs_ms)


def main() -> None:
    articles = load_articles()
    if not articles:
        print(f"no articles under {SHARED}; nothing to benchmark")
        return
    rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 5
    from dateparser.search import search_dates

    languages = shipped_languages()
    gazetteer = Gazetteer.load()

    def ours(article: Article) -> object:
        _, text, published, language = article
        return extract(text, published, languages[language], gazetteer)

    def theirs(article: Article) -> object:
        _, text, published, language = article
        base = datetime.combine(published, datetime.min.time())
        return search_dates(text, languages=[language], settings={"RELATIVE_BASE": base})

    by_language: dict[str, list[Article]] = {}
    for article in articles:
        by_language.setdefault(article[3], []).append(article)
    print(f"{'articles':14} {'n':>3} {'chars':>7} {'extract':>13} {'dateparser':>13} {'ratio':>7}")
    for label, group in [*sorted(by_language.items()), ("all", articles)]:
        extract_ms, dateparser_ms = _compare(ours, theirs, group, rounds)
        chars = sum(len(a[1]) for a in group) // len(group)
        print(
            f"{label:14} {len(group):>3} {chars:>7} {extract_ms:>7.2f} ms/art {dateparser_ms:>7.2f} ms/art"
            f" {dateparser_ms / extract_ms:>6.1f}x",
            flush=True,
        )
    print(f"target: extraction >= {TARGET:g}x faster than dateparser.search_dates")


if __name__ == "__main__":
    main()
