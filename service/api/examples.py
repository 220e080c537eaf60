"""The OpenAPI document's request and response examples, read from examples.yaml."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from service.resources import load_yaml

EXAMPLES: dict[str, Any] = load_yaml(Path(__file__).resolve().with_name("examples.yaml"))
