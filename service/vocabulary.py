"""Closed vocabularies shared by the pipeline, the database constraints and the API."""

import hashlib
from pathlib import Path

EVENT_TYPES = (
    "video_summit",
    "phone_call",
    "visit",
    "meeting",
    "talks",
    "consultation",
    "summit",
    "statement",
    "agreement",
    "message",
    "announcement",
    "military_exercise",
    "election",
    "other",
)
GRANULARITIES = ("day", "week", "month", "year", "range", "season", "unknown")
STATUSES = ("past", "planned")
ACTOR_KINDS = ("person", "organisation", "country")
ACTOR_ORIGINS = ("gazetteer", "api", "extracted")
# How a mention's date was derived: the anchor of its temporal expression, "discourse" when carried
# over from an earlier sentence about the same event, "publication" also when no date was written.
RESOLUTIONS = ("explicit", "publication", "previous", "weekday", "discourse")
# An ingest job's article: waiting for a worker, stored (new or seen before), or given up on.
JOB_ITEM_STATUSES = ("pending", "done", "failed")


SERVICE_DIR = Path(__file__).resolve().parent


def extractor_version(root: Path = SERVICE_DIR) -> str:
    """A hash of the pipeline's code and resource files: it changes whenever extraction can."""
    digest = hashlib.sha256()
    for folder in ("pipeline", "resources"):
        for path in sorted((root / folder).rglob("*")):
            if path.suffix in (".py", ".yaml") and "__pycache__" not in path.parts:
                digest.update(path.relative_to(root).as_posix().encode() + b"\0")
                digest.update(path.read_bytes() + b"\0")
    return digest.hexdigest()[:20]  # the column holds 20 characters


# Stored with each article, so `flask reprocess --stale-only` re-extracts what older rules produced.
EXTRACTOR_VERSION = extractor_version()


def sql_in(column: str, values: tuple[str, ...]) -> str:
    """A CHECK constraint text restricting a column to a vocabulary."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"
