"""The offline tutor reads questions as learners type them and quotes the lesson that answers."""

from __future__ import annotations

from learn_app.llm.offline import extractive_answer
from learn_app.rag.retrieval import Passage


def passage(
    text: str,
    title: str,
    source_id: int,
    *,
    score: float = 0.9,
    kind: str = "lesson",
    language: str = "ja",
) -> Passage:
    return Passage(
        text=text, score=score, source_type=kind, source_id=source_id, title=title,
        language=language, chunk_id=f"chunk-{source_id}",
    )  # fmt: skip


POLITE = passage(
    "To make the polite form (丁寧な形), take the verb's stem and add ます: 書く → 書きます.",
    "Verb groups and the polite form",
    1,
)
TIME = passage(
    "To ask the time, say 何時ですか (なんじですか). Answer with 時: 三時です.",
    "Time, days and dates",
    2,
)
COUNTERS = passage(
    "Long thin things such as bottles and pens are counted with 本: いっぽん, にほん.",
    "Numbers and counters",
    3,
)
BOTTLE = passage("瓶 (びん, bin): bottle", "瓶 — bottle", 10, kind="word", score=1.0)


def cited_numbers(answer: str) -> list[str]:
    return [line.split("[")[1].split("]")[0] for line in answer.splitlines() if "[" in line]


def first_cited(question: str, *passages: Passage) -> str:
    """The number of the passage the offline answer quotes first."""
    return cited_numbers(extractive_answer(question, passages))[0]


def test_a_question_in_japanese_script_quotes_the_lesson_that_uses_its_words() -> None:
    answer = extractive_answer("丁寧な形はどうやって作りますか？", [TIME, COUNTERS, POLITE])
    assert cited_numbers(answer)[0] == "3"
    assert "丁寧な形" in answer.splitlines()[2]


def test_a_question_in_romaji_quotes_the_lesson_written_in_kana() -> None:
    answer = extractive_answer("nanji desu ka", [POLITE, COUNTERS, TIME])
    assert cited_numbers(answer)[0] == "3"


def test_a_misspelt_word_still_finds_the_sentence_that_spells_it_right() -> None:
    answer = extractive_answer("how do I count botles", [POLITE, TIME, COUNTERS])
    assert cited_numbers(answer)[0] == "3"
    assert "bottles and pens" in answer


def test_a_word_entry_sharing_the_questions_words_does_not_push_out_the_lessons() -> None:
    # Only the word entry uses "bin": the lessons, found by meaning, are still quoted.
    answer = extractive_answer("bin", [COUNTERS, POLITE, BOTTLE])
    assert set(cited_numbers(answer)) >= {"1", "2"}


def test_of_lessons_sharing_as_many_words_the_one_search_ranked_higher_comes_first() -> None:
    low = passage("Counting bottles uses 本.", "Numbers and counters", 4, score=0.5)
    high = passage("Counting bottles uses 本 too.", "Counting things", 5, score=1.0)
    answer = extractive_answer("How do I count bottles?", [low, high])
    assert cited_numbers(answer) == ["2", "1"]


def test_a_japanese_question_finds_the_lesson_that_names_its_words_in_romaji() -> None:
    # The lessons explain grammar in English: ひらがな and カタカナ are "hiragana" and "katakana".
    uses = passage("飲みますか。 — Do you drink? 行きますか。 — Are you going?", "Questions", 1)
    scripts = passage(
        "Hiragana writes grammar; katakana writes borrowed words.", "Writing system", 2
    )
    assert first_cited("ひらがなとカタカナは何に使いますか？", uses, scripts) == "2"


def spanish(text: str, title: str, source_id: int, *, score: float = 0.9) -> Passage:
    return passage(text, title, source_id, score=score, language="es")


def test_spanish_function_words_count_less_than_the_words_the_question_is_about() -> None:
    # The first lesson shares "por qué se" with the question, the second "buen día".
    why = spanish("¿Por qué se usa el subjuntivo?", "Questions", 1, score=1.0)
    shortened = spanish("Bueno becomes buen before a noun: buen día.", "Adjectives", 2)
    assert first_cited("¿Por qué se dice buen día?", why, shortened) == "2"


def test_a_question_typed_without_accents_matches_the_accented_words() -> None:
    plain = spanish("Use usted with strangers.", "Greetings", 1, score=1.0)
    day = spanish("Buen día: good day.", "Greetings", 2)
    assert first_cited("¿Qué significa dia?", plain, day) == "2"


def test_a_correct_word_no_passage_uses_does_not_outweigh_a_word_the_passages_share() -> None:
    # "pasar" is in no passage and reads one letter from "pagar"; "gente" is shared.
    passages = [
        spanish("Hay que pagar en efectivo.", "Hay and estar", 1),
        spanish("Con permiso, to get past people (gente).", "Excuse me", 2),
    ]
    assert first_cited("¿pasar entre gente?", *passages) == "2"


def test_romaji_particles_count_less_than_the_words_around_them() -> None:
    particles = passage("no, ni and ga are particles: の, に, が.", "Particles", 1, score=1.0)
    cats = passage("猫がいます (neko ga imasu): there is a cat.", "Existence", 2)
    assert first_cited("tsukue no ue ni neko ga imasu", particles, cats) == "2"
