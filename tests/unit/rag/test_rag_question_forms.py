"""Questions as learners type them: romaji read as kana, misspelt words matched to the course's."""

from __future__ import annotations

from learn_app.rag.spelling import Speller, fold_romaji, vocabulary_of

COURSE_TEXT = [
    "How do I say sorry politely to my boss? Use すみません or 申し訳ありません.",
    "Count bottles and pencils with 本: いっぽん, にほん, さんぼん.",
    "I am married: 結婚しています. The te-form of a verb is married to いる.",
    "Adjectives agree with the noun: una casa grande, un libro caro.",
]


def speller() -> Speller:
    return Speller(lambda: dict(vocabulary_of(COURSE_TEXT)))


def test_romaji_words_are_added_in_hiragana() -> None:
    assert fold_romaji("nanji desu ka") == "なんじ です か"
    assert fold_romaji("chotto matte kudasai") == "ちょっと まって ください"


def test_english_words_around_romaji_are_not_read_as_kana() -> None:
    assert fold_romaji("what does moushiwake arimasen mean") == "もうしわけ ありません"
    assert fold_romaji("When do I use imasu and when arimasu?") == "います あります"


def test_an_english_question_gives_no_kana() -> None:
    assert fold_romaji("How do I count bottles?") == ""


def test_a_misspelt_word_is_matched_to_the_courses_spelling() -> None:
    assert speller().corrections("How do I say I am maried?") == ["married"]
    assert speller().corrections("how do I count botles") == ["bottles"]


def test_two_letter_slips_in_a_long_word_are_forgiven_but_not_in_a_short_one() -> None:
    assert speller().corrections("adjetivs") == ["adjectives"]
    assert speller().corrections("bxxs") == []


def test_words_the_course_uses_and_short_words_are_left_alone() -> None:
    assert speller().corrections("How do I say sorry politely to my boss?") == []
    assert speller().corrections("una casa") == []


def test_an_empty_vocabulary_suggests_nothing() -> None:
    assert Speller(dict).corrections("maried") == []
