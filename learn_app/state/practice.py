"""Practice: today's plan (due reviews, then new words up to the daily goal) and what is to come.

The plan is built by `learn_app.services.study.plan` each time the page loads, so coming back after
studying shows what is left. Starting it opens a flashcards session on no group: the session
works through today's plan rather than one group.
"""

from __future__ import annotations

import dataclasses
from datetime import date

import plotly.graph_objects as go
import reflex as rx
from reflex_base.event import EventSpec

from learn_app.figures.progress import due_forecast_chart
from learn_app.services.study import activities, plan
from learn_app.services.study import sessions as study
from learn_app.services.study.analytics import learner_forecast
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.progress import ChartPanel

PRACTICE_ACTIVITY = "flashcards"
QUEUE_PREVIEW = 8
FORECAST_DAYS = 30

__all__ = ["PracticeState", "QueueItem"]


@dataclasses.dataclass
class QueueItem:
    word_id: int
    term: str
    reading: str
    meaning: str
    is_new: bool


def _reviews(count: int) -> str:
    return "1 review" if count == 1 else f"{count} reviews"


def _next_reviews(days: list[plan.ForecastDay]) -> str:
    """When reviews come back after today, e.g. "3 reviews tomorrow"."""
    for n, day in enumerate(days[1:], start=1):
        if day.due_count:
            when = "tomorrow" if n == 1 else f"on {_day_name(day.day)}"
            return f"{_reviews(day.due_count)} {when}"
    return ""


def _day_name(day: date) -> str:
    return day.strftime("%a %-d %b")


class PracticeState(ProtectedState):
    loaded: bool = False
    due_count: int = 0
    new_count: int = 0
    new_introduced_today: int = 0
    daily_goal: int = 0
    has_groups: bool = False
    queue: list[QueueItem] = []
    forecast_figure: go.Figure = go.Figure()
    forecast_panel: ChartPanel = ChartPanel()
    next_reviews: str = ""
    error: str = ""

    @rx.var
    def total(self) -> int:
        return self.due_count + self.new_count

    @rx.var
    def more_in_queue(self) -> int:
        return max(0, self.total - len(self.queue))

    @rx.var
    def rest_message(self) -> str:
        """Why there is nothing to study now, said plainly."""
        if self.daily_goal == 0:
            return (
                "No reviews are due, and your daily goal is 0 new words. Raise it in Settings "
                "to learn new words."
            )
        if self.new_introduced_today >= self.daily_goal:
            return (
                f"No reviews are due, and you have met today's goal of {self.daily_goal} new "
                "words. Well done."
            )
        if not self.has_groups:
            return (
                "No reviews are due, and there are no word groups in the language you are "
                "learning yet."
            )
        return (
            "No reviews are due, and the groups you study have no new words left. Choose "
            "another group on Study Activities."
        )

    @rx.event
    @signed_in_handler()
    def load(self, signed: Signed) -> None:
        self.error = ""
        today = plan.todays_plan(signed.session, signed.user, limit=QUEUE_PREVIEW)
        days = plan.forecast(signed.session, signed.user, FORECAST_DAYS)
        due = learner_forecast(signed.session, signed.user, signed.user.id)
        self.due_count, self.new_count = today.due_count, today.new_count
        self.new_introduced_today, self.daily_goal = today.new_introduced_today, today.daily_goal
        self.has_groups = bool(today.group_ids)
        self.queue = [
            QueueItem(item.word_id, item.term, item.reading, item.meaning, item.kind == "new")
            for item in today.items
        ]
        view = due_forecast_chart(*due)
        self.forecast_figure = view.figure
        self.forecast_panel = ChartPanel(view.reading, view.columns, view.rows, view.empty)
        self.next_reviews = _next_reviews(days)
        self.loaded = True

    @rx.event
    @signed_in_handler("error")
    def start(self, signed: Signed) -> EventSpec:
        """A flashcards session on today's plan (no group)."""
        self.error = ""
        activity = activities.get_activity_by_slug(signed.session, PRACTICE_ACTIVITY)
        started = study.start_session(signed.session, signed.user, activity.id or 0, None)
        return rx.redirect(
            activities.launch_url(activity, group_id=None, session_id=started.id or 0)
        )
