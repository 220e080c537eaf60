"""Closed vocabularies shared by the pipeline, the database constraints and the API."""

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

# Bumped whenever extraction rules change, so `flask reprocess` knows what is stale.
EXTRACTOR_VERSION = "1"


def sql_in(column: str, values: tuple[str, ...]) -> str:
    """A CHECK constraint text restricting a column to a vocabulary."""
    quoted = ", ".join(f"'{value}'" for value in values)
    return f"{column} IN ({quoted})"
