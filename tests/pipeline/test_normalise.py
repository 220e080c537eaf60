"""normalise.py: letter and digit folding with offsets, sentence splitting, language detection."""

from __future__ import annotations

from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st

from service.pipeline.gazetteer import Gazetteer
from service.pipeline.language import detect_language
from service.pipeline.normalise import (
    is_ignorable,
    normalise,
    normalise_word,
)
from service.pipeline.sentences import split_sentences
from tests.pipeline.languages import LANGUAGES


@pytest.mark.parametrize(
    ("original", "folded"),
    [
        ("أحمد إلى آخر", "احمد الي اخر"),
        ("مدرسة", "مدرسه"),
        ("مستشفى", "مستشفي"),
        ("مسؤول", "مسوول"),
        ("رئيس", "رييس"),
        ("غداً", "غدا"),
        ("جـــمعة", "جمعه"),
        ("١٥/٥/٢٠٢٤", "15/5/2024"),
        ("۱۵ مايو ۲۰۲۴", "15 مايو 2024"),
        ("Nov. 11", "nov. 11"),
        ("64٪", "64%"),
    ],
)
def test_folding(original: str, folded: str) -> None:
    assert normalise(original).text == folded


def test_offsets_map_back_to_the_original() -> None:
    text = "وصل الوزير غداً الأربعاء إلى جـدة"
    norm = normalise(text)
    start = norm.text.index("غدا الاربعاء")
    begin, end = norm.to_original(start, start + len("غدا الاربعاء"))
    assert text[begin:end] in ("غداً الأربعاء", "غدًا الأربعاء")
    assert text[begin:end].startswith("غدا")


def test_ignorable_characters() -> None:
    assert is_ignorable("ً") and is_ignorable("ـ")
    assert not is_ignorable("ا") and not is_ignorable(" ")


@given(st.text(alphabet="أإآابتةىيئؤـًٌٍَُِّ٠١٢٣abcXYZ 0123.,", max_size=40))
def test_offsets_are_monotonic_and_in_range(text: str) -> None:
    norm = normalise(text)
    assert len(norm.offsets) == len(norm.text)
    assert list(norm.offsets) == sorted(norm.offsets)
    assert all(0 <= o < len(text) for o in norm.offsets)


def test_normalise_word_strips() -> None:
    assert normalise_word("  الإثنين ") == "الاثنين"


def test_sentence_splitting_keeps_spans() -> None:
    text = "Talks resumed on Nov. 11 in Doha. The U.S. envoy attended!\nوقال الوزير إن الاجتماع مهم. وأضاف أنه سيعقد غدا؟"
    sentences = split_sentences(text)
    assert [s.text for s in sentences] == [
        "Talks resumed on Nov. 11 in Doha.",
        "The U.S. envoy attended!",
        "وقال الوزير إن الاجتماع مهم.",
        "وأضاف أنه سيعقد غدا؟",
    ]
    assert all(text[s.start : s.end] == s.text for s in sentences)


@pytest.mark.parametrize(
    ("text", "language"),
    [("وصل الرئيس إلى بكين", "ar"), ("The president arrived in Beijing", "en"), ("12345", "en")],
)
def test_detect_language(text: str, language: str) -> None:
    assert detect_language(text, LANGUAGES.values()).code == language


@pytest.mark.parametrize(
    ("written", "plain"),
    [
        ("Çavuşoğlu", "cavusoglu"),
        ("Luiz Inácio", "luiz inacio"),
        ("İstanbul", "istanbul"),
        ("Ngũgĩ", "ngugi"),
    ],
)
def test_latin_accents_fold_to_their_base_letter_keeping_offsets(written: str, plain: str) -> None:
    normalised = normalise(written)
    assert normalised.text == plain
    assert normalised.to_original(0, len(plain)) == (0, len(written))


def test_a_name_written_without_its_accents_is_the_known_person() -> None:
    text = "Marco Rubio will hold talks with President Luiz Inacio Lula da Silva in Brasilia on Monday."
    found = Gazetteer.load().find_actors(text, LANGUAGES["en"], date(2025, 3, 4), normalise(text))
    assert {m.actor_id for m in found} == {"marco-rubio", "lula"}
