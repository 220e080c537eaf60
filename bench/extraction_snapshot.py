"""A fingerprint of extract()'s output on every seed and dev-news article: a speed-up must not change it.

Run: .venv/bin/python bench/extraction_snapshot.py [--out FILE]
Prints one SHA-256 per article and one over all of them; `--out` writes every candidate's repr
and every temporal expression of every sentence (find_dates), one per line, so two runs (before
and after a change) can be compared with `diff`.
"""

from __future__ import annotations

import argparse
import hashlib
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_dateparser import load_articles  # noqa: E402

from service.pipeline import extract  # noqa: E402
from service.pipeline.gazetteer import Gazetteer  # noqa: E402
from service.pipeline.language import shipped_languages  # noqa: E402
from service.pipeline.temporal import find_dates  # noqa: E402


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, help="write every candidate's repr to this file")
    args = parser.parse_args()
    languages = shipped_languages()
    gazetteer = Gazetteer.load()
    whole = hashlib.sha256()
    lines: list[str] = []
    for article_id, text, published, language in load_articles():
        candidates = extract(text, published, languages[language], gazetteer)
        reprs = [f"{article_id} {candidate!r}" for candidate in candidates]
        digest = hashlib.sha256("\n".join(reprs).encode()).hexdigest()
        whole.update(digest.encode())
        lines.extend(reprs)
        print(f"{article_id:10} {len(candidates):>3} {digest[:16]}")
        # the temporal layer on every sentence, not only those extraction reads
        lines.extend(f"{article_id} {e!r}" for e in find_dates(text, published, languages[language]))
    print(f"all        {whole.hexdigest()}")
    if args.out:
        args.out.write_text("\n".join(lines) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
