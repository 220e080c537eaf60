"""Sentences of an article, each with its span in the text; overlong ones cut into bounded clauses."""

from __future__ import annotations

import re
from dataclasses import dataclass

from service.resources import load_resource


@dataclass(frozen=True)
class Sentence:
    """One sentence of an article, with its character span in the article text."""

    start: int
    end: int
    text: str


# A sentence longer than this (characters) is cut into clauses: windows stay bounded whatever the text.
MAX_SENTENCE = 600

_CHARACTERS = load_resource("characters.yaml")
# A sentence ends at a run of sentence-ending marks (. ! ? ...) followed by space, maybe after a
# closing quote or bracket, or at a line break.
_ENDS = re.escape("".join(_CHARACTERS["sentence_ends"]))
_SENTENCE_END = re.compile(f"[{_ENDS}]+[\"'\u201d\u00bb)]*\\s+|\n+")
# A dot after a short capitalised word or initials (Mr., Gen., U.S.) or before a digit or a
# lowercase letter (Nov. 11, 3. round) is an abbreviation, not the end of a sentence; a dot after
# a longer word (Doha., Iran.) ends one.
_ABBREVIATION = re.compile(r"(?:^|[\s(])(?:[A-Z][a-z]{0,2}|(?:[A-Z]\.)+[A-Z])\.$")


def split_sentences(text: str) -> list[Sentence]:
    """Split article text into sentences with spans into the same text (blank ones dropped)."""
    sentences: list[Sentence] = []
    position = 0
    for match in _SENTENCE_END.finditer(text):
        if match.group().startswith(".") and _is_abbreviation(text, match.start(), match.end()):
            continue
        _append_sentence(text, position, match.end(), sentences)
        position = match.end()
    _append_sentence(text, position, len(text), sentences)
    return sentences


def _is_abbreviation(text: str, dot: int, after: int) -> bool:
    following = text[after : after + 1]
    if following.isdigit() or following.islower():
        return True
    return bool(_ABBREVIATION.search(text[max(0, dot - 6) : dot + 1]))


def _append_sentence(text: str, start: int, end: int, sentences: list[Sentence]) -> None:
    chunk = text[start:end]
    stripped = chunk.strip()
    if not stripped:
        return
    begin = start + len(chunk) - len(chunk.lstrip())
    end = begin + len(stripped)
    while end - begin > MAX_SENTENCE:  # a run-on text: bounded clauses, so later windows stay small
        cut = _clause_cut(text, begin + MAX_SENTENCE // 2, begin + MAX_SENTENCE)
        _append_sentence(text, begin, cut, sentences)
        begin = cut
        while begin < end and text[begin].isspace():
            begin += 1
    if begin < end:
        sentences.append(Sentence(begin, end, text[begin:end]))


_CLAUSE_PUNCTUATION = "".join(_CHARACTERS["clause_marks"])
_SPACE = re.compile(r"\s+")


def _clause_cut(text: str, floor: int, limit: int) -> int:
    """Where to cut an overlong sentence in [floor, limit]: after the last clause punctuation,
    else at the last space, else at the limit."""
    punctuation = max(text.rfind(mark, floor, limit) for mark in _CLAUSE_PUNCTUATION)
    if punctuation >= 0:
        return punctuation + 1
    spaces = [match.start() for match in _SPACE.finditer(text, floor, limit)]
    return spaces[-1] if spaces else limit
