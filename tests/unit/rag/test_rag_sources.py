"""What the index holds for a lesson or a word, and when it counts as changed."""

from __future__ import annotations

from learn_app.models import Document, Word
from learn_app.rag.sources import lesson_source, word_source


def arigatou(**changes) -> Word:
    fields = {
        "id": 7,
        "course_id": 1,
        "language": "ja",
        "term": "有難う",
        "reading": "ありがとう",
        "meaning": "thank you",
        "part_of_speech": "expression",
        "example_sentence": "手伝ってくれてありがとう。",
        "example_translation": "Thank you for helping me.",
        "parts": {"romaji": "arigatou"},
        "tags": ["casual"],
    }
    return Word(**{**fields, **changes})


def lesson(**changes) -> Document:
    fields = {
        "id": 3,
        "course_id": 1,
        "slug": "counters",
        "language": "ja",
        "level": "JLPT N5",
        "title": "Counting things",
        "summary": "Count bottles, paper and animals.",
        "body": "## Counters\n\n本 counts long thin things.",
        "status": "published",
    }
    return Document(**{**fields, **changes})


def test_a_word_passage_has_spelling_meaning_grammar_and_example() -> None:
    source = word_source(arigatou())

    assert source.text == (
        "有難う (ありがとう, arigatou): thank you\n"
        "Part of speech: expression\n"
        "Example: 手伝ってくれてありがとう。 (Thank you for helping me.)"
    )
    assert source.meta == {
        "source_type": "word",
        "source_id": 7,
        "title": "有難う — thank you",
        "language": "ja",
        "course_id": 1,
    }
    assert source.document_id == "word-7"


def test_a_reading_that_repeats_the_term_is_not_repeated() -> None:
    source = word_source(arigatou(term="ありがとう"))

    assert source.text.startswith("ありがとう (arigatou): thank you\n")


def test_a_spanish_nouns_gender_is_part_of_its_passage() -> None:
    casa = Word(
        id=9,
        language="es",
        term="casa",
        meaning="house",
        part_of_speech="noun",
        parts={"gender": "feminine"},
    )

    assert word_source(casa).text == "casa: house\nPart of speech: noun, feminine"


def test_a_lesson_is_indexed_with_its_title_summary_and_body() -> None:
    source = lesson_source(lesson())

    assert source.text == (
        "# Counting things\n\nCount bottles, paper and animals.\n\n"
        "## Counters\n\n本 counts long thin things."
    )
    assert source.meta["slug"] == "counters"
    assert source.meta["level"] == "JLPT N5"
    assert source.meta["source_type"] == "lesson"


def test_the_hash_changes_with_what_is_indexed_and_only_with_that() -> None:
    original = word_source(arigatou()).content_hash

    assert word_source(arigatou(meaning="thanks")).content_hash != original
    assert word_source(arigatou(course_id=2)).content_hash != original
    assert word_source(arigatou(tags=["polite"])).content_hash == original
    assert (
        lesson_source(lesson(level="JLPT N4")).content_hash != lesson_source(lesson()).content_hash
    )
    assert lesson_source(lesson(position=5)).content_hash == lesson_source(lesson()).content_hash
