"""An answer is counted in its own transaction: on a day already counted by one statement that
reads only counters, which must count exactly as the full count does."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event
from sqlmodel import Session, col, select

from learn_app.db import get_engine, session_scope
from learn_app.models import User
from learn_app.models.achievements import LearnerMotivation, UserAchievement, XpEntry
from learn_app.services.achievements import answer_count, goals
from learn_app.services.achievements.progress import RUNNING_COUNTS
from learn_app.services.study import sessions

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # the conftest's NOW


def study_a_day(learner: User, words: list[int], start, answer) -> None:  # type: ignore[no-untyped-def]
    """A day of several activities: wrong answers, a card answered twice, an unaided sentence,
    a weekly goal of 50 XP reached halfway; the answers end before the backlog is clear."""
    minute = iter(range(1, 100))

    def at() -> datetime:
        return NOW + timedelta(minutes=next(minute))

    flashcards = start(learner)
    answer(learner, flashcards, words[0], at=NOW)  # the day's first answer: the full count
    with session_scope() as s:
        goals.set_weekly_goal(s, s.get(User, learner.id), kind="xp", target=50)
        s.commit()
    answer(learner, flashcards, words[1], correct=False, at=at())
    answer(learner, flashcards, words[1], at=at())  # again in the session: no XP
    typing = start(learner, "typing")
    for word_id in words[2:5]:
        answer(learner, typing, word_id, at=at())
    builder = start(learner, "sentence-builder")
    answer(learner, builder, words[5], rating="good", at=at())
    answer(learner, builder, words[6], rating="hard", at=at())


def counted(user_id: int) -> tuple[dict[str, object], list[tuple[object, ...]], set[str]]:
    with session_scope() as s:
        state = s.get(LearnerMotivation, user_id)
        counts = {name: getattr(state, name) for name in RUNNING_COUNTS}
        entries = [
            tuple(row)
            for row in s.exec(
                select(XpEntry.activity, XpEntry.points, XpEntry.seconds, XpEntry.local_day)
                .where(XpEntry.user_id == user_id)
                .order_by(col(XpEntry.id))
            )
        ]
        earned = set(
            s.exec(select(UserAchievement.achievement).where(UserAchievement.user_id == user_id))
        )
    return counts, entries, earned


def test_one_statement_counts_as_the_full_count_does(
    make_learner, words, start, answer, monkeypatch: pytest.MonkeyPatch
) -> None:
    quick, full = make_learner(), make_learner()
    ran: list[bool] = []
    one_statement = answer_count.count_answer

    def spied(session: Session, review):  # type: ignore[no-untyped-def]
        result = one_statement(session, review)
        ran.append(result[0])
        return result

    monkeypatch.setattr(answer_count, "count_answer", spied)
    study_a_day(quick, words, start, answer)
    assert ran == [False] + [True] * 7  # only the day's first answer took the long way

    monkeypatch.setattr(answer_count, "count_answer", lambda _s, _r: (False, []))
    study_a_day(full, words, start, answer)

    quick_counts, quick_entries, quick_earned = counted(quick.id)
    assert (quick_counts, quick_entries, quick_earned) == counted(full.id)
    assert [points for _, points, _, _ in quick_entries] == [10, 2, 0, 15, 15, 15, 20, 20]
    assert quick_counts["total_xp"] == 97
    assert quick_counts["weekly_goals_met"] == 1
    assert quick_counts["sentences_without_hints"] == 1
    assert quick_earned == {"first-review", "weekly-goal", "sentence-no-hints"}


def test_an_answer_on_a_counted_day_takes_one_statement_and_no_history_scan(
    learner, words, start, answer
) -> None:
    study = start(learner)
    answer(learner, study, words[0])  # the day is counted
    statements: list[str] = []

    def note(_conn, _cursor, statement, _params, _context, _many) -> None:  # type: ignore[no-untyped-def]
        statements.append(statement)

    engine = get_engine()
    with session_scope() as s:
        user = s.get(User, learner.id)
        event.listen(engine, "before_cursor_execute", note)
        try:
            sessions.record_review(s, user, study, words[1], correct=True, now=NOW)
            sessions.record_review(s, user, study, words[2], correct=True, now=NOW)
        finally:
            event.remove(engine, "before_cursor_execute", note)
        s.commit()
    hooked = [sql for sql in statements if "learner_motivation" in sql]
    assert len(hooked) == 2  # one statement per answer
    assert sum("xp_entry" in sql for sql in statements) == 2  # no other ledger read
    assert counted(learner.id)[0]["total_reviews"] == 3
