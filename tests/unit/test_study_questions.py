"""What each question of a session asks: directions, typed parts and spoken parts alternate."""

from __future__ import annotations

from learn_app.models import Word
from learn_app.services.study.exercises import direction_for, spoken_part, typed_part


def word(**fields) -> Word:
    base = {"language": "ja", "term": "猫", "reading": "ねこ", "meaning": "cat"}
    return Word(**{**base, **fields})


def test_multiple_choice_alternates_term_to_meaning_and_meaning_to_term() -> None:
    assert [direction_for(n) for n in range(4)] == [
        "term_to_meaning",
        "meaning_to_term",
        "term_to_meaning",
        "meaning_to_term",
    ]


def test_typing_asks_every_second_japanese_word_for_its_reading() -> None:
    assert [typed_part(word(), n) for n in range(3)] == ["meaning", "reading", "meaning"]


def test_typing_never_asks_for_a_reading_that_is_on_show_or_missing() -> None:
    assert typed_part(word(term="ねこ", reading="ねこ"), 1) == "meaning"
    assert typed_part(word(reading=""), 1) == "meaning"
    assert typed_part(word(language="es", term="gato", reading=""), 1) == "meaning"


def test_listening_plays_every_second_words_example_when_it_has_one() -> None:
    with_example = word(example_sentence="猫がいます。")
    assert [spoken_part(with_example, n) for n in range(3)] == ["term", "example", "term"]
    assert spoken_part(word(), 1) == "term"
