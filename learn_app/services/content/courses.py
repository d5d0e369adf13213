"""Courses: the shipped and imported courses a learner can study, and who may edit them.

A course's owner (the teacher who created or imported it) and the teachers listed as its
editors change its content; admins change every course. Shipped courses have no owner.
"""

from __future__ import annotations

from sqlmodel import Session, col, select

from learn_app.models import (
    Course,
    CourseEditor,
    Role,
    User,
)
from learn_app.services import audit
from learn_app.services.errors import NotFound, PermissionDenied


def list_courses(session: Session) -> list[Course]:
    return list(session.exec(select(Course).order_by(col(Course.title), col(Course.id))))


def get_course(session: Session, course_id: int) -> Course:
    course = session.get(Course, course_id)
    if course is None:
        raise NotFound("That course does not exist.")
    return course


def list_editors(session: Session, actor: User, course_id: int) -> list[User]:
    """The teachers besides the owner who may edit the course (its owner and admins may ask)."""
    course = get_course(session, course_id)
    _require_course_manager(actor, course)
    return list(
        session.exec(
            select(User)
            .join(CourseEditor, col(CourseEditor.user_id) == col(User.id))
            .where(CourseEditor.course_id == course.id)
            .order_by(col(User.display_name), col(User.id))
        )
    )


def add_editor(session: Session, actor: User, course_id: int, user_id: int) -> User:
    """Let a teacher edit the course; the owner or an admin decides. Adding twice is harmless."""
    course = get_course(session, course_id)
    _require_course_manager(actor, course)
    editor = session.get(User, user_id)
    if editor is None or not editor.is_active or editor.role != Role.teacher.value:
        raise NotFound("There is no teacher with that id.")
    if session.get(CourseEditor, (course.id, editor.id)) is None:
        session.add(CourseEditor(course_id=course.id, user_id=editor.id))
        audit.record(
            session,
            "content.course_editor_added",
            actor_id=actor.id,
            course_id=course.id,
            user_id=editor.id,
        )
    return editor


def remove_editor(session: Session, actor: User, course_id: int, user_id: int) -> None:
    course = get_course(session, course_id)
    _require_course_manager(actor, course)
    row = session.get(CourseEditor, (course.id, user_id))
    if row is None:
        raise NotFound("That teacher is not an editor of this course.")
    session.delete(row)
    audit.record(
        session,
        "content.course_editor_removed",
        actor_id=actor.id,
        course_id=course.id,
        user_id=user_id,
    )


def set_owner(session: Session, actor: User, course_id: int, owner_id: int | None) -> Course:
    """Hand the course to a teacher (or to nobody: admins only); admins decide."""
    if actor.role != Role.admin.value:
        raise PermissionDenied("Only admins can change who owns a course.")
    course = get_course(session, course_id)
    if owner_id is not None:
        owner = session.get(User, owner_id)
        if owner is None or not owner.is_active or owner.role != Role.teacher.value:
            raise NotFound("There is no teacher with that id.")
    course.owner_id = owner_id
    session.add(course)
    audit.record(
        session, "content.course_owner_set", actor_id=actor.id, course_id=course.id, owner=owner_id
    )
    return course


def _require_course_manager(actor: User, course: Course) -> None:
    if actor.role == Role.admin.value:
        return
    if actor.role == Role.teacher.value and course.owner_id == actor.id:
        return
    raise PermissionDenied("Only the course's owner and admins manage its editors.")
