"""Today's plan (what the Practice page works through) and the forecast of reviews to come."""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Query

from learn_app.api.deps import CallerDep, SessionDep
from learn_app.api.schemas.study import (
    ForecastDayPublic,
    ForecastPublic,
    ForecastQuery,
    PlanQuery,
    TodaysPlanPublic,
)
from learn_app.services.study import plan as study_plan

router = APIRouter(prefix="/plan", tags=["study"])


@router.get("/today")
def todays_plan(
    query: Annotated[PlanQuery, Query()], caller: CallerDep, session: SessionDep
) -> TodaysPlanPublic:
    """Due reviews first, then new words up to the daily goal; ask again after answering."""
    return TodaysPlanPublic.of(study_plan.todays_plan(session, caller.user, limit=query.limit))


@router.get("/forecast")
def forecast(
    query: Annotated[ForecastQuery, Query()], caller: CallerDep, session: SessionDep
) -> ForecastPublic:
    """Reviews due on each of the next `days` days (today first, overdue ones included)."""
    days = study_plan.forecast(session, caller.user, query.days)
    return ForecastPublic(days=[ForecastDayPublic.model_validate(day) for day in days])
