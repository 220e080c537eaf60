"""Latin display forms of names written in another script, by a language's `transliteration.yaml`."""

from __future__ import annotations

import re
from collections.abc import Mapping
from functools import cache
from typing import Any

_VOWELS = frozenset("aeiou")


def in_script(text: str, table: Mapping[str, Any]) -> bool:
    """True when a text contains letters of the script the table transliterates."""
    return bool(_script(table["script"]).search(text))


def latin_form(name: str, table: Mapping[str, Any], article: str = "") -> str:
    """The Latin display form of a name in the table's script (other characters are kept as they are);
    a word starting with the language's attached `article` is written with the table's `article_latin`."""
    return " ".join(_word(word, table, article) for word in name.split() if _word(word, table, article))


@cache
def _script(letters: str) -> re.Pattern[str]:
    return re.compile(f"[{letters}]")


def _word(word: str, table: Mapping[str, Any], article: str) -> str:
    prefix = ""
    if article and word.startswith(article) and len(word) > len(article) + 1:
        prefix, word = table["article_latin"], word[len(article) :]
    sequences = sorted(table["sequences"].items(), key=lambda kv: -len(kv[0]))
    script = _script(table["script"])
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
            initial = consonant and not (vowel.get("only_first") and out)
            out += vowel["initial"] if initial else vowel["long"]
        elif letter in table["letters"]:
            out += table["letters"][letter]
        elif not script.match(letter):
            out += letter
        index += 1
    if not out:
        return ""
    latin = out[:1].upper() + out[1:]
    return prefix + latin if prefix else latin
