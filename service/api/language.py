"""The response language: `lang` when given, else the client's best Accept-Language, else English."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from flask import Response, request

from service.pipeline.titles import title_languages

# Languages titles and names are served in (those with a titles.yaml); the first is the default.
LANGUAGES = title_languages()


def response_language(query: Mapping[str, Any]) -> str:
    """`lang` from the validated query, else the language Accept-Language rates highest."""
    if query.get("lang"):
        return query["lang"]
    best = max(LANGUAGES, key=_preference)  # ties go to the first, English
    return best if _preference(best)[0] > 0 else LANGUAGES[0]


def _preference(language: str) -> tuple[float, bool]:
    """How much the client wants `language`: the highest q-value of a tag naming it (ar-EG names
    ar) or of "*"; a tag naming it beats "*" at the same q-value. (Werkzeug's best_match prefers any
    exact tag to a regional one of higher quality, so "en;q=0.1, ar-SA" would answer in English.)"""
    best = (0.0, False)
    for tag, quality in request.accept_languages:
        if tag == "*":
            best = max(best, (quality, False))
        elif tag.lower().replace("_", "-").split("-")[0] == language:
            best = max(best, (quality, True))
    return best


def content_language(response: Response, language: str) -> Response:
    """Say which language the body is in, and that it depends on Accept-Language (for caches)."""
    response.headers["Content-Language"] = language
    response.vary.add("Accept-Language")
    return response
