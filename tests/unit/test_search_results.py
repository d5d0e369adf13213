"""How the Search page words its links, its language filter and the passages it shows."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

from learn_app.state.search import (
    ALL_LANGUAGES,
    language_choice,
    plain_snippet,
    search_url,
    source_href,
)


def test_a_search_url_holds_the_question_and_language_and_reads_back_unchanged() -> None:
    url = search_url("how do I say I'm sorry & thank you?", "ja")

    parts = urlsplit(url)
    assert parts.path == "/search"
    assert parse_qs(parts.query) == {"q": ["how do I say I'm sorry & thank you?"], "lang": ["ja"]}


def test_the_filter_defaults_to_the_learners_target_language() -> None:
    assert language_choice(None, "es") == "es"
    assert language_choice("", "ja") == "ja"


def test_a_language_the_portal_does_not_teach_falls_back_to_the_learners() -> None:
    assert language_choice("klingon", "es") == "es"
    assert language_choice("klingon", "xx") == ALL_LANGUAGES


def test_all_languages_can_be_chosen() -> None:
    assert language_choice(ALL_LANGUAGES, "ja") == ALL_LANGUAGES


def test_lessons_and_words_link_to_their_own_pages() -> None:
    assert source_href("lesson", 12) == "/lessons/12"
    assert source_href("word", 7) == "/words/7"


def test_a_passage_reads_as_plain_text_without_its_title_heading() -> None:
    text = (
        "# Ser or estar\n\n"
        "## When to use **ser**\n"
        "> Soy de *Madrid*. — I am from Madrid.\n"
        "| ser | estar |\n"
        "See [the verbs lesson](/lessons/3) and `estoy`."
    )

    snippet = plain_snippet(text, "Ser or estar")

    assert snippet == (
        "When to use ser\n"
        "Soy de Madrid. — I am from Madrid.\n"
        "ser · estar\n"
        "See the verbs lesson and estoy."
    )


def test_a_long_passage_is_cut_at_a_word_and_marked_as_cut() -> None:
    text = "palabra " * 100

    snippet = plain_snippet(text, limit=50)

    assert snippet.endswith(" …")
    assert len(snippet) <= 52
    assert all(word == "palabra" for word in snippet.removesuffix(" …").split())


def test_japanese_text_is_kept_as_it_is() -> None:
    assert plain_snippet("すみません: **sorry** (polite)") == "すみません: sorry (polite)"


def test_a_sentence_broken_across_lines_reads_as_one_line() -> None:
    text = (
        "## Before you get in\n"
        "Wash at the shower stools first: sit down, soap up and rinse off\n"
        "completely. Then step in.\n"
        "- towels stay out\n"
        "of the water\n"
        "The bath is for soaking."
    )

    assert plain_snippet(text) == (
        "Before you get in\n"
        "Wash at the shower stools first: sit down, soap up and rinse off completely. "
        "Then step in.\n"
        "- towels stay out of the water\n"
        "The bath is for soaking."
    )


def test_a_words_passage_keeps_one_fact_a_line() -> None:
    text = "猫 (ねこ, neko): cat\nPart of speech: noun\nExample: 猫がいます。 (There is a cat.)"

    assert plain_snippet(text, "猫 — cat") == text
