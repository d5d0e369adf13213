"""Every answer is a review stored together with the word's card state, and only ever in the
learner's own study session."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

import pytest
from sqlmodel import Session, select

from learn_app.models import CardState, LearnerScheduler, Review, Role, User
from learn_app.services.errors import Conflict, InvalidInput, NotFound
from learn_app.services.study import sessions as study

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def animals_session(session, learner, flashcards, groups):
    started = study.start_session(session, learner, flashcards.id, groups["animals"].id, now=NOW)
    session.commit()
    return started


def reviews_of(engine, user: User) -> list[Review]:
    with Session(engine) as s:
        return list(s.exec(select(Review).where(Review.user_id == user.id).order_by(Review.id)))


def card_of(engine, user: User, word) -> CardState | None:
    with Session(engine) as s:
        return s.get(CardState, (user.id, word.id))


def test_an_answer_is_stored_as_a_review_with_what_the_learner_gave(
    session, engine, learner, words, animals_session
) -> None:
    study.record_review(
        session,
        learner,
        animals_session.id,
        words["cat"].id,
        correct=True,
        response="cat",
        latency_ms=2300,
        now=NOW + timedelta(seconds=30),
    )
    session.commit()
    (review,) = reviews_of(engine, learner)
    assert (review.session_id, review.word_id, review.correct) == (
        animals_session.id,
        words["cat"].id,
        True,
    )
    assert (review.rating, review.response, review.latency_ms) == ("good", "cat", 2300)
    assert review.reviewed_at == NOW + timedelta(seconds=30)


def test_the_first_answer_to_a_word_creates_its_card_with_the_next_due_time(
    session, engine, learner, words, animals_session
) -> None:
    recorded = study.record_review(
        session, learner, animals_session.id, words["cat"].id, correct=False, now=NOW
    )
    session.commit()
    card = card_of(engine, learner, words["cat"])
    assert card is not None
    assert (card.reps, card.lapses, card.state) == (1, 0, "learning")
    assert card.due == recorded.card.due > NOW
    assert card.last_review == card.introduced_at == NOW


def test_a_review_and_its_card_state_roll_back_together(
    engine, request_session, learner, words, animals_session
) -> None:
    with pytest.raises(RuntimeError), request_session() as s:
        study.record_review(
            s, s.get(User, learner.id), animals_session.id, words["cat"].id, correct=True, now=NOW
        )
        raise RuntimeError("the request failed after the answer was recorded")
    assert reviews_of(engine, learner) == []
    assert card_of(engine, learner, words["cat"]) is None


def test_a_refused_answer_leaves_the_card_as_it_was(
    session, engine, learner, words, animals_session
) -> None:
    study.record_review(
        session, learner, animals_session.id, words["cat"].id, correct=True, now=NOW
    )
    session.commit()
    before = card_of(engine, learner, words["cat"])
    with pytest.raises(InvalidInput):
        study.record_review(
            session, learner, animals_session.id, words["cat"].id, correct=False, rating="easy"
        )
    session.rollback()
    assert card_of(engine, learner, words["cat"]) == before
    assert len(reviews_of(engine, learner)) == 1


def test_the_same_card_answered_from_two_tabs_at_once_keeps_both_answers(
    engine, request_session, learner, words, animals_session
) -> None:
    start = threading.Barrier(2)
    errors: list[BaseException] = []

    def answer(correct: bool) -> None:
        try:
            with request_session() as s:
                user = s.get(User, learner.id)
                start.wait(timeout=10)
                study.record_review(
                    s, user, animals_session.id, words["cat"].id, correct=correct, now=NOW
                )
        except BaseException as error:  # reported below, in the test's own thread
            errors.append(error)

    tabs = [threading.Thread(target=answer, args=(c,)) for c in (True, False)]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(timeout=30)
    assert errors == []
    assert sorted(r.correct for r in reviews_of(engine, learner)) == [False, True]
    card = card_of(engine, learner, words["cat"])
    assert card is not None and card.reps == 2
    with Session(engine) as s:
        assert s.get(LearnerScheduler, learner.id).reviews_recorded == 2


def test_many_answers_from_many_tabs_are_all_counted(
    engine, request_session, learner, words, animals_session
) -> None:
    tabs_per_word, chosen = 4, [words["cat"], words["dog"]]
    start = threading.Barrier(tabs_per_word * len(chosen))
    errors: list[BaseException] = []

    def answer(word_id: int) -> None:
        try:
            with request_session() as s:
                user = s.get(User, learner.id)
                start.wait(timeout=10)
                study.record_review(s, user, animals_session.id, word_id, correct=True, now=NOW)
        except BaseException as error:
            errors.append(error)

    tabs = [
        threading.Thread(target=answer, args=(w.id,)) for w in chosen for _ in range(tabs_per_word)
    ]
    for tab in tabs:
        tab.start()
    for tab in tabs:
        tab.join(timeout=60)
    assert errors == []
    assert len(reviews_of(engine, learner)) == tabs_per_word * len(chosen)
    assert [card_of(engine, learner, w).reps for w in chosen] == [tabs_per_word] * len(chosen)


def test_a_learner_cannot_answer_in_another_learners_session(
    session, engine, make_learner, words, animals_session
) -> None:
    intruder = make_learner()
    with pytest.raises(NotFound):
        study.record_review(session, intruder, animals_session.id, words["cat"].id, correct=True)
    session.rollback()
    assert reviews_of(engine, intruder) == []
    assert card_of(engine, intruder, words["cat"]) is None


def test_an_answer_in_a_study_session_that_does_not_exist_is_refused(
    session, learner, words
) -> None:
    with pytest.raises(NotFound):
        study.record_review(session, learner, 999_999, words["cat"].id, correct=True)


def test_an_answer_to_a_word_that_does_not_exist_is_refused(
    session, learner, animals_session
) -> None:
    with pytest.raises(NotFound):
        study.record_review(session, learner, animals_session.id, 999_999, correct=True)


def test_a_learner_cannot_answer_a_draft_word(session, learner, words, animals_session) -> None:
    with pytest.raises(NotFound):
        study.record_review(session, learner, animals_session.id, words["bear"].id, correct=True)


def test_a_teacher_can_practise_a_draft_word(
    session, make_learner, flashcards, groups, words
) -> None:
    teacher = make_learner(role=Role.teacher)
    started = study.start_session(session, teacher, flashcards.id, groups["animals"].id)
    recorded = study.record_review(session, teacher, started.id, words["bear"].id, correct=True)
    assert recorded.card.reps == 1


def test_an_ended_session_takes_no_more_answers(
    session, engine, learner, words, animals_session
) -> None:
    study.end_session(session, learner, animals_session.id, now=NOW + timedelta(minutes=5))
    session.commit()
    with pytest.raises(Conflict):
        study.record_review(session, learner, animals_session.id, words["cat"].id, correct=True)
    session.rollback()
    assert reviews_of(engine, learner) == []


def test_a_negative_answer_time_is_refused(session, learner, words, animals_session) -> None:
    with pytest.raises(InvalidInput):
        study.record_review(
            session, learner, animals_session.id, words["cat"].id, correct=True, latency_ms=-5
        )


def test_a_very_long_response_is_kept_to_its_first_thousand_characters(
    session, engine, learner, words, animals_session
) -> None:
    study.record_review(
        session, learner, animals_session.id, words["cat"].id, correct=False, response="x" * 5000
    )
    session.commit()
    assert len(reviews_of(engine, learner)[0].response) == 1000
