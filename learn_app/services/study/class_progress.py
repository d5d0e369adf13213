"""How each learner in a teacher's class is doing: reviews, success rate, sessions, streak.

Which classes a teacher may read is decided by `services.accounts.classes.own_classroom`.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from learn_app.models import Enrollment, Review, StudySession, User
from learn_app.services.accounts.classes import own_classroom
from learn_app.services.study.streaks import streak_standings


@dataclass(frozen=True)
class LearnerProgress:
    learner_id: int
    display_name: str
    email: str
    reviews: int
    success_rate: float
    study_sessions: int
    streak_days: int
    last_review_at: datetime | None


def class_progress(
    session: Session, teacher: User, classroom_id: int, *, now: datetime | None = None
) -> list[LearnerProgress]:
    """Each enrolled learner's totals: review and session counts are aggregated in SQL for the
    whole class at once; the streak is each learner's kept streak as it stands today (freezes
    and vacations counted), read for the whole class at once."""
    classroom = own_classroom(session, teacher, classroom_id)
    learners = session.exec(
        select(User)
        .join(Enrollment, col(Enrollment.learner_id) == col(User.id))
        .where(Enrollment.classroom_id == classroom.id)
        .order_by(col(User.display_name), col(User.id))
    ).all()
    ids = [learner.id for learner in learners]
    review_totals = {
        user_id: (int(total), int(correct), last)
        for user_id, total, correct, last in session.exec(
            select(
                Review.user_id,
                func.count(col(Review.id)),
                func.count(col(Review.id)).filter(col(Review.correct)),
                func.max(Review.reviewed_at),
            )
            .where(col(Review.user_id).in_(ids))
            .group_by(col(Review.user_id))
        )
    }
    session_totals = dict(
        session.exec(
            select(StudySession.user_id, func.count(col(StudySession.id)))
            .where(col(StudySession.user_id).in_(ids))
            .group_by(col(StudySession.user_id))
        ).all()
    )
    standings = streak_standings(session, learners, now=now)
    rows = []
    for learner in learners:
        total, correct, last = review_totals.get(learner.id, (0, 0, None))
        rows.append(
            LearnerProgress(
                learner_id=learner.id,
                display_name=learner.display_name,
                email=learner.email,
                reviews=total,
                success_rate=round(100.0 * correct / total, 1) if total else 0.0,
                study_sessions=int(session_totals.get(learner.id, 0)),
                streak_days=standings[learner.id].days,
                last_review_at=last,
            )
        )
    return rows
