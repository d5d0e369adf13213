"""Study activities (lang-portal's launchpad): list them, read one, see the caller's sessions
of one, and launch one on a word group, which starts a study session."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query, status

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.routes.ids import RowId
from learn_app.api.routes.words import pagination
from learn_app.api.schemas.common import Problem
from learn_app.api.schemas.study import (
    ActivitySessionsQuery,
    StudyActivityPublic,
    StudySessionCreate,
    StudySessionPage,
    StudySessionPublic,
    StudySessionStarted,
)
from learn_app.services.study import activities, session_history
from learn_app.services.study import sessions as study

router = APIRouter(
    prefix="/study_activities",
    tags=["study"],
    responses={404: {"model": Problem}},
)


@router.get("")
def list_study_activities(caller: CallerDep, session: SessionDep) -> list[StudyActivityPublic]:
    """Every activity as a plain array (the list is short, and lang-portal clients `.map()`
    it): the built-in ones in their usual order, then external ones by name."""
    return [
        StudyActivityPublic.model_validate(activity)
        for activity in activities.list_activities(session)
    ]


@router.get("/{activity_id}")
def read_study_activity(
    activity_id: RowId, caller: CallerDep, session: SessionDep
) -> StudyActivityPublic:
    return StudyActivityPublic.model_validate(activities.get_activity(session, activity_id))


@router.get("/{activity_id}/study_sessions")
def list_activity_sessions(
    activity_id: RowId,
    query: Annotated[ActivitySessionsQuery, Query()],
    caller: CallerDep,
    session: SessionDep,
) -> StudySessionPage:
    """The caller's own sessions of this activity, newest first."""
    activities.get_activity(session, activity_id)
    found = session_history.list_sessions(
        session, caller.user, activity_id=activity_id, page=query.page, per_page=query.per_page
    )
    return StudySessionPage(
        items=[StudySessionPublic.of(row) for row in found.items], pagination=pagination(found)
    )


@router.post("", status_code=status.HTTP_201_CREATED, responses={422: {"model": Problem}})
def launch_study_activity(
    body: StudySessionCreate, caller: CallerDep, session: SessionDep
) -> StudySessionStarted:
    """Start a study session of the activity on the group (no group: today's plan); open
    `launch_url` to study in it."""
    started = study.start_session(session, caller.user, body.study_activity_id, body.group_id)
    activity = activities.get_activity(session, started.activity_id)
    row = session_history.session_row(session, caller.user, started.id)
    return StudySessionStarted.model_validate(
        {
            **StudySessionPublic.of(row).model_dump(),
            "launch_url": activities.launch_url(
                activity, group_id=started.group_id, session_id=started.id
            ),
        }
    )
