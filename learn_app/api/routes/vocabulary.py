"""The vocabulary importer over REST, for teachers: a theme's proposed word list, then the
import of the rows they kept into a new or existing group.

The same services as the Vocabulary page. A proposal comes from the configured model, or, with
none, from the course's own words on the theme, with `notice` saying so. An import is all or
nothing: a row with a problem refuses the lot, every problem listed by row and field.
"""

from __future__ import annotations

from typing import Annotated, Literal, Self

from fastapi import APIRouter
from fastapi.responses import JSONResponse
from pydantic import BaseModel, Field, StringConstraints, model_validator
from sqlmodel import Session

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.schemas.common import MAX_ROW_ID, Problem, RequestBody
from learn_app.api.schemas.content import FileProblem, ImportRejected
from learn_app.services.authoring import vocabulary
from learn_app.services.authoring.vocabulary_import import import_reviewed
from learn_app.services.content.course_format import ContentErrors

router = APIRouter(
    prefix="/vocabulary",
    tags=["vocabulary"],
    responses={403: {"model": Problem}, 404: {"model": Problem}},
)

Short = Annotated[str, StringConstraints(max_length=200)]
Long = Annotated[str, StringConstraints(max_length=1000)]


class ProposalRequest(RequestBody):
    theme: Annotated[str, StringConstraints(max_length=1000)]
    language: Annotated[str, StringConstraints(max_length=8)]
    count: int = vocabulary.MIN_COUNT


class RowProblemPublic(BaseModel):
    field: str
    message: str


class ProposedRow(BaseModel):
    term: str
    reading: str
    meaning: str
    part_of_speech: str
    gender: str
    verb_class: str
    example_sentence: str
    example_reading: str
    example_translation: str
    existing_word_id: int | None = Field(description="The course's word this row repeats")
    duplicate: bool
    problems: list[RowProblemPublic] = Field(description="Why the course would refuse the row")
    keep: bool = Field(description="Ticked by default: new to the course and importable")


class ProposalPublic(BaseModel):
    theme: str
    language: str
    provider: str
    model: str
    repaired: bool
    notice: str | None
    words: list[ProposedRow]


class ReviewedRow(RequestBody):
    term: Short = ""
    reading: Short = ""
    meaning: Annotated[str, StringConstraints(max_length=400)] = ""
    part_of_speech: Annotated[str, StringConstraints(max_length=40)] = ""
    gender: Annotated[str, StringConstraints(max_length=20)] = ""
    verb_class: Annotated[str, StringConstraints(max_length=20)] = ""
    example_sentence: Long = ""
    example_reading: Long = ""
    example_translation: Long = ""
    keep: bool = True


class ImportRequest(RequestBody):
    rows: list[ReviewedRow] = Field(max_length=vocabulary.MAX_ROWS)
    group_id: int | None = Field(default=None, ge=1, le=MAX_ROW_ID)
    group_name: Annotated[str, StringConstraints(max_length=1000)] | None = None
    course_id: int | None = Field(
        default=None, ge=1, le=MAX_ROW_ID, description="The course of a new group"
    )
    language: Annotated[str, StringConstraints(max_length=8)] | None = None
    status: Literal["draft", "published"] = "draft"

    @model_validator(mode="after")
    def _one_group(self) -> Self:
        if (self.group_id is None) == (self.group_name is None):
            raise ValueError("Give either group_id (an existing group) or group_name (a new one).")
        return self


class ImportDone(BaseModel):
    group_id: int
    group_name: str
    course_id: int
    created: int
    added_to_group: int
    summary: str
    word_ids: list[int]


@router.post("/proposals", responses={422: {"model": Problem}})
def propose(body: ProposalRequest, caller: CallerDep, session: SessionDep) -> ProposalPublic:
    """A word list for the theme, each row marked against the course. Teachers only."""
    proposal = vocabulary.propose_words(session, caller.user, body.theme, body.language, body.count)
    return ProposalPublic(
        theme=proposal.theme,
        language=proposal.language,
        provider=proposal.provider,
        model=proposal.model,
        repaired=proposal.repaired,
        notice=proposal.notice,
        words=[
            ProposedRow(
                **word.values(),
                existing_word_id=word.existing_word_id,
                duplicate=word.duplicate,
                problems=[
                    RowProblemPublic(field=p.field, message=p.message) for p in word.problems
                ],
                keep=word.keep,
            )
            for word in proposal.words
        ],
    )


@router.post(
    "/import",
    response_model=ImportDone,
    responses={409: {"model": Problem}, 422: {"model": ImportRejected}},
)
def import_rows(
    body: ImportRequest, caller: CallerDep, session: SessionDep
) -> ImportDone | JSONResponse:
    """Import the rows kept (`keep`) into the group: all of them, or on any problem none."""
    try:
        done = import_reviewed(
            session,
            caller.user,
            [row.model_dump() for row in body.rows],
            body.group_id if body.group_id is not None else str(body.group_name),
            language=body.language,
            course_id=body.course_id,
            status=body.status,
        )
    except ContentErrors as errors:
        return _rejected(session, errors)
    return ImportDone(
        group_id=done.group_id,
        group_name=done.group_name,
        course_id=done.course_id,
        created=done.created,
        added_to_group=done.added_to_group,
        summary=done.summary,
        word_ids=done.word_ids,
    )


def _rejected(session: Session, errors: ContentErrors) -> JSONResponse:
    session.rollback()
    count = len(errors.problems)
    body = ImportRejected(
        detail=f"Nothing was imported: {count} problem{'s' if count != 1 else ''} in the rows.",
        problems=[FileProblem.model_validate(problem) for problem in errors.problems],
    )
    return JSONResponse(body.model_dump(), status_code=422)
