"""Achievements are awarded after the answer that earns them commits, exactly once — also when
two tabs answer the last card of a session at the same moment."""

from __future__ import annotations

import threading
from datetime import UTC, datetime, timedelta

from sqlmodel import Session, col, func, select

from learn_app.db import get_engine, session_scope
from learn_app.models.achievements import LearnerMotivation, UserAchievement, XpEntry
from learn_app.services.achievements import awards, events
from learn_app.services.study import sessions

NOW = datetime(2026, 3, 10, 12, 0, tzinfo=UTC)  # the conftest's NOW


def earned(user_id: int) -> dict[str, int]:
    with session_scope() as s:
        rows = s.exec(
            select(UserAchievement.achievement, func.count())
            .where(UserAchievement.user_id == user_id)
            .group_by(col(UserAchievement.achievement))
        ).all()
    return dict(rows)


def test_the_first_answer_earns_first_steps_and_its_xp(learner, words, start, answer) -> None:
    study = start(learner)
    answer(learner, study, words[0])
    assert earned(learner.id) == {"first-review": 1}
    with session_scope() as s:
        entry = s.exec(select(XpEntry).where(XpEntry.user_id == learner.id)).one()
        state = s.get(LearnerMotivation, learner.id)
    assert (entry.points, entry.seconds, entry.local_day) == (10, 4, NOW.date())
    assert (state.total_reviews, state.total_xp, state.streak_current) == (1, 10, 1)


def test_a_card_answered_again_in_the_same_session_earns_no_xp(
    learner, words, start, answer
) -> None:
    study = start(learner, "typing")
    answer(learner, study, words[0], correct=False)
    answer(learner, study, words[0], at=NOW + timedelta(minutes=1))
    answer(learner, study, words[1], at=NOW + timedelta(minutes=2))
    with session_scope() as s:
        points = s.exec(
            select(XpEntry.points).where(XpEntry.user_id == learner.id).order_by(col(XpEntry.id))
        ).all()
    assert points == [2, 0, 15]


def test_a_rolled_back_answer_counts_nothing(learner, words, start) -> None:
    study = start(learner)
    with Session(get_engine()) as s:
        sessions.record_review(s, learner, study, words[0], correct=True, now=NOW)
        s.rollback()
    assert earned(learner.id) == {}
    with session_scope() as s:
        assert s.exec(select(func.count()).select_from(XpEntry)).one() == 0


def test_finishing_the_first_session_earns_it_and_it_is_announced_once(
    learner, words, start, answer
) -> None:
    study = start(learner)
    answer(learner, study, words[0])
    answer(learner, study, words[1], end=True)
    assert earned(learner.id) == {"first-review": 1, "first-session": 1}
    with session_scope() as s:
        first = [a.slug for a in awards.claim_unseen(s, learner.id)]
    with session_scope() as s:
        second = awards.claim_unseen(s, learner.id)
    assert first == ["first-review", "first-session"]
    assert second == []


def test_two_tabs_answering_the_last_card_at_once_award_first_session_once(
    learner, words, start, answer
) -> None:
    tabs = [start(learner), start(learner)]
    for n, study in enumerate(tabs):
        answer(learner, study, words[n])
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def last_card(study: int, word_id: int) -> None:
        try:
            barrier.wait(timeout=10)
            answer(learner, study, word_id, end=True)
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    threads = [
        threading.Thread(target=last_card, args=(study, words[5 + n]))
        for n, study in enumerate(tabs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not errors
    assert earned(learner.id)["first-session"] == 1
    with session_scope() as s:
        state = s.get(LearnerMotivation, learner.id)
    assert (state.finished_sessions, state.total_reviews) == (2, 4)


def test_two_transactions_awarding_the_same_badge_at_once_both_succeed_and_one_gets_it(
    learner,
) -> None:
    """Without the learner's row lock in between: the unique constraint decides alone."""
    barrier = threading.Barrier(2)
    results: list[list[str]] = []
    lock = threading.Lock()

    def award() -> None:
        with Session(get_engine()) as s:
            s.exec(select(func.now())).one()  # both transactions are open
            barrier.wait(timeout=10)
            got = awards.award(s, learner.id, ["first-session"])
            s.commit()
        with lock:
            results.append(got)

    threads = [threading.Thread(target=award) for _ in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert sorted(results) == [[], ["first-session"]]
    assert earned(learner.id) == {"first-session": 1}


def test_counting_the_same_reviews_twice_changes_nothing(learner, words, start, answer) -> None:
    study = start(learner)
    answer(learner, study, words[0])
    with session_scope() as s:
        review_ids = list(s.exec(select(XpEntry.review_id).where(XpEntry.user_id == learner.id)))
        events.record_activity(s, learner.id, review_ids=review_ids, now=NOW)
        state = s.get(LearnerMotivation, learner.id)
    assert (state.total_reviews, state.total_xp) == (1, 10)
