"""The widget's words (service/static/widget/i18n.js) cover every event type and granularity in both languages."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from service.vocabulary import EVENT_TYPES, GRANULARITIES

WORDS = Path(__file__).resolve().parents[2] / "service" / "static" / "widget" / "i18n.js"


def section(language: str) -> str:
    """The text of one language's block of i18n.js."""
    text = WORDS.read_text(encoding="utf-8")
    start = text.index(f"\n  {language}: {{")
    end = text.find("\n  },", start)
    return text[start:end]


@pytest.mark.parametrize("language", ["en", "ar"])
def test_every_event_type_and_granularity_has_a_label(language):
    block = section(language)
    types = block[block.index("types: {") :]
    assert {name for name in EVENT_TYPES if not re.search(rf"\b{name}: \"[^\"]+\"", types)} == set()
    granularities = re.search(r"granularity: \{([^}]*)\}", block).group(1)
    assert {g for g in GRANULARITIES if not re.search(rf"\b{g}: \"[^\"]+\"", granularities)} == set()
    assert 'dir: "rtl"' in block if language == "ar" else 'dir: "ltr"' in block
