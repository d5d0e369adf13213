"""What every kind of course content shares: who may edit it, slugs, keeping search current."""

from __future__ import annotations

import re
import unicodedata

from sqlmodel import Session, select

from learn_app.config import get_settings
from learn_app.models import (
    Course,
    CourseEditor,
    Document,
    Role,
    Status,
    User,
    WordGroup,
)
from learn_app.services.after_commit import after_commit
from learn_app.services.errors import InvalidInput, NotFound, PermissionDenied

EDITOR_ROLES = (Role.teacher.value, Role.admin.value)
WORD_PARTS = ("romaji", "example_reading", "gender", "verb_class")


def reindex_after_commit(session: Session) -> None:
    """Once this transaction commits, bring the retrieval index up to date in the background.

    Every change to words or lessons calls this, so the pages, the API and imports all keep
    search current without each having to remember to; a rolled-back change triggers nothing.
    """
    if get_settings().index_on_change:
        after_commit(session, "reindex", _request_index_sync)


def _request_index_sync() -> None:
    from learn_app.rag.worker import request_sync

    request_sync()


def is_editor(user: User) -> bool:
    return user.role in EDITOR_ROLES


def require_editor(user: User) -> None:
    """The user is a teacher or an admin (may open the editing pages at all)."""
    if not is_editor(user):
        raise PermissionDenied("Only teachers and admins can change course content.")


def can_edit_course(session: Session, user: User, course: Course | None) -> bool:
    """Admins edit every course; a teacher edits the courses they own or are an editor of.

    A course nobody owns (the shipped ones) is the admins' unless they list a teacher as editor;
    content outside any course is the admins' only.
    """
    if user.role == Role.admin.value:
        return True
    if user.role != Role.teacher.value or course is None:
        return False
    if course.owner_id is not None and course.owner_id == user.id:
        return True
    return (
        session.exec(
            select(CourseEditor.user_id).where(
                CourseEditor.course_id == course.id, CourseEditor.user_id == user.id
            )
        ).first()
        is not None
    )


def require_course_editor(session: Session, user: User, course_id: int | None) -> Course | None:
    """The course, if `user` may change its content; PermissionDenied otherwise.

    `course_id` None (content outside any course) is for admins only.
    """
    require_editor(user)
    course = session.get(Course, course_id) if course_id is not None else None
    if course_id is not None and course is None:
        raise NotFound("That course does not exist.")
    if not can_edit_course(session, user, course):
        raise PermissionDenied(
            "Only the course's owner, its editors and admins can change this course."
        )
    return course


def editable_course_ids(session: Session, user: User) -> set[int] | None:
    """The ids of the courses `user` may edit; None means all of them (admins)."""
    if user.role == Role.admin.value:
        return None
    if user.role != Role.teacher.value:
        return set()
    owned = session.exec(select(Course.id).where(Course.owner_id == user.id)).all()
    listed = session.exec(
        select(CourseEditor.course_id).where(CourseEditor.user_id == user.id)
    ).all()
    return set(owned) | set(listed)


MAX_SLUG_LENGTH = 80
MAX_GROUP_DESCRIPTION = 1000


def slugify(text: str, *, max_length: int = MAX_SLUG_LENGTH, fallback: str = "group") -> str:
    """A slug the course format accepts: cut to length, never ending in a dash.

    Text with no Latin letters or digits (a Japanese title) becomes `fallback`.
    """
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower())
    return slug[:max_length].strip("-") or fallback


def free_slug(
    session: Session,
    table: type[WordGroup] | type[Document],
    course_id: int,
    text: str,
    *,
    fallback: str,
) -> str:
    """`text` as a slug no other group (or lesson) of the course uses: adds -2, -3, … if taken."""
    slug, n = slugify(text, fallback=fallback), 1
    while session.exec(
        select(table.id).where(table.course_id == course_id, table.slug == slug)
    ).first():
        n += 1
        suffix = f"-{n}"
        slug = slugify(text, max_length=MAX_SLUG_LENGTH - len(suffix), fallback=fallback) + suffix
    return slug


def check_status(status: str) -> None:
    """A status an editor may set directly (archiving has its own action)."""
    if status not in (Status.draft.value, Status.published.value):
        raise InvalidInput("Status must be draft or published.", field="status")
