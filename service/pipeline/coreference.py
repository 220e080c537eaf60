"""Coreference: later mentions of people an article has already named in full.

A surname ("Sudani" after "Mohammed Shia al-Sudani", also of a person read from the text only),
an honorific with a first name ("Prince Mohammed") or a bare office ("the crown prince") refers
back to them.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING

from service.pipeline.cores import matches_at, openings
from service.pipeline.document import Document
from service.pipeline.gazetteer import ActorMention, Gazetteer
from service.pipeline.language.morphology import alternation, optional_words
from service.pipeline.normalise import NormalisedText, normalise, normalise_word

if TYPE_CHECKING:
    from service.pipeline.language import Language


def with_coreferences(
    mentions: list[ActorMention], doc: Document, language: Language, gazetteer: Gazetteer
) -> list[ActorMention]:
    """Takes a document's actor mentions; returns them with later mentions of people named in full
    added: by surname ("Sudani" after "Mohammed Shia al-Sudani") or by bare office ("the crown prince")."""
    text, normalised, published_at = doc.text, doc.norm, doc.published_at
    names = language.names
    people = [
        m for m in mentions if m.actor_id and getattr(gazetteer.actor(m.actor_id), "kind", None) == "person"
    ]
    new_people = [m for m in mentions if m.actor_id is None and m.proposed_name]
    if not (people or new_people) or names is None:
        return mentions
    surnames: dict[str, set[str]] = {}
    # people read from the text (not in the data) are keyed by their name as written
    introduced = {f"new:{m.proposed_name}": m for m in new_people}
    for key, mention in introduced.items():
        words = normalise_word(mention.proposed_name or "").split()
        if len(words) >= 2 and len(words[-1]) >= 3 and not ({words[-1], words[-2]} & names.connectors):
            surnames.setdefault(words[-1], set()).add(key)
    for mention in people:
        record = gazetteer.actor(mention.actor_id or "")
        for short in _short_forms(record.names.get(language.code, ()), names) if record else ():
            surnames.setdefault(short, set()).add(record.id)  # type: ignore[union-attr]
    found: list[ActorMention] = []
    dropped: set[int] = set()  # ids of country-adjective mentions a surname replaced
    at: dict[int, ActorMention] = {}  # character -> the mention covering it
    for mention in mentions:
        at.update(dict.fromkeys(range(mention.start, mention.end), mention))
    prefix = optional_words(names.prefixes)

    def claim(mention: ActorMention, over_countries: bool = False) -> bool:
        """Place a mention where none is yet; with over_countries, a country adjective there gives
        way (in Arabic "the Sudanese" after "Mohammed Shia al-Sudani" is the man, not Sudan)."""
        clashes = {id(m): m for m in (at.get(i) for i in range(mention.start, mention.end)) if m is not None}
        if clashes and not (over_countries and all(m.via == "country" for m in clashes.values())):
            return False
        dropped.update(clashes)
        at.update(dict.fromkeys(range(mention.start, mention.end), mention))
        found.append(mention)
        return True

    # two people sharing a short form: it says nothing on its own
    owner = {short: next(iter(ids)) for short, ids in surnames.items() if len(ids) == 1}
    first_named = {}
    for mention in people:
        first_named.setdefault(mention.actor_id, mention.start)
    for key, mention in introduced.items():
        first_named.setdefault(key, mention.start)
    if owner:
        alternatives = alternation([r"\s+".join(re.escape(w) for w in short.split()) for short in owner])
        regex = re.compile(rf"(?<!\w){prefix}(?P<short>{alternatives})(?!\w)")
        first_words = dict.fromkeys(short.split()[0] for short in owner)
        positions = openings(normalised.text, first_words, names.prefix_letters)
        for match in matches_at(regex, normalised.text, positions):
            actor_id = owner[" ".join(match.group("short").split())]
            start, end = normalised.to_original(match.start(), match.end())
            if start > first_named[actor_id] and actor_id in introduced:
                first = introduced[actor_id]
                later = ActorMention(start, end, text[start:end], None, "title", first.office, first.country)
                claim(replace(later, proposed_name=first.proposed_name), over_countries=True)
            elif start > first_named[actor_id]:
                claim(ActorMention(start, end, text[start:end], actor_id, "name"), over_countries=True)
    holders = sorted(people + found, key=lambda m: m.start)
    holder_starts = [m.start for m in holders]
    offices_held = {
        m.actor_id: {t.office for t in gazetteer.offices_of(m.actor_id or "", published_at)} for m in holders
    }
    named_at = {m.start for m in holders}
    for office, regex, first_words in names.offices:
        # who among the people named held that office (looked up once, not per mention: linear)
        holding = [i for i, holder in enumerate(holders) if offices_held[holder.actor_id] & office]
        if not holding:
            continue  # an office no one named holds refers to no one: its words need no search
        positions = openings(normalised.text, first_words, names.conjunction_letters)
        for match in matches_at(regex, normalised.text, positions):
            start, end = normalised.to_original(match.start(), match.end())
            if _titles_a_name(end, named_at, text):
                continue  # "President Masum": the title of the name that follows
            # the latest person named before holding that office; first the latest one introduced
            # with these very words ("President of the Republic Fuad Masum", then those words alone)
            before = bisect_right(holding, bisect_right(holder_starts, start - 1) - 1) - 1
            if before >= 0:
                same_words = _introduced_with(match.group(), holders, holding[: before + 1], normalised)
                holder = same_words or holders[holding[before]]
                claim(ActorMention(start, end, text[start:end], holder.actor_id, "role"))
    kept = [m for m in mentions if id(m) not in dropped]
    return sorted(kept + found, key=lambda m: m.start)


def _short_forms(written: tuple[str, ...], names: NameLexicon) -> list[str]:
    """The short forms of a person's names, in order: surnames ("Sudani") and honorific + first
    name ("Prince Mohammed"), read once per set of names."""
    shorts = names.short_forms.get(written)
    if shorts is None:
        shorts = []
        for name in written:
            words = normalise_word(name).split()
            if len(words) < 2:
                continue
            if len(words[-1]) >= 3 and not ({words[-1], words[-2]} & names.connectors):
                shorts.append(words[-1])
            shorts.extend(f"{honorific} {words[0]}" for honorific in names.honorifics)
        if len(names.short_forms) < 50_000:
            names.short_forms[written] = shorts
    return shorts


def _titles_a_name(end: int, named_at: set[int], text: str) -> bool:
    """Is an office word directly followed by a person's name (one space or none between)?"""
    return any(end + gap in named_at for gap in range(3) if text[end : end + gap].isspace() or gap == 0)


