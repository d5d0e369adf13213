"""Who looks after a course: its owner and editors, as the people who manage them see it.

A course's owner and admins add and remove editors; admins hand a course to another owner.
Editors are added by the email of a teacher account: any other address (a learner's, a
disabled account's, or one nobody has) gets one and the same answer, so the form tells the
owner nothing beyond which addresses belong to teachers — colleagues they may know anyway.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlmodel import Session, col, select

from learn_app.models import Course, Role, User
from learn_app.services.accounts.auth import normalize_email, require_role
from learn_app.services.content import courses
from learn_app.services.errors import Conflict, InvalidInput, NotFound

NO_TEACHER = "No teacher account uses that address. Only teachers can edit courses."


@dataclass(frozen=True)
class TeamMember:
    id: int
    display_name: str
    email: str


@dataclass(frozen=True)
class CourseTeam:
    course_id: int
    title: str
    language: str
    owner: TeamMember | None
    editors: list[TeamMember]


def _member(user: User) -> TeamMember:
    return TeamMember(user.id, user.display_name, user.email)


def managed_courses(session: Session, actor: User) -> list[Course]:
    """The courses whose editors `actor` decides: every course for an admin, their own for a
    teacher; by title."""
    require_role(actor, Role.teacher, Role.admin)
    query = select(Course).order_by(col(Course.title), col(Course.id))
    if actor.role != Role.admin.value:
        query = query.where(Course.owner_id == actor.id)
    return list(session.exec(query))


def course_team(session: Session, actor: User, course_id: int) -> CourseTeam:
    editors = courses.list_editors(session, actor, course_id)  # checks who may ask
    course = courses.get_course(session, course_id)
    owner = session.get(User, course.owner_id) if course.owner_id else None
    return CourseTeam(
        course_id=course.id,
        title=course.title,
        language=course.language,
        owner=_member(owner) if owner else None,
        editors=[_member(user) for user in editors],
    )


def add_editor_by_email(session: Session, actor: User, course_id: int, email: str) -> User:
    """Let the teacher with this address edit the course."""
    courses.list_editors(session, actor, course_id)  # the same refusal for anyone else
    if not isinstance(email, str) or not email.strip():
        raise InvalidInput("Enter the teacher's email address.", field="email")
    address = normalize_email(email)
    teacher = session.exec(
        select(User).where(
            User.email == address, User.role == Role.teacher.value, col(User.is_active)
        )
    ).first()
    if teacher is None:
        raise NotFound(NO_TEACHER, field="email")
    if courses.get_course(session, course_id).owner_id == teacher.id:
        raise Conflict(f"{teacher.display_name} owns this course already.", field="email")
    return courses.add_editor(session, actor, course_id, teacher.id)


def teachers(session: Session, actor: User) -> list[TeamMember]:
    """Active teachers by name: whom an admin may hand a course to."""
    require_role(actor, Role.admin)
    rows = session.exec(
        select(User)
        .where(User.role == Role.teacher.value, col(User.is_active))
        .order_by(col(User.display_name), col(User.id))
    )
    return [_member(user) for user in rows]
