"""Courses, and a whole course exported as a file in the import format (teachers)."""

from __future__ import annotations

from fastapi import APIRouter, Response

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.routes.exports import EXPORT_RESPONSES, ExportFormatQuery, exported_file
from learn_app.api.routes.ids import RowId
from learn_app.api.schemas.common import Problem
from learn_app.api.schemas.content import CoursePublic
from learn_app.services.content import courses, importer

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
    spec = importer.export_course(session, caller.user, course_id)
    return exported_file(spec, fmt, name=spec.slug)
