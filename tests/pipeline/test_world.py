"""The world's office-holders: the shipped files validate, broken ones are refused, coverage holds."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from service.pipeline.world import (
    SEATS,
    WorldDataError,
    coverage,
    coverage_ratio,
    load_world,
    validate_world,
    world_problems,
)
from service.resources import load_resource

# At least 0.95 of country-seat-years 2000-2026 are filled (the target); raise it as data grows.
COVERAGE_FLOOR = 0.95
KNOWN = {"joe-biden", "donald-trump"}


def _world(tmp_path: Path, countries: list[str], files: dict[str, dict]) -> Path:
    (tmp_path / "countries.yaml").write_text(yaml.safe_dump({"countries": countries}))
    for name, content in files.items():
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(yaml.safe_dump(content, allow_unicode=True))
    return tmp_path


def _tenure(office, holder, start, end=None, seats=None):
    return {"office": office, "seats": seats or [], "holder": holder, "start": start, "end": end}


def test_the_shipped_world_data_has_no_problems():
    known = {entry["id"] for entry in load_resource("actors.yaml")["actors"]}
    assert world_problems(load_world(), known) == []


def test_the_shipped_world_data_covers_the_government_seats():
    this_year = 2026
    ratio = coverage_ratio(coverage(load_world(), 2000, this_year), 2000, this_year)
    assert ratio >= COVERAGE_FLOOR


def test_overlapping_tenures_of_one_office_are_refused(tmp_path):
    serbia = {
        "country": "RS",
        "people": [{"id": "a-b", "name": "A B", "names": {"ar": ["أ ب"]}}],
        "offices": [
            _tenure("president", "a-b", "2004-07-11", "2012-05-31", ["head_of_state"]),
            _tenure("president", "joe-biden", "2012-01-01", None, ["head_of_state"]),
        ],
    }
    world = load_world(_world(tmp_path, ["RS"], {"europe/rs.yaml": serbia}))
    [problem] = world_problems(world, KNOWN)
    assert "europe/rs.yaml" in problem and "president of RS" in problem and "overlap" in problem
    with pytest.raises(WorldDataError, match="overlap"):
        validate_world(world, KNOWN)


def test_a_holder_who_is_no_actor_and_a_person_without_arabic_name_are_refused(tmp_path):
    chile = {
        "country": "CL",
        "people": [{"id": "c-d", "name": "C D", "names": {"en": ["C D"]}}],
        "offices": [_tenure("president", "nobody-known", "2010-03-11", None, ["head_of_state"])],
    }
    problems = world_problems(load_world(_world(tmp_path, ["CL"], {"americas/cl.yaml": chile})), KNOWN)
    assert any("c-d has no name in" in p for p in problems)
    assert any("nobody-known" in p and "not an actor" in p for p in problems)


def test_a_person_defined_twice_is_refused(tmp_path):
    person = {"id": "joe-biden", "name": "Joe Biden", "names": {"ar": ["جو بايدن"]}}
    files = {"americas/us.yaml": {"country": "US", "people": [person], "offices": []}}
    problems = world_problems(load_world(_world(tmp_path, ["US"], files)), KNOWN)
    assert problems == ["americas/us.yaml: joe-biden is already defined in actors.yaml"]


def test_coverage_counts_years_held_on_the_first_of_july_and_seats_a_country_lacks(tmp_path):
    iceland = {
        "country": "IS",
        "no_office": {"defence_minister": "no armed forces"},
        "offices": [
            _tenure(
                "president", "joe-biden", "2000-08-01", "2002-07-02", ["head_of_state", "head_of_government"]
            ),
        ],
    }
    montenegro = {"country": "ME", "since": "2006-06-03", "offices": []}
    files = {"europe/is.yaml": iceland, "europe/me.yaml": montenegro}
    world = load_world(_world(tmp_path, ["IS", "MT", "ME"], files))
    matrix = coverage(world, 2000, 2007)
    # Held on 1 July 2001 and 2002, not 2000 (from August) nor later.
    assert matrix["IS"] == {
        "head_of_state": 2,
        "head_of_government": 2,
        "foreign_minister": 0,
        "defence_minister": 8,
    }
    assert matrix["MT"] == dict.fromkeys(SEATS, 0)
    assert matrix["ME"] == dict.fromkeys(SEATS, 6)  # 2000-2005: no Montenegro to hold office in
    assert coverage_ratio(matrix, 2000, 2007) == pytest.approx((12 + 24) / 96)


def test_the_coverage_command_prints_the_matrix(tmp_path):
    from click.testing import CliRunner

    from service.cli import world_coverage_command

    result = CliRunner().invoke(world_coverage_command, ["--first-year", "2000", "--last-year", "2026"])
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0].split() == ["country", *SEATS]
    assert any(line.startswith("XK ") for line in result.output.splitlines())
    assert "coverage 2000-2026:" in result.output.splitlines()[-1]
