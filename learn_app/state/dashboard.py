"""The learner's dashboard: their own progress, counted from their reviews."""

from __future__ import annotations

import reflex as rx

from learn_app.services.study import session_history, stats
from learn_app.services.study import sessions as study
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler


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

    last_session_ref: int = 0  # 0 before the first session
    last_session_activity: str = ""
    last_session_group: str = ""
    last_session_started: str = ""
    last_session_accuracy: str = ""
    last_session_reviews: int = 0
    words_studied: int = 0
    words_available: int = 0

    @rx.var
    def last_session_url(self) -> str:
        return f"/sessions/{self.last_session_ref}"

    @rx.var
    def study_progress_percent(self) -> int:
        if not self.words_available:
            return 0
        return min(100, round(100 * self.words_studied / self.words_available))

    @rx.var
    def streak_label(self) -> str:
        return f"{self.streak_days} day" if self.streak_days == 1 else f"{self.streak_days} days"

    @rx.event
    @signed_in_handler()
    def load(self, signed: Signed) -> None:
        session, user = signed.session, signed.user
        quick = stats.quick_stats(session, user)
        last = session_history.last_session(session, user)
        progress = study.study_progress(session, user)
        self.total_reviews = quick.total_reviews
        self.success_rate = formatting.percent(quick.success_rate)
        self.study_sessions = quick.study_sessions
        self.streak_days = quick.streak_days
        self.target_language = formatting.language(user.target_language)
        self.native_language = formatting.language(user.native_language)
        self.daily_goal = user.daily_goal
        self.desired_retention = formatting.percent(user.desired_retention * 100)
        self.timezone = user.timezone
        self._show_last_session(last, user.timezone)
        self.words_studied = progress.total_words_studied
        self.words_available = progress.total_available_words
        self.loaded = True

    def _show_last_session(self, last: session_history.SessionRow | None, timezone: str) -> None:
        self.last_session_ref = last.id if last else 0
        if last is None:
            return
        self.last_session_activity = last.activity_name
        self.last_session_group = last.heading
        self.last_session_started = formatting.when(last.started_at, timezone)
        self.last_session_reviews = last.review_count
        self.last_session_accuracy = formatting.percent(last.accuracy) if last.review_count else "—"
