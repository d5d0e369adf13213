"""The sentence constructor's rules, without a database: how a sentence is cut into pieces,
what the offline hints say, how an attempt is compared, and what counts as giving it away."""

from __future__ import annotations

from learn_app.models import Word
from learn_app.services.language.sentence_parts import pieces
from learn_app.services.tutor.sentence_answers import Reference, compare, leaks
from learn_app.services.tutor.sentence_hints import clues, structure, vocabulary


def word(n: int, language: str, term: str, reading: str, meaning: str, pos: str, **parts) -> Word:
    return Word(id=n, language=language, term=term, reading=reading, meaning=meaning,
                part_of_speech=pos, parts=parts)  # fmt: skip


JAPANESE = [
    word(1, "ja", "暑い", "あつい", "hot", "i-adjective"),
    word(2, "ja", "脱ぐ", "ぬぐ", "to take off", "verb", verb_class="godan"),
    word(3, "ja", "上", "うえ", "top; on", "noun"),
    word(4, "ja", "来る", "くる", "to come", "verb"),
    word(5, "ja", "お腹", "おなか", "stomach", "noun"),
    word(6, "ja", "私", "わたし", "I; me", "pronoun"),
    word(7, "ja", "毎朝", "まいあさ", "every morning", "noun"),
    word(8, "ja", "コーヒー", "コーヒー", "coffee", "noun"),
    word(9, "ja", "飲む", "のむ", "to drink", "verb", verb_class="godan"),
]
SPANISH = [
    word(11, "es", "por favor", "", "please", "expression"),
    word(12, "es", "cerrar", "", "to close", "verb"),
    word(13, "es", "puerta", "", "door", "noun", gender="feminine"),
    word(14, "es", "tener", "", "to have", "verb"),
    word(15, "es", "billete", "", "ticket", "noun", gender="masculine"),
]


def cut(sentence: str, words: list[Word]) -> list[tuple[str, str]]:
    return [(p.text, p.kind) for p in pieces(sentence, words[0].language, words)]


def reference(sentence: str, reading: str, words: list[Word]) -> Reference:
    return Reference(
        words[0].language, sentence, reading, pieces(sentence, words[0].language, words)
    )


def test_a_course_word_inside_an_unknown_compound_is_not_taken_for_itself() -> None:
    assert cut("暑いですから、上着を脱ぎます。", JAPANESE) == [
        ("暑い", "word"), ("です", "ending"), ("から", "particle"), ("、", "punct"),
        ("上着", "other"), ("を", "particle"), ("脱ぎます", "word"), ("。", "punct"),
    ]  # fmt: skip


def test_a_kana_word_at_the_end_of_another_word_is_not_found() -> None:
    assert cut("お腹がすきました。", JAPANESE)[2] == ("すきました", "other")


def test_the_japanese_structure_names_each_slot_by_its_particle() -> None:
    found = pieces("私は毎朝コーヒーを飲みます。", "ja", JAPANESE)

    assert structure(found, "ja") == "[topic] は [time] [object] を [verb]"
    assert "私は毎朝コーヒーを飲みます" not in structure(found, "ja")


def test_the_vocabulary_is_in_dictionary_form() -> None:
    found = pieces("私は毎朝コーヒーを飲みます。", "ja", JAPANESE)

    assert [row["term"] for row in vocabulary(found)] == ["私", "毎朝", "コーヒー", "飲む"]
    assert clues(found, "ja")[-1] == (
        "飲む (のむ) is not in its dictionary form: use its polite form (-ます)."
    )


def test_a_spanish_phrase_and_the_gender_of_its_nouns() -> None:
    found = pieces("Cierra la puerta, por favor.", "es", SPANISH)

    assert [(p.text, p.kind) for p in found][:3] == [
        ("Cierra", "word"), ("la", "article"), ("puerta", "word"),
    ]  # fmt: skip
    assert structure(found, "es") == "[verb] [article] [noun], [expression]"
    assert "puerta is feminine: its article (la / una) and adjectives agree with it." in clues(
        found, "es"
    )


def test_the_topic_particle_typed_as_it_sounds_is_right() -> None:
    ref = reference(
        "私は毎朝コーヒーを飲みます。", "わたしはまいあさコーヒーをのみます。", JAPANESE
    )

    assert compare(ref, "watashi wa maiasa koohii o nomimasu", JAPANESE).verdict == "exact"
    assert compare(ref, "わたしわまいあさコーヒーをのみます", JAPANESE).verdict == "close"
    assert compare(ref, "watashi wa maiasa kohi o nomimasu", JAPANESE).note == (
        "Accepted — watch the long vowels."
    )


def test_a_wrong_article_is_named_as_such() -> None:
    ref = reference("Ya tengo los billetes.", "", SPANISH)

    result = compare(ref, "ya tengo las billetes", SPANISH)

    assert result.verdict == "wrong"
    assert result.note.startswith("An article does not agree with its noun")


def test_a_leftover_subject_pronoun_is_accepted_with_a_note() -> None:
    ref = reference("Tengo los billetes.", "", SPANISH)

    result = compare(ref, "Yo tengo los billetes", SPANISH)

    assert (result.verdict, result.note) == (
        "close", "Accepted — Spanish usually leaves out the subject pronoun: the verb says who."
    )  # fmt: skip


def test_the_sentence_leaks_written_in_kana_or_romaji_or_spaced_out() -> None:
    ref = reference("毎朝コーヒーを飲みます。", "まいあさコーヒーをのみます。", JAPANESE)

    assert leaks("Try まいあさ コーヒーを のみます!", ref)
    assert leaks("maiasa koohii wo nomimasu", ref)
    assert leaks("毎朝 コーヒー を 飲みます", ref)
    assert not leaks("[time] [object] を [verb]", ref)
    assert not leaks("飲む: to drink", ref)


def test_a_spanish_leak_is_the_whole_sentence_word_for_word() -> None:
    ref = reference("Ya tengo los billetes.", "", SPANISH)

    assert leaks("Say: ¡ya tengo los billetes!", ref)
    assert not leaks("tengo means I have; billetes is plural", ref)
