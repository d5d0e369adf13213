"""A teacher's classes and who is in them (how they are doing: `services.study.class_progress`).

A teacher sees and changes only their own classes; an admin sees every class. Nobody enrols a
learner but the learner: with the class's code (`join_codes`) or by accepting an invitation
(`invitations`); a teacher may take a learner out, and a learner may leave.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlmodel import Session, col, func, select

from learn_app.models import ClassInvitation, Classroom, Enrollment, Role, User
from learn_app.services import audit
from learn_app.services.accounts import join_codes
from learn_app.services.accounts.auth import require_role
from learn_app.services.errors import InvalidInput, NotFound, PermissionDenied
from learn_app.services.language.languages import TARGET_LANGUAGES
from learn_app.services.language.text import clean_name


@dataclass(frozen=True)
class ClassroomSummary:
    id: int
    name: str
    language: str
    learners: int
    created_at: datetime


def own_classroom(session: Session, teacher: User, classroom_id: int) -> Classroom:
    """The class, if `teacher` teaches it (admins: any class); PermissionDenied for another
    teacher's class, NotFound for none."""
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
    join_codes.issue_code(session, classroom)
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
        .order_by(col(Classroom.name), col(Classroom.id))
    )
    if teacher.role != Role.admin.value:
        query = query.where(Classroom.teacher_id == teacher.id)
    return [
        ClassroomSummary(c.id, c.name, c.language, int(n), c.created_at)
        for c, n in session.exec(query)
    ]


def delete_classroom(session: Session, teacher: User, classroom_id: int) -> None:
    classroom = own_classroom(session, teacher, classroom_id)
    session.delete(classroom)
    audit.record(session, "class.deleted", actor_id=teacher.id, classroom_id=classroom_id)


def admit(session: Session, classroom: Classroom, learner: User, *, via: str) -> bool:
    """Enrol `learner` in `classroom` by their own act (`via`: "code" or "invitation"); False
    when they were already in it. Invitations to the class at their address are done with."""
    if learner.role != Role.learner.value or not learner.is_active:
        raise PermissionDenied("Only learner accounts can join a class.")
    for invitation in session.exec(
        select(ClassInvitation).where(
            ClassInvitation.classroom_id == classroom.id, ClassInvitation.email == learner.email
        )
    ):
        session.delete(invitation)
    if is_enrolled(session, classroom.id, learner.id):
        return False
    session.add(Enrollment(classroom_id=classroom.id, learner_id=learner.id))
    audit.record(
        session,
        "class.enrolled",
        user_id=learner.id,
        actor_id=learner.id,
        classroom_id=classroom.id,
        via=via,
    )
    return True


def is_enrolled(session: Session, classroom_id: int, learner_id: int) -> bool:
    return (
        session.exec(
            select(Enrollment.id).where(
                Enrollment.classroom_id == classroom_id, Enrollment.learner_id == learner_id
            )
        ).first()
        is not None
    )


def unenroll(session: Session, teacher: User, classroom_id: int, learner_id: int) -> None:
    classroom = own_classroom(session, teacher, classroom_id)
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
