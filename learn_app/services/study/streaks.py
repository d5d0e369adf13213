"""Streaks that forgive: days in a row with a review, in the learner's own time zone.

A missed day does not end a streak while the learner holds a streak freeze: one is used up,
automatically, for each missed day. A freeze is earned each time the streak reaches a
multiple of 7 days, and at most 2 are held. Days on vacation neither count nor break the
streak. A day with no review yet does not break it either: only a whole missed day does.

The rules are pure: a `Streak` and the learner's vacations in, the next `Streak` out. The
streak itself is kept, review by review, on the learner's `learner_motivation` row by the
achievements package (which hears of every recorded review); `streak_standings` reads it for
every page that shows a streak — the Dashboard, the teacher's class table, the Achievements
page, the REST API — so all of them show the same number.
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta

from sqlmodel import Session, col, select

from learn_app.models import User
from learn_app.models.achievements import LearnerMotivation, VacationPeriod
from learn_app.models.base import utcnow
from learn_app.services.study.class_scope import zone

FREEZE_EVERY_DAYS = 7
MAX_FREEZES = 2


@dataclass(frozen=True)
class Vacation:
    """Days away: from `starts_on` up to the day before `ends_on` (None: still away)."""

    starts_on: date
    ends_on: date | None = None

    def covers(self, day: date) -> bool:
        return self.starts_on <= day and (self.ends_on is None or day < self.ends_on)


@dataclass(frozen=True)
class Streak:
    current: int = 0
    best: int = 0
    last_day: date | None = None  # the last day with a review
    freezes: int = 0


@dataclass(frozen=True)
class StreakStep:
    """What a day of study did to the streak."""

    streak: Streak
    frozen_days: tuple[date, ...] = ()  # missed days a freeze covered, each used once
    freeze_earned: bool = False
    broken: bool = False  # the streak had ended before this day and starts again at 1


@dataclass(frozen=True)
class Standing:
    """The streak as it stands on a day, before or after that day's reviews."""

    days: int
    freezes: int
    frozen_days: tuple[date, ...]  # missed days since the last review that freezes cover
    studied_today: bool
    on_vacation: bool


def _missed_days(
    after: date, before: date, vacations: Sequence[Vacation], limit: int
) -> Iterator[date]:
    """Days strictly between the two that are not vacation, at most `limit` of them."""
    day, found = after + timedelta(days=1), 0
    while day < before and found < limit:
        away = next((v for v in vacations if v.covers(day)), None)
        if away is not None:
            if away.ends_on is None:
                return
            day = max(day + timedelta(days=1), away.ends_on)
            continue
        found += 1
        yield day
        day += timedelta(days=1)


def study_day(streak: Streak, day: date, vacations: Sequence[Vacation] = ()) -> StreakStep:
    """The streak after a review on `day`. A day already counted, or one before the last day
    counted (a review recorded late), changes nothing."""
    if streak.last_day is not None and day <= streak.last_day:
        return StreakStep(streak)
    frozen: tuple[date, ...] = ()
    broken = False
    freezes = streak.freezes
    if streak.last_day is None:
        current = 1
    else:
        missed = list(_missed_days(streak.last_day, day, vacations, freezes + 1))
        frozen = tuple(missed[:freezes])
        freezes -= len(frozen)
        if len(missed) > len(frozen):
            current, broken = 1, True
        else:
            current = streak.current + 1
    earned = current % FREEZE_EVERY_DAYS == 0 and freezes < MAX_FREEZES
    if earned:
        freezes += 1
    return StreakStep(
        Streak(
            current=current,
            best=max(streak.best, current),
            last_day=day,
            freezes=freezes,
        ),
        frozen_days=frozen,
        freeze_earned=earned,
        broken=broken,
    )


def standing(streak: Streak, today: date, vacations: Sequence[Vacation] = ()) -> Standing:
    """The streak on `today`: alive while every missed day since the last review is covered by
    a freeze (today itself can still be studied). Nothing is used up by looking."""
    on_vacation = any(v.covers(today) for v in vacations)
    if streak.last_day is None:
        return Standing(0, streak.freezes, (), False, on_vacation)
    if streak.last_day >= today:
        return Standing(streak.current, streak.freezes, (), True, on_vacation)
    missed = list(_missed_days(streak.last_day, today, vacations, streak.freezes + 1))
    if len(missed) > streak.freezes:
        return Standing(0, 0, (), False, on_vacation)
    return Standing(streak.current, streak.freezes - len(missed), tuple(missed), False, on_vacation)


def replay(days: Sequence[date], vacations: Sequence[Vacation] = ()) -> tuple[Streak, list[date]]:
    """The streak a history of study days earns, and every day a freeze covered in it."""
    streak = Streak()
    frozen: list[date] = []
    for day in sorted(set(days)):
        step = study_day(streak, day, vacations)
        streak = step.streak
        frozen.extend(step.frozen_days)
    return streak, frozen


def _today(user: User, now: datetime | None) -> date:
    at = utcnow() if now is None else now if now.tzinfo else now.replace(tzinfo=UTC)
    return at.astimezone(zone(user.timezone or "UTC")).date()


def streak_standings(
    session: Session, learners: Sequence[User], *, now: datetime | None = None
) -> dict[int, Standing]:
    """Each learner's streak as it stands today in their own zone, freezes and vacations
    counted: two queries for any number of learners."""
    ids = [learner.id for learner in learners]
    if not ids:
        return {}
    kept = {
        row.user_id: Streak(row.streak_current, row.streak_best, row.streak_last_day,
                            row.freezes_held)
        for row in session.exec(
            select(LearnerMotivation).where(col(LearnerMotivation.user_id).in_(ids))
        )
    }  # fmt: skip
    away: dict[int, list[Vacation]] = {uid: [] for uid in ids}
    for uid, starts_on, ends_on in session.exec(
        select(
            col(VacationPeriod.user_id), col(VacationPeriod.starts_on), col(VacationPeriod.ends_on)
        )
        .where(col(VacationPeriod.user_id).in_(ids))
        .order_by(col(VacationPeriod.starts_on))
    ):
        away[uid].append(Vacation(starts_on, ends_on))
    return {
        learner.id: standing(kept.get(learner.id, Streak()), _today(learner, now), away[learner.id])
        for learner in learners
    }


def streak_days(session: Session, user: User, *, now: datetime | None = None) -> int:
    """Days in the learner's streak today (0 when it has ended)."""
    return streak_standings(session, [user], now=now)[user.id].days
