"""Language resources and gazetteers: YAML data files an analyst can extend without Python."""

from __future__ import annotations

from collections.abc import Hashable
from functools import cache
from pathlib import Path
from typing import Any

import yaml
from yaml.constructor import ConstructorError

RESOURCES_DIR = Path(__file__).resolve().parent
# libyaml's safe loader when PyYAML was built with it (about 4x faster), else the pure-Python one.
_SafeLoader: type[yaml.SafeLoader] = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
_MAP, _SEQ, _STR = (f"tag:yaml.org,2002:{kind}" for kind in ("map", "seq", "str"))


class _DataLoader(_SafeLoader):  # type: ignore[misc,valid-type]
    """The safe loader, building mappings, lists and strings in one recursive pass.

    PyYAML constructs them through generators so that a document may contain itself; no resource
    does, and the direct pass makes a cold start's hundreds of files about a quarter faster to read.
    Every other node (numbers, booleans, dates, null, explicit tags) is constructed as before.
    """

    def construct_document(self, node: yaml.Node) -> Any:
        data = self._data(node)
        self.constructed_objects, self.recursive_objects = {}, {}
        return data

    def _data(self, node: yaml.Node) -> Any:
        if node.tag == _STR:
            return node.value
        if node.tag == _SEQ:
            return [self._data(item) for item in node.value]
        if node.tag == _MAP:
            self.flatten_mapping(node)  # merge keys (<<)
            data = {}
            for key_node, value_node in node.value:
                key = self._data(key_node)
                if not isinstance(key, Hashable):
                    raise ConstructorError(None, None, "found unhashable key", key_node.start_mark)
                data[key] = self._data(value_node)
            return data
        return self.construct_object(node, deep=True)


def parse_yaml(path: Path) -> Any:
    """Parse one YAML file with a safe loader."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=_DataLoader)  # noqa: S506 (a safe loader)


@cache
def load_yaml(path: Path) -> Any:
    """Parse one YAML file (cached: resources are read once per process)."""
    return parse_yaml(path)


def load_resource(relative_path: str) -> Any:
    """Parse one YAML file under service/resources (cached)."""
    return load_yaml(RESOURCES_DIR / relative_path)
