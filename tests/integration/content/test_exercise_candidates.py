"""Multiple-choice candidates for a word group, fetched from the database in one query."""

import random

import pytest
from sqlmodel import col, select, update

from learn_app.models import Status, Word, WordGroup
from learn_app.services.errors import NotFound
from learn_app.services.study.exercises import candidate_pool, multiple_choice


def group_id(session, slug: str) -> int:
    return session.exec(select(WordGroup.id).where(WordGroup.slug == slug)).one()


def test_the_pool_holds_the_courses_published_words_and_marks_the_groups_own(session, mini_course):
    pool = candidate_pool(session, group_id(session, "animals"))

    terms = {word.id: word.term for word in pool.words}
    assert sorted(terms.values()) == ["犬", "猫", "見る"]
    assert sorted(terms[word_id] for word_id in pool.group_word_ids) == ["犬", "猫"]


def test_draft_words_are_never_candidates(session, mini_course):
    session.exec(update(Word).where(col(Word.term) == "犬").values(status=Status.draft.value))
    session.commit()

    pool = candidate_pool(session, group_id(session, "animals"))

    assert "犬" not in {word.term for word in pool.words}


def test_a_question_on_a_group_word_takes_its_distractors_from_the_pool(session, mini_course):
    pool = candidate_pool(session, group_id(session, "animals"))
    cat = next(word for word in pool.words if word.term == "猫")

    question = multiple_choice(
        cat, pool.words, group_word_ids=pool.group_word_ids, rng=random.Random(1)
    )

    assert sorted(option.text for option in question.options) == ["cat", "dog", "to see; to look"]


def test_an_unknown_group_has_no_pool(session, mini_course):
    with pytest.raises(NotFound):
        candidate_pool(session, 999_999)
