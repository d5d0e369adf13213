"""The signed-in learner's progress: the figures behind every chart of the Progress page."""

from __future__ import annotations

from fastapi import APIRouter

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.routes.progress_schemas import ProgressPublic
from learn_app.services.study.analytics import learner_progress

router = APIRouter(prefix="/progress", tags=["study"])


@router.get("")
def my_progress(caller: CallerDep, session: SessionDep) -> ProgressPublic:
    """Answers per day (a year), true retention by week and month, calibration, the next 30
    days due, memory distributions, words known by week, hardest words and the workload
    simulation — counted in the caller's time zone."""
    return ProgressPublic.of(learner_progress(session, caller.user, caller.user.id))
