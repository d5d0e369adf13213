"""A class dashboard: the roster with its at-risk flags, the class day by day, and access."""

from __future__ import annotations

from datetime import timedelta

import pytest
from integration.teaching.conftest import NOW
from sqlmodel import Session

from learn_app.models import CardState, Role
from learn_app.services.errors import NotFound, PermissionDenied
from learn_app.services.study.class_dashboard import class_dashboard
from learn_app.services.study.class_scope import class_learner

pytestmark = pytest.mark.integration


def _row(board, user):
    return next(row for row in board.roster if row.learner_id == user.id)


def _count_streaks(session: Session, *learners) -> None:
    """The answers here are stored directly, as an import does: count their streaks the way
    the portal counts such a history (the achievements backfill)."""
    from learn_app.services.achievements import backfill

    for learner in learners:
        backfill.backfill_learner(session, learner.id, now=NOW)
    session.commit()


def test_the_inactive_learner_is_flagged_at_risk_and_the_active_one_is_not(
    session, school, answer
) -> None:
    cat, dog = school.words["cat"], school.words["dog"]
    for days_ago in range(10):  # Ana: every day of the last ten, two answers a day
        answer(school.ana, cat, NOW - timedelta(days=days_ago, hours=1))
        answer(school.ana, dog, NOW - timedelta(days=days_ago, hours=2), correct=days_ago != 3)
    answer(school.ben, cat, NOW - timedelta(days=12))  # Ben: once, twelve days ago
    _count_streaks(session, school.ana, school.ben)

    board = class_dashboard(session, school.teacher, school.classroom.id, now=NOW)

    ana, ben = _row(board, school.ana), _row(board, school.ben)
    assert (ana.at_risk, ana.risk_reasons) == (False, ())
    assert (ana.days_studied_7, ana.days_studied_30, ana.reviews_7, ana.reviews_30) == (
        7,
        10,
        14,
        20,
    )
    assert ana.streak_days == 10
    assert ana.days_inactive == 0
    assert ana.retention == 95.0  # 19 of 20 review-stage answers right
    assert ben.at_risk is True
    assert ben.risk_reasons == ("Inactive 12 days",)
    assert (ben.days_studied_7, ben.days_studied_30, ben.streak_days) == (0, 1, 0)
    assert board.at_risk_count == 1
    assert [row.display_name for row in board.roster] == ["Ana", "Ben"]


def test_a_learner_with_no_reviews_is_flagged_as_not_started(session, school) -> None:
    board = class_dashboard(session, school.teacher, school.classroom.id, now=NOW)
    assert _row(board, school.ben).risk_reasons == ("No reviews yet",)
    assert _row(board, school.ben).last_active_at is None


def test_true_retention_counts_review_stage_answers_and_flags_one_under_target(
    session, school, answer
) -> None:
    cat, dog = school.words["cat"], school.words["dog"]
    for n in range(20):  # 20 review-stage answers, 15 right: 75% against a 90% target
        answer(school.ana, cat, NOW - timedelta(hours=n + 1), correct=n >= 5)
    for n in range(6):  # new-word and learning answers, all wrong: not part of retention
        answer(school.ana, dog, NOW - timedelta(minutes=n + 1), correct=False, stage="learning")

    ana = _row(class_dashboard(session, school.teacher, school.classroom.id, now=NOW), school.ana)

    assert (ana.retention, ana.retention_reviews, ana.target_retention) == (75.0, 20, 90.0)
    assert ana.reviews_30 == 26
    assert ana.risk_reasons == ("Retention 75% under the 90% target",)


def test_retention_is_not_judged_on_too_few_reviews(session, school, answer) -> None:
    for n in range(5):  # 1 of 5 right, but five answers say little
        answer(school.ana, school.words["cat"], NOW - timedelta(hours=n + 1), correct=n == 0)
    ana = _row(class_dashboard(session, school.teacher, school.classroom.id, now=NOW), school.ana)
    assert ana.retention == 20.0
    assert ana.risk_reasons == ()


