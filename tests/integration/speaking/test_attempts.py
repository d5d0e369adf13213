"""A scored attempt is kept with its recording and evidence and recorded as a review, rated
by the learner's own pass mark; deleting the account deletes its attempts."""

from __future__ import annotations

import pytest
from sqlmodel import select

from learn_app.models import Review, User
from learn_app.models.speaking import PronunciationAttempt
from learn_app.services.accounts import auth
from learn_app.services.errors import InvalidInput
from learn_app.services.speaking import attempts, audio, voices
from tests.integration.api.conftest import JAPANESE_COURSE, import_course_text


@pytest.fixture
def learner_and_word(session) -> tuple[User, int]:
    import_course_text(session, JAPANESE_COURSE)
    user = auth.register(
        session,
        email="speaker@example.com",
        password="correct horse battery",
        display_name="Sam Speaker",
        rate_limited=False,
    )
    session.commit()
    from learn_app.models import Word

    cat = session.exec(select(Word).where(Word.term == "猫")).one()
    return user, cat.id


@pytest.mark.parametrize(
    ("score", "rating"),
    [(95, "good"), (70, "good"), (69, "hard"), (55, "hard"), (54, "again"), (0, "again")],
)
def test_a_score_is_rated_by_the_pass_mark(score, rating) -> None:
    assert attempts.rating_for_score(score, 70).value == rating


def test_the_pass_mark_is_the_learners_own_within_bounds(session, learner_and_word) -> None:
    user, _ = learner_and_word
    assert attempts.pass_score(session, user) == 70
    assert attempts.set_pass_score(session, user, 85) == 85
    assert attempts.pass_score(session, user) == 85
    with pytest.raises(InvalidInput):
        attempts.set_pass_score(session, user, 99)


def test_an_attempt_is_kept_and_recorded_as_a_review(session, scorer, learner_and_word) -> None:
    user, word_id = learner_and_word
    prompt = attempts.prompt_for(session, user, word_id, "example")
    recording = audio.check(voices.learner("ja", prompt.text, 2))
    scored = scorer.evaluate(recording.samples, prompt.target)

    attempt = attempts.record_attempt(
        session,
        user,
        prompt,
        recording,
        judgement=scored.judgement,
        evidence=scored.evidence.as_dict(),
        scoring_seconds=scored.seconds,
        study_session_id=None,
    )
    session.commit()

    review = session.get(Review, attempt.review_id)
    assert review is not None and review.word_id == word_id
    assert review.rating == attempt.rating == attempts.rating_for_score(attempt.score, 70).value
    assert attempt.features["words"][0]["units"][0]["phones"]  # raw GOPs kept
    assert len(attempt.audio) < audio.MAX_SECONDS * 16_000 * 2 + 100
    assert attempts.attempt_view(attempt)["words"][0]["text"] == "猫"

    session.delete(session.get(User, user.id))
    session.commit()
    assert session.exec(select(PronunciationAttempt)).all() == []
