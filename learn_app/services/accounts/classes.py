"""A teacher's classes: who is in them and how they are doing.

A teacher sees and changes only their own classes; an admin sees every class.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from learn_app.models import Classroom, Enrollment, Review, Role, StudySession, User
from learn_app.services import audit
from learn_app.services.accounts.auth import normalize_email, require_role
from learn_app.services.errors import Conflict, InvalidInput, NotFound, PermissionDenied
from learn_app.services.language.languages import TARGET_LANGUAGES
from learn_app.services.language.text import clean_name
from learn_app.services.study import stats


@dataclass(frozen=True)
class ClassroomSummary:
    id: int
    name: str
    language: str
    learners: int
    created_at: datetime


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


def _own_classroom(session: Session, teacher: User, classroom_id: int) -> Classroom:
    require_role(teacher, Role.teacher, Role.admin)
    classroom = session.get(Classroom, classroom_id)
    if classroom is None:
        raise NotFound("That class does not exist.")
    if classroom.teacher_id != teacher.id and teacher.role != Role.admin.value:
        raise PermissionDenied("That class belongs to another teacher.")
    return classroom


def create_classroom(session: Session, teacher: User, *, name: str, language: str) -> Classroom:
    require_role(teacher, Role.teacher, Role.admin)
    name = clean_name(name, field="name", label="Class name", max_length=120)
    if language not in TARGET_LANGUAGES:
        raise InvalidInput("Choose the language the class studies.", field="language")
    classroom = Classroom(teacher_id=teacher.id, name=name, language=language)
    session.add(classroom)
    session.flush()
    audit.record(session, "class.created", actor_id=teacher.id, classroom_id=classroom.id)
    return classroom


def list_classrooms(session: Session, teacher: User) -> list[ClassroomSummary]:
    require_role(teacher, Role.teacher, Role.admin)
    learners = func.count(col(Enrollment.id))
    query = (
        select(Classroom, learners)
        .join(Enrollment, col(Enrollment.classroom_id) == col(Classroom.id), isouter=True)
        .group_by(col(Classroom.id))
        .order_by(col(Classroom.name))
    )
    if teacher.role != Role.admin.value:
        query = query.where(Classroom.teacher_id == teacher.id)
    return [
        ClassroomSummary(c.id, c.name, c.language, int(n), c.created_at)
        for c, n in session.exec(query)
    ]


def delete_classroom(session: Session, teacher: User, classroom_id: int) -> None:
    classroom = _own_classroom(session, teacher, classroom_id)
    session.delete(classroom)
    audit.record(session, "class.deleted", actor_id=teacher.id, classroom_id=classroom_id)


def enroll(session: Session, teacher: User, classroom_id: int, learner_email: str) -> User:
    classroom = _own_classroom(session, teacher, classroom_id)
    email = normalize_email(learner_email)
    learner = session.exec(select(User).where(User.email == email)).first()
    # Only active learner accounts can be enrolled: a teacher must not be able to pull another
    # teacher's or an admin's activity into their class view.
    if learner is None or not learner.is_active or learner.role != Role.learner.value:
        raise NotFound(
            "No learner account uses that email. Ask the learner to sign up first.",
            field="email",
        )
    already = session.exec(
        select(Enrollment).where(
            Enrollment.classroom_id == classroom.id, Enrollment.learner_id == learner.id
        )
    ).first()
    if already is not None:
        raise Conflict(f"{learner.display_name} is already in this class.", field="email")
    session.add(Enrollment(classroom_id=classroom.id, learner_id=learner.id))
    audit.record(
        session,
        "class.enrolled",
        user_id=learner.id,
        actor_id=teacher.id,
        classroom_id=classroom.id,
    )
    return learner


def unenroll(session: Session, teacher: User, classroom_id: int, learner_id: int) -> None:
    classroom = _own_classroom(session, teacher, classroom_id)
    enrollment = session.exec(
        select(Enrollment).where(
            Enrollment.classroom_id == classroom.id, Enrollment.learner_id == learner_id
        )
    ).first()
    if enrollment is None:
        raise NotFound("That learner is not in this class.")
    session.delete(enrollment)
    audit.record(
        session,
        "class.unenrolled",
        user_id=learner_id,
        actor_id=teacher.id,
        classroom_id=classroom.id,
    )


def class_progress(session: Session, teacher: User, classroom_id: int) -> list[LearnerProgress]:
    """Each enrolled learner's totals: review and session counts are aggregated in SQL for the
    whole class at once; the streak is one small query per learner who has reviews."""
    classroom = _own_classroom(session, teacher, classroom_id)
    learners = session.exec(
        select(User)
        .join(Enrollment, col(Enrollment.learner_id) == col(User.id))
        .where(Enrollment.classroom_id == classroom.id)
        .order_by(col(User.display_name))
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
                streak_days=stats.study_streak(session, learner) if total else 0,
                last_review_at=last,
            )
        )
    return rows
