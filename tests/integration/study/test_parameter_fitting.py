"""Once a learner has 1,000 reviews, FSRS parameters are fitted to their own review log, in
the background, and their reviews are scheduled with them."""

from __future__ import annotations

import time
from datetime import UTC, datetime

import pytest
from fsrs.scheduler import DEFAULT_PARAMETERS
from sqlmodel import Session

from learn_app.models import LearnerScheduler, User
from learn_app.services.study import fitting, scheduling
from learn_app.services.study import sessions as study

pytestmark = pytest.mark.integration

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)


@pytest.fixture
def fit_requests(monkeypatch) -> list[int]:
    """Capture fit requests instead of running the optimizer."""
    requested: list[int] = []
    monkeypatch.setattr(fitting, "request_fit", requested.append)
    return requested


@pytest.fixture
def food_session(session, learner, flashcards, groups):
    started = study.start_session(session, learner, flashcards.id, groups["food"].id, now=NOW)
    session.commit()
    return started


def memory(engine, user: User) -> LearnerScheduler | None:
    with Session(engine) as s:
        return s.get(LearnerScheduler, user.id)


def test_below_a_thousand_reviews_the_defaults_stay(session, learner, synthetic_history) -> None:
    synthetic_history(learner, cards=100, per_card=6)
    assert fitting.fit_parameters(session, learner.id) is None
    assert scheduling.scheduler_for(session, learner).parameters == DEFAULT_PARAMETERS


def test_fitted_parameters_are_kept_and_schedule_the_learners_next_answers(
    session, learner, synthetic_history, words, food_session
) -> None:
    synthetic_history(learner, cards=334, per_card=3)
    result = fitting.fit_parameters(session, learner.id, now=NOW)
    session.commit()
    assert result is not None and result.review_count == 1002
    assert tuple(result.parameters) != DEFAULT_PARAMETERS
    assert scheduling.scheduler_for(session, learner).parameters == tuple(result.parameters)
    # A new word answered Good starts at the fitted initial stability for Good, not the default.
    recorded = study.record_review(
        session, learner, food_session.id, words["water"].id, correct=True, now=NOW
    )
    assert recorded.card.stability == pytest.approx(result.parameters[2])
    assert result.parameters[2] != pytest.approx(DEFAULT_PARAMETERS[2])


def test_the_thousandth_answer_starts_a_fit_in_the_background_not_in_the_request(
    engine, request_session, learner, synthetic_history, words, food_session
) -> None:
    # 999 answers, minutes apart: the optimizer keeps the defaults quickly, the path is the same.
    synthetic_history(learner, cards=333, per_card=3, same_day=True)
    started = time.monotonic()
    with request_session() as s:
        study.record_review(
            s, s.get(User, learner.id), food_session.id, words["rice"].id, correct=True, now=NOW
        )
    assert time.monotonic() - started < 2
    assert memory(engine, learner).parameters is None  # the request did not wait for the fit
    assert fitting.wait_idle(timeout=300)
    fitted = memory(engine, learner)
    assert fitted.parameters is not None and len(fitted.parameters) == 21
    assert fitted.fitted_on_reviews == 1000 and fitted.fitted_at is not None


def test_after_the_first_fit_the_next_comes_five_hundred_reviews_later(
    session, engine, learner, words, food_session, fit_requests
) -> None:
    session.add(
        LearnerScheduler(user_id=learner.id, reviews_recorded=1400, fit_requested_at_reviews=1000)
    )
    session.commit()
    study.record_review(session, learner, food_session.id, words["rice"].id, correct=True, now=NOW)
    session.commit()
    assert fit_requests == []
    state = memory(engine, learner)
    state.reviews_recorded = 1499
    with Session(engine) as s:
        s.merge(state)
        s.commit()
    study.record_review(session, learner, food_session.id, words["meat"].id, correct=True, now=NOW)
    session.commit()
    assert fit_requests == [learner.id]
    assert memory(engine, learner).fit_requested_at_reviews == 1500


def test_a_rolled_back_answer_asks_for_no_fit(
    session, engine, learner, words, food_session, fit_requests
) -> None:
    session.add(LearnerScheduler(user_id=learner.id, reviews_recorded=999))
    session.commit()
    study.record_review(session, learner, food_session.id, words["rice"].id, correct=True, now=NOW)
    session.rollback()
    assert fit_requests == []
    assert memory(engine, learner).fit_requested_at_reviews is None


def test_the_review_count_starts_from_the_answers_a_learner_already_has(
    session, engine, learner, synthetic_history, words, food_session, fit_requests
) -> None:
    synthetic_history(learner, cards=100, per_card=10)  # 1,000 answers before any counting
    study.record_review(session, learner, food_session.id, words["rice"].id, correct=True, now=NOW)
    session.commit()
    assert memory(engine, learner).reviews_recorded == 1001
    assert fit_requests == [learner.id]
