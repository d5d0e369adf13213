"""The caller's dashboard figures (lang-portal's dashboard), and resetting their history."""

from __future__ import annotations

from fastapi import APIRouter

from learn_app.api.deps import CallerDep, ClientIp, SessionDep
from learn_app.api.schemas.study import (
    DashboardQuickStats,
    HistoryResetResult,
    StudyProgressPublic,
    StudySessionPublic,
)
from learn_app.services.study import session_history, stats
from learn_app.services.study import sessions as study

router = APIRouter(tags=["dashboard"])


@router.get("/dashboard/last_study_session")
def last_study_session(caller: CallerDep, session: SessionDep) -> StudySessionPublic | None:
    """The caller's most recently started session; null before their first."""
    row = session_history.last_session(session, caller.user)
    return StudySessionPublic.of(row) if row else None


@router.get("/dashboard/study_progress")
def study_progress(caller: CallerDep, session: SessionDep) -> StudyProgressPublic:
    return StudyProgressPublic.of(study.study_progress(session, caller.user))


@router.get("/dashboard/quick-stats")
@router.get("/dashboard/quick_stats", include_in_schema=False)  # the other lang-portal spelling
def quick_stats(caller: CallerDep, session: SessionDep) -> DashboardQuickStats:
    return DashboardQuickStats.of(stats.quick_stats(session, caller.user))


@router.post("/full_reset")
@router.post("/reset_history")
def reset_history(caller: CallerDep, session: SessionDep, ip: ClientIp) -> HistoryResetResult:
    """Forget every answer, session and card of the caller (their settings stay); audited.

    `/full_reset` is lang-portal's name for it. It resets only the caller's own study data:
    other learners' history, the courses and every account stay as they are.
    """
    return HistoryResetResult.of(study.reset_history(session, caller.user, ip=ip))
