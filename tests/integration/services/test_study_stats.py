"""Quick stats and the study streak, counted from the reviews a learner has made. The streak is
the one the Achievements page shows (freezes and vacations are specified there)."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from learn_app.models import Role, StudySession
from learn_app.services.study.stats import quick_stats
from learn_app.services.study.streaks import streak_days as study_streak

pytestmark = pytest.mark.integration

TOKYO = ZoneInfo("Asia/Tokyo")
# Noon on 10 March in Tokyo: every review below is placed relative to this moment.
NOW = datetime(2026, 3, 10, 12, 0, tzinfo=TOKYO)


def tokyo(day: int, hour: int = 9, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=TOKYO)


@pytest.fixture
def learner_in_tokyo(make_user):
    return make_user(Role.learner, timezone="Asia/Tokyo")


def test_a_new_account_has_all_stats_at_zero(session, learner) -> None:
    stats = quick_stats(session, learner, now=NOW)
    assert stats.total_reviews == 0
    assert stats.correct_reviews == 0
    assert stats.success_rate == 0.0
    assert stats.study_sessions == 0
    assert stats.active_groups == 0
    assert stats.streak_days == 0


def test_success_rate_is_the_percentage_of_correct_answers(session, learner, add_review) -> None:
    for correct in (True, True, False):
        add_review(learner, NOW - timedelta(hours=1), correct=correct)
    stats = quick_stats(session, learner, now=NOW)
    assert (stats.total_reviews, stats.correct_reviews) == (3, 2)
    assert stats.success_rate == 66.7


def test_study_sessions_and_groups_studied_are_counted(
    session, learner, add_review, study_material
) -> None:
    _, _, activity = study_material
    add_review(learner, NOW - timedelta(hours=2))
    add_review(learner, NOW - timedelta(hours=1))
    session.add(StudySession(user_id=learner.id, activity_id=activity.id, group_id=None))
    session.commit()
    stats = quick_stats(session, learner, now=NOW)
    assert stats.study_sessions == 3
    assert stats.active_groups == 1


def test_another_learners_reviews_do_not_count(session, learner, make_user, add_review) -> None:
    add_review(make_user(), NOW - timedelta(hours=1))
    assert quick_stats(session, learner, now=NOW).total_reviews == 0


def test_the_streak_counts_consecutive_days_with_a_review(
    session, learner_in_tokyo, add_review
) -> None:
    for day in (10, 9, 8):
        add_review(learner_in_tokyo, tokyo(day))
    add_review(learner_in_tokyo, tokyo(10, 11))  # a second review the same day adds nothing
    assert study_streak(session, learner_in_tokyo, now=NOW) == 3


def test_the_streak_follows_the_learners_time_zone_not_utc(
    session, learner_in_tokyo, add_review
) -> None:
    # Both moments fall on 9 March in UTC, but on the 9th and the 10th in Tokyo.
    add_review(learner_in_tokyo, tokyo(9, 23, 30))
    add_review(learner_in_tokyo, tokyo(10, 0, 30))
    assert study_streak(session, learner_in_tokyo, now=NOW) == 2


def test_the_same_reviews_make_a_shorter_streak_for_a_learner_in_utc(
    session, learner, add_review
) -> None:
    add_review(learner, tokyo(9, 23, 30))
    add_review(learner, tokyo(10, 0, 30))
    assert study_streak(session, learner, now=NOW) == 1


def test_a_streak_still_counts_today_before_the_first_review(
    session, learner_in_tokyo, add_review
) -> None:
    for day in (9, 8, 7):
        add_review(learner_in_tokyo, tokyo(day))
    assert study_streak(session, learner_in_tokyo, now=NOW) == 3


def test_a_missed_day_breaks_the_streak(session, learner_in_tokyo, add_review) -> None:
    for day in (10, 8, 7, 6):
        add_review(learner_in_tokyo, tokyo(day))
    assert study_streak(session, learner_in_tokyo, now=NOW) == 1


def test_missing_yesterday_and_today_leaves_no_streak(
    session, learner_in_tokyo, add_review
) -> None:
    for day in (8, 7):
        add_review(learner_in_tokyo, tokyo(day))
    assert study_streak(session, learner_in_tokyo, now=NOW) == 0


def test_quick_stats_include_the_streak(session, learner_in_tokyo, add_review) -> None:
    for day in (9, 8):
        add_review(learner_in_tokyo, tokyo(day))
    assert quick_stats(session, learner_in_tokyo, now=NOW).streak_days == 2
