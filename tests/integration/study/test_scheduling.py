"""When a word comes back, as FSRS decides it from each answer and the learner's settings."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from fsrs import Rating

from learn_app.models import CardStage, ReviewRating
from learn_app.services.errors import InvalidInput
from learn_app.services.study import fsrs_terms, scheduling
from learn_app.services.study import sessions as study

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


def answer(session, user, study_session, word, rating: str, at):
    recorded = study.record_review(
        session,
        user,
        study_session.id,
        word.id,
        correct=rating != "again",
        rating=rating,
        now=at,
    )
    session.commit()
    return recorded.card


@pytest.fixture
def open_session(session, flashcards, groups):
    def start(user):
        started = study.start_session(
            session, user, flashcards.id, groups["animals"].id, now=NOW - timedelta(days=30)
        )
        session.commit()
        return started

    return start


def graduate(session, user, study_session, word, at):
    """Two Good answers take a new card through its learning steps into review."""
    answer(session, user, study_session, word, "good", at)
    return answer(session, user, study_session, word, "good", at + timedelta(minutes=10))


def test_each_stored_rating_maps_to_the_fsrs_rating_of_the_same_name() -> None:
    assert {
        ReviewRating.again: Rating.Again,
        ReviewRating.hard: Rating.Hard,
        ReviewRating.good: Rating.Good,
        ReviewRating.easy: Rating.Easy,
    } == fsrs_terms.FSRS_RATINGS


def test_without_a_rating_wrong_is_again_right_is_good_and_nearly_right_is_hard() -> None:
    assert scheduling.rating_for_answer(False) is ReviewRating.again
    assert scheduling.rating_for_answer(True) is ReviewRating.good
    assert scheduling.rating_for_answer(True, close_match=True) is ReviewRating.hard
    assert scheduling.rating_for_answer(False, close_match=True) is ReviewRating.again


@pytest.mark.parametrize(
    ("correct", "rating"), [(False, "good"), (False, "easy"), (False, "hard"), (True, "again")]
)
def test_a_rating_that_contradicts_the_answer_is_refused(correct, rating) -> None:
    with pytest.raises(InvalidInput):
        scheduling.resolve_rating(correct, rating)


def test_an_unknown_rating_is_refused() -> None:
    with pytest.raises(InvalidInput):
        scheduling.resolve_rating(True, "perfect")


def test_a_new_word_answered_again_comes_back_within_minutes(
    session, learner, words, open_session
) -> None:
    card = answer(session, learner, open_session(learner), words["cat"], "again", NOW)
    assert card.state == CardStage.learning
    assert timedelta(0) < card.due - NOW <= timedelta(minutes=10)


def test_a_known_word_forgotten_comes_back_within_minutes_and_counts_a_lapse(
    session, learner, words, open_session
) -> None:
    studying = open_session(learner)
    graduate(session, learner, studying, words["cat"], NOW - timedelta(days=20))
    card = answer(session, learner, studying, words["cat"], "again", NOW)
    assert card.state == CardStage.relearning
    assert timedelta(0) < card.due - NOW <= timedelta(minutes=10)
    assert (card.reps, card.lapses) == (3, 1)


def test_easy_schedules_a_new_word_later_than_good(session, learner, words, open_session) -> None:
    studying = open_session(learner)
    good = answer(session, learner, studying, words["cat"], "good", NOW)
    easy = answer(session, learner, studying, words["dog"], "easy", NOW)
    assert good.due - NOW <= timedelta(minutes=10)
    assert easy.due - NOW >= timedelta(days=2)


def test_easy_schedules_a_known_word_later_than_good(session, learner, words, open_session) -> None:
    studying = open_session(learner)
    for word in (words["cat"], words["dog"]):
        graduate(session, learner, studying, word, NOW - timedelta(days=20))
    good = answer(session, learner, studying, words["cat"], "good", NOW)
    easy = answer(session, learner, studying, words["dog"], "easy", NOW)
    assert easy.due > good.due > NOW + timedelta(days=1)


def test_hard_schedules_a_known_word_sooner_than_good(
    session, learner, words, open_session
) -> None:
    studying = open_session(learner)
    for word in (words["cat"], words["dog"]):
        graduate(session, learner, studying, word, NOW - timedelta(days=20))
    hard = answer(session, learner, studying, words["cat"], "hard", NOW)
    good = answer(session, learner, studying, words["dog"], "good", NOW)
    assert hard.due < good.due


def test_a_higher_desired_retention_brings_words_back_sooner(
    session, make_learner, words, open_session
) -> None:
    cautious = make_learner(desired_retention=0.97)
    relaxed = make_learner(desired_retention=0.8)
    dues = {}
    for user in (cautious, relaxed):
        studying = open_session(user)
        graduate(session, user, studying, words["cat"], NOW - timedelta(days=20))
        dues[user.id] = answer(session, user, studying, words["cat"], "good", NOW).due
    assert dues[cautious.id] < dues[relaxed.id]
    assert (dues[relaxed.id] - NOW) >= 2 * (dues[cautious.id] - NOW) - timedelta(days=1)


def test_changing_the_retention_in_settings_changes_the_next_interval(
    session, learner, words, open_session
) -> None:
    studying = open_session(learner)
    learner.desired_retention = 0.8
    session.add(learner)
    relaxed = answer(session, learner, studying, words["cat"], "easy", NOW)
    learner.desired_retention = 0.97
    session.add(learner)
    cautious = answer(session, learner, studying, words["dog"], "easy", NOW)
    assert cautious.due - NOW < relaxed.due - NOW


def test_a_learner_without_fitted_parameters_uses_the_fsrs_defaults(session, learner) -> None:
    from fsrs.scheduler import DEFAULT_PARAMETERS

    scheduler = scheduling.scheduler_for(session, learner)
    assert scheduler.parameters == DEFAULT_PARAMETERS
    assert scheduler.desired_retention == learner.desired_retention


def test_stored_parameters_fsrs_would_refuse_fall_back_to_the_defaults() -> None:
    from fsrs.scheduler import DEFAULT_PARAMETERS

    assert scheduling.build_scheduler(0.9, [99.0] * 21).parameters == DEFAULT_PARAMETERS
    assert scheduling.build_scheduler(0.9, [1.0, 2.0]).parameters == DEFAULT_PARAMETERS