def _introduced_with(
    words: str, holders: list[ActorMention], candidates: list[int], normalised: NormalisedText
) -> ActorMention | None:
    """The latest of the candidate holders whose mention began with these office words."""
    wanted = " ".join(words.split())
    for index in reversed(candidates):
        holder = holders[index]
        written = " ".join(normalise(holder.text).text.split())
        if written.startswith(wanted):
            return holder
    return None


@dataclass(frozen=True)
class NameLexicon:
    connectors: frozenset[str]  # words inside names that cannot end one (bin, abd)
    honorifics: tuple[str, ...]  # titles used with a first name ("Sheikh Tamim")
    prefixes: tuple[str, ...]  # clitics that may be attached before a name
    # bare definite office words: (offices, pattern, the first word of each form; one is in every match)
    offices: tuple[tuple[frozenset[str], re.Pattern[str], tuple[str, ...]], ...]
    conjunction_letters: frozenset[str]  # what may stand before an office word (cores.py)
    prefix_letters: frozenset[str]  # what may stand before a name (cores.py)
    country_references: re.Pattern[str] | None  # "this country": the country named last
    short_forms: dict[tuple[str, ...], list[str]] = field(default_factory=dict, compare=False, repr=False)


def build_name_lexicon(language: Language) -> NameLexicon | None:
    """Name particles and bare office words from the language's roles.yaml (None without one)."""
    roles = language.resource("roles.yaml")
    if roles is None:
        return None
    morphology = language.morphology
    definite = morphology.definite_prefixes[:1]
    offices = []
    for entry in roles.get("roles", []):
        office = entry["office"]
        written = [normalise(w).text for w in entry.get("written", [])]
        if definite and not definite[0].endswith(" "):
            # definite by its article, or by a definite noun after it (the Arabic for "crown of the
            # covenant", "minister of the foreign affairs")
            forms = [w for w in written if any(word.startswith(definite[0]) for word in w.split())]
        else:
            forms = [(definite[0] if definite else "") + w for w in written]
        if forms:
            escaped = alternation([r"\s+".join(re.escape(p) for p in f.split()) for f in forms])
            regex = re.compile(rf"(?<!\w){optional_words(morphology.conjunctions)}(?:{escaped})(?!\w)")
            first_words = tuple(dict.fromkeys(f.split()[0] for f in forms if f.split()))
            offices.append((frozenset([office] if isinstance(office, str) else office), regex, first_words))
    return NameLexicon(
        connectors=frozenset(normalise_word(w) for w in roles.get("name_connectors", [])),
        honorifics=tuple(
            normalise_word(w) for w in (language.resource("events.yaml") or {}).get("honorifics", [])
        ),
        prefixes=morphology.conjunctions + morphology.prepositions,
        offices=tuple(offices),
        conjunction_letters=frozenset("".join(morphology.conjunctions)),
        prefix_letters=frozenset("".join(morphology.conjunctions + morphology.prepositions)),
        country_references=morphology.word_list(roles.get("country_references", []), prepositions=True),
    )


def with_country_references(
    mentions: list[ActorMention], doc: Document, language: Language, gazetteer: Gazetteer
) -> list[ActorMention]:
    """Takes a document's actor mentions; returns them with "this country" added as the country
    named last before it (in the same article)."""
    names = language.names
    if names is None or names.country_references is None:
        return mentions
    countries = [
        m for m in mentions if m.actor_id and getattr(gazetteer.actor(m.actor_id), "kind", None) == "country"
    ]
    if not countries:
        return mentions
    starts = [m.start for m in countries]
    found = []
    for match in names.country_references.finditer(doc.norm.text):
        start, end = doc.norm.to_original(match.start(), match.end())
        before = bisect_right(starts, start - 1) - 1
        if before >= 0:
            found.append(ActorMention(start, end, doc.text[start:end], countries[before].actor_id, "country"))
    return sorted(mentions + found, key=lambda m: m.start)
