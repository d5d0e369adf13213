"""Streak rules on their boundaries: the 7th day earns a freeze, a freeze covers one missed day
once, vacations pause, and days are the learner's own (23:59 and 00:01, DST change days)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

from learn_app.services.achievements.clock import local_day, week_start, zone
from learn_app.services.study.streaks import (
    MAX_FREEZES,
    Streak,
    Vacation,
    replay,
    standing,
    study_day,
)

MONDAY = date(2026, 3, 2)


def days(start: date, count: int) -> list[date]:
    return [start + timedelta(days=n) for n in range(count)]


def test_six_days_in_a_row_earn_no_freeze_and_the_seventh_earns_one() -> None:
    six, _ = replay(days(MONDAY, 6))
    assert (six.current, six.freezes) == (6, 0)
    step = study_day(six, MONDAY + timedelta(days=6))
    assert (step.streak.current, step.streak.freezes, step.freeze_earned) == (7, 1, True)


def test_a_missed_day_without_a_freeze_starts_the_streak_again() -> None:
    six, _ = replay(days(MONDAY, 6))
    step = study_day(six, MONDAY + timedelta(days=7))  # day 7 missed
    assert (step.streak.current, step.broken, step.frozen_days) == (1, True, ())
    assert step.streak.best == 6


def test_a_freeze_covers_a_missed_day_exactly_once() -> None:
    seven, _ = replay(days(MONDAY, 7))
    missed = MONDAY + timedelta(days=7)
    step = study_day(seven, missed + timedelta(days=1))
    assert step.frozen_days == (missed,)
    assert (step.streak.current, step.streak.freezes, step.broken) == (8, 0, False)
    # Another review the same day uses nothing more, and neither does looking at the streak.
    again = study_day(step.streak, missed + timedelta(days=1))
    assert again.streak == step.streak and again.frozen_days == ()
    assert standing(step.streak, missed + timedelta(days=1)).freezes == 0


def test_looking_at_a_streak_with_a_missed_day_uses_the_freeze_only_in_the_figures() -> None:
    seven, _ = replay(days(MONDAY, 7))
    today = MONDAY + timedelta(days=8)  # yesterday (day 8) was missed, today not yet studied
    first = standing(seven, today)
    second = standing(seven, today)
    assert first == second
    assert (first.days, first.freezes, first.frozen_days) == (7, 0, (today - timedelta(days=1),))
    assert seven.freezes == 1  # nothing stored was used up by looking


def test_two_missed_days_with_one_freeze_end_the_streak() -> None:
    seven, _ = replay(days(MONDAY, 7))
    step = study_day(seven, MONDAY + timedelta(days=9))
    assert step.broken and step.streak.current == 1
    assert standing(seven, MONDAY + timedelta(days=9)).days == 0


def test_at_most_two_freezes_are_held() -> None:
    streak, _ = replay(days(MONDAY, 21))
    assert streak.current == 21
    assert streak.freezes == MAX_FREEZES == 2


def test_today_without_a_review_yet_does_not_break_the_streak() -> None:
    three, _ = replay(days(MONDAY, 3))
    now = standing(three, MONDAY + timedelta(days=3))
    assert (now.days, now.studied_today) == (3, False)


def test_vacation_days_neither_count_nor_break_the_streak() -> None:
    five, _ = replay(days(MONDAY, 5))
    away = [Vacation(MONDAY + timedelta(days=5), MONDAY + timedelta(days=15))]
    back = MONDAY + timedelta(days=15)
    assert standing(five, back, away).days == 5
    step = study_day(five, back, away)
    assert (step.streak.current, step.frozen_days, step.broken) == (6, (), False)


def test_an_open_vacation_keeps_the_streak_however_long() -> None:
    five, _ = replay(days(MONDAY, 5))
    away = [Vacation(MONDAY + timedelta(days=5))]
    assert standing(five, MONDAY + timedelta(days=200), away).days == 5


def test_a_review_at_23_59_and_one_at_00_01_are_two_days_in_the_learners_zone() -> None:
    tokyo = zone("Asia/Tokyo")
    late = datetime(2026, 3, 2, 14, 59, tzinfo=UTC)  # 23:59 in Tokyo
    early = datetime(2026, 3, 2, 15, 1, tzinfo=UTC)  # 00:01 the next day in Tokyo
    assert local_day(late, tokyo) == date(2026, 3, 2)
    assert local_day(early, tokyo) == date(2026, 3, 3)
    streak, _ = replay([local_day(late, tokyo), local_day(early, tokyo)])
    assert streak.current == 2
    # The same two instants are one day in UTC.
    assert local_day(late, zone("UTC")) == local_day(early, zone("UTC"))


def test_spring_forward_day_keeps_a_streak_across_its_short_night() -> None:
    new_york = zone("America/New_York")  # clocks go 02:00 → 03:00 on 8 March 2026
    before = datetime(2026, 3, 8, 4, 59, tzinfo=UTC)  # 23:59 on 7 March (EST)
    on_the_day = datetime(2026, 3, 9, 3, 59, tzinfo=UTC)  # 23:59 on 8 March (EDT)
    after = datetime(2026, 3, 9, 4, 1, tzinfo=UTC)  # 00:01 on 9 March (EDT)
    found = [local_day(t, new_york) for t in (before, on_the_day, after)]
    assert found == [date(2026, 3, 7), date(2026, 3, 8), date(2026, 3, 9)]
    assert replay(found)[0].current == 3


def test_fall_back_day_is_one_day_of_25_hours() -> None:
    new_york = zone("America/New_York")  # clocks go 02:00 → 01:00 on 1 November 2026
    first = datetime(2026, 11, 1, 4, 1, tzinfo=UTC)  # 00:01 EDT
    last = datetime(2026, 11, 2, 4, 59, tzinfo=UTC)  # 23:59 EST, 24h58m later
    assert local_day(first, new_york) == local_day(last, new_york) == date(2026, 11, 1)
    assert local_day(last + timedelta(minutes=2), new_york) == date(2026, 11, 2)


def test_an_unknown_time_zone_counts_in_utc() -> None:
    assert zone("Mars/Olympus_Mons").key == "UTC"


def test_weeks_start_on_monday() -> None:
    assert week_start(date(2026, 3, 8)) == date(2026, 3, 2)  # a Sunday
    assert week_start(date(2026, 3, 9)) == date(2026, 3, 9)


def test_a_late_recorded_review_changes_nothing() -> None:
    streak = Streak(current=4, best=4, last_day=MONDAY + timedelta(days=3), freezes=0)
    assert study_day(streak, MONDAY).streak == streak
