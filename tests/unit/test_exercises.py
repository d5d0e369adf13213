"""Questions from words: multiple choice with fair distractors, and cloze sentences."""

import random
from itertools import count
from pathlib import Path

import pytest

from learn_app.models import Word
from learn_app.services.content.course_files import read_course_folder
from learn_app.services.language.cloze import cloze_for
from learn_app.services.study.exercises import multiple_choice

CONTENT = Path(__file__).resolve().parents[2] / "content"
_ids = count(1)


def word(term: str, meaning: str, pos: str = "noun", *, course: int = 1, **fields) -> Word:
    fields.setdefault("language", "ja")
    return Word(
        id=next(_ids), course_id=course, term=term, meaning=meaning, part_of_speech=pos, **fields
    )


CAT = word("猫", "cat", reading="ねこ")
DOG = word("犬", "dog", reading="いぬ")
BIRD = word("鳥", "bird", reading="とり")
FISH = word("魚", "fish", reading="さかな")
HORSE = word("馬", "horse", reading="うま")
EAT = word("食べる", "to eat", "verb", reading="たべる")
DRINK = word("飲む", "to drink", "verb", reading="のむ")
SEE = word("見る", "to see; to look", "verb", reading="みる")
COW = word("牛", "cow", reading="うし", course=2)
ANIMALS = {CAT.id, DOG.id, BIRD.id, EAT.id}


def distractors(question) -> list[str]:
    return [option.text for option in question.options if option != question.answer]


def test_a_question_has_the_answer_and_three_distractors():
    question = multiple_choice(CAT, [DOG, BIRD, FISH, HORSE], rng=random.Random(1))

    assert question.prompt == "猫"
    assert question.prompt_reading == "ねこ"
    assert len(question.options) == 4
    assert question.answer.text == "cat"
    assert question.is_correct(question.answer_index)


def test_the_right_answer_is_never_offered_twice():
    twin = word("易しい", "easy; simple", "i-adjective")
    same_text = word("簡単", "easy; simple", "na-adjective")
    shares_a_sense = word("楽", "comfortable; easy", "na-adjective")
    others = [same_text, shares_a_sense, CAT, DOG, BIRD]

    for seed in range(20):
        question = multiple_choice(twin, others, rng=random.Random(seed))
        texts = [option.text for option in question.options]
        assert texts.count("easy; simple") == 1
        assert "comfortable; easy" not in texts


def test_no_two_options_read_the_same():
    same_meaning = [word(f"犬{n}", "dog") for n in range(3)]

    question = multiple_choice(CAT, [*same_meaning, BIRD, FISH], rng=random.Random(3))

    texts = [option.text for option in question.options]
    assert len(texts) == len(set(texts)) == 4


def test_distractors_from_the_same_group_and_part_of_speech_come_first():
    candidates = [EAT, DRINK, SEE, FISH, HORSE, DOG, BIRD]

    for seed in range(10):
        question = multiple_choice(CAT, candidates, group_word_ids=ANIMALS, rng=random.Random(seed))
        # 犬 and 鳥 are nouns in the group; the third is a noun of the course, never a verb.
        assert {"dog", "bird"} < set(distractors(question))
        assert set(distractors(question)) - {"dog", "bird"} <= {"fish", "horse"}


def test_then_words_of_the_same_course_and_part_of_speech():
    question = multiple_choice(CAT, [EAT, DRINK, COW, FISH], rng=random.Random(2))

    assert set(distractors(question)) == {"fish", "to eat", "to drink"}


def test_words_of_any_kind_fill_in_when_nothing_closer_is_left():
    question = multiple_choice(CAT, [EAT, COW, DOG], rng=random.Random(4))

    assert set(distractors(question)) == {"dog", "to eat", "cow"}


def test_words_of_another_language_are_never_options():
    perro = word("perro", "dog", language="es")

    question = multiple_choice(CAT, [perro, FISH], rng=random.Random(5))

    assert distractors(question) == ["fish"]


def test_with_few_candidates_there_are_fewer_options():
    question = multiple_choice(CAT, [DOG], rng=random.Random(6))

    assert sorted(option.text for option in question.options) == ["cat", "dog"]


def test_the_same_seed_gives_the_same_question_and_the_answer_moves_between_seeds():
    candidates = [DOG, BIRD, FISH, HORSE]

    first = multiple_choice(CAT, candidates, rng=random.Random(42))
    again = multiple_choice(CAT, candidates, rng=random.Random(42))
    positions = {
        multiple_choice(CAT, candidates, rng=random.Random(seed)).answer_index for seed in range(30)
    }

    assert first == again
    assert positions == {0, 1, 2, 3}


def test_meaning_to_term_asks_with_the_meaning_and_offers_terms_with_readings():
    question = multiple_choice(
        CAT, [DOG, BIRD, FISH], direction="meaning_to_term", rng=random.Random(7)
    )

    assert question.prompt == "cat"
    assert question.answer.text == "猫"
    assert question.answer.reading == "ねこ"
    assert {option.text for option in question.options} == {"猫", "犬", "鳥", "魚"}


