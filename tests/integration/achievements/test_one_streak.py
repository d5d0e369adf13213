"""One streak everywhere: the Dashboard's "Current streak", the REST quick stats and the
teacher's class table show the streak the Achievements page shows — kept alive by a streak
freeze over a missed day and paused by a vacation — not a bare count of days in a row."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from learn_app.db import session_scope
from learn_app.models import Classroom, Enrollment, User
from learn_app.services.achievements import goals, views
from learn_app.services.study import stats
from learn_app.services.study.class_dashboard import class_dashboard
from learn_app.services.study.class_progress import class_progress

FIRST = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)  # a Monday


def study_days(user, start, answer, words, first: datetime, days: int) -> None:
    for n in range(days):
        at = first + timedelta(days=n)
        answer(user, start(user, at=at), words[n % len(words)], at=at)


def shown(user: User, teacher: User, classroom_id: int, now: datetime) -> tuple[int, int, int]:
    """The streak on the Dashboard, in the teacher's table and on the Achievements page."""
    with session_scope() as s:
        learner = s.get(User, user.id)
        dashboard = stats.quick_stats(s, learner, now=now).streak_days
        table = class_progress(s, s.get(User, teacher.id), classroom_id, now=now)
        [row] = [r for r in table if r.learner_id == user.id]
        return dashboard, row.streak_days, views.streak(s, learner, now=now).days


def class_of(teacher: User, *learners: User) -> int:
    with session_scope() as s:
        classroom = Classroom(teacher_id=teacher.id, name="Japanese 1", language="ja")
        s.add(classroom)
        s.flush()
        s.add_all(Enrollment(classroom_id=classroom.id, learner_id=u.id) for u in learners)
        s.commit()
        return classroom.id


def freeze_over_a_missed_day(learner, start, answer, words) -> datetime:  # type: ignore[no-untyped-def]
    """Seven days in a row (the 7th earns a freeze), 9 March missed (the freeze covers it),
    then the 10th and 11th studied; the time it is now."""
    study_days(learner, start, answer, words, FIRST, 7)
    study_days(learner, start, answer, words, FIRST + timedelta(days=8), 2)
    return FIRST + timedelta(days=9, hours=3)


def test_a_freeze_over_a_missed_day_keeps_the_streak_on_the_dashboard_and_for_the_teacher(
    learner, teacher, words, start, answer
) -> None:
    classroom_id = class_of(teacher, learner)
    now = freeze_over_a_missed_day(learner, start, answer, words)

    assert shown(learner, teacher, classroom_id, now) == (9, 9, 9)


def test_a_vacation_pauses_the_streak_everywhere(
    make_learner, teacher, words, start, answer
) -> None:
    learner = make_learner(timezone="Asia/Tokyo")
    classroom_id = class_of(teacher, learner)
    study_days(learner, start, answer, words, FIRST, 3)
    with session_scope() as s:
        goals.set_vacation(
            s, s.get(User, learner.id), True, now=datetime(2026, 3, 5, 1, tzinfo=UTC)
        )
    ten_days_later = FIRST + timedelta(days=12)

    assert shown(learner, teacher, classroom_id, ten_days_later) == (3, 3, 3)


def test_without_a_freeze_or_vacation_a_missed_day_ends_it_everywhere(
    learner, teacher, words, start, answer
) -> None:
    classroom_id = class_of(teacher, learner)
    study_days(learner, start, answer, words, FIRST, 3)
    two_days_later = FIRST + timedelta(days=4, hours=1)  # 5 March missed, now the 6th

    assert shown(learner, teacher, classroom_id, two_days_later) == (0, 0, 0)


def test_the_class_dashboard_shows_the_achievements_pages_streak_kept_by_a_freeze(
    learner, teacher, words, start, answer
) -> None:
    classroom_id = class_of(teacher, learner)
    now = freeze_over_a_missed_day(learner, start, answer, words)

    with session_scope() as s:
        board = class_dashboard(s, s.get(User, teacher.id), classroom_id, now=now)
        [row] = [r for r in board.roster if r.learner_id == learner.id]
        page = views.streak(s, s.get(User, learner.id), now=now)
    assert (row.streak_days, page.days, page.freezes) == (9, 9, 0)
    # Counted as a bare run of days in a row, the missed day would have left 2.
    assert row.days_studied_7 == 6
