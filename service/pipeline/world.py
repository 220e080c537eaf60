"""The world's office-holders (service/resources/world/): load the files, validate them, measure coverage.

A country file names its country by ISO code, defines the people actors.yaml does not know and lists
tenures (an office title, the seats it fills, holder, start, exclusive end); an organisation file does
the same for an international organisation's heads. See service/resources/README.md for the format.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date
from functools import cache
from pathlib import Path
from typing import Any

from service.resources import RESOURCES_DIR, load_yaml, parse_yaml

WORLD_DIR = RESOURCES_DIR / "world"
# The four government seats the coverage matrix counts, and the one seat of an organisation.
SEATS = ("head_of_state", "head_of_government", "foreign_minister", "defence_minister")
ORGANISATION_SEATS = ("head",)
OFFICES = frozenset(
    (
        *("president", "prime_minister", "chancellor", "king", "queen", "emir", "sultan", "supreme_leader"),
        *("grand_duke", "prince", "pope", "captain_regent", "co_prince", "governor_general", "crown_prince"),
        *("vice_president", "foreign_minister", "defence_minister", "head_of_state", "chairman"),
        *("chief_adviser", "chief_executive"),  # Bangladesh caretakers; Pakistan 1999-2001
        *("secretary_general", "high_representative", "director_general", "managing_director"),
        "chairperson",
    )
)


class WorldDataError(ValueError):
    """The world data contradicts itself; the message lists every problem with its file."""


@dataclass(frozen=True)
class Tenure:
    """One holder of one office of one country (ISO code) or organisation (actor id)."""

    holder_of: str
    office: str
    seats: tuple[str, ...]
    holder: str
    start: date
    end: date | None  # exclusive; None while in office
    approximate: bool
    file: str

    def covers(self, day: date) -> bool:
        return self.start <= day and (self.end is None or day < self.end)


@dataclass(frozen=True)
class WorldData:
    countries: Mapping[str, Mapping[str, Any]]  # ISO code -> names and adjectives for its actor
    people: tuple[Mapping[str, Any], ...]  # actor entries, as in actors.yaml, each with a "file" key
    organisations: tuple[Mapping[str, Any], ...]
    tenures: tuple[Tenure, ...]
    no_office: Mapping[str, frozenset[str]]  # ISO code -> seats the country does not have
    since: Mapping[str, date]  # ISO code -> independence, for countries younger than the coverage
    problems: tuple[str, ...]  # entries that could not even be read


def load_world(root: Path = WORLD_DIR) -> WorldData:
    """Every file under root: countries.yaml lists the countries, the rest hold their office-holders."""
    countries = parse_yaml(root / "countries.yaml")["countries"]
    people: list[Mapping[str, Any]] = []
    organisations: list[Mapping[str, Any]] = []
    tenures: list[Tenure] = []
    no_office: dict[str, frozenset[str]] = {}
    since: dict[str, date] = {}
    problems: list[str] = []
    for path in sorted(root.rglob("*.yaml")):
        if path.name == "countries.yaml":
            continue
        name = path.relative_to(root).as_posix()
        data = parse_yaml(path) or {}
        holder_of = data.get("country") or data.get("organisation")
        if not isinstance(holder_of, str):
            problems.append(f"{name}: names neither a country nor an organisation")
            continue
        if "country" in data:
            no_office[holder_of] = frozenset(data.get("no_office") or {})
            if data.get("since"):
                since[holder_of] = _day(data["since"])
        people.extend({**entry, "file": name} for entry in data.get("people") or [])
        organisations.extend({**entry, "file": name} for entry in data.get("organisations") or [])
        for entry in data.get("offices") or []:
            try:
                tenures.append(_tenure(holder_of, entry, name))
            except (KeyError, TypeError, ValueError) as error:
                problems.append(f"{name}: unreadable tenure {entry!r} ({error})")
    return WorldData(
        countries, tuple(people), tuple(organisations), tuple(tenures), no_office, since, tuple(problems)
    )


@cache
def shipped_world() -> WorldData:
    """The world data the service ships (read once per process)."""
    return load_world()


def _tenure(holder_of: str, entry: Mapping[str, Any], file: str) -> Tenure:
    return Tenure(
        holder_of=holder_of,
        office=entry["office"],
        seats=tuple(entry.get("seats") or ()),
        holder=entry["holder"],
        start=_day(entry["start"]),
        end=_day(entry["end"]) if entry.get("end") is not None else None,
        approximate=bool(entry.get("approximate", False)),
        file=file,
    )


def _day(value: object) -> date:
    return value if isinstance(value, date) else date.fromisoformat(str(value))


def world_problems(world: WorldData, known_actors: Iterable[str]) -> list[str]:
    """Everything wrong with the data: overlaps, unknown holders, people without a name in a language
    the service reads (every language folder but the one canonical names are written in), …"""
    required = _required_name_languages()
    problems = list(world.problems)
    problems += [f"countries.yaml: {code!r} is no ISO code" for code in world.countries if not _iso(code)]
    listed = {t.holder_of for t in world.tenures if _iso(t.holder_of)}
    problems += [
        f"{code}: a country file for a country not in countries.yaml"
        for code in listed - set(world.countries)
    ]
    known = set(known_actors)
    defined: dict[str, str] = {}
    for entry in (*world.people, *world.organisations):
        actor_id, file = entry.get("id"), entry["file"]
        if not actor_id or not entry.get("name"):
            problems.append(f"{file}: an actor without id or name: {entry!r}")
            continue
        if actor_id in known or actor_id in defined:
            problems.append(
                f"{file}: {actor_id} is already defined in {defined.get(actor_id, 'actors.yaml')}"
            )
        defined[actor_id] = file
        for language in required:
            if not (entry.get("names") or {}).get(language):
                problems.append(f"{file}: {actor_id} has no name in {language!r}")
    actors = known | defined.keys()
    for tenure in world.tenures:
        where = f"{tenure.file}: {tenure.office} {tenure.holder}"
        if tenure.holder not in actors:
            problems.append(f"{where}: the holder is not an actor")
        if tenure.office not in OFFICES:
            problems.append(f"{where}: unknown office {tenure.office!r}")
        if unknown := set(tenure.seats) - set(SEATS) - set(ORGANISATION_SEATS):
            problems.append(f"{where}: unknown seats {sorted(unknown)}")
        if tenure.end is not None and tenure.end <= tenure.start:
            problems.append(f"{where}: ends on or before it starts")
    problems.extend(_overlaps(world.tenures))
    return problems


def _required_name_languages() -> list[str]:
    from service.pipeline.language import shipped_languages

    canonical = load_yaml(RESOURCES_DIR / "actors.yaml")["name_language"]
    return [code for code in sorted(shipped_languages()) if code != canonical]


def _iso(code: object) -> bool:
    return isinstance(code, str) and len(code) == 2 and code.isascii() and code.isupper()


def _overlaps(tenures: Iterable[Tenure]) -> list[str]:
    """Two tenures of one office, or of one seat, of one country or organisation that overlap."""
    by_key: dict[tuple[str, str], list[Tenure]] = defaultdict(list)
    for tenure in tenures:
        for key in {f"office {tenure.office}", *(f"seat {seat}" for seat in tenure.seats)}:
            by_key[(tenure.holder_of, key)].append(tenure)
    problems = []
    reported: set[tuple[Tenure, Tenure]] = set()  # a pair overlapping in office and seat is one problem
    for (holder_of, key), group in sorted(by_key.items()):
        group.sort(key=lambda t: t.start)
        for before, after in zip(group, group[1:], strict=False):
            if (before.end is None or after.start < before.end) and (before, after) not in reported:
                reported.add((before, after))
                problems.append(
                    f"{after.file}: {key} of {holder_of}: {before.holder} (from {before.start}) and "
                    f"{after.holder} (from {after.start}) overlap"
                )
    return problems


def validate_world(world: WorldData, known_actors: Iterable[str]) -> None:
    """Raise WorldDataError naming every problem (start-up runs this: broken data stops the service)."""
    problems = world_problems(world, known_actors)
    if problems:
        shown = "\n  ".join(problems[:50])
        more = f"\n  … and {len(problems) - 50} more" if len(problems) > 50 else ""
        raise WorldDataError(f"{len(problems)} problems in service/resources/world:\n  {shown}{more}")


def coverage(world: WorldData, first_year: int, last_year: int) -> dict[str, dict[str, int]]:
    """Years filled per country and seat: a year counts when someone held the seat on 1 July of it.

    A seat the country declares it does not have (no_office), and a year before the country existed
    (since), count as filled: there was nobody to know.
    """
    by_seat: dict[tuple[str, str], list[Tenure]] = defaultdict(list)
    for tenure in world.tenures:
        for seat in tenure.seats:
            by_seat[(tenure.holder_of, seat)].append(tenure)
    years = range(first_year, last_year + 1)
    matrix: dict[str, dict[str, int]] = {}
    for country in world.countries:
        row = {}
        for seat in SEATS:
            if seat in world.no_office.get(country, ()):
                row[seat] = len(years)
                continue
            held = by_seat[(country, seat)]
            since = world.since.get(country, date.min)
            row[seat] = sum(
                date(year, 7, 1) < since or any(t.covers(date(year, 7, 1)) for t in held) for year in years
            )
        matrix[country] = row
    return matrix


def coverage_ratio(matrix: Mapping[str, Mapping[str, int]], first_year: int, last_year: int) -> float:
    """The share of country-seat-years filled."""
    possible = len(matrix) * len(SEATS) * (last_year - first_year + 1)
    return sum(sum(row.values()) for row in matrix.values()) / possible if possible else 0.0
