"""Reading `<lang>/temporal.yaml` (extending the generated calendar.yaml) into a validated `Lexicon`.

The YAML files hold words only; every entry is normalised like text, numbers and names are checked,
and a category a language leaves out is filled in empty.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import TYPE_CHECKING, Any

from service.pipeline.language.morphology import Morphology
from service.pipeline.normalise import normalise_word
from service.pipeline.temporal.lexicon import (
    CALENDAR_NAME,
    PARTS,
    QUALIFIER_OFFSETS,
    RESOURCE_NAME,
    SEASONS,
    UNITS,
    Example,
    Lexicon,
    LexiconError,
    key,
)
from service.pipeline.temporal.locale_calendar import with_calendar

if TYPE_CHECKING:
    from service.pipeline.language import Language

# Every category, with the keys it must carry besides `examples`. A language folder may leave a
# category out of its temporal.yaml (it then matches nothing: see `_complete`); one it writes must
# carry every key and at least one example.
_CATEGORIES: dict[str, tuple[str, ...]] = {
    "months": ("entries", "ambiguous", "prefixes", "context"),
    "hijri_months": ("entries", "ambiguous", "year_suffixes"),
    "weekdays": ("entries", "prefixes", "linkers"),
    "ordinal_days": ("entries", "suffixes", "of_words"),
    "numbers": ("entries",),
    "relative_days": (
        "entries",
        "time_of_day_before",
        "time_of_day_after",
        "nowadays_words",
        "nowadays_cues",
        "adjective_suffixes",
    ),
    "anaphora": ("entries",),
    "units": ("entries",),
    "qualifiers": ("after", "before"),
    "shifts": ("ago_before", "ago_after", "later_before", "later_after"),
    "windows": ("prefixes", "earlier", "later"),
    "years": ("prefixes", "dual_prefixes", "context", "suffixes"),
    "parts": ("entries",),
    "month_weeks": ("last",),
    "seasons": ("entries",),
    "ranges": ("from", "to", "between", "and", "dual_days"),
    "tense": (
        "future_words",
        "future_prefixes",
        "future_prefix_exceptions",
        "past_words",
        "past_cues",
        "past_lead_words",
        "past_suffixes",
        "imperfect_prefixes",
        "perfect_verbs",
        "skip_words",
    ),
    "negatives": ("quantity_words", "name_cues", "recurrence_words", "recurrence_phrases"),
}
# Tense keys a language may leave out (the clause-level reading of a verb's tense, engine.py).
_OPTIONAL_TENSE = (
    "clause_boundaries",
    "participle_auxiliaries",
    "reporting_verbs",
    "not_past_words",
    "clear_imperfect_prefixes",
)
# Categories that may have no examples when the language has no entries for them.
_OPTIONAL_EXAMPLES = {"hijri_months"}


def _words(value: Any, where: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise LexiconError(f"{where}: expected a list of words, got {value!r}")
    out = []
    for word in value:
        norm = normalise_word(word)
        if not norm:
            raise LexiconError(f"{where}: empty word {word!r}")
        out.append(key(norm) + ("." if norm.endswith(".") and len(norm) > 1 else ""))
    return out


def _numbered(value: Any, where: str, low: int, high: int) -> dict[str, int]:
    """Word -> number table; keys keep a final dot (jan.), so `Lexicon.alt` can make it optional."""
    if not isinstance(value, dict):
        raise LexiconError(f"{where}: expected a mapping of number -> words")
    table: dict[str, int] = {}
    for number, words in value.items():
        if not isinstance(number, int) or not low <= number <= high:
            raise LexiconError(f"{where}: key {number!r} is not a number in {low}..{high}")
        for word in _words(words, f"{where}.{number}"):
            table[word] = number
    return table


def _named(value: Any, where: str, names: Iterable[str]) -> dict[str, str]:
    if not isinstance(value, dict):
        raise LexiconError(f"{where}: expected a mapping")
    allowed = set(names)
    table: dict[str, str] = {}
    for name, words in value.items():
        if name not in allowed:
            raise LexiconError(f"{where}: unknown key {name!r} (allowed: {sorted(allowed)})")
        for word in _words(words, f"{where}.{name}"):
            table[key(word)] = name
    return table


def _examples(category: str, raw: Any, where: str) -> list[Example]:
    if not isinstance(raw, list):
        raise LexiconError(f"{where}.examples: expected a list")
    examples = []
    for item in raw:
        if not isinstance(item, dict) or not isinstance(item.get("text"), str):
            raise LexiconError(f"{where}.examples: each example needs a text, got {item!r}")
        if "tense" not in item and not isinstance(item.get("published_at"), date):
            raise LexiconError(f"{where}.examples: {item['text']!r} needs published_at as YYYY-MM-DD")
        if "tense" not in item and item.get("expect") != "none":
            for field_name in ("expression", "start", "end", "granularity"):
                if field_name not in item:
                    raise LexiconError(f"{where}.examples: {item['text']!r} lacks {field_name}")
        examples.append(
            Example(
                category,
                item["text"],
                item.get("published_at"),
                item.get("expression"),
                item.get("start"),
                item.get("end"),
                item.get("granularity"),
                item.get("tense"),
            )
        )
    return examples


def build_lexicon(
    data: Any, language: str, morphology: Morphology, unwritten: frozenset[str] = frozenset()
) -> Lexicon:
    """Validate raw YAML data and build the normalised lexicon (raises LexiconError); `unwritten`
    categories were left out of the file and filled in empty, so they need no example."""
    where = f"{language}/{RESOURCE_NAME}"
    if not isinstance(data, dict):
        raise LexiconError(f"{where}: expected a mapping at the top level")
    for category, keys in _CATEGORIES.items():
        section = data.get(category)
        if not isinstance(section, dict):
            raise LexiconError(f"{where}: missing category {category!r}")
        for k in (*keys, "examples"):
            if k not in section:
                raise LexiconError(f"{where}: category {category!r} lacks {k!r}")
        if not section["examples"] and category not in _OPTIONAL_EXAMPLES | unwritten:
            raise LexiconError(f"{where}: category {category!r} needs at least one example")
    orders = data.get("date_orders")
    if not isinstance(orders, list) or not orders or not set(orders) <= {"dm", "md"}:
        raise LexiconError(f"{where}: date_orders must list dm and/or md")
    if data.get("numeric_order") not in ("dmy", "mdy"):
        raise LexiconError(f"{where}: numeric_order must be dmy or mdy")

    lex = Lexicon(
        language=language,
        morphology=morphology,
        article=morphology.article,
        conjunctions=list(morphology.conjunctions),
        prepositions=list(morphology.prepositions),
        article_words=list(morphology.article_words),
        date_orders=list(orders),
        numeric_order=data["numeric_order"],
    )
    months = data["months"]
    for word, number in _numbered(months["entries"], f"{where}:months", 1, 12).items():
        lex.months[word] = ("gregorian", number)
    hijri = data["hijri_months"]
    for word, number in _numbered(hijri["entries"] or {}, f"{where}:hijri_months", 1, 12).items():
        lex.months[word] = ("hijri", number)
    lex.ambiguous_months = set(_words(months["ambiguous"], where) + _words(hijri["ambiguous"], where))
    unknown = lex.ambiguous_months - set(lex.months)
    if unknown:
        raise LexiconError(f"{where}: ambiguous months not listed as months: {sorted(unknown)}")
    lex.month_prefixes = _words(months["prefixes"], f"{where}:months.prefixes")
    lex.month_context = {key(w) for w in _words(months["context"], f"{where}:months.context")}
    lex.hijri_year_suffixes = _words(hijri["year_suffixes"], f"{where}:hijri_months.year_suffixes")

    weekdays = data["weekdays"]
    lex.weekdays = _numbered(weekdays["entries"], f"{where}:weekdays", 0, 6)
    if sorted(set(lex.weekdays.values())) != list(range(7)):
        raise LexiconError(f"{where}: weekdays must name all seven days")
    lex.weekday_prefixes = _words(weekdays["prefixes"], f"{where}:weekdays.prefixes")
    lex.linkers = _words(weekdays["linkers"], f"{where}:weekdays.linkers")

    ordinal = data["ordinal_days"]
    lex.ordinals = _numbered(ordinal["entries"], f"{where}:ordinal_days", 1, 31)
    lex.day_suffixes = _words(ordinal["suffixes"], f"{where}:ordinal_days.suffixes")
    lex.of_words = _words(ordinal["of_words"], f"{where}:ordinal_days.of_words")
    lex.numbers = _numbered(data["numbers"]["entries"], f"{where}:numbers", 1, 1000)

    rel = data["relative_days"]
    for i, entry in enumerate(rel["entries"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("offset"), int):
            raise LexiconError(f"{where}:relative_days.entries[{i}] needs words and an integer offset")
        for word in _words(entry.get("words"), f"{where}:relative_days.entries[{i}]"):
            lex.relative_days[key(word)] = entry["offset"]
    lex.time_before = _words(rel["time_of_day_before"], f"{where}:relative_days.time_of_day_before")
    lex.time_after = _words(rel["time_of_day_after"], f"{where}:relative_days.time_of_day_after")
    lex.nowadays_words = {key(w) for w in _words(rel["nowadays_words"], where)}
    lex.nowadays_cues = _words(rel["nowadays_cues"], f"{where}:relative_days.nowadays_cues")
    lex.adjective_suffixes = _words(rel["adjective_suffixes"], f"{where}:relative_days.adjective_suffixes")
    for i, entry in enumerate(data["anaphora"]["entries"]):
        if not isinstance(entry, dict) or not isinstance(entry.get("offset"), int):
            raise LexiconError(f"{where}:anaphora.entries[{i}] needs words and an integer offset")
        for word in _words(entry.get("words"), f"{where}:anaphora.entries[{i}]"):
            lex.anaphora[key(word)] = entry["offset"]

    units = data["units"]["entries"]
    if not isinstance(units, dict) or set(units) != set(UNITS):
        raise LexiconError(f"{where}: units.entries must define exactly {UNITS}")
    for unit, forms in units.items():
        if not isinstance(forms, dict) or not {"singular", "plural", "dual"} <= set(forms):
            raise LexiconError(f"{where}: units.{unit} needs singular, plural and dual lists")
        for word in _words(forms["singular"], f"{where}:units.{unit}"):
            lex.unit_singular[word] = unit
        for word in _words(forms["plural"], f"{where}:units.{unit}"):
            lex.unit_plural[word] = unit
        for word in _words(forms["dual"], f"{where}:units.{unit}"):
            lex.unit_dual[word] = unit
    for table in (lex.unit_singular, lex.unit_plural, lex.unit_dual):
        for word, unit in list(table.items()):
            for definite in lex.definite([word]):
                table[key(definite)] = unit
    for word, number in list(lex.numbers.items()):
        for definite in lex.definite([word]):
            lex.numbers.setdefault(key(definite), number)

    qualifiers = data["qualifiers"]
    lex.qual_after = _named(qualifiers["after"] or {}, f"{where}:qualifiers.after", QUALIFIER_OFFSETS)
    lex.qual_before = _named(qualifiers["before"] or {}, f"{where}:qualifiers.before", QUALIFIER_OFFSETS)
    shifts = data["shifts"]
    lex.shifts = {k: _words(shifts[k], f"{where}:shifts.{k}") for k in _CATEGORIES["shifts"]}
    windows = data["windows"]
    lex.window_prefixes = _words(windows["prefixes"], f"{where}:windows.prefixes")
    lex.earlier_words = _words(windows["earlier"], f"{where}:windows.earlier")
    lex.later_words = _words(windows["later"], f"{where}:windows.later")
    years = data["years"]
    lex.year_prefixes = _words(years["prefixes"], f"{where}:years.prefixes")
    lex.year_dual_prefixes = _words(years["dual_prefixes"], f"{where}:years.dual_prefixes")
    lex.year_context = {key(w) for w in _words(years["context"], f"{where}:years.context")}
    lex.year_suffixes = _words(years["suffixes"], f"{where}:years.suffixes")
    lex.parts = _named(data["parts"]["entries"], f"{where}:parts", PARTS)
    lex.last_week_words = _words(data["month_weeks"]["last"], f"{where}:month_weeks.last")
    lex.seasons = _named(data["seasons"]["entries"], f"{where}:seasons", SEASONS)
    ranges = data["ranges"]
    lex.ranges = {k: _words(ranges[k], f"{where}:ranges.{k}") for k in _CATEGORIES["ranges"]}
    tense = data["tense"]
    lex.tense = {k: _words(tense[k], f"{where}:tense.{k}") for k in _CATEGORIES["tense"]}
    lex.tense.update({k: _words(tense.get(k, []), f"{where}:tense.{k}") for k in _OPTIONAL_TENSE})
    for frame in tense.get("past_frames") or []:
        if not (isinstance(frame, list) and len(frame) == 2):
            raise LexiconError(f"{where}:tense.past_frames: expected [prefix, ending] pairs, got {frame!r}")
        lex.past_frames.append((normalise_word(frame[0]), normalise_word(frame[1])))
    negatives = data["negatives"]
    lex.quantity_words = _words(negatives["quantity_words"], f"{where}:negatives.quantity_words")
    lex.name_cues = _words(negatives["name_cues"], f"{where}:negatives.name_cues")
    lex.recurrence_words = set(_words(negatives["recurrence_words"], f"{where}:negatives.recurrence_words"))
    lex.recurrence_phrases = _words(negatives["recurrence_phrases"], f"{where}:negatives.recurrence_phrases")
    lex.verb_readings = {
        key(normalise_word(word)): set(_words(before, f"{where}:negatives.verb_readings.{word}"))
        for word, before in (negatives.get("verb_readings") or {}).items()
    }

    for category in _CATEGORIES:
        lex.examples.extend(_examples(category, data[category]["examples"], f"{where}:{category}"))
    return lex


def load_lexicon(language: Language) -> Lexicon:
    """The validated lexicon of one language folder: temporal.yaml extending calendar.yaml."""
    data = language.resource(RESOURCE_NAME)
    if not isinstance(data, dict):
        raise LexiconError(f"{language.code}: no {RESOURCE_NAME}")
    unwritten = frozenset(_CATEGORIES) - set(data)
    calendar = language.resource(CALENDAR_NAME)
    completed = with_calendar(_complete(data), calendar)
    return build_lexicon(completed, language.code, language.morphology, unwritten)


# Keys whose entries are a mapping (a number or a name -> words); every other key holds a list.
_MAPPINGS = {
    ("months", "entries"),
    ("hijri_months", "entries"),
    ("weekdays", "entries"),
    ("ordinal_days", "entries"),
    ("numbers", "entries"),
    ("qualifiers", "after"),
    ("qualifiers", "before"),
    ("parts", "entries"),
    ("seasons", "entries"),
}


def _complete(data: dict[str, Any]) -> dict[str, Any]:
    """The file's data with every category it leaves out filled in empty (matching nothing)."""
    filled = dict(data)
    for category, keys in _CATEGORIES.items():
        if category in filled:
            continue
        section: dict[str, Any] = {k: {} if (category, k) in _MAPPINGS else [] for k in keys}
        if category == "units":
            section["entries"] = {unit: {"singular": [], "plural": [], "dual": []} for unit in UNITS}
        filled[category] = {**section, "examples": []}
    return filled
