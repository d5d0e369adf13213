"""Study sessions: the caller's own, listed, read, answered in and ended.

Another learner's session answers exactly as one that does not exist (404), so ids reveal
nothing. Each answer is stored with its card update in the request's one transaction.
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, Request, status
from sqlmodel import Session

from learn_app.api.deps import BearerDep, CallerDep, SessionDep, in_one_transaction
from learn_app.api.routes.ids import RowId
from learn_app.api.routes.words import pagination
from learn_app.api.schemas.common import Problem
from learn_app.api.schemas.study import (
    PageQuery,
    ReviewCreate,
    ReviewRecorded,
    SessionWordPage,
    SessionWordPublic,
    StudySessionPage,
    StudySessionPublic,
    StudySessionSummary,
)
from learn_app.services.accounts.auth import Caller
from learn_app.services.content import groups
from learn_app.services.paging import Page
from learn_app.services.study import session_history
from learn_app.services.study import sessions as study

router = APIRouter(tags=["study"], responses={404: {"model": Problem}})
# The answer route alone, matched before every other route of the portal (`api.app`): learners
# call it back to back, and each route passed over on the way costs the request.
answers = APIRouter(tags=["study"], responses={404: {"model": Problem}})


def session_page(found: Page) -> StudySessionPage:
    return StudySessionPage(
        items=[StudySessionPublic.of(row) for row in found.items], pagination=pagination(found)
    )


@router.get("/study_sessions")
def list_study_sessions(
    query: Annotated[PageQuery, Query()], caller: CallerDep, session: SessionDep
) -> StudySessionPage:
    """The caller's sessions, newest first, each with its answers counted."""
    return session_page(
        session_history.list_sessions(
            session, caller.user, page=query.page, per_page=query.per_page
        )
    )


@router.get("/groups/{group_id}/study_sessions", tags=["content"])
def list_group_sessions(
    group_id: RowId,
    query: Annotated[PageQuery, Query()],
    caller: CallerDep,
    session: SessionDep,
) -> StudySessionPage:
    """The caller's own sessions on this group, newest first."""
    groups.get_group(session, group_id)
    return session_page(
        session_history.list_sessions(
            session, caller.user, group_id=group_id, page=query.page, per_page=query.per_page
        )
    )


@router.get("/study_sessions/{session_id}")
def read_study_session(
    session_id: RowId, caller: CallerDep, session: SessionDep
) -> StudySessionPublic:
    return StudySessionPublic.of(session_history.session_row(session, caller.user, session_id))


@router.get("/study_sessions/{session_id}/words")
def list_session_words(
    session_id: RowId,
    query: Annotated[PageQuery, Query()],
    caller: CallerDep,
    session: SessionDep,
) -> SessionWordPage:
    """The words answered in the session, in the order first answered, right and wrong
    counted."""
    found = session_history.session_words(
        session, caller.user, session_id, page=query.page, per_page=query.per_page
    )
    return SessionWordPage(
        items=[SessionWordPublic.of(word) for word in found.items], pagination=pagination(found)
    )


@answers.post(
    "/study_sessions/{session_id}/words/{word_id}/review",
    status_code=status.HTTP_201_CREATED,
    responses={409: {"model": Problem}, 422: {"model": Problem}},
)
async def review_word(
    session_id: RowId, word_id: RowId, body: ReviewCreate, request: Request, token: BearerDep
) -> ReviewRecorded:
    """Record one answer and reschedule the word. An ended session takes no more (409)."""

    def answer(session: Session, caller: Caller) -> ReviewRecorded:
        recorded = study.record_review(
            session,
            caller.user,
            session_id,
            word_id,
            correct=body.correct,
            rating=body.rating,
            response=body.response,
            latency_ms=body.latency_ms,
        )
        return ReviewRecorded.of(recorded)

    # Learners answer back to back: the whole answer is one trip to the worker threads.
    return await in_one_transaction(request, token, answer)


@router.post("/study_sessions/{session_id}/end")
def end_study_session(
    session_id: RowId, caller: CallerDep, session: SessionDep
) -> StudySessionSummary:
    """End the session (ending it again changes nothing) and sum it up."""
    return StudySessionSummary.of_summary(study.end_session(session, caller.user, session_id))
