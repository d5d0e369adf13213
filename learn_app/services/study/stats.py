"""Study statistics, counted in SQL."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import Date, cast, distinct, func
from sqlmodel import Session, col, select

from learn_app.models import Review, StudySession, User

# A streak longer than this is still reported, as this many days; it keeps the query bounded.
MAX_STREAK_LOOKBACK_DAYS = 3660


@dataclass(frozen=True)
class QuickStats:
    total_reviews: int
    correct_reviews: int
    success_rate: float  # percent, 0 when there are no reviews
    study_sessions: int
    active_groups: int
    streak_days: int


def quick_stats(session: Session, user: User, *, now: datetime | None = None) -> QuickStats:
    total, correct = session.exec(
        select(
            func.count(col(Review.id)),
            func.count(col(Review.id)).filter(col(Review.correct)),
        ).where(Review.user_id == user.id)
    ).one()
    sessions, groups = session.exec(
        select(
            func.count(col(StudySession.id)), func.count(distinct(col(StudySession.group_id)))
        ).where(StudySession.user_id == user.id)
    ).one()
    return QuickStats(
        total_reviews=int(total),
        correct_reviews=int(correct),
        success_rate=round(100.0 * int(correct) / int(total), 1) if total else 0.0,
        study_sessions=int(sessions),
        active_groups=int(groups),
        streak_days=study_streak(session, user, now=now),
    )


def study_streak(session: Session, user: User, *, now: datetime | None = None) -> int:
    """Consecutive days, in the learner's time zone, with at least one review.

    A streak still counts on a day with no review yet: it ends only when a whole day is missed.
    """
    tz = _zone(user.timezone)
    today = (now or datetime.now(tz)).astimezone(tz).date()
    local_day = cast(func.timezone(tz.key, col(Review.reviewed_at)), Date)
    days: list[date] = list(
        session.exec(
            select(local_day)
            .distinct()
            .where(
                Review.user_id == user.id,
                col(Review.reviewed_at)
                >= datetime.combine(today, datetime.min.time(), tz)
                - timedelta(days=MAX_STREAK_LOOKBACK_DAYS),
            )
            .order_by(local_day.desc())
        )
    )
    if not days:
        return 0
    expected = today if today in days else today - timedelta(days=1)
    streak = 0
    for day in days:
        if day > expected:
            continue
        if day != expected:
            break
        streak += 1
        expected -= timedelta(days=1)
    return streak


def _zone(name: str) -> zoneinfo.ZoneInfo:
    try:
        return zoneinfo.ZoneInfo(name)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return zoneinfo.ZoneInfo("UTC")
