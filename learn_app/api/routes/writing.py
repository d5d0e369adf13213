"""Writing practice over REST: the words to write with, graded submissions, and teachers'
reading of their learners' writing with comments.

The same services as the Writing pages. Grading uses the configured model; without one (or
past the learner's daily budget, or when it fails) the offline checks answer, `score` is null
and `notice` says that full feedback needs an AI provider.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, status
from pydantic import BaseModel, Field

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.routes.ids import RowId
from learn_app.api.schemas.common import MAX_ROW_ID, Problem, RequestBody
from learn_app.services.tutor import writing

router = APIRouter(tags=["writing"], responses={404: {"model": Problem}, 422: {"model": Problem}})

OptionalId = Annotated[int | None, Query(ge=1, le=MAX_ROW_ID)]


class TargetWordPublic(BaseModel):
    id: int
    term: str
    reading: str
    romaji: str
    meaning: str
    part_of_speech: str


class WritingPromptPublic(BaseModel):
    language: str
    words: list[TargetWordPublic]


class SubmissionCreate(RequestBody):
    text: str
    word_ids: list[Annotated[int, Field(ge=1, le=MAX_ROW_ID)]] = Field(max_length=10)
    session_id: int | None = Field(default=None, ge=1, le=MAX_ROW_ID)


class CommentCreate(RequestBody):
    text: str


class CommentPublic(BaseModel):
    id: int
    author_name: str
    text: str
    created_at: datetime


class SubmissionPublic(BaseModel):
    id: int
    learner_id: int
    learner_name: str
    session_id: int | None
    language: str
    text: str
    target_words: list[dict[str, Any]]
    score: int | None
    feedback: dict[str, Any]
    provider: str
    offline: bool
    notice: str | None
    created_at: datetime
    comments: list[CommentPublic]


def _comment(comment: writing.CommentView) -> CommentPublic:
    return CommentPublic(
        id=comment.id,
        author_name=comment.author_name,
        text=comment.text,
        created_at=comment.created_at,
    )


def _public(view: writing.SubmissionView) -> SubmissionPublic:
    submission = view.submission
    return SubmissionPublic(
        id=submission.id or 0,
        learner_id=submission.user_id,
        learner_name=view.learner_name,
        session_id=submission.study_session_id,
        language=submission.language,
        text=submission.text,
        target_words=submission.target_words,
        score=submission.score,
        feedback=submission.feedback,
        provider=submission.provider,
        offline=view.offline,
        notice=submission.notice or None,
        created_at=submission.created_at,
        comments=[_comment(c) for c in view.comments],
    )


@router.get("/writing/prompt")
def writing_prompt(
    caller: CallerDep, session: SessionDep, session_id: OptionalId = None
) -> WritingPromptPublic:
    """Two or three words the caller is learning (of the study session's group, if given)."""
    prompt = writing.writing_prompt(session, caller.user, study_session_id=session_id)
    return WritingPromptPublic(
        language=prompt.language,
        words=[
            TargetWordPublic(
                id=w.word_id,
                term=w.term,
                reading=w.reading,
                romaji=w.romaji,
                meaning=w.meaning,
                part_of_speech=w.part_of_speech,
            )
            for w in prompt.words
        ],
    )


@router.post("/writing/submissions", status_code=status.HTTP_201_CREATED)
def submit_writing(
    body: SubmissionCreate, caller: CallerDep, session: SessionDep
) -> SubmissionPublic:
    """Grade a sentence written with the target words, and keep it."""
    view = writing.grade_writing(session, caller.user, body.text, body.word_ids, body.session_id)
    return _public(view)


@router.get("/writing/submissions")
def list_own_writing(
    caller: CallerDep,
    session: SessionDep,
    limit: Annotated[int, Query(ge=1, le=writing.MAX_LISTED)] = writing.MAX_LISTED,
) -> list[SubmissionPublic]:
    """The caller's submissions, newest first, with their teachers' comments."""
    return [_public(v) for v in writing.list_own_submissions(session, caller.user, limit=limit)]


@router.get("/writing/submissions/{submission_id}")
def read_writing(submission_id: RowId, caller: CallerDep, session: SessionDep) -> SubmissionPublic:
    """One submission: the caller's own, or one of a learner in a class they teach."""
    return _public(writing.get_submission(session, caller.user, submission_id))


@router.post(
    "/writing/submissions/{submission_id}/comments",
    status_code=status.HTTP_201_CREATED,
    responses={403: {"model": Problem}},
)
def comment_on_writing(
    submission_id: RowId, body: CommentCreate, caller: CallerDep, session: SessionDep
) -> CommentPublic:
    """A teacher's comment on the writing of a learner in one of their classes."""
    return _comment(writing.add_comment(session, caller.user, submission_id, body.text))


@router.get("/teacher/writing", responses={403: {"model": Problem}})
def list_learners_writing(
    caller: CallerDep,
    session: SessionDep,
    classroom_id: OptionalId = None,
    learner_id: OptionalId = None,
    limit: Annotated[int, Query(ge=1, le=writing.MAX_LISTED)] = writing.MAX_LISTED,
) -> list[SubmissionPublic]:
    """Submissions of the learners in the caller's classes (or one class, or one learner)."""
    views = writing.list_learner_submissions(
        session, caller.user, classroom_id=classroom_id, learner_id=learner_id, limit=limit
    )
    return [_public(v) for v in views]
