"""Study statistics, counted in SQL."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import distinct, func
from sqlmodel import Session, col, select

from learn_app.models import Review, StudySession, User
from learn_app.services.study import streaks


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
        streak_days=streaks.streak_days(session, user, now=now),
    )