def test_a_backlog_over_the_limit_is_flagged_with_its_size(
    session: Session, school, answer
) -> None:
    answer(school.ana, school.words["cat"], NOW - timedelta(hours=1))
    words = [school.words[m] for m in ("cat", "dog", "bird", "fish", "water", "rice")]
    for n, word in enumerate(words):
        session.add(
            CardState(
                user_id=school.ana.id,
                word_id=word.id,
                state="review",
                stability=30.0 if n < 2 else 2.0,
                difficulty=5.0,
                due=NOW - timedelta(days=1) if n < 4 else NOW + timedelta(days=3),
                reps=3,
            )
        )
    session.commit()
    strict = class_dashboard(session, school.teacher, school.classroom.id, now=NOW)
    row = _row(strict, school.ana)
    assert (row.backlog, row.words_studied, row.words_mature) == (4, 6, 2)
    assert row.risk_reasons == ()

    from learn_app.services.study.class_dashboard import AtRiskRules

    tight = class_dashboard(
        session, school.teacher, school.classroom.id, now=NOW, rules=AtRiskRules(backlog_cards=3)
    )
    assert _row(tight, school.ana).risk_reasons == ("Backlog of 4 cards (over 3)",)


def test_a_streak_longer_than_the_window_is_followed_back(session, school, answer) -> None:
    for days_ago in range(45):
        answer(school.ana, school.words["cat"], NOW - timedelta(days=days_ago, hours=3))
    answer(school.ana, school.words["cat"], NOW - timedelta(days=50))  # after a gap: not counted
    _count_streaks(session, school.ana)
    ana = _row(class_dashboard(session, school.teacher, school.classroom.id, now=NOW), school.ana)
    assert ana.streak_days == 45
    assert ana.days_studied_30 == 30


def test_days_are_the_learners_own_days(session, school, answer) -> None:
    """23:30 UTC on 9 March is already 10 March in Tokyo: one study day, not two."""
    school.ana.timezone = "Asia/Tokyo"
    session.add(school.ana)
    session.commit()
    answer(school.ana, school.words["cat"], NOW.replace(hour=1))  # 10:00 in Tokyo
    answer(school.ana, school.words["dog"], NOW.replace(hour=0) - timedelta(minutes=30))
    _count_streaks(session, school.ana)
    ana = _row(class_dashboard(session, school.teacher, school.classroom.id, now=NOW), school.ana)
    assert (ana.days_studied_7, ana.streak_days) == (1, 1)


def test_the_class_day_by_day(session, school, answer) -> None:
    cat = school.words["cat"]
    answer(school.ana, cat, NOW - timedelta(days=1, hours=1))
    answer(school.ana, cat, NOW - timedelta(days=1, hours=2), correct=False)
    answer(school.ben, cat, NOW - timedelta(days=1, hours=3))
    answer(school.ben, cat, NOW - timedelta(hours=1), stage="new")
    answer(school.olga, cat, NOW - timedelta(hours=1))  # another class: not counted

    board = class_dashboard(session, school.teacher, school.classroom.id, now=NOW)

    assert len(board.days) == 30
    assert board.days[-1].day == NOW.date()
    by_day = {d.day: d for d in board.days}
    yesterday, today = by_day[NOW.date() - timedelta(days=1)], by_day[NOW.date()]
    assert (yesterday.active_learners, yesterday.reviews, yesterday.retention) == (2, 3, 66.7)
    assert (today.active_learners, today.reviews, today.retention) == (1, 1, None)
    assert sum(d.reviews for d in board.days) == 4


def test_another_teachers_class_is_not_found(session, school) -> None:
    with pytest.raises(NotFound):
        class_dashboard(session, school.other_teacher, school.classroom.id, now=NOW)


def test_a_learner_cannot_open_a_class_dashboard(session, school) -> None:
    with pytest.raises(PermissionDenied):
        class_dashboard(session, school.ana, school.classroom.id, now=NOW)


def test_only_the_classs_own_learners_can_be_drilled_into(session, school) -> None:
    assert class_learner(session, school.teacher, school.classroom.id, school.ana.id) == school.ana
    with pytest.raises(NotFound):
        class_learner(session, school.teacher, school.classroom.id, school.olga.id)
    with pytest.raises(NotFound):  # Olga's own teacher, through the wrong class
        class_learner(session, school.other_teacher, school.classroom.id, school.olga.id)


def test_an_admin_sees_any_class(session, school, make_person) -> None:
    admin = make_person(Role.admin, "Ada")
    board = class_dashboard(session, admin, school.classroom.id, now=NOW)
    assert [row.display_name for row in board.roster] == ["Ana", "Ben"]
