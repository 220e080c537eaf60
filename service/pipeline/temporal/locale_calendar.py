"""A language's basic calendar vocabulary, generated from dateparser's locale data.

dateparser ships curated month names, weekday names and relative-day words for some 200 locales;
`flask calendar-vocabulary LANG` writes them to service/resources/<lang>/calendar.yaml, the start of
a new language folder. The hand-made temporal.yaml extends that vocabulary and drops the generated
words that mislead in news (`calendar_exclude`); `with_calendar` joins the two when the lexicon loads.
"""

from __future__ import annotations

import re
from copy import deepcopy
from typing import Any

import yaml

from service.pipeline.normalise import normalise_word

# dateparser's locale keys (its identifiers, not words of any language).
MONTHS = (
    *("january", "february", "march", "april", "may", "june"),
    *("july", "august", "september", "october", "november", "december"),
)
WEEKDAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")
# dateparser's relative-day keys: "0 day ago", "1 day ago", "in 1 day" (other units are not days).
_DAYS_AGO = re.compile(r"(\d+) day ago")
_DAYS_AHEAD = re.compile(r"in (\d+) day")
FARTHEST_DAY = 2  # "the day after tomorrow"; larger offsets are counts, not names of days


def calendar_vocabulary(language: str) -> dict[str, Any]:
    """Months (1-12), weekdays (0-6, Monday first) and relative days (offset -> words) of a locale."""
    import dateparser
    from dateparser.languages.loader import default_loader

    info = default_loader.get_locale(language).info
    relative: dict[int, list[str]] = {}
    for phrase, words in info.get("relative-type", {}).items():
        if match := _DAYS_AGO.fullmatch(phrase):
            offset = -int(match[1])
        elif match := _DAYS_AHEAD.fullmatch(phrase):
            offset = int(match[1])
        else:
            continue
        if abs(offset) <= FARTHEST_DAY:
            relative.setdefault(offset, []).extend(words)
    return {
        "source": f"dateparser {dateparser.__version__}, locale {language}",
        "months": {number: list(info.get(name, [])) for number, name in enumerate(MONTHS, start=1)},
        "weekdays": {number: list(info.get(name, [])) for number, name in enumerate(WEEKDAYS)},
        "relative_days": dict(sorted(relative.items())),
    }


def render(language: str) -> str:
    """The text of service/resources/<language>/calendar.yaml."""
    header = (
        f"# {language}: calendar vocabulary generated from dateparser's locale data by\n"
        f"# `flask calendar-vocabulary {language}`. Do not edit: temporal.yaml extends it, and its\n"
        "# `calendar_exclude` drops generated words that mislead in news. A test regenerates and compares.\n"
    )
    body = yaml.safe_dump(
        calendar_vocabulary(language), allow_unicode=True, sort_keys=False, width=200, default_flow_style=None
    )
    return header + body


def with_calendar(temporal: dict[str, Any], calendar: dict[str, Any] | None) -> dict[str, Any]:
    """temporal.yaml's data with the generated words added to its months, weekdays and relative days."""
    if not calendar:
        return temporal
    excluded = {normalise_word(word) for word in temporal.get("calendar_exclude") or []}
    data = deepcopy(temporal)

    def kept(words: list[str]) -> list[str]:
        return [word for word in words if normalise_word(word) not in excluded]

    for category in ("months", "weekdays"):
        entries = data[category]["entries"]
        for number, words in calendar[category].items():
            entries[number] = list(dict.fromkeys(kept(words) + list(entries.get(number) or [])))
    generated = [
        {"words": kept(words), "offset": offset} for offset, words in calendar["relative_days"].items()
    ]
    data["relative_days"]["entries"] = [entry for entry in generated if entry["words"]] + data[
        "relative_days"
    ]["entries"]
    return data
