"""Lessons: a course's Markdown documents, drafts and published, in their order."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from pydantic import ValidationError
from sqlalchemy import or_
from sqlalchemy.exc import IntegrityError
from sqlmodel import Session, col, func, select

from learn_app.models import (
    Document,
    Status,
    User,
)
from learn_app.models.base import utcnow
from learn_app.services import audit
from learn_app.services.content.common import (
    check_status,
    free_slug,
    is_editor,
    reindex_after_commit,
    require_course_editor,
    slugify,
)
from learn_app.services.content.course_format import LessonSpec, problem_message
from learn_app.services.content.courses import get_course
from learn_app.services.errors import Conflict, InvalidInput, NotFound
from learn_app.services.language.text import clean_search
from learn_app.services.paging import Page, contains_pattern, page_bounds


@dataclass(frozen=True)
class LessonRow:
    lesson: Document
    author_name: str
    updated_by_name: str


def list_lessons(
    session: Session,
    viewer: User,
    *,
    course_id: int | None = None,
    language: str | None = None,
    status: str | None = None,
    search: str = "",
    page: int = 1,
    per_page: int = 50,
) -> Page:
    page, per_page = page_bounds(page, per_page)
    query = select(Document)
    if not is_editor(viewer):
        query = query.where(Document.status == Status.published.value)
    else:
        query = query.where(Document.status != Status.archived.value)
    if is_editor(viewer) and status:
        check_status(status)
        query = query.where(Document.status == status)
    if course_id:
        query = query.where(Document.course_id == course_id)
    if language:
        query = query.where(Document.language == language)
    search = clean_search(search)
    if search:
        pattern = contains_pattern(search)
        query = query.where(
            or_(
                col(Document.title).ilike(pattern, escape="\\"),
                col(Document.summary).ilike(pattern, escape="\\"),
            )
        )
    total = session.exec(select(func.count()).select_from(query.subquery())).one()
    lessons = session.exec(
        query.order_by(
            col(Document.language), col(Document.position), col(Document.title), col(Document.id)
        )
        .offset((page - 1) * per_page)
        .limit(per_page)
    ).all()
    names = _user_names(session, {x for d in lessons for x in (d.author_id, d.updated_by_id)})
    return Page(
        [LessonRow(d, names.get(d.author_id, ""), names.get(d.updated_by_id, "")) for d in lessons],
        page,
        per_page,
        int(total),
    )


def _user_names(session: Session, ids: set[int | None]) -> dict[int | None, str]:
    ids.discard(None)
    if not ids:
        return {}
    return dict(session.exec(select(User.id, User.display_name).where(col(User.id).in_(ids))).all())


def get_lesson(session: Session, viewer: User, lesson_id: int) -> LessonRow:
    lesson = session.get(Document, lesson_id)
    if (
        lesson is None
        or lesson.status == Status.archived.value
        or (lesson.status != Status.published.value and not is_editor(viewer))
    ):
        raise NotFound("That lesson does not exist.")
    names = _user_names(session, {lesson.author_id, lesson.updated_by_id})
    return LessonRow(lesson, names.get(lesson.author_id, ""), names.get(lesson.updated_by_id, ""))


def _validated_lesson(values: dict[str, Any]) -> LessonSpec:
    values = {**values}
    values.setdefault("slug", slugify(str(values.get("title") or "")))
    try:
        return LessonSpec.model_validate(values)
    except ValidationError as error:
        first = error.errors()[0]
        field = str(first["loc"][0]) if first["loc"] else None
        if field == "level":
            raise InvalidInput(
                "Level must be a JLPT level (JLPT N5 … JLPT N1) or a CEFR level (A1 … C2).",
                field="level",
            ) from None
        if field == "body" and first.get("type") == "string_too_short":
            raise InvalidInput("Write the lesson before saving it.", field="body") from None
        raise InvalidInput(
            f"{(field or 'lesson').replace('_', ' ').capitalize()}: {problem_message(first)}",
            field=field,
        ) from None


def create_lesson(
    session: Session, editor: User, *, course_id: int, values: dict[str, Any]
) -> Document:
    """A new lesson, as a draft unless `values['status']` says published."""
    course = get_course(session, course_id)
    require_course_editor(session, editor, course.id)
    values = {"status": Status.draft.value, **values}
    chosen_slug = bool(values.get("slug"))
    if not chosen_slug:
        title = str(values.get("title") or "")
        values["slug"] = free_slug(session, Document, course.id, title, fallback="lesson")
    spec = _validated_lesson(values)
    if session.exec(
        select(Document.id).where(
            Document.course_id == course.id, func.lower(Document.title) == spec.title.lower()
        )
    ).first():
        raise Conflict(
            "Another lesson in this course already uses that title; choose another.",
            field="title",
        )
    if chosen_slug:
        _refuse_taken_lesson_slug(session, course.id, spec.slug)
    now = utcnow()
    lesson = Document(
        course_id=course.id,
        language=course.language,
        author_id=editor.id,
        updated_by_id=editor.id,
        position=_next_position(session, course.id),
        published_at=now if spec.status == Status.published.value else None,
        **spec.model_dump(),
    )
    session.add(lesson)
    try:
        session.flush()
    except IntegrityError as error:
        raise Conflict("That lesson already exists.", field="title") from error
    reindex_after_commit(session)
    audit.record(
        session,
        "content.lesson_created",
        actor_id=editor.id,
        lesson_id=lesson.id,
        status=lesson.status,
    )
    return lesson


def _refuse_taken_lesson_slug(session: Session, course_id: int | None, slug: str) -> None:
    if session.exec(
        select(Document.id).where(Document.course_id == course_id, Document.slug == slug)
    ).first():
        raise Conflict(
            f"Another lesson in this course already uses the slug '{slug}'.", field="slug"
        )


def _next_position(session: Session, course_id: int) -> int:
    return (
        int(
            session.exec(
                select(func.coalesce(func.max(Document.position), 0)).where(
                    Document.course_id == course_id
                )
            ).one()
        )
        + 1
    )


def update_lesson(
    session: Session, editor: User, lesson_id: int, *, values: dict[str, Any]
) -> Document:
    lesson = _live_lesson(session, lesson_id)
    require_course_editor(session, editor, lesson.course_id)
    current = {
        "slug": lesson.slug,
        "title": lesson.title,
        "level": lesson.level,
        "summary": lesson.summary,
        "tags": lesson.tags,
        "status": lesson.status,
        "body": lesson.body,
    }
    spec = _validated_lesson({**current, **values})
    if spec.slug != lesson.slug:
        _refuse_taken_lesson_slug(session, lesson.course_id, spec.slug)
    was_published = lesson.status == Status.published.value
    for key, value in spec.model_dump().items():
        setattr(lesson, key, value)
    lesson.updated_at = utcnow()
    lesson.updated_by_id = editor.id
    if spec.status == Status.published.value and not was_published:
        lesson.published_at = lesson.updated_at
    session.add(lesson)
    reindex_after_commit(session)
    audit.record(
        session,
        "content.lesson_updated",
        actor_id=editor.id,
        lesson_id=lesson.id,
        status=lesson.status,
    )
    return lesson


def set_lesson_status(session: Session, editor: User, lesson_id: int, status: str) -> Document:
    check_status(status)
    return update_lesson(session, editor, lesson_id, values={"status": status})


def _live_lesson(session: Session, lesson_id: int) -> Document:
    lesson = session.get(Document, lesson_id)
    if lesson is None or lesson.status == Status.archived.value:
        raise NotFound("That lesson does not exist.")
    return lesson


def archive_lesson(session: Session, editor: User, lesson_id: int) -> None:
    """Retire the lesson: it leaves lists, search and the tutor's sources but is kept."""
    lesson = _live_lesson(session, lesson_id)
    require_course_editor(session, editor, lesson.course_id)
    lesson.status = Status.archived.value
    lesson.archived_at = lesson.updated_at = utcnow()
    lesson.updated_by_id = editor.id
    session.add(lesson)
    reindex_after_commit(session)
    audit.record(
        session,
        "content.lesson_archived",
        actor_id=editor.id,
        lesson_id=lesson_id,
        title=lesson.title,
    )
