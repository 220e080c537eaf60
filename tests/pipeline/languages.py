"""The language folders the tests read: enumerated from service/resources, never listed by hand."""

from __future__ import annotations

from service.pipeline.language import Language, detect_language, shipped_languages

# code -> Language, one per folder of service/resources with a language.yaml
LANGUAGES: dict[str, Language] = dict(shipped_languages())
CODES = sorted(LANGUAGES)


def language_of(text: str) -> str:
    """The code of the folder whose script the text is written in."""
    return detect_language(text, LANGUAGES.values()).code
