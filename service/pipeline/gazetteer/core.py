"""The gazetteer: actors, offices over time and places, looked up by id, name or date.

Matching them in a text is matching.py's part of the class; loading the shipped data, loading.py's.
"""

from __future__ import annotations

import copy
import hashlib
from collections.abc import Iterable, Mapping
from dataclasses import replace
from datetime import date
from pathlib import Path
from types import MappingProxyType

from service.pipeline.gazetteer.matching import Matching
from service.pipeline.gazetteer.records import (
    ACTOR_KINDS,
    ActorMention,
    ActorRecord,
    GazetteerError,
    PlaceRecord,
    Tenure,
    merge_names,
    slug,
)
from service.pipeline.gazetteer.trie import (
    SLOTS,
    Entry,
    LanguageTries,
    Trie,
    add_phrase,
    phrase_tokens,
    with_phrases,
)
from service.pipeline.language import Language
from service.pipeline.normalise import normalise_word
from service.pipeline.transliteration import in_script, latin_form


class Gazetteer(Matching):
    """Actors, offices and places, with matchers for the text of any language folder."""

    def __init__(
        self,
        actors: Iterable[ActorRecord],
        places: Iterable[PlaceRecord],
        tenures: Iterable[Tenure],
        capitals: Mapping[str, str],
        adjectives: Mapping[str, Mapping[str, tuple[str, ...]]],
        place_aliases: Iterable[tuple[str, Mapping[str, tuple[str, ...]]]] = (),
    ) -> None:
        self._actors: dict[str, ActorRecord] = {}
        for actor in actors:
            if actor.id in self._actors:
                raise GazetteerError(f"duplicate actor id {actor.id!r}")
            if actor.kind not in ACTOR_KINDS:
                raise GazetteerError(f"actor {actor.id!r}: kind {actor.kind!r} not in {ACTOR_KINDS}")
            self._actors[actor.id] = actor
        self._places: dict[str, PlaceRecord] = {}
        for place in places:
            if place.id in self._places:
                raise GazetteerError(f"duplicate place id {place.id!r}")
            if place.country is not None and place.country not in self._actors:
                raise GazetteerError(f"place {place.id!r}: unknown country {place.country!r}")
            self._places[place.id] = place
        self._place_aliases: dict[str, Mapping[str, tuple[str, ...]]] = {}
        for place_id, names in place_aliases:
            if place_id not in self._places:
                raise GazetteerError(f"places.yaml alias: unknown place {place_id!r}")
            self._place_aliases[place_id] = merge_names(self._place_aliases.get(place_id, {}), names)
        for country, capital in capitals.items():
            if country not in self._actors:
                raise GazetteerError(f"capital of unknown country {country!r}")
            if capital not in self._places:
                raise GazetteerError(f"actors.yaml: capital of {country!r} is unknown place {capital!r}")
        self._capitals = dict(capitals)
        self._adjectives = adjectives
        self._tenures: dict[tuple[str, str], list[Tenure]] = {}
        self._held_by: dict[str, list[Tenure]] = {}
        self._by_office: dict[str, list[Tenure]] = {}
        for tenure in tenures:
            for ref, what in ((tenure.holder, "holder"), (tenure.country, "country")):
                if ref not in self._actors:
                    raise GazetteerError(
                        f"offices.yaml: {tenure.office} of {tenure.country}: unknown {what} {ref!r}"
                    )
            self._tenures.setdefault((tenure.office, tenure.country), []).append(tenure)
            self._held_by.setdefault(tenure.holder, []).append(tenure)
            self._by_office.setdefault(tenure.office, []).append(tenure)
        for (office, country), items in self._tenures.items():
            items.sort(key=lambda t: t.start)
            for before, after in zip(items, items[1:], strict=False):
                if before.end is None or before.end > after.start:
                    raise GazetteerError(
                        f"offices.yaml: {office} of {country}: {before.holder} "
                        f"({before.start}..{before.end}) overlaps {after.holder} (from {after.start})"
                    )
        self._name_index: dict[str, list[str]] = {}
        for actor in self._actors.values():
            for values in actor.names.values():
                for value in values:
                    key = " ".join(phrase_tokens(value))
                    bucket = self._name_index.setdefault(key, [])
                    if actor.id not in bucket:
                        bucket.append(actor.id)
        self._languages: dict[Path, LanguageTries] = {}
        self._place_languages: dict[Path, LanguageTries] = {}

    @classmethod
    def load(
        cls, extra_actors: Iterable[ActorRecord] = (), extra_places: Iterable[PlaceRecord] = ()
    ) -> Gazetteer:
        """The shipped gazetteer (cached), or a new one with extra actors (or names) and places added."""
        from service.pipeline.gazetteer.loading import build_gazetteer, shipped_gazetteer

        extra_actors, extra_places = tuple(extra_actors), tuple(extra_places)
        if not extra_actors and not extra_places:
            return shipped_gazetteer()
        return build_gazetteer(extra_actors, extra_places)

    def with_actors(self, records: Iterable[ActorRecord]) -> Gazetteer:
        """A gazetteer with these actors, or more names of known ones, added: as if built with them.

        This one is left as it was (other threads may be reading it). The new one shares everything
        the new names do not touch, so it costs the new names, not a copy of a million objects:
        tries already built get the names along copied paths; the others are built when first used.
        """
        records = list(records)
        for record in records:
            if record.kind not in ACTOR_KINDS:
                raise GazetteerError(f"actor {record.id!r}: kind {record.kind!r} not in {ACTOR_KINDS}")
        extended = copy.copy(self)
        extended._actors = dict(self._actors)
        extended._name_index = dict(self._name_index)
        phrases: dict[str, list[tuple[str, Entry]]] = {}  # language -> (name, entry) to file in its tries
        for record in records:
            known = extended._actors.get(record.id)
            extended._actors[record.id] = (
                replace(known, names=merge_names(known.names, record.names)) if known else record
            )
            for language, values in record.names.items():
                for value in values:
                    key = " ".join(phrase_tokens(value))
                    bucket = extended._name_index.get(key, [])
                    if record.id not in bucket:
                        extended._name_index[key] = [*bucket, record.id]
                    phrases.setdefault(language, []).append((value, Entry("actor", (record.id,))))
        extended._languages = _with_names(self._languages, phrases)
        extended._place_languages = _with_names(self._place_languages, phrases)
        return extended

    # --- lookups -------------------------------------------------------------------------------

    def actor(self, actor_id: str) -> ActorRecord | None:
        """The actor with this id."""
        return self._actors.get(actor_id)

    def place(self, place_id: str) -> PlaceRecord | None:
        """The place with this id."""
        return self._places.get(place_id)

    def place_names(self, place_id: str) -> Mapping[str, tuple[str, ...]]:
        """Every name the matcher knows a place by: its names and its aliases (places.yaml)."""
        place = self._places.get(place_id)
        if place is None:
            return {}
        return merge_names(place.names, self._place_aliases.get(place_id, {}))

    def actors(self) -> list[ActorRecord]:
        """All actors, in data order."""
        return list(self._actors.values())

    def places(self) -> list[PlaceRecord]:
        """All places: curated ones first, then the package's cities."""
        return list(self._places.values())

    def tenures(self) -> list[Tenure]:
        """All office tenures."""
        return [t for items in self._tenures.values() for t in items]

    def find_actor(self, name: str) -> ActorRecord | None:
        """The actor with this id, or with this name or alias in any script (normalised)."""
        if name in self._actors:
            return self._actors[name]
        ids = self._name_index.get(" ".join(phrase_tokens(name)))
        return self._actors[ids[0]] if ids else None

    def new_actor(self, mention: ActorMention, language: Language) -> ActorRecord | None:
        """The person a titled mention with an unknown name stands for: a known actor of that name,
        else a new record (the name as written, a Latin display form, the office and country held)."""
        name = mention.proposed_name
        if not name:
            return None
        known = self.find_actor(name)
        if known is not None and known.kind == "person":
            return known
        table = language.transliteration
        article = language.morphology.article
        latin = latin_form(name, table, article) if table and in_script(name, table) else name
        base = slug(latin) or "person-" + hashlib.sha256(name.encode()).hexdigest()[:10]
        actor_id = base
        if actor_id in self._actors:  # a new person sharing a known one's Latin form
            actor_id = f"{base}-{mention.country or 'person'}"
        return ActorRecord(
            actor_id,
            latin,
            "person",
            None,
            MappingProxyType({language.code: (name,)}),
            mention.office,
            mention.country,
        )

    def holder(self, office: str, country: str, on: date) -> str | None:
        """The actor id holding `office` of `country` (or organisation) on a date."""
        for tenure in reversed(self._tenures.get((office, country), [])):
            if tenure.start <= on and (tenure.end is None or on < tenure.end):
                return tenure.holder
        return None

    def offices_of(self, actor_id: str, on: date) -> list[Tenure]:
        """The offices an actor held on a date, in data order."""
        return [t for t in self._held_by.get(actor_id, []) if t.start <= on and (t.end is None or on < t.end)]

    def country_of_place(self, place_id: str) -> str | None:
        """The country actor id a place belongs to."""
        place = self._places.get(place_id)
        return place.country if place else None

    def capital_of(self, country_id: str) -> str | None:
        """The place id of a country's capital."""
        return self._capitals.get(country_id)

    # --- lexicon building ----------------------------------------------------------------------

    def _language(self, language: Language) -> LanguageTries:
        if language.folder not in self._languages:
            self._languages[language.folder] = self._build_language(language, places=False)
        return self._languages[language.folder]

    def _place_language(self, language: Language) -> LanguageTries:
        if language.folder not in self._place_languages:
            self._place_languages[language.folder] = self._build_language(language, places=True)
        return self._place_languages[language.folder]

    def _build_language(self, language: Language, places: bool) -> LanguageTries:
        rules = language.roles
        code = language.code
        trie = Trie()
        for actor in self._actors.values():
            names = list(actor.names.get(code, ()))
            names += language.morphology.adjective_forms(self._adjectives.get(actor.id, {}).get(code, ()))
            for name in names:
                add_phrase(trie, name, Entry("actor", (actor.id,)), merge=True)
        if places:
            for place in self._places.values():
                for name in place.names.get(code, ()):
                    add_phrase(trie, name, Entry("place", place.id))
            for place_id, names in self._place_aliases.items():
                for name in names.get(code, ()):
                    add_phrase(trie, name, Entry("place", place_id))
            for word in rules.get("capital_words", ()):
                add_phrase(trie, word, Entry("capital", None))
        else:
            for role in rules.get("roles", ()):
                offices = tuple(role["office"] if isinstance(role["office"], list) else [role["office"]])
                for written in role["written"]:
                    add_phrase(trie, written, Entry("role", (offices, role.get("country"))))
            for word in rules.get("counterpart_words", ()):
                add_phrase(trie, word, Entry("counterpart", None))
        patterns = {
            kind: tuple(tuple(_slot(s) for s in p) for p in items)
            for kind, items in rules["patterns"].items()
        }
        return LanguageTries(
            code=code,
            trie=trie,
            morphology=language.morphology,
            patterns=MappingProxyType(patterns),
            pattern_words=frozenset(p[0] for items in patterns.values() for p in items if p[0] not in SLOTS),
            not_name_words=frozenset(t for w in rules.get("not_name_words", ()) for t in phrase_tokens(w)),
            former_words=frozenset(t for w in rules.get("former_words", ()) for t in phrase_tokens(w)),
            name_connectors=frozenset(t for w in rules.get("name_connectors", ()) for t in phrase_tokens(w)),
            article=language.morphology.article,
            capitalised_names=bool(rules.get("capitalised_names", False)),
        )


def _slot(slot: str) -> str:
    """Pattern slots are categories or literal words (normalised)."""
    return slot if slot in SLOTS else normalise_word(slot)


def _with_names(
    built: Mapping[Path, LanguageTries], phrases: Mapping[str, list[tuple[str, Entry]]]
) -> dict[Path, LanguageTries]:
    """The built tries with the new names filed in those of their language (the others shared)."""
    extended = {}
    for folder, tries in built.items():
        new = phrases.get(tries.code)
        # A word may now open a name: the new tries start with an empty start cache.
        extended[folder] = (
            replace(tries, trie=with_phrases(tries.trie, new, merge=True), start_cache={}) if new else tries
        )
    return extended
