"""Whose progress a viewer may read.

A learner reads their own; a teacher reads the learners enrolled in one of their own classes;
an admin reads anyone's. Anyone else's progress is NotFound, exactly like a learner who does
not exist, so the answer gives away nothing about other people.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from learn_app.models import Classroom, Enrollment, Role, User
from learn_app.services.errors import NotFound


def viewable_learner(session: Session, viewer: User, learner_id: int) -> User:
    """The learner whose progress `viewer` asked for, if they may read it."""
    learner = session.get(User, learner_id)
    if learner is None or not _may_view(session, viewer, learner):
        raise NotFound("That learner does not exist or is not in your classes.")
    return learner


def _may_view(session: Session, viewer: User, learner: User) -> bool:
    if viewer.id == learner.id or viewer.role == Role.admin.value:
        return True
    if viewer.role != Role.teacher.value:
        return False
    taught = session.exec(
        select(Enrollment.id)
        .join(Classroom, col(Classroom.id) == col(Enrollment.classroom_id))
        .where(Enrollment.learner_id == learner.id, Classroom.teacher_id == viewer.id)
        .limit(1)
    ).first()
    return taught is not None
