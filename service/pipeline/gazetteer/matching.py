"""Finding actors and places in a text: the matching half of the `Gazetteer` class.

Every word of the text is looked up in the language's tries (trie.py); names, offices followed by a
country ("the Russian president"), counterparts ("his Chinese counterpart"), titles before a name
and capitals described by their country are read from the phrases found there.
"""

from __future__ import annotations

from bisect import bisect_left
from collections import Counter
from collections.abc import Mapping
from datetime import date
from difflib import SequenceMatcher
from functools import lru_cache
from typing import TYPE_CHECKING, Any

from service.pipeline.gazetteer.records import ActorMention, ActorRecord, PlaceMention, Tenure, slug
from service.pipeline.gazetteer.trie import JOIN, NAME_JOIN, SLOTS, Atom, Entry, TokenText, non_overlapping
from service.pipeline.normalise import NormalisedText

if TYPE_CHECKING:
    from service.pipeline.language import Language

# How alike (difflib ratio of the ASCII slugs) a name written after a title must be to a holder's
# name to be read as another spelling of it ("Cavushoglu" / "Cavusoglu").
SPELLING_SIMILARITY = 0.85


class Matching:
    """Matching methods of the Gazetteer (core.py holds the data and lookups they use)."""

    _actors: dict[str, ActorRecord]
    _capitals: dict[str, str]
    _by_office: dict[str, list[Tenure]]

    def find_actors(
        self, text: str, language: Language, on: date, normalised: NormalisedText | None = None
    ) -> list[ActorMention]:
        """People, organisations and countries named or described by their office in a text."""
        lang = self._language(language)
        doc = TokenText(text, lang, normalised)
        candidates: list[tuple[int, int, ActorMention]] = []
        for index in range(len(doc.words)):
            if not doc.atoms[index] and doc.words[index][2] not in lang.pattern_words:
                continue  # nothing named here and no pattern opens here
            for atom in doc.atoms[index]:
                if atom.entry.category == "actor":
                    mention = self._named(doc, atom, on)
                    if mention is not None:
                        candidates.append((atom.start, atom.end, mention))
                elif atom.entry.category == "role" and atom.entry.value[1] is not None:
                    candidates.extend(self._described(doc, [atom], atom.entry.value, on, via="role"))
                elif atom.entry.category == "role":
                    candidates.extend(self._titled(doc, atom, on))
            for kind in ("role", "counterpart"):
                for atoms in self._patterns(doc, index, kind):
                    roles = [a.entry.value[0] for a in atoms if a.entry.category == "role"]
                    office_entry = roles[0] if roles else None
                    country = next((a.entry.value[0] for a in atoms if a.entry.category == "actor"), None)
                    candidates.extend(self._described(doc, atoms, (office_entry, country), on, via=kind))
        chosen = non_overlapping(candidates)
        return self._resolve_counterparts(chosen, on, doc.named_counterparts)

    def find_places(
        self, text: str, language: Language, normalised: NormalisedText | None = None
    ) -> list[PlaceMention]:
        """Places named in a text, including capitals described by their country and institutions."""
        lang = self._place_language(language)
        doc = TokenText(text, lang, normalised)
        candidates: list[tuple[int, int, PlaceMention]] = []
        blockers: list[tuple[int, int, PlaceMention]] = []
        for index in range(len(doc.words)):
            if not doc.atoms[index] and doc.words[index][2] not in lang.pattern_words:
                continue  # nothing named here and no pattern opens here
            for atom in doc.atoms[index]:
                if atom.entry.category == "place":
                    start, end, original = doc.span(atom.start, atom.end)
                    candidates.append(
                        (atom.start, atom.end, PlaceMention(start, end, original, atom.entry.value))
                    )
                elif atom.entry.category == "actor":
                    # A longer country or organisation name blocks a city spelled inside it.
                    blockers.append((atom.start, atom.end, PlaceMention(0, 0, "", "")))
            for atoms in self._patterns(doc, index, "capital"):
                country = next(a.entry.value[0] for a in atoms if a.entry.category == "actor")
                capital = self._capitals.get(country)
                if capital is not None:
                    start, end, original = doc.span(atoms[0].start, atoms[-1].end)
                    candidates.append(
                        (atoms[0].start, atoms[-1].end, PlaceMention(start, end, original, capital))
                    )
        return [m for m in non_overlapping(candidates + blockers) if m.place_id]

    # --- matching helpers ----------------------------------------------------------------------

    def _named(self, doc: TokenText, atom: Atom, on: date) -> ActorMention | None:
        actor_id = self._pick(atom.entry.value, on)
        actor = self._actors[actor_id]
        start, end, original = doc.span(atom.start, atom.end)
        via = "country" if actor.kind == "country" else "name"
        return ActorMention(start, end, original, actor_id, via)

    def _pick(self, ids: tuple[str, ...], on: date) -> str:
        """Among actors sharing a name, prefer one holding an office on the date."""
        for actor_id in ids:
            if self.offices_of(actor_id, on):
                return actor_id
        return ids[0]

    def _patterns(self, doc: TokenText, index: int, kind: str) -> list[list[Atom]]:
        """Matches of the language's `kind` patterns (role + country, ...) starting at a word."""
        results = []
        for pattern in doc.language.patterns.get(kind, ()):
            atoms = self._match_pattern(doc, index, pattern, [])
            if atoms is not None:
                results.append(atoms)
        return results

    def _match_pattern(
        self, doc: TokenText, index: int, pattern: tuple[str, ...], so_far: list[Atom]
    ) -> list[Atom] | None:
        if not pattern:
            return so_far
        if index >= len(doc.words) or (so_far and not doc.joined(so_far[-1].last, index)):
            return None
        slot, rest = pattern[0], pattern[1:]
        if slot in SLOTS:
            for atom in doc.atoms[index]:
                if _fits(slot, atom, self._actors):
                    found = self._match_pattern(doc, atom.last + 1, rest, [*so_far, atom])
                    if found is not None:
                        return found
            return None
        word_start, word_end, word = doc.words[index]
        if word != slot:
            return None
        literal = Atom(index, index, word_start, word_end, Entry("word", slot))
        return self._match_pattern(doc, index + 1, rest, [*so_far, literal])

    def _described(
        self, doc: TokenText, atoms: list[Atom], meaning: tuple[Any, str | None], on: date, via: str
    ) -> list[tuple[int, int, ActorMention]]:
        """Mentions for a role description, merged with the name that follows it when there is one."""
        offices, country = meaning
        office, holder = None, None
        for candidate in offices or ():
            office = office or candidate
            holder = self.holder(candidate, country, on) if country else None
            if holder is not None:
                office = candidate
                break
        start, end = atoms[0].start, atoms[-1].end
        following = atoms[-1].last + 1
        results: list[tuple[int, int, ActorMention]] = []
        former = doc.language.former_words
        before = atoms[0].first - 1
        if before >= 0 and doc.words[before][2] in former and doc.joined(before, atoms[0].first):
            holder = None
        if (
            following < len(doc.words)
            and doc.words[following][2] in former
            and doc.joined(following - 1, following)
        ):
            holder, end, following = None, doc.words[following][1], following + 1
        named = self._following_name(doc, following, on)
        if named is not None:
            name_atom, actor_id = named
            if offices is None or country is not None or self.offices_of(actor_id, on):
                country = country or self._country_of_office(actor_id, office, on)
                first, last, original = doc.span(start, name_atom.end)
                mention = ActorMention(first, last, original, actor_id, "name", office, country)
                if via == "counterpart":
                    doc.named_counterparts.add(first)
                return [(start, name_atom.end, mention)]
        if country is None and via == "counterpart":
            # "his counterpart" with no country: the office is known later, the country from the
            # happening it takes part in (the host of a visit)
            first, last, original = doc.span(start, end)
            return [(start, end, ActorMention(first, last, original, None, via, office, None))]
        if country is None:
            return results
        # A title whose holder we know is that holder; only an unknown holder gets a proposed name.
        # With the holder known, a name after the title is taken in as another spelling of theirs only
        # where names are capitalised (an Arabic word after a title is as likely the verb's object).
        reads_name = via != "counterpart" and (holder is None or doc.language.capitalised_names)
        proposed = self._proposed_name(doc, following, minimum=1) if reads_name else None
        if proposed is not None:
            name_end, name = proposed
            first, last, original = doc.span(start, name_end)
            if holder is not None:  # the office tables on the date win over a name they do not know
                return [
                    (start, name_end, ActorMention(first, last, original, holder, "name", office, country))
                ]
            mention = ActorMention(first, last, original, None, "title", office, country, name)
            return [(start, name_end, mention)]
        first, last, original = doc.span(start, end)
        return [(start, end, ActorMention(first, last, original, holder, via, office, country))]

    def _titled(self, doc: TokenText, atom: Atom, on: date) -> list[tuple[int, int, ActorMention]]:
        """A title without a country before a name, the country possibly after it ("President
        Aleksandar Vucic of Serbia", "Foreign Minister Jane Roe"). Unknown names are read only where
        names are capitalised (English), and need two words."""
        offices = atom.entry.value[0]
        following = atom.last + 1
        named = self._following_name(doc, following, on)
        actor_id, name = None, None
        if named is not None:
            name_last, name_end, actor_id = named[0].last, named[0].end, named[1]
        elif doc.language.capitalised_names:
            proposed = self._proposed_name(doc, following, minimum=2)
            if proposed is None:
                return []
            name_end, name = proposed
            name_last = bisect_left([w[1] for w in doc.words], name_end)
        else:
            return []
        end, country = name_end, None
        for pattern in doc.language.patterns.get("name_country", ()):
            if name_last + 1 < len(doc.words) and doc.joined(name_last, name_last + 1):
                found = self._match_pattern(doc, name_last + 1, pattern, [])
                if found is not None:
                    country = next(a.entry.value[0] for a in found if a.entry.category == "actor")
                    end = found[-1].end
                    break
        office, holder = offices[0], None
        for candidate in offices:
            holder = (
                self.holder(candidate, country, on)
                if country
                else self._spelt_like(name, candidate, on, doc.language.code)
            )
            if holder is not None:
                office = candidate
                break
        first, last, original = doc.span(atom.start, end)
        if actor_id is not None:
            if country is None:
                held = [t for t in self.offices_of(actor_id, on) if t.office in offices]
                if not held:
                    return []  # "President" before a known name that holds no such office: the name alone
                office, country = held[0].office, held[0].country
            return [(atom.start, end, ActorMention(first, last, original, actor_id, "name", office, country))]
        if holder is not None:  # the office tables on the date win over a name they do not know
            country = country or self._country_of_office(holder, office, on)
            return [(atom.start, end, ActorMention(first, last, original, holder, "name", office, country))]
        return [(atom.start, end, ActorMention(first, last, original, None, "title", office, country, name))]

    def _spelt_like(self, name: str | None, office: str, on: date, language: str) -> str | None:
        """The holder of `office` (of any country) on the date whose name is another spelling of
        `name` ("Mevlut Cavushoglu" for Mevlüt Çavuşoğlu), if exactly one is."""
        if not name:
            return None
        key = slug(name)
        found = {
            tenure.holder
            for tenure in self._by_office.get(office, ())
            if tenure.start <= on
            and (tenure.end is None or on < tenure.end)
            and any(
                _alike(key, _slug(written)) for written in self._actors[tenure.holder].names.get(language, ())
            )
        }
        return found.pop() if len(found) == 1 else None

    def _following_name(self, doc: TokenText, index: int, on: date) -> tuple[Atom, str] | None:
        if index >= len(doc.words) or not doc.joined(index - 1, index, NAME_JOIN):
            return None
        for atom in doc.atoms[index]:
            if atom.entry.category == "actor":
                actor_id = self._pick(atom.entry.value, on)
                if self._actors[actor_id].kind == "person":
                    return atom, actor_id
        return None

    def _proposed_name(self, doc: TokenText, index: int, minimum: int) -> tuple[int, str] | None:
        """Words after a title that look like a person's name: (end offset, the name as written)."""
        lang = doc.language
        taken: list[int] = []
        while index < len(doc.words) and len(taken) < 4:
            if not doc.joined(index - 1, index, NAME_JOIN if not taken else JOIN):
                break
            word = doc.words[index][2]
            start, _, original = doc.span(doc.words[index][0], doc.words[index][1])
            if word in lang.not_name_words or word.isdigit() or doc.atoms[index]:
                break
            if lang.capitalised_names and not original[:1].isupper():
                break
            # A name never starts with the article, and no name word carries a proclitic + article.
            clitic_article = any(form.startswith(lang.article) for form, _ in doc.forms(index)[1:])
            if lang.article and (clitic_article or (not taken and word.startswith(lang.article))):
                break
            taken.append(index)
            index += 1
        while taken and doc.words[taken[-1]][2] in lang.name_connectors:
            taken.pop()
        if len(taken) < minimum:
            return None
        _, _, name = doc.span(doc.words[taken[0]][0], doc.words[taken[-1]][1])
        return doc.words[taken[-1]][1], name

    def _country_of_office(self, actor_id: str, office: str | None, on: date) -> str | None:
        for tenure in self.offices_of(actor_id, on):
            if office is None or tenure.office == office:
                return tenure.country
        return None

    def _resolve_counterparts(
        self, mentions: list[ActorMention], on: date, named_counterparts: set[int]
    ) -> list[ActorMention]:
        """Give each counterpart the office of the nearest role before it (or of the person named)."""
        resolved: list[ActorMention] = []
        last_office: str | None = None
        for mention in mentions:
            if mention.via == "counterpart" and mention.office is None:
                holder = (
                    self.holder(last_office, mention.country, on) if last_office and mention.country else None
                )
                mention = ActorMention(
                    mention.start,
                    mention.end,
                    mention.text,
                    holder,
                    "counterpart",
                    last_office,
                    mention.country,
                )
            elif mention.start in named_counterparts and mention.office is None and last_office:
                mention = ActorMention(
                    mention.start,
                    mention.end,
                    mention.text,
                    mention.actor_id,
                    "name",
                    last_office,
                    mention.country,
                )
            if mention.office is not None:
                last_office = mention.office
            elif mention.actor_id is not None and self._actors[mention.actor_id].kind == "person":
                held = self.offices_of(mention.actor_id, on)
                last_office = held[0].office if held else last_office
            resolved.append(mention)
        return resolved


_slug = lru_cache(maxsize=1 << 14)(slug)  # holders' names are compared again and again
_letters = lru_cache(maxsize=1 << 14)(Counter)


def _alike(a: str, b: str) -> bool:
    """difflib's ratio of two slugs reaches SPELLING_SIMILARITY (its cheap upper bounds tried first:
    real_quick_ratio, then quick_ratio, computed as difflib does from letters counted once)."""
    total = len(a) + len(b)
    if not total:
        return True
    if 2.0 * min(len(a), len(b)) / total < SPELLING_SIMILARITY:
        return False
    counts = _letters(b)
    shared = sum(min(n, counts[letter]) for letter, n in _letters(a).items())
    if 2.0 * shared / total < SPELLING_SIMILARITY:
        return False
    return SequenceMatcher(None, a, b).ratio() >= SPELLING_SIMILARITY


def _fits(slot: str, atom: Atom, actors: Mapping[str, ActorRecord]) -> bool:
    category = atom.entry.category
    if slot == "country":
        return category == "actor" and actors[atom.entry.value[0]].kind in ("country", "organisation")
    if slot == "role":
        return category == "role" and atom.entry.value[1] is None
    return category == slot
