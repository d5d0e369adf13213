"""Importing course content from an uploaded file: preview the changes, then apply them.

A file with problems is refused whole, with every problem listed by line (CSV: row) and field,
so a teacher can fix them all at once. Applying runs in the request's one transaction: either
everything in the file is imported, or nothing is.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, File, Form, UploadFile
from fastapi.responses import JSONResponse
from sqlmodel import Session

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.schemas.common import MAX_ROW_ID, Problem
from learn_app.api.schemas.content import FileProblem, ImportChange, ImportRejected, ImportResult
from learn_app.models import User
from learn_app.services.content import importer
from learn_app.services.content.course_format import ContentErrors, ContentProblem
from learn_app.services.errors import InvalidInput

router = APIRouter(
    prefix="/content/import",
    tags=["content"],
    responses={
        403: {"model": Problem},
        404: {"model": Problem},
        413: {"model": Problem},
        422: {"model": ImportRejected},
    },
)

UploadedFile = Annotated[
    UploadFile, File(description="A course as .yaml/.yml or .json, or words as .csv")
]
CourseId = Annotated[
    int | None,
    Form(ge=1, le=MAX_ROW_ID, description="The course a .csv file's words go into"),
]


@router.post("/preview", response_model=ImportResult)
def preview_import(
    file: UploadedFile, caller: CallerDep, session: SessionDep, course_id: CourseId = None
) -> ImportResult | JSONResponse:
    """What importing the file would create and change; nothing is stored."""
    return _import(session, caller.user, file, course_id, apply=False)


@router.post("", response_model=ImportResult)
def apply_import(
    file: UploadedFile, caller: CallerDep, session: SessionDep, course_id: CourseId = None
) -> ImportResult | JSONResponse:
    """Import the file: everything in it, or (on any problem) nothing."""
    return _import(session, caller.user, file, course_id, apply=True)


def _import(
    session: Session, user: User, file: UploadFile, course_id: int | None, *, apply: bool
) -> ImportResult | JSONResponse:
    filename = file.filename or "upload"
    try:
        spec = importer.read_import_upload(
            session, user, filename, file.file.read(), course_id=course_id
        )
        plan = (importer.apply_import if apply else importer.plan_import)(session, user, spec)
    except ContentErrors as errors:
        return _rejected(errors.problems)
    except InvalidInput as error:
        # The file reads well but clashes with what is stored (a course's language).
        session.rollback()
        return _rejected([ContentProblem(filename, None, error.field or "", error.message)])
    return ImportResult(
        course=spec.slug,
        summary=plan.summary(),
        unchanged=plan.unchanged,
        changes=[ImportChange.model_validate(change) for change in plan.changes],
    )


def _rejected(problems: list[ContentProblem]) -> JSONResponse:
    count = len(problems)
    body = ImportRejected(
        detail=f"Nothing was imported: the file has {count} problem{'s' if count != 1 else ''}.",
        problems=[FileProblem.model_validate(problem) for problem in problems],
    )
    return JSONResponse(body.model_dump(), status_code=422)
