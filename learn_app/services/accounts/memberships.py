"""Joining and leaving classes: the class code a teacher hands out, and a learner's own list.

Codes are tried at most `JOIN_ATTEMPTS` times per learner in `JOIN_WINDOW_SECONDS`, so that
nobody can walk the code space to get into a class. Every join, leave and refused code is in
the audit trail.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import aliased
from sqlmodel import Session, col, select

from learn_app.models import Classroom, Enrollment, Role, User
from learn_app.models.base import utcnow
from learn_app.services import audit
from learn_app.services.accounts import join_codes
from learn_app.services.accounts.auth import require_role
from learn_app.services.accounts.classes import admit, own_classroom
from learn_app.services.accounts.ratelimit import limiter
from learn_app.services.errors import InvalidInput, NotFound

JOIN_ATTEMPTS = 10
JOIN_WINDOW_SECONDS = 15 * 60

NO_SUCH_CODE = "No class has that code. Check it with your teacher and try again."
CODE_EXPIRED = "That class code has expired. Ask your teacher for a new one."
CODE_TURNED_OFF = "That class is not taking new learners by code. Ask your teacher."


@dataclass(frozen=True)
class JoinCode:
    """A class's code as its teacher sees it; `code` is "" before the first one."""

    classroom_id: int
    code: str
    state: str  # on | off | expired
    expires_at: datetime | None


@dataclass(frozen=True)
class MyClass:
    id: int
    name: str
    language: str
    teacher_name: str
    joined_at: datetime


def _join_code(classroom: Classroom) -> JoinCode:
    return JoinCode(
        classroom_id=classroom.id,
        code=join_codes.shown(classroom.join_code or ""),
        state=join_codes.code_state(classroom),
        expires_at=classroom.join_code_expires_at,
    )


def class_join_code(session: Session, teacher: User, classroom_id: int) -> JoinCode:
    return _join_code(own_classroom(session, teacher, classroom_id))


def new_join_code(session: Session, teacher: User, classroom_id: int) -> JoinCode:
    """A fresh code, on for `join_codes.CODE_DAYS`; the old one stops working."""
    classroom = own_classroom(session, teacher, classroom_id)
    join_codes.issue_code(session, classroom)
    audit.record(session, "class.join_code_new", actor_id=teacher.id, classroom_id=classroom.id)
    return _join_code(classroom)


def set_join_code_enabled(
    session: Session, teacher: User, classroom_id: int, *, enabled: bool
) -> JoinCode:
    """Turn joining by code off, or on again: the same code while it has not expired, a new
    one otherwise."""
    classroom = own_classroom(session, teacher, classroom_id)
    if not enabled:
        classroom.join_code_enabled = False
    elif classroom.join_code and not _expired(classroom):
        classroom.join_code_enabled = True
    else:
        join_codes.issue_code(session, classroom)
    session.add(classroom)
    audit.record(
        session,
        "class.join_code_on" if enabled else "class.join_code_off",
        actor_id=teacher.id,
        classroom_id=classroom.id,
    )
    return _join_code(classroom)


def _expired(classroom: Classroom) -> bool:
    expires = classroom.join_code_expires_at
    return expires is not None and expires <= utcnow()


def join_with_code(session: Session, learner: User, code: str) -> MyClass:
    """Enrol the learner in the class whose code they typed (counted against their limit)."""
    require_role(learner, Role.learner)
    wanted = join_codes.typed(code)
    limiter.hit(
        "class-join", f"user:{learner.id}", limit=JOIN_ATTEMPTS, window_seconds=JOIN_WINDOW_SECONDS
    )
    classroom = session.exec(select(Classroom).where(Classroom.join_code == wanted)).first()
    state = join_codes.code_state(classroom) if classroom is not None else "none"
    if classroom is None or state != "on":
        audit.record(session, "class.join_refused", user_id=learner.id, reason=state)
        session.commit()
        message = {"expired": CODE_EXPIRED, "off": CODE_TURNED_OFF}.get(state, NO_SUCH_CODE)
        raise InvalidInput(message, field="code")
    admit(session, classroom, learner, via="code")
    session.flush()
    return my_class(session, learner, classroom.id)


def my_classes(session: Session, learner: User) -> list[MyClass]:
    """The classes the learner is in, by name, with their teacher."""
    teacher = aliased(User, name="teacher")
    rows = session.exec(
        select(Classroom, teacher.display_name, Enrollment.created_at)
        .join(Enrollment, col(Enrollment.classroom_id) == col(Classroom.id))
        .join(teacher, col(teacher.id) == col(Classroom.teacher_id))
        .where(Enrollment.learner_id == learner.id)
        .order_by(col(Classroom.name), col(Classroom.id))
    )
    return [
        MyClass(c.id, c.name, c.language, str(teacher_name), joined_at)
        for c, teacher_name, joined_at in rows
    ]


def my_class(session: Session, learner: User, classroom_id: int) -> MyClass:
    found = next((c for c in my_classes(session, learner) if c.id == classroom_id), None)
    if found is None:
        raise NotFound("You are not in that class.")
    return found


def leave_class(session: Session, learner: User, classroom_id: int) -> None:
    """Take the learner out of the class; their teacher no longer sees their work from it."""
    enrollment = session.exec(
        select(Enrollment).where(
            Enrollment.classroom_id == classroom_id, Enrollment.learner_id == learner.id
        )
    ).first()
    if enrollment is None:
        raise NotFound("You are not in that class.")
    session.delete(enrollment)
    audit.record(
        session, "class.left", user_id=learner.id, actor_id=learner.id, classroom_id=classroom_id
    )
