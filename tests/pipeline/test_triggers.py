"""Triggers: the lexicon of each language compiles, and words are found with their attachments."""

from __future__ import annotations

from datetime import date

from service.pipeline.document import read
from service.pipeline.triggers import find_triggers
from tests.pipeline.languages import LANGUAGES

DAY = date(2024, 3, 5)


def test_lexicons_compile_for_every_language_folder():
    assert LANGUAGES
    for language in LANGUAGES.values():
        assert language.events.patterns


def test_triggers_handle_clitics_and_tanween():
    arabic = LANGUAGES["ar"]
    found = find_triggers(
        read("وأجرى الوزيران اتصالاً هاتفياً، وبحثا الأوضاع، ثم أعلنا زيارته المرتقبة.", DAY), arabic
    )
    assert [t.type for t in found] == ["phone_call", "talks", "visit"]
    assert [t.definite for t in find_triggers(read("وخلال الزيارة وفي زيارة", DAY), arabic)] == [True, False]
