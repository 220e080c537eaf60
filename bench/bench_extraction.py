"""Benchmark: whole-article extraction per KB on 10 KB, 100 KB and 1 MB articles of three shapes.

Run on demand: .venv/bin/python bench/bench_extraction.py [sizes in KB, default 10 100 1000]
Shapes, built from the repo's own texts (tests/fixtures/dev_timeline.json and the lexicons'
example sentences), in each language:
  normal        articles one after another
  dense         one dated happening per sentence, over and over
  sentenceless  the normal text without any sentence punctuation or line break
The baseline, measured in the same run on the same text, is the temporal layer alone
(find_dates): extraction stays a constant multiple of it when it is linear.
"growth" is ms/KB at this size divided by ms/KB at the smallest size (1.0 = linear; the cubic
extractor before this benchmark took 17-23 s on 20 KB without full stops). Times are CPU times.
"""

from __future__ import annotations

import gc
import json
import re
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from service.pipeline import extract  # noqa: E402
from service.pipeline.gazetteer import Gazetteer  # noqa: E402
from service.pipeline.language import shipped_languages  # noqa: E402
from service.pipeline.temporal import find_dates  # noqa: E402
from service.resources import load_resource  # noqa: E402

PUBLISHED = date(2024, 3, 5)
FIXTURE = ROOT / "tests" / "fixtures" / "dev_timeline.json"


def _base(shape: str, language: str) -> str:
    if shape == "dense":
        return "\n".join(str(e["text"]) for e in load_resource(f"{language}/events.yaml")["examples"]) + "\n"
    articles = json.loads(FIXTURE.read_text(encoding="utf-8"))["articles"]
    text = "\n\n".join(a["text"] for a in articles if a["language"] == language) + "\n\n"
    if shape == "sentenceless":
        text = re.sub(r"[.!?؟\n]+", " ", text)
    return text


def _article(shape: str, language: str, size: int) -> str:
    base = _base(shape, language)
    return (base * (size // len(base) + 1))[:size]


def _ms(run, repeats: int) -> float:  # type: ignore[no-untyped-def]
    # CPU time of this process: on a shared machine wall time mostly measures the neighbours
    began = time.process_time()
    for _ in range(repeats):
        run()
    return (time.process_time() - began) * 1000 / repeats


def main() -> None:
    sizes = [int(a) for a in sys.argv[1:]] or [10, 100, 1000]
    gazetteer = Gazetteer.load()
    print(f"{'shape':13} {'lang':4} {'size':>7} {'extract':>11} {'temporal':>11} {'ratio':>6} {'growth':>6}")
    for language, read_as in sorted(shipped_languages().items()):
        for shape in ("normal", "dense", "sentenceless"):
            extract(_article(shape, language, 2000), PUBLISHED, read_as, gazetteer)  # warm-up
            # The loaded gazetteer and lexicons are left out of garbage collection: a full collection
            # over them lands in whichever size happens to run when it falls due (decided by what the
            # loading allocated, not by that size), adding up to 0.1 s to one measurement.
            gc.collect()
            gc.freeze()
            first: float | None = None
            for size_kb in sizes:
                text = _article(shape, language, size_kb * 1000)
                repeats = max(1, 30 // size_kb)
                ours = (
                    _ms(lambda t=text, lang=read_as: extract(t, PUBLISHED, lang, gazetteer), repeats)
                    / size_kb
                )
                base = _ms(lambda t=text, lang=read_as: find_dates(t, PUBLISHED, lang), repeats) / size_kb
                first = first or ours
                print(
                    f"{shape:13} {language:4} {size_kb:>5}KB {ours:>6.2f} ms/KB {base:>6.2f} ms/KB"
                    f" {ours / base:>5.1f}x {ours / first:>5.2f}",
                    flush=True,
                )


if __name__ == "__main__":
    main()
