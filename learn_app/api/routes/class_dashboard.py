"""A teacher's class dashboard, one learner's progress seen from the class, and a word group
made from the words the class missed most. Only the class's own teacher (or an admin) gets an
answer; any other class or learner is 404."""

from __future__ import annotations

from fastapi import APIRouter, status

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.routes.ids import RowId
from learn_app.api.routes.progress_schemas import ProgressPublic
from learn_app.api.schemas.common import Problem
from learn_app.api.schemas.teaching import (
    ClassDashboardPublic,
    MissedWordsGroupCreate,
    WordGroupMade,
)
from learn_app.services.study.analytics import learner_progress
from learn_app.services.study.class_dashboard import class_dashboard
from learn_app.services.study.class_missed_words import group_from_missed_words
from learn_app.services.study.class_scope import class_learner

router = APIRouter(
    prefix="/classes",
    tags=["class dashboard"],
    responses={403: {"model": Problem}, 404: {"model": Problem}},
)


@router.get("/{class_id}/dashboard")
def dashboard(class_id: RowId, caller: CallerDep, session: SessionDep) -> ClassDashboardPublic:
    """The roster with at-risk flags and their reasons, the class day by day and its
    most-missed words, over the last 30 days (each learner's days in their time zone)."""
    return ClassDashboardPublic.of(class_dashboard(session, caller.user, class_id))


@router.get("/{class_id}/learners/{user_id}/progress")
def learner_progress_in_class(
    class_id: RowId, user_id: RowId, caller: CallerDep, session: SessionDep
) -> ProgressPublic:
    """The figures of one learner's Progress page, for the teacher of a class they are in."""
    learner = class_learner(session, caller.user, class_id, user_id)
    return ProgressPublic.of(learner_progress(session, caller.user, learner.id))


@router.post(
    "/{class_id}/missed-words/group",
    status_code=status.HTTP_201_CREATED,
    responses={422: {"model": Problem}},
)
def group_from_missed(
    class_id: RowId, body: MissedWordsGroupCreate, caller: CallerDep, session: SessionDep
) -> WordGroupMade:
    """A new word group of these words (the ones the class missed) to re-teach or assign."""
    group = group_from_missed_words(session, caller.user, class_id, body.word_ids, name=body.name)
    return WordGroupMade(
        id=group.id, name=group.name, course_id=group.course_id, word_count=len(set(body.word_ids))
    )
