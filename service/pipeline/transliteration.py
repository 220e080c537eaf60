"""Latin display forms of names written in Arabic script, by the table in `ar/transliteration.yaml`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

from service.resources import load_resource

_ARABIC = re.compile("[\u0600-\u06ff]")
_VOWELS = frozenset("aeiou")


def has_arabic(text: str) -> bool:
    """True when a text contains Arabic-script letters."""
    return bool(_ARABIC.search(text))


def latin_form(name: str) -> str:
    """The Latin display form of an Arabic-script name (other characters are kept as they are)."""
    table = _table()
    return " ".join(_word(word, table) for word in name.split() if _word(word, table))


@cache
def _table() -> Mapping[str, Any]:
    return load_resource("ar/transliteration.yaml")


def _word(word: str, table: Mapping[str, Any]) -> str:
    prefix = ""
    article = table["article"]
    if word.startswith(article) and len(word) > len(article) + 1:
        prefix, word = table["article_latin"], word[len(article) :]
    sequences = sorted(table["sequences"].items(), key=lambda kv: -len(kv[0]))
    out = ""
    index = 0
    while index < len(word):
        letter = word[index]
        sequence = next(((s, latin) for s, latin in sequences if word.startswith(s, index)), None)
        if sequence is not None:
            out += sequence[1]
            index += len(sequence[0])
            continue
        vowel = table["vowel_letters"].get(letter)
        if vowel is not None:
            consonant = not out or out[-1] in _VOWELS
            out += vowel["initial"] if consonant and not (letter == "ا" and out) else vowel["long"]
        elif letter in table["letters"]:
            out += table["letters"][letter]
        elif not _ARABIC.match(letter):
            out += letter
        index += 1
    if not out:
        return ""
    latin = out[:1].upper() + out[1:]
    return prefix + latin if prefix else latin
