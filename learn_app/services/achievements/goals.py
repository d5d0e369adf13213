"""The learner's own settings for motivation: a weekly goal, vacation mode, following levels."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime

from sqlmodel import Session, col, select

from learn_app.models import User
from learn_app.models.achievements import LearnerMotivation, VacationPeriod
from learn_app.services import audit
from learn_app.services.achievements import clock, progress, xp
from learn_app.services.errors import InvalidInput

GOAL_KINDS = {"xp": "XP", "minutes": "minutes"}
GOAL_LIMITS = {"xp": (10, 20_000), "minutes": (5, 3_000)}


@dataclass(frozen=True)
class WeeklyGoal:
    kind: str  # xp | minutes
    target: int
    done: int
    week_starts: date

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.done / self.target)) if self.target else 0

    @property
    def met(self) -> bool:
        return self.done >= self.target > 0

    @property
    def label(self) -> str:
        return f"{self.done:,} of {self.target:,} {GOAL_KINDS.get(self.kind, self.kind)}"


def weekly_goal(session: Session, user: User, *, now: datetime | None = None) -> WeeklyGoal:
    state = progress.read_state(session, user.id or 0)
    today = clock.local_day(clock.moment(now), clock.zone(user.timezone))
    monday = clock.week_start(today)
    minutes = state.weekly_goal_kind == "minutes"
    done = xp.week_points(session, user.id or 0, monday, minutes=minutes)
    return WeeklyGoal(state.weekly_goal_kind, state.weekly_goal_target, done, monday)


def set_weekly_goal(session: Session, user: User, *, kind: str, target: int | str) -> WeeklyGoal:
    """Change the weekly goal; an unknown kind or a target out of range changes nothing."""
    if kind not in GOAL_KINDS:
        raise InvalidInput("Choose XP or minutes for your weekly goal.", field="kind")
    try:
        amount = int(str(target).strip())
    except ValueError:
        raise InvalidInput("The weekly goal must be a whole number.", field="target") from None
    low, high = GOAL_LIMITS[kind]
    if not low <= amount <= high:
        raise InvalidInput(
            f"A weekly goal in {GOAL_KINDS[kind]} is between {low:,} and {high:,}.",
            field="target",
        )
    state = progress.locked_state(session, user.id or 0)
    state.weekly_goal_kind, state.weekly_goal_target = kind, amount
    session.add(state)
    session.flush()
    audit.record(session, "motivation.weekly_goal", user_id=user.id, kind=kind, target=amount)
    return weekly_goal(session, user)


def set_follow_levels(session: Session, user: User, follow: bool) -> None:
    state = progress.locked_state(session, user.id or 0)
    state.follow_levels = bool(follow)
    session.add(state)


def set_vacation(
    session: Session, user: User, on: bool, *, now: datetime | None = None
) -> LearnerMotivation:
    """Start or end vacation mode, from today in the learner's zone. Days away neither count
    towards the streak nor break it; turning it on twice changes nothing."""
    state = progress.locked_state(session, user.id or 0)
    today = clock.local_day(clock.moment(now), clock.zone(user.timezone))
    open_period = session.exec(
        select(VacationPeriod)
        .where(VacationPeriod.user_id == user.id, col(VacationPeriod.ends_on).is_(None))
        .with_for_update()
    ).first()
    if on and open_period is None:
        session.add(VacationPeriod(user_id=user.id or 0, starts_on=today))
        state.vacation_since = today
    elif not on and open_period is not None:
        if open_period.starts_on >= today:
            session.delete(open_period)  # started and ended the same day: no days away
        else:
            open_period.ends_on = today
            session.add(open_period)
        state.vacation_since = None
    session.add(state)
    session.flush()
    audit.record(session, "motivation.vacation", user_id=user.id, on=bool(on))
    return state


def on_vacation(session: Session, user_id: int) -> bool:
    """Whether vacation mode is on (the Practice page can leave out the growing-backlog talk)."""
    return progress.read_state(session, user_id).vacation_since is not None
