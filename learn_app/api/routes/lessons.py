"""Lessons in Markdown: learners read published ones; teachers and admins write and publish."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.routes.ids import RowId
from learn_app.api.routes.words import pagination
from learn_app.api.schemas.common import Problem
from learn_app.api.schemas.content import (
    LessonChanges,
    LessonCreate,
    LessonListQuery,
    LessonPage,
    LessonPublic,
    LessonSummary,
)
from learn_app.models import User
from learn_app.services.content import lessons

router = APIRouter(
    prefix="/lessons",
    tags=["content"],
    responses={403: {"model": Problem}, 404: {"model": Problem}},
)


def lesson_public(session: SessionDep, viewer: User, lesson_id: int) -> LessonPublic:
    found = lessons.get_lesson(session, viewer, lesson_id)
    return LessonPublic.of(found.lesson, author=found.author_name, updated_by=found.updated_by_name)


@router.get("")
def list_lessons(
    query: Annotated[LessonListQuery, Query()], caller: CallerDep, session: SessionDep
) -> LessonPage:
    """Lessons in course order, without their bodies; `status` filters for teachers only."""
    found = lessons.list_lessons(
        session,
        caller.user,
        course_id=query.course_id,
        language=query.language,
        status=query.status.value if query.status else None,
        search=query.search,
        page=query.page,
        per_page=query.per_page,
    )
    return LessonPage(
        items=[
            LessonSummary.of(row.lesson, author=row.author_name, updated_by=row.updated_by_name)
            for row in found.items
        ],
        pagination=pagination(found),
    )


@router.get("/{lesson_id}")
def read_lesson(lesson_id: RowId, caller: CallerDep, session: SessionDep) -> LessonPublic:
    """The lesson with its Markdown body."""
    return lesson_public(session, caller.user, lesson_id)


@router.post(
    "",
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": Problem}, 422: {"model": Problem}},
)
def create_lesson(body: LessonCreate, caller: CallerDep, session: SessionDep) -> LessonPublic:
    lesson = lessons.create_lesson(
        session,
        caller.user,
        course_id=body.course_id,
        values=body.model_dump(mode="json", exclude={"course_id"}, exclude_none=True),
    )
    return lesson_public(session, caller.user, lesson.id)


@router.patch("/{lesson_id}", responses={409: {"model": Problem}, 422: {"model": Problem}})
def update_lesson(
    lesson_id: RowId, body: LessonChanges, caller: CallerDep, session: SessionDep
) -> LessonPublic:
    """Change some of the lesson's fields; `status` publishes or unpublishes it."""
    lessons.update_lesson(
        session, caller.user, lesson_id, values=body.model_dump(mode="json", exclude_none=True)
    )
    return lesson_public(session, caller.user, lesson_id)


@router.delete("/{lesson_id}", status_code=status.HTTP_204_NO_CONTENT)
def delete_lesson(lesson_id: RowId, caller: CallerDep, session: SessionDep) -> None:
    """Archive the lesson: it leaves lists and search (404 from then on) but is kept."""
    lessons.archive_lesson(session, caller.user, lesson_id)
