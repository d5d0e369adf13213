"""A piece of writing earns its XP when it is scored and stored, not on the learner's next
answer or visit: the XP ledger, the running total, the day's streak and a "scored 90" badge are
there as soon as the submission commits, and nothing is counted for a submission rolled back."""

from __future__ import annotations

import json

import pytest
from sqlmodel import Session, select

from learn_app.db import session_scope
from learn_app.models import Course, User, Word
from learn_app.models.achievements import LearnerMotivation, UserAchievement, XpEntry
from learn_app.services.achievements import xp
from learn_app.services.tutor import writing

pytestmark = pytest.mark.integration

SENTENCE = "私はりんごを食べます。"


@pytest.fixture
def words(session: Session, small_course: Course) -> list[int]:
    rows = [
        Word(course_id=small_course.id, language="ja", term="食べる", reading="たべる",
             meaning="to eat", part_of_speech="verb", parts={"romaji": "taberu"}),
        Word(course_id=small_course.id, language="ja", term="りんご", reading="りんご",
             meaning="apple", part_of_speech="noun", parts={"romaji": "ringo"}),
    ]  # fmt: skip
    session.add_all(rows)
    session.commit()
    return [row.id for row in rows]


def graded(score: int) -> str:
    return json.dumps(
        {
            "score": score,
            "corrected": SENTENCE,
            "corrections": [],
            "target_words": [
                {"term": "りんご", "used": True, "correct": True, "note": "Good."},
                {"term": "食べる", "used": True, "correct": True, "note": "Good."},
            ],
        },
        ensure_ascii=False,
    )


def submit(user: User, word_ids: list[int]) -> int:
    with session_scope() as s:
        return writing.grade_writing(s, s.get(User, user.id), SENTENCE, word_ids).submission.id


def ledger(user: User) -> list[tuple[int | None, int]]:
    with session_scope() as s:
        rows = s.exec(
            select(XpEntry.writing_submission_id, XpEntry.points).where(XpEntry.user_id == user.id)
        ).all()
        return [(submission_id, points) for submission_id, points in rows]


def motivation(user: User) -> LearnerMotivation:
    with session_scope() as s:
        found = s.get(LearnerMotivation, user.id)
        assert found is not None, "the submission was not counted"
        return found


def test_a_scored_piece_earns_its_xp_and_streak_day_when_it_is_stored(
    learner, words, claude
) -> None:
    claude.reply_next(graded(72))

    submission_id = submit(learner, words)

    assert ledger(learner) == [(submission_id, xp.WRITING_POINTS)]
    state = motivation(learner)
    assert (state.total_xp, state.best_writing_score) == (xp.WRITING_POINTS, 72)
    assert (state.streak_current, state.writing_synced_id) == (1, submission_id)


def test_a_piece_scored_90_earns_its_badge_at_once(learner, words, claude) -> None:
    claude.reply_next(graded(93))

    submit(learner, words)

    with session_scope() as s:
        badges = s.exec(
            select(UserAchievement.achievement, UserAchievement.seen_at).where(
                UserAchievement.user_id == learner.id
            )
        ).all()
    assert ("writing-90", None) in badges  # not yet shown: the next page toasts it


def test_a_submission_rolled_back_earns_nothing(session, learner, words, claude) -> None:
    claude.reply_next(graded(80))
    writing.grade_writing(session, learner, SENTENCE, words)
    session.rollback()

    assert ledger(learner) == []
    with session_scope() as s:
        assert s.get(LearnerMotivation, learner.id) is None
