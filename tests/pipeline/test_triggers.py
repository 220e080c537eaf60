"""Triggers: the lexicon of each language compiles, and words are found with their attachments."""

from __future__ import annotations

from service.pipeline.triggers import event_languages, event_lexicon, find_triggers


def test_lexicons_compile_for_every_language_with_a_file():
    assert set(event_languages()) >= {"ar", "en"}
    for language in event_languages():
        assert event_lexicon(language).patterns


def test_triggers_handle_clitics_and_tanween():
    found = find_triggers("وأجرى الوزيران اتصالاً هاتفياً، وبحثا الأوضاع، ثم أعلنا زيارته المرتقبة.", "ar")
    assert [t.type for t in found] == ["phone_call", "talks", "visit"]
    assert [t.definite for t in find_triggers("وخلال الزيارة وفي زيارة", "ar")] == [True, False]
