"""The language folders the tests read: enumerated from service/resources, never listed by hand."""

from __future__ import annotations

from service.pipeline.language import Language, shipped_languages

# code -> Language, one per folder of service/resources with a language.yaml
LANGUAGES: dict[str, Language] = dict(shipped_languages())
CODES = sorted(LANGUAGES)
