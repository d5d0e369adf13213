"""Courses, and a whole course exported as a file in the import format (teachers)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.routes.exports import EXPORT_RESPONSES, ExportFormatQuery, exported_file
from learn_app.api.routes.ids import RowId
from learn_app.api.schemas.common import Problem
from learn_app.api.schemas.content import (
    CourseEditorAdd,
    CourseEditorPublic,
    CourseOwnerChange,
    CoursePublic,
)
from learn_app.services.content import course_team, courses, exporter

router = APIRouter(prefix="/courses", tags=["content"])


@router.get("")
def list_courses(_caller: CallerDep, session: SessionDep) -> list[CoursePublic]:
    """Every course, by title."""
    return [CoursePublic.model_validate(course) for course in courses.list_courses(session)]


@router.get(
    "/{course_id}/export",
    response_class=Response,
    responses={**EXPORT_RESPONSES, 403: {"model": Problem}, 404: {"model": Problem}},
)
def export_course(
    course_id: RowId, caller: CallerDep, session: SessionDep, fmt: ExportFormatQuery = "yaml"
) -> Response:
    """The course with its groups, words and lessons (drafts too), as a file to download.

    Importing the YAML or JSON back changes nothing; CSV holds the words only.
    """
    spec = exporter.export_course(session, caller.user, course_id)
    return exported_file(spec, fmt, name=spec.slug)


@router.put("/{course_id}/owner", responses={403: {"model": Problem}, 404: {"model": Problem}})
def set_course_owner(
    course_id: RowId, body: CourseOwnerChange, caller: CallerDep, session: SessionDep
) -> CoursePublic:
    """Hand the course to a teacher, or to nobody (`owner_id` null: admins only). Admins only."""
    course = courses.set_owner(session, caller.user, course_id, body.owner_id)
    return CoursePublic.model_validate(course)


@router.get("/{course_id}/editors", responses={403: {"model": Problem}, 404: {"model": Problem}})
def list_course_editors(
    course_id: RowId, caller: CallerDep, session: SessionDep
) -> list[CourseEditorPublic]:
    """The teachers besides the owner who may edit the course (its owner and admins ask)."""
    return [
        CourseEditorPublic(id=u.id, display_name=u.display_name)
        for u in courses.list_editors(session, caller.user, course_id)
    ]


@router.post(
    "/{course_id}/editors",
    responses={403: {"model": Problem}, 404: {"model": Problem}, 409: {"model": Problem}},
)
def add_course_editor_by_email(
    course_id: RowId, body: CourseEditorAdd, caller: CallerDep, session: SessionDep
) -> CourseEditorPublic:
    """Let the teacher with this email edit the course (its owner or an admin). Any address
    that is not an active teacher's gets the same 404, whoever has it."""
    user = course_team.add_editor_by_email(session, caller.user, course_id, body.email)
    return CourseEditorPublic(id=user.id, display_name=user.display_name)


@router.put(
    "/{course_id}/editors/{user_id}",
    responses={403: {"model": Problem}, 404: {"model": Problem}},
)
def add_course_editor(
    course_id: RowId, user_id: RowId, caller: CallerDep, session: SessionDep
) -> CourseEditorPublic:
    """Let a teacher edit the course's words, groups and lessons (its owner or an admin)."""
    user = courses.add_editor(session, caller.user, course_id, user_id)
    return CourseEditorPublic(id=user.id, display_name=user.display_name)


@router.delete(
    "/{course_id}/editors/{user_id}",
    status_code=204,
    responses={403: {"model": Problem}, 404: {"model": Problem}},
)
def remove_course_editor(
    course_id: RowId, user_id: RowId, caller: CallerDep, session: SessionDep
) -> None:
    courses.remove_editor(session, caller.user, course_id, user_id)
