"""Quotations in an article: a trigger inside one is reported speech, not a happening told."""

from __future__ import annotations

import re
from bisect import bisect_left

from service.resources import load_resource

# opening mark -> closing mark (characters.yaml)
QUOTE_PAIRS: dict[str, str] = load_resource("characters.yaml")["quotes"]
_QUOTE_OR_BREAK = re.compile("[\n" + "".join(sorted({*QUOTE_PAIRS, *QUOTE_PAIRS.values()})) + "]")


def quotations(text: str) -> tuple[list[int], list[int]]:
    """Where quotations open and close, each paragraph read once (an unclosed one runs to its end)."""
    opens: list[int] = []
    closes: list[int] = []
    opened: str | None = None
    for match in _QUOTE_OR_BREAK.finditer(text):
        char, at = match.group(), match.start()
        if char == "\n":
            if opened is not None:
                closes.append(at)
            opened = None
        elif opened is None:
            if char in QUOTE_PAIRS:
                opened = QUOTE_PAIRS[char]
                opens.append(at)
        elif char == opened:
            opened = None
            closes.append(at)
    if opened is not None:
        closes.append(len(text))
    return opens, closes


def quoted(position: int, spans: tuple[list[int], list[int]]) -> bool:
    """Is a position inside a quotation in its paragraph (reported speech)?"""
    opens, closes = spans
    index = bisect_left(opens, position) - 1  # the last quotation opened before the position
    return index >= 0 and position <= closes[index]
