"""What a learner sees of their motivation: badges earned and locked with progress, the
streak as it stands today, XP totals and the weekly goal. Looking brings the counts up to date
first (`events.refresh`), so what is shown has been awarded."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from learn_app.models import User
from learn_app.models.achievements import StreakFreezeUse, UserAchievement
from learn_app.services.achievements import clock, events, goals, progress, xp
from learn_app.services.achievements.measures import Measures
from learn_app.services.achievements.rules import ACHIEVEMENTS, RETENTION_MIN_REVIEWS, Measure
from learn_app.services.study.streaks import standing


@dataclass(frozen=True)
class AchievementView:
    slug: str
    name: str
    rule: str
    icon: str
    earned_at: datetime | None
    current: int  # progress towards the target, capped at it
    target: int
    unit: str
    note: str = ""

    @property
    def earned(self) -> bool:
        return self.earned_at is not None

    @property
    def percent(self) -> int:
        if self.earned:
            return 100
        return min(100, round(100 * self.current / self.target)) if self.target else 0

    @property
    def progress_label(self) -> str:
        if not self.unit:
            return "Reached" if self.earned else "Not yet"
        return f"{self.current:,} of {self.target:,} {self.unit}"


@dataclass(frozen=True)
class StreakView:
    days: int
    best: int
    freezes: int
    studied_today: bool
    on_vacation: bool
    vacation_since: date | None
    frozen_days: list[date]  # days freezes covered, newest first (the last 10)


def achievements(
    session: Session, user: User, *, now: datetime | None = None
) -> list[AchievementView]:
    """Every achievement, earned (with the date) or locked (with progress), in rule order."""
    state, _ = events.refresh(session, user, now=now)
    earned = dict(
        session.exec(
            select(UserAchievement.achievement, UserAchievement.earned_at).where(
                UserAchievement.user_id == user.id
            )
        ).all()
    )
    measures = Measures(session, user, state, now=now)
    views = []
    for a in ACHIEVEMENTS:
        note = ""
        if a.measure is Measure.retention_met:
            kept = measures.retention
            target, unit = RETENTION_MIN_REVIEWS, "reviews counted"
            current = target if a.slug in earned else min(kept.reviews, target)
            note = f"{kept.rate:.0%} right; your desired retention is {kept.target:.0%}"
        else:
            current, target, unit = min(measures.value(a.measure), a.target), a.target, a.unit
        views.append(
            AchievementView(
                a.slug, a.name, a.rule, a.icon, earned.get(a.slug), current, target, unit, note
            )
        )
    return views


def streak(session: Session, user: User, *, now: datetime | None = None) -> StreakView:
    """The streak today, in the learner's zone: freezes cover missed days as they are used."""
    state = progress.read_state(session, user.id or 0)
    today = clock.local_day(clock.moment(now), clock.zone(user.timezone))
    away = progress.vacations(session, user.id or 0)
    now_standing = standing(progress.streak_of(state), today, away)
    used = list(
        session.exec(
            select(col(StreakFreezeUse.day))
            .where(StreakFreezeUse.user_id == user.id)
            .order_by(col(StreakFreezeUse.day).desc())
            .limit(10)
        )
    )
    frozen = sorted({*used, *now_standing.frozen_days}, reverse=True)[:10]
    return StreakView(
        days=now_standing.days,
        best=state.streak_best,
        freezes=now_standing.freezes,
        studied_today=now_standing.studied_today,
        on_vacation=now_standing.on_vacation,
        vacation_since=state.vacation_since,
        frozen_days=frozen,
    )


@dataclass(frozen=True)
class Motivation:
    """The Dashboard's figures: the streak, XP and the weekly goal."""

    streak: StreakView
    xp: xp.XpTotals
    goal: goals.WeeklyGoal


def motivation(session: Session, user: User, *, now: datetime | None = None) -> Motivation:
    return Motivation(
        streak=streak(session, user, now=now),
        xp=xp.totals(session, user, now=now),
        goal=goals.weekly_goal(session, user, now=now),
    )
