"""What an answer keeps for the progress figures, and a session on the hardest words."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlmodel import select

from learn_app.models import Review
from learn_app.services.errors import InvalidInput
from learn_app.services.study import activities, plan
from learn_app.services.study import sessions as study
from learn_app.services.study.analytics import learner_progress
from tests.integration.analytics.conftest import NOW

pytestmark = pytest.mark.integration


def test_an_answer_keeps_the_cards_stage_the_days_since_and_the_predicted_recall(
    session, learner, words
) -> None:
    activity = activities.get_activity_by_slug(session, "flashcards")
    first = study.start_session(session, learner, activity.id, None, now=NOW)
    study.record_review(
        session, learner, first.id, words[0].id, correct=True, rating="easy", now=NOW
    )
    later = NOW + timedelta(days=12)
    second = study.start_session(session, learner, activity.id, None, now=later)
    study.record_review(session, learner, second.id, words[0].id, correct=False, now=later)
    session.commit()

    new, review = session.exec(
        select(Review).where(Review.user_id == learner.id).order_by(Review.reviewed_at)
    ).all()
    assert (new.card_stage, new.elapsed_days, new.retrievability) == ("new", None, None)
    assert new.stability > 1
    assert review.card_stage == "review"
    assert review.elapsed_days == pytest.approx(12)
    assert 0 < review.retrievability < 1
    assert review.stability < new.stability  # forgotten: the memory it left is weaker

    report = learner_progress(session, learner, learner.id, now=later + timedelta(hours=1))
    assert [(b.reviews, b.passed) for b in report.answers.calibration] == [(1, 0)]


def test_study_these_now_works_through_the_chosen_words_in_order(session, learner, words) -> None:
    activity = activities.get_activity_by_slug(session, "flashcards")
    chosen = [words[5].id, words[2].id, words[9].id]
    started = study.start_session(session, learner, activity.id, None, word_ids=chosen, now=NOW)
    session.commit()

    queue = plan.session_queue(session, learner, started.id, now=NOW)
    assert [w.id for w in queue.words] == chosen
    study.record_review(session, learner, started.id, words[5].id, correct=True, now=NOW)
    assert [w.id for w in plan.session_queue(session, learner, started.id, now=NOW).words] == (
        chosen[1:]
    )
    with pytest.raises(InvalidInput):
        study.start_session(session, learner, activity.id, None, word_ids=[], now=NOW)
