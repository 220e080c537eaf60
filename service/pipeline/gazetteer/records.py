"""What the gazetteer holds and finds: actor and place records, tenures, mentions, and name helpers."""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from types import MappingProxyType
from typing import Any

ACTOR_KINDS = ("person", "organisation", "country")


class GazetteerError(ValueError):
    """Raised when gazetteer data is inconsistent (duplicate ids, unknown holders, bad dates)."""


@dataclass(frozen=True)
class ActorRecord:
    """A person, organisation or country with its names in every script.

    `office` and `country` are set on a person read from an article (not in the data) with the office
    the article gives them, so that it can be stored with them.
    """

    id: str
    name: str
    kind: str
    wikidata: str | None
    names: Mapping[str, tuple[str, ...]]
    office: str | None = None
    country: str | None = None


@dataclass(frozen=True)
class PlaceRecord:
    """A place with coordinates, the country actor it belongs to and its names."""

    id: str
    name: str
    lat: float
    lon: float
    country: str | None
    names: Mapping[str, tuple[str, ...]]


@dataclass(frozen=True)
class ActorMention:
    """An actor found in a text; `actor_id` is None for an unknown person introduced by a title."""

    start: int
    end: int
    text: str
    actor_id: str | None
    via: str
    office: str | None = None
    country: str | None = None
    proposed_name: str | None = None


@dataclass(frozen=True)
class PlaceMention:
    """A place found in a text."""

    start: int
    end: int
    text: str
    place_id: str


@dataclass(frozen=True)
class Tenure:
    """One holder of one office of one country (or organisation) between two dates."""

    office: str
    country: str
    holder: str
    start: date
    end: date | None
    approximate: bool = False


def slug(text: str) -> str:
    """An ASCII id from a name: "Recep Tayyip Erdoğan" -> "recep-tayyip-erdogan"."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def names_of(raw: Mapping[str, Any] | None) -> dict[str, tuple[str, ...]]:
    """A names mapping from YAML: language -> unique names (a single string is one name)."""
    names: dict[str, tuple[str, ...]] = {}
    for language, values in (raw or {}).items():
        items = [values] if isinstance(values, str) else list(values or [])
        names[str(language)] = tuple(dict.fromkeys(str(v) for v in items))
    return names


def merge_names(*many: Mapping[str, Iterable[str]]) -> Mapping[str, tuple[str, ...]]:
    """Names of several mappings joined per language, each once, in order."""
    merged: dict[str, list[str]] = {}
    for names in many:
        for language, values in names.items():
            bucket = merged.setdefault(language, [])
            bucket.extend(v for v in values if v not in bucket)
    return MappingProxyType({k: tuple(v) for k, v in merged.items()})
