"""XP: points for completed reviews, more for harder work, and the learner's totals.

A completed review is one stored answer (a sentence counts once, when it is finished, however
many attempts it took). Recall earns the activity's points; a wrong answer earns a little for
the effort; answering a card again in the same session earns nothing. A piece of writing earns
the most. Every entry also carries the time it took, for goals counted in minutes.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session, col, func, select

from learn_app.models import User
from learn_app.models.achievements import XpEntry
from learn_app.services.achievements import clock

# Points for a right answer, by activity: recognising is worth less than producing.
ACTIVITY_POINTS: dict[str, int] = {
    "flashcards": 10,
    "multiple-choice": 10,
    "listening": 10,
    "cloze": 12,
    "typing": 15,
    "speaking": 15,
    "sentence-builder": 20,
}
OTHER_ACTIVITY_POINTS = 10  # external activities
WRONG_ANSWER_POINTS = 2
WRITING_POINTS = 25
# Time counted for an answer: its latency, capped (a learner who walked away is not studying);
# an answer without one counts as a typical answer.
MAX_SECONDS_PER_REVIEW = 120
SECONDS_WITHOUT_LATENCY = 10
SECONDS_PER_WRITING = 180


def review_points(activity: str, *, correct: bool, repeated: bool) -> int:
    """XP for one answer: nothing for a card already answered in the same session."""
    if repeated:
        return 0
    if not correct:
        return WRONG_ANSWER_POINTS
    return ACTIVITY_POINTS.get(activity, OTHER_ACTIVITY_POINTS)


def review_seconds(latency_ms: int | None) -> int:
    if latency_ms is None:
        return SECONDS_WITHOUT_LATENCY
    # Rounded half up, as the backfill's SQL rounds.
    return max(1, min(MAX_SECONDS_PER_REVIEW, (max(0, latency_ms) + 500) // 1000))


@dataclass(frozen=True)
class XpTotals:
    today: int
    this_week: int
    total: int
    minutes_today: int
    minutes_this_week: int
    today_date: date
    week_starts: date
    by_day: list[tuple[date, int]]  # the last 7 days, oldest first


def add_entry(session: Session, **values: object) -> bool:
    """Insert one ledger entry; False when its review or writing already has one."""
    inserted = session.exec(
        insert(XpEntry).values(**values).on_conflict_do_nothing().returning(col(XpEntry.id))
    ).first()
    return inserted is not None


def week_points(session: Session, user_id: int, week: date, *, minutes: bool = False) -> int:
    """XP (or whole minutes) the learner earned from the Monday `week` on."""
    measure = XpEntry.seconds if minutes else XpEntry.points
    total = session.exec(
        select(func.coalesce(func.sum(measure), 0)).where(
            XpEntry.user_id == user_id, col(XpEntry.local_day) >= week
        )
    ).one()
    return int(total) // 60 if minutes else int(total)


def totals(session: Session, user: User, *, now: datetime | None = None) -> XpTotals:
    """Today's and this week's XP and minutes (in the learner's zone), and the all-time XP."""
    today = clock.local_day(clock.moment(now), clock.zone(user.timezone))
    monday = clock.week_start(today)
    first = min(monday, today - timedelta(days=6))
    rows = session.exec(
        select(
            col(XpEntry.local_day),
            func.sum(XpEntry.points),
            func.sum(XpEntry.seconds),
        )
        .where(XpEntry.user_id == user.id, col(XpEntry.local_day) >= first)
        .group_by(col(XpEntry.local_day))
    ).all()
    points = {day: int(p) for day, p, _ in rows}
    seconds = {day: int(s) for day, _, s in rows}
    total = session.exec(
        select(func.coalesce(func.sum(XpEntry.points), 0)).where(XpEntry.user_id == user.id)
    ).one()
    week_days = [day for day in points if monday <= day <= today]
    return XpTotals(
        today=points.get(today, 0),
        this_week=sum(points[day] for day in week_days),
        total=int(total),
        minutes_today=seconds.get(today, 0) // 60,
        minutes_this_week=sum(seconds[day] for day in week_days) // 60,
        today_date=today,
        week_starts=monday,
        by_day=[
            (today - timedelta(days=n), points.get(today - timedelta(days=n), 0))
            for n in range(6, -1, -1)
        ],
    )
