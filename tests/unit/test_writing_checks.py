"""The writing practice's offline checks: target words in any form, the script, the ending."""

from __future__ import annotations

import pytest

from learn_app.services.language.writing_checks import (
    WordForms,
    has_target_script,
    punctuation_check,
    script_check,
    word_check,
)

TABERU = WordForms("食べる", "たべる", "taberu", "verb", "ichidan")
COFFEE = WordForms("コーヒー", "コーヒー", "koohii", "noun")
HON = WordForms("〜本", "ほん", "hon", "counter")


@pytest.mark.parametrize(
    ("word", "text"),
    [
        (TABERU, "りんごを食べる。"),
        (TABERU, "昨日りんごを食べました。"),  # an inflected form
        (TABERU, "たべたいです。"),  # in kana
        (COFFEE, "こーひーを飲みます。"),  # katakana written in hiragana
        (HON, "ペンが三本あります。"),  # a counter with its number
    ],
)
def test_a_japanese_word_is_found_in_any_form_and_either_kana(word, text) -> None:
    check = word_check(word, text, "ja")

    assert (check.used, check.correct) == (True, None)


def test_a_japanese_word_in_romaji_is_found_but_not_correct() -> None:
    check = word_check(TABERU, "りんごをtabemasu。", "ja")

    assert (check.used, check.correct) == (True, False)
    assert check.note == "“tabemasu” is 食べる in romaji; write it in kana or kanji."


def test_a_missing_word_is_not_used() -> None:
    check = word_check(TABERU, "りんごが好きです。", "ja")

    assert (check.used, check.correct, check.note) == (
        False,
        False,
        "Not found in the sentence.",
    )


@pytest.mark.parametrize(
    ("word", "text"),
    [
        (WordForms("leer", part_of_speech="verb"), "Leo un libro."),
        (WordForms("ir", part_of_speech="verb"), "Ayer fui al cine."),
        (WordForms("libro", part_of_speech="noun"), "Tengo dos libros."),
        (WordForms("buenos días", part_of_speech="expression"), "¡Buenos días, Ana!"),
    ],
)
def test_a_spanish_word_is_found_inflected_or_as_a_phrase(word, text) -> None:
    assert word_check(word, text, "es").used


def test_a_spanish_word_without_its_accent_is_found_with_a_note() -> None:
    check = word_check(WordForms("está", part_of_speech="verb"), "Ana esta en casa.", "es")

    assert check.used
    assert "Watch the accents: está." in check.note


def test_the_script_is_japanese_script_for_japanese_and_latin_letters_for_spanish() -> None:
    assert has_target_script("りんごを食べます", "ja")
    assert not has_target_script("ringo wo tabemasu", "ja")
    assert has_target_script("Leo un libro", "es")
    assert not has_target_script("本を読みます", "es")


def test_latin_words_in_japanese_and_other_scripts_in_spanish_are_pointed_out() -> None:
    assert script_check("りんごを食べます。", "ja").ok
    romaji = script_check("私はringoを食べます。", "ja")
    assert not romaji.ok and "ringo" in romaji.note
    assert script_check("Leo un libro.", "es").ok
    assert not script_check("Leo un 本.", "es").ok


@pytest.mark.parametrize(
    ("text", "language", "ok"),
    [
        ("りんごを食べます。", "ja", True),
        ("りんごを食べますか？", "ja", True),
        ("りんごを食べます", "ja", False),
        ("Leo un libro.", "es", True),
        ("¿Lees un libro?", "es", True),
        ("Lees un libro?", "es", False),
        ("¡Qué bien!", "es", True),
        ("Qué bien!", "es", False),
        ("Leo un libro", "es", False),
    ],
)
def test_a_sentence_ends_with_its_mark_and_spanish_opens_questions(text, language, ok) -> None:
    assert punctuation_check(text, language).ok is ok
