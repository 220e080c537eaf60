"""One `Language` per folder `<resources>/<code>/`: loaded once, passed explicitly through the pipeline.

    language = load_language(folder)     # or shipped_languages()[code]
    language.morphology                  # how words attach (language.yaml)
    language.temporal, language.grammar  # temporal.yaml (+ calendar.yaml), compiled when first used
    language.events                      # events.yaml: triggers and cue words
    language.roles, language.names       # roles.yaml: offices, counterparts; coreference words

A folder is a language when it holds a `language.yaml`; adding a language means adding a folder.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from functools import cache, cached_property
from pathlib import Path
from typing import TYPE_CHECKING, Any

from service.pipeline.language.morphology import Morphology
from service.resources import RESOURCES_DIR, load_yaml

if TYPE_CHECKING:
    from service.pipeline.coreference import NameLexicon
    from service.pipeline.temporal.grammar import Grammar
    from service.pipeline.temporal.lexicon import Lexicon
    from service.pipeline.triggers import EventLexicon

DESCRIPTION = "language.yaml"


class Language:
    """Everything the pipeline knows about one language, read from its resource folder."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.code = folder.name
        data = load_yaml(folder / DESCRIPTION)
        self.morphology = Morphology.from_data(data.get("morphology") or {})
        script = data.get("script") or {}
        letters = "".join(script.get("letters") or [])
        self.letters = re.compile(f"[{letters}]") if letters else None
        self.priority = int(script.get("priority", 0))
        self.fallback = bool(script.get("fallback", False))

    def __repr__(self) -> str:
        return f"Language({self.code!r})"

    def resource(self, name: str) -> Any:
        """A YAML file of this folder (parsed once), or None when the folder has none."""
        path = self.folder / name
        return load_yaml(path) if path.is_file() else None

    def writes(self, text: str) -> bool:
        """True when the text holds letters of this language's script."""
        return self.letters is not None and self.letters.search(text) is not None

    @cached_property
    def temporal(self) -> Lexicon:
        """The validated temporal lexicon (temporal.yaml extending the generated calendar.yaml)."""
        from service.pipeline.temporal.resource import load_lexicon

        return load_lexicon(self)

    @cached_property
    def grammar(self) -> Grammar:
        """The temporal grammar compiled from the lexicon."""
        from service.pipeline.temporal.grammar import build_grammar

        return build_grammar(self.temporal)

    @cached_property
    def events(self) -> EventLexicon:
        """Event triggers and the cue words around them (events.yaml)."""
        from service.pipeline.triggers import build_event_lexicon

        return build_event_lexicon(self)

    @cached_property
    def roles(self) -> Mapping[str, Any]:
        """How offices, counterparts and capitals are written (roles.yaml; none when absent)."""
        return self.resource("roles.yaml") or {"patterns": {}}

    @cached_property
    def names(self) -> NameLexicon | None:
        """Name particles and bare office words for coreference (None without roles.yaml)."""
        from service.pipeline.coreference import build_name_lexicon

        return build_name_lexicon(self)

    @cached_property
    def transliteration(self) -> Mapping[str, Any] | None:
        """The table giving names in this script a Latin display form (transliteration.yaml)."""
        return self.resource("transliteration.yaml")


def load_language(folder: Path) -> Language:
    """The language of one resource folder (one object per folder and process)."""
    return _language_of(folder.resolve())


@cache
def _language_of(folder: Path) -> Language:
    return Language(folder)


def languages_in(root: Path) -> dict[str, Language]:
    """Every language folder under a resources root, by code."""
    return {p.parent.name: load_language(p.parent) for p in sorted(root.glob(f"*/{DESCRIPTION}"))}


@cache
def shipped_languages() -> Mapping[str, Language]:
    """The languages shipped in service/resources, by code."""
    return languages_in(RESOURCES_DIR)


def detect_language(text: str, candidates: Iterable[Language]) -> Language:
    """The language whose script's letters the text holds most (ties: higher priority), else the fallback."""
    pool = list(candidates)
    counted = [(len(lang.letters.findall(text)), lang.priority, lang) for lang in pool if lang.letters]
    best = max(((n, p, lang) for n, p, lang in counted if n > 0), key=lambda t: (t[0], t[1]), default=None)
    if best is not None:
        return best[2]
    return next((lang for lang in pool if lang.fallback), pool[0])
