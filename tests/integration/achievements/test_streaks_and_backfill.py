"""Streaks, freezes, vacations and weekly goals as learners live them, and the backfill giving
existing history the same counts the live path gives."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from sqlmodel import col, func, select

from learn_app.db import session_scope
from learn_app.models import User
from learn_app.models.achievements import (
    LearnerMotivation,
    StreakFreezeUse,
    UserAchievement,
    XpEntry,
)
from learn_app.services.achievements import backfill, events, goals, views
from learn_app.services.study import sessions

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # a Tuesday


def state_of(user_id: int) -> LearnerMotivation:
    with session_scope() as s:
        return s.get(LearnerMotivation, user_id)


def study_days(user, start, answer, words, first: datetime, count: int, *, skip=()) -> None:
    for n in range(count):
        if n in skip:
            continue
        at = first + timedelta(days=n)
        study = start(user, at=at)
        answer(user, study, words[n % len(words)], at=at)


def test_seven_days_earn_a_freeze_that_covers_one_missed_day_once(
    learner, words, start, answer
) -> None:
    first = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    study_days(learner, start, answer, words, first, 7)
    assert (state_of(learner.id).streak_current, state_of(learner.id).freezes_held) == (7, 1)
    # 9 March missed; on 10 March the freeze covers it, recorded once however often we look.
    with session_scope() as s:
        before = views.streak(s, learner, now=datetime(2026, 3, 10, 8, 0, tzinfo=UTC))
    assert (before.days, before.freezes, before.frozen_days) == (7, 0, [date(2026, 3, 9)])
    study_days(learner, start, answer, words, datetime(2026, 3, 10, 9, 0, tzinfo=UTC), 2)
    state = state_of(learner.id)
    assert (state.streak_current, state.freezes_held, state.streak_best) == (9, 0, 9)
    with session_scope() as s:
        used = s.exec(select(StreakFreezeUse.day).where(StreakFreezeUse.user_id == learner.id))
        assert list(used) == [date(2026, 3, 9)]


def test_a_review_at_23_59_and_00_01_local_time_continue_the_streak(
    make_learner, words, start, answer
) -> None:
    learner = make_learner(timezone="America/Los_Angeles")
    late = datetime(2026, 3, 10, 6, 59, tzinfo=UTC)  # 23:59 on 9 March in Los Angeles
    study = start(learner, at=late)
    answer(learner, study, words[0], at=late)
    answer(learner, study, words[1], at=late + timedelta(minutes=2))  # 00:01 on 10 March
    state = state_of(learner.id)
    assert (state.streak_current, state.streak_last_day) == (2, date(2026, 3, 10))
    with session_scope() as s:
        days = list(s.exec(select(XpEntry.local_day).order_by(col(XpEntry.id))))
    assert days == [date(2026, 3, 9), date(2026, 3, 10)]


def test_vacation_mode_keeps_the_streak_through_days_away(learner, words, start, answer) -> None:
    first = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
    study_days(learner, start, answer, words, first, 3)
    with session_scope() as s:
        goals.set_vacation(s, learner, True, now=datetime(2026, 3, 5, 9, 0, tzinfo=UTC))
    with session_scope() as s:
        goals.set_vacation(s, learner, False, now=datetime(2026, 3, 12, 9, 0, tzinfo=UTC))
    study_days(learner, start, answer, words, datetime(2026, 3, 12, 10, 0, tzinfo=UTC), 1)
    assert state_of(learner.id).streak_current == 4


def test_the_weekly_goal_counts_xp_from_monday_in_the_learners_zone(
    learner, words, start, answer
) -> None:
    with session_scope() as s:
        goals.set_weekly_goal(s, learner, kind="xp", target=30)
    study = start(learner)
    for n in range(3):
        answer(learner, study, words[n], at=NOW + timedelta(minutes=n))
    with session_scope() as s:
        goal = goals.weekly_goal(s, learner, now=NOW)
        earned = set(s.exec(select(UserAchievement.achievement)))
    assert (goal.done, goal.percent, goal.met, goal.week_starts) == (
        30,
        100,
        True,
        date(2026, 3, 9),
    )
    assert "weekly-goal" in earned


def test_a_goal_out_of_range_is_refused_and_changes_nothing(learner) -> None:
    import pytest

    from learn_app.services.errors import InvalidInput

    with session_scope() as s, pytest.raises(InvalidInput, match="between 10 and 20,000"):
        goals.set_weekly_goal(s, learner, kind="xp", target=5)
    with session_scope() as s:
        assert goals.weekly_goal(s, learner).target == 300


def test_the_backfill_gives_history_what_the_live_path_gives_and_is_idempotent(
    make_learner, words, start, answer
) -> None:
    live = make_learner(timezone="Asia/Tokyo")
    old = make_learner(timezone="Asia/Tokyo")
    first = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)

    def history(user) -> None:
        study_days(user, start, answer, words, first, 8, skip={5})
        typing = start(user, "typing", at=first)  # 18:00 in Tokyo
        answer(user, typing, words[3], correct=False, at=first)
        answer(user, typing, words[3], at=first + timedelta(minutes=1))  # a repeat: no XP
        answer(user, typing, words[4], at=first + timedelta(hours=6))  # 03:00 the next day

    history(live)
    # The same history recorded with nothing listening, as before the migration.
    listeners = list(sessions._study_listeners)
    sessions._study_listeners.clear()
    try:
        history(old)
    finally:
        sessions._study_listeners.extend(listeners)
    assert state_of(old.id) is None
    with session_scope() as s:
        report = backfill.backfill_all(s, now=first + timedelta(days=8))
    with session_scope() as s:
        again = backfill.backfill_all(s, now=first + timedelta(days=8))
    assert report.xp_entries == 10 and again.xp_entries == 0
    fields = (
        "total_reviews",
        "total_xp",
        "streak_current",
        "streak_best",
        "finished_sessions",
        "activities_tried",
    )
    live_state, old_state = state_of(live.id), state_of(old.id)
    assert [getattr(old_state, f) for f in fields] == [getattr(live_state, f) for f in fields]
    assert (old_state.total_reviews, old_state.total_xp) == (10, 7 * 10 + 2 + 0 + 15)
    with session_scope() as s:
        ledger = [
            list(
                s.exec(
                    select(XpEntry.points, XpEntry.local_day)
                    .where(XpEntry.user_id == u.id)
                    .order_by(col(XpEntry.review_id))
                )
            )
            for u in (live, old)
        ]
    assert ledger[0] == ledger[1]
    with session_scope() as s:
        badges = dict(
            s.exec(
                select(UserAchievement.achievement, func.count())
                .where(UserAchievement.user_id == old.id)
                .group_by(col(UserAchievement.achievement))
            ).all()
        )
        seen = s.exec(
            select(func.count()).where(
                UserAchievement.user_id == old.id, col(UserAchievement.seen_at).is_(None)
            )
        ).one()
    assert badges == {"first-review": 1, "streak-3": 1}
    assert seen == 0  # given quietly: no pile of toasts


def test_looking_at_achievements_counts_reviews_nothing_heard(learner, words, start) -> None:
    listeners = list(sessions._study_listeners)
    sessions._study_listeners.clear()
    try:
        study = start(learner)
        with session_scope() as s:
            sessions.record_review(s, learner, study, words[0], correct=True, now=NOW)
    finally:
        sessions._study_listeners.extend(listeners)
    with session_scope() as s:
        user = s.get(User, learner.id)
        state, awarded = events.refresh(s, user, now=NOW)
    assert state.total_reviews == 1
    assert [a.slug for a in awarded] == ["first-review"]


def test_the_backfill_command_reports_what_it_gave(learner, words, start, capsys) -> None:
    from learn_app import cli

    listeners = list(sessions._study_listeners)
    sessions._study_listeners.clear()
    try:
        study = start(learner)
        with session_scope() as s:
            sessions.record_review(s, learner, study, words[0], correct=True, now=NOW)
    finally:
        sessions._study_listeners.extend(listeners)
    assert cli.main(["backfill-achievements"]) == 0
    assert cli.main(["backfill-achievements"]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[-2] == (
        "Achievements backfilled: 1 learners: 1 XP entries added, 1 achievements awarded."
    )
    assert out[-1] == (
        "Achievements backfilled: 1 learners: 0 XP entries added, 0 achievements awarded."
    )