# -------------------------------------------------------------------------------------- cloze


def test_a_japanese_cloze_blanks_the_verb_as_the_sentence_conjugates_it():
    eat = word(
        "食べる",
        "to eat",
        "verb",
        reading="たべる",
        parts={"verb_class": "ichidan"},
        example_sentence="朝ご飯を食べましたか。",
        example_translation="Did you have breakfast?",
    )

    cloze = cloze_for(eat)

    assert cloze.sentence == "朝ご飯を＿＿＿か。"
    assert (cloze.answer, cloze.answer_reading) == ("食べました", "たべました")
    assert cloze.hint == "Did you have breakfast?"


@pytest.mark.parametrize(
    ("term", "reading", "pos", "verb_class", "sentence", "answer"),
    [
        ("書く", "かく", "verb", "godan", "ここに名前を書いてください。", "書いて"),
        ("行く", "いく", "verb", "godan", "明日、銀行に行きます。", "行きます"),
        ("来る", "くる", "verb", "irregular", "友達が家に来ました。", "来ました"),
        ("勉強する", "べんきょうする", "verb", "irregular", "日本語を勉強します。", "勉強します"),
        ("楽しい", "たのしい", "i-adjective", "", "旅行はとても楽しかったです。", "楽しかった"),
        ("分かる", "わかる", "verb", "godan", "日本語が少しわかります。", "わかります"),
    ],
)
def test_a_japanese_cloze_finds_inflected_and_kana_forms(
    term, reading, pos, verb_class, sentence, answer
):
    found = word(
        term,
        "-",
        pos,
        reading=reading,
        parts={"verb_class": verb_class},
        example_sentence=sentence,
    )

    assert cloze_for(found).answer == answer


def test_a_kanji_inside_a_longer_compound_is_not_the_word():
    day = word("日", "day", reading="ひ", example_sentence="毎日日本語を勉強します。")

    assert cloze_for(day) is None


def test_a_counter_is_blanked_with_its_number_and_read_from_the_example_reading():
    animals = word(
        "〜匹",
        "counter for small animals",
        "counter",
        reading="ひき",
        parts={"example_reading": "ねこがいっぴきいます。"},
        example_sentence="猫が一匹います。",
    )

    cloze = cloze_for(animals)

    assert (cloze.answer, cloze.answer_reading) == ("一匹", "いっぴき")


@pytest.mark.parametrize(
    ("term", "pos", "sentence", "answer"),
    [
        ("ser", "verb", "Soy inglesa y soy profesora.", "Soy"),
        ("saber", "verb", "¿Cómo se dice? No sé.", "sé"),
        ("cerrar", "verb", "El museo cierra los lunes.", "cierra"),
        ("llamarse", "verb", "¿Cómo te llamas?", "llamas"),
        ("pequeño", "adjective", "Mi habitación es muy pequeña.", "pequeña"),
        ("bueno", "adjective", "Es un buen libro.", "buen"),
        ("flor", "noun", "Estas flores son para ti.", "flores"),
        ("¿qué tal?", "expression", "Hola, Ana, ¿qué tal?", "qué tal"),
    ],
)
def test_a_spanish_cloze_finds_the_word_in_any_form(term, pos, sentence, answer):
    found = word(term, "-", pos, language="es", example_sentence=sentence)

    assert cloze_for(found).answer == answer


def test_spanish_words_are_found_whatever_their_accents():
    found = word("cafe", "coffee", language="es", example_sentence="Un café, por favor.")

    assert cloze_for(found).sentence == "Un ＿＿＿, por favor."


def test_a_word_whose_example_lacks_it_has_no_cloze():
    assert cloze_for(word("perro", "dog", language="es", example_sentence="Tengo un gato.")) is None
    assert cloze_for(word("perro", "dog", language="es")) is None


def course_words(slug: str) -> list[Word]:
    course = read_course_folder(CONTENT / slug)
    return [
        Word(
            language=course.language,
            term=spec.term,
            reading=spec.reading,
            meaning=spec.meaning,
            part_of_speech=spec.part_of_speech,
            example_sentence=spec.example_sentence,
            example_translation=spec.example_translation,
            parts={"example_reading": spec.example_reading, "verb_class": spec.verb_class},
        )
        for group in course.groups
        for spec in group.words
    ]


@pytest.mark.parametrize(("slug", "share"), [("ja-en", 0.95), ("es-en", 0.95)])
def test_most_words_of_the_shipped_courses_make_a_cloze(slug, share):
    words = course_words(slug)
    clozes = [cloze_for(found) for found in words]

    made = [cloze for cloze in clozes if cloze is not None]
    assert len(made) >= share * len(words)
    assert all(cloze.answer and cloze.BLANK in cloze.sentence for cloze in made)
