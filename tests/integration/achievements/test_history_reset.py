"""What "Reset history" means for motivation: the answers are gone, and so is everything counted
from them — their XP, the streak they made, the freezes it used, the review and session counts,
and the badges they earned (those can be earned again, with their toast). What the reset keeps
(a scored piece of writing) keeps what it earns: its XP, its study day and its badge.
Settings (the weekly goal) stay."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import col, select

from learn_app.db import session_scope
from learn_app.models import User, WritingSubmission
from learn_app.models.achievements import (
    LearnerMotivation,
    StreakFreezeUse,
    UserAchievement,
    XpEntry,
)
from learn_app.services.achievements import events, goals, xp
from learn_app.services.study import sessions

FIRST = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday
WRITTEN = FIRST + timedelta(days=9)  # 11 March


def history(user, start, answer, words) -> None:
    """Eight days in a row (a freeze earned), 10 March missed (the freeze covers it), and a
    piece of writing scored 95 on the 11th."""
    for n in range(8):
        at = FIRST + timedelta(days=n)
        answer(user, start(user, at=at), words[n % len(words)], at=at, end=True)
    with session_scope() as s:
        s.add(
            WritingSubmission(
                user_id=user.id, language="ja", target_words=[], text="猫です。", score=95,
                feedback={}, provider="anthropic", created_at=WRITTEN,
            )
        )  # fmt: skip
        s.commit()
    with session_scope() as s:
        events.record_activity(s, user.id, writing=True, now=WRITTEN)
        s.commit()


def reset(user: User) -> None:
    with session_scope() as s:
        sessions.reset_history(s, s.get(User, user.id))


def badges(user: User) -> dict[str, datetime | None]:
    with session_scope() as s:
        rows = s.exec(
            select(UserAchievement.achievement, UserAchievement.seen_at).where(
                UserAchievement.user_id == user.id
            )
        ).all()
        return dict(rows)


def state_of(user: User) -> LearnerMotivation:
    with session_scope() as s:
        return s.get(LearnerMotivation, user.id)


def test_a_reset_takes_away_the_xp_streak_and_counts_the_answers_made(
    learner, words, start, answer
) -> None:
    history(learner, start, answer, words)
    before = state_of(learner)
    assert (before.total_reviews, before.streak_current, before.finished_sessions) == (8, 9, 8)

    reset(learner)

    state = state_of(learner)
    assert (state.total_reviews, state.total_xp) == (0, xp.WRITING_POINTS)
    assert (state.finished_sessions, state.flawless_sessions, state.weekends_both_days) == (
        0,
        0,
        0,
    )
    # The writing day alone is left: a streak of 1, its best 1, no freeze earned or used.
    assert (state.streak_current, state.streak_best, state.freezes_held) == (1, 1, 0)
    assert state.streak_last_day == date(2026, 3, 11)
    assert state.activities_tried == ["writing"]
    with session_scope() as s:
        ledger = s.exec(select(XpEntry.writing_submission_id, XpEntry.points)).all()
        assert [points for _, points in ledger] == [xp.WRITING_POINTS]
        assert (
            s.exec(select(StreakFreezeUse).where(StreakFreezeUse.user_id == learner.id)).all() == []
        )


def test_badges_the_answers_earned_are_taken_back_and_the_writing_badge_stays(
    learner, words, start, answer
) -> None:
    history(learner, start, answer, words)
    assert {"first-review", "first-session", "streak-7", "writing-90"} <= set(badges(learner))

    reset(learner)

    assert set(badges(learner)) == {"writing-90"}


def test_a_badge_taken_back_is_earned_again_with_its_toast(learner, words, start, answer) -> None:
    history(learner, start, answer, words)
    with session_scope() as s:  # the first toasts are shown
        for row in s.exec(select(UserAchievement).where(UserAchievement.user_id == learner.id)):
            row.seen_at = FIRST
            s.add(row)
        s.commit()
    reset(learner)

    again = WRITTEN + timedelta(days=1)
    answer(learner, start(learner, at=again), words[0], at=again)

    earned = badges(learner)
    assert "first-review" in earned and earned["first-review"] is None  # to be announced again
    assert state_of(learner).total_reviews == 1


def test_settings_stay_after_a_reset(learner, words, start, answer) -> None:
    with session_scope() as s:
        goals.set_weekly_goal(s, s.get(User, learner.id), kind="minutes", target=45)
        s.commit()
    history(learner, start, answer, words)

    reset(learner)

    state = state_of(learner)
    assert (state.weekly_goal_kind, state.weekly_goal_target) == ("minutes", 45)
    with session_scope() as s:
        assert (
            s.exec(select(col(XpEntry.review_id)).where(col(XpEntry.review_id).is_not(None))).all()
            == []
        )
