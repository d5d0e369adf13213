"""The words a study session goes through: its group's words or today's plan, about 20 of
them, resumed after a reload with the next word not yet answered."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from learn_app.models import Word
from learn_app.services.errors import NotFound
from learn_app.services.study import exercises, plan
from learn_app.services.study import sessions as study

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def meanings(words: list[Word]) -> list[str]:
    return [word.meaning for word in words]


@pytest.fixture
def animals_session(session, learner, flashcards, groups):
    started = study.start_session(session, learner, flashcards.id, groups["animals"].id, now=NOW)
    session.commit()
    return started


def test_a_group_session_takes_due_reviews_then_new_words_then_the_rest(
    session, learner, words, animals_session, give_card
) -> None:
    give_card(learner, words["fish"], due=NOW + timedelta(days=3))
    give_card(learner, words["dog"], due=NOW + timedelta(days=1))
    give_card(learner, words["bird"], due=NOW - timedelta(hours=1))

    queue = plan.session_queue(session, learner, animals_session.id, now=NOW)

    # bird is due; cat is new; dog and fish are not due yet, the sooner first. No draft bear.
    assert meanings(queue.words) == ["bird", "cat", "dog", "fish"]
    assert (queue.answered, queue.total) == (0, 4)


def test_the_most_overdue_review_comes_first(session, learner, words, groups, give_card) -> None:
    give_card(learner, words["cat"], due=NOW - timedelta(hours=1))
    give_card(learner, words["dog"], due=NOW - timedelta(days=2))
    order = plan.group_study_order(session, learner, groups["animals"].id, now=NOW)
    assert order[:2] == [words["dog"].id, words["cat"].id]


def test_after_answers_the_session_goes_on_with_the_next_unanswered_word(
    session, learner, words, animals_session
) -> None:
    for meaning in ("cat", "dog"):
        study.record_review(
            session, learner, animals_session.id, words[meaning].id, correct=False, now=NOW
        )
    session.commit()

    # Both now have cards due within minutes; answered in this session, they do not return.
    queue = plan.session_queue(session, learner, animals_session.id, now=NOW + timedelta(hours=1))

    assert queue.answered_word_ids == [words["cat"].id, words["dog"].id]
    assert meanings(queue.words) == ["bird", "fish"]
    assert (queue.answered, queue.total) == (2, 4)


def test_a_session_stops_at_its_size(session, learner, words, animals_session) -> None:
    queue = plan.session_queue(session, learner, animals_session.id, size=3, now=NOW)
    assert meanings(queue.words) == ["cat", "dog", "bird"]

    study.record_review(session, learner, animals_session.id, words["cat"].id, correct=True)
    session.commit()
    queue = plan.session_queue(session, learner, animals_session.id, size=3, now=NOW)
    assert meanings(queue.words) == ["dog", "bird"]
    assert queue.total == 3


def test_a_session_started_from_practice_works_through_todays_plan(
    session, learner, words, flashcards, give_card
) -> None:
    give_card(learner, words["rice"], due=NOW - timedelta(hours=2))
    started = study.start_session(session, learner, flashcards.id, None, now=NOW)
    session.commit()

    queue = plan.session_queue(session, learner, started.id, size=4, now=NOW)

    assert meanings(queue.words) == ["rice", "cat", "dog", "bird"]


def test_words_the_activity_cannot_ask_are_left_out(
    session, learner, words, animals_session
) -> None:
    queue = plan.session_queue(
        session, learner, animals_session.id, keep=lambda word: word.meaning != "dog", now=NOW
    )
    assert meanings(queue.words) == ["cat", "bird", "fish"]
    assert queue.total == 3


def test_an_ended_session_has_nothing_more_to_ask(session, learner, words, animals_session) -> None:
    study.record_review(session, learner, animals_session.id, words["cat"].id, correct=True)
    study.end_session(session, learner, animals_session.id)
    session.commit()

    queue = plan.session_queue(session, learner, animals_session.id, now=NOW)

    assert (queue.words, queue.answered, queue.total) == ([], 1, 1)


def test_another_learners_session_is_not_found(session, make_learner, animals_session) -> None:
    with pytest.raises(NotFound):
        plan.session_queue(session, make_learner(), animals_session.id)


# ------------------------------------------------------------------- distractor pools


def test_a_question_without_a_session_group_draws_from_the_words_own_group(
    session, words, groups
) -> None:
    pool = exercises.pool_for(session, words["water"], None)
    assert pool.group_word_ids == {words["water"].id, words["rice"].id, words["meat"].id}
    assert words["cat"].id in {word.id for word in pool.words}  # the same course


def test_a_word_in_no_group_draws_from_its_course(session, course, words) -> None:
    loose = Word(
        course_id=course["course"].id, language="ja", term="空", reading="そら", meaning="sky"
    )
    session.add(loose)
    session.commit()
    pool = exercises.pool_for(session, loose, None)
    assert pool.group_word_ids == frozenset()
    assert {words["cat"].id, words["meat"].id, loose.id} <= {word.id for word in pool.words}
    assert words["bear"].id not in {word.id for word in pool.words}  # a draft
