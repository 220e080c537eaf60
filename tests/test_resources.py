"""service.resources: the YAML reader gives what PyYAML's safe loader gives, only faster."""

from __future__ import annotations

from datetime import date

import pytest
import yaml

from service.resources import RESOURCES_DIR, parse_yaml


@pytest.mark.parametrize(
    "path", sorted(RESOURCES_DIR.rglob("*.yaml")), ids=lambda p: str(p.relative_to(RESOURCES_DIR))
)
def test_every_shipped_file_reads_as_the_safe_loader_reads_it(path):
    expected = yaml.safe_load(path.read_text(encoding="utf-8"))
    assert parse_yaml(path) == expected
    assert repr(parse_yaml(path)) == repr(expected)  # the same types and key order too


def test_scalars_merge_keys_and_tags_are_read_as_yaml_defines_them(tmp_path):
    path = tmp_path / "sample.yaml"
    path.write_text(
        "base: &base {kind: country, since: 1971-12-02}\n"
        "entry:\n  <<: *base\n  name: 'yes'\n  seats: 4\n  share: 0.5\n  open: yes\n  end: ~\n  note:\n  closed: Off\n"
        "codes: !!set {AE, OM}\n",
        encoding="utf-8",
    )
    assert parse_yaml(path) == {
        "base": {"kind": "country", "since": date(1971, 12, 2)},
        "entry": {"kind": "country", "since": date(1971, 12, 2), "name": "yes", "seats": 4, "share": 0.5}
        | {"open": True, "end": None, "note": None, "closed": False},
        "codes": {"AE", "OM"},
    }


def test_a_list_as_a_mapping_key_is_a_yaml_error(tmp_path):
    path = tmp_path / "broken.yaml"
    path.write_text("? [a, b]\n: c\n", encoding="utf-8")
    with pytest.raises(yaml.YAMLError, match="unhashable key"):
        parse_yaml(path)
