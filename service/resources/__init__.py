"""Language resources and gazetteers: YAML data files an analyst can extend without Python."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import yaml

RESOURCES_DIR = Path(__file__).resolve().parent
# libyaml's safe loader when PyYAML was built with it (about 4x faster), else the pure-Python one.
SafeLoader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


@cache
def load_yaml(path: Path) -> Any:
    """Parse one YAML file (cached: resources are read once per process)."""
    with path.open(encoding="utf-8") as handle:
        return yaml.load(handle, Loader=SafeLoader)  # noqa: S506 (a safe loader)


def load_resource(relative_path: str) -> Any:
    """Parse one YAML file under service/resources (cached)."""
    return load_yaml(RESOURCES_DIR / relative_path)
