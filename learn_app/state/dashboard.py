"""The learner's dashboard: their own progress, counted from their reviews."""

from __future__ import annotations

import reflex as rx
from reflex_base.event import EventSpec

from learn_app import db
from learn_app.services import stats
from learn_app.services.errors import NotAuthenticated
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState


class DashboardState(ProtectedState):
    loaded: bool = False
    total_reviews: int = 0
    success_rate: str = "0%"
    study_sessions: int = 0
    streak_days: int = 0

    target_language: str = ""
    native_language: str = ""
    daily_goal: int = 0
    desired_retention: str = ""
    timezone: str = ""

    @rx.var
    def streak_label(self) -> str:
        return f"{self.streak_days} day" if self.streak_days == 1 else f"{self.streak_days} days"

    @rx.event
    def load(self) -> EventSpec | None:
        try:
            with db.session_scope() as session:
                user = self._caller(session).user
                quick = stats.quick_stats(session, user)
        except NotAuthenticated:
            return self._sign_in_redirect()
        self.total_reviews = quick.total_reviews
        self.success_rate = formatting.percent(quick.success_rate)
        self.study_sessions = quick.study_sessions
        self.streak_days = quick.streak_days
        self.target_language = formatting.language(user.target_language)
        self.native_language = formatting.language(user.native_language)
        self.daily_goal = user.daily_goal
        self.desired_retention = formatting.percent(user.desired_retention * 100)
        self.timezone = user.timezone
        self.loaded = True
        return None
