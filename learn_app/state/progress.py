"""Progress: a learner's charts, loaded in the background and redrawn from memory on a toggle.

`ProgressChartsMixin` holds every chart's figure and text; a page state that mixes it in calls
`_show_progress(report)` with a `learner_progress` report, and `components.charts.progress_charts`
lays the charts out from that state — the learner's own Progress page here, a teacher's
drill-down into one learner elsewhere. The report stays on the server (`_report`), so switching
30/90/365 days or week/month rebuilds one figure without asking the database again.
"""

from __future__ import annotations

import asyncio
import dataclasses

import plotly.graph_objects as go
import reflex as rx
from reflex_base.event import EventSpec

from learn_app import db
from learn_app.figures import memory as memory_figures
from learn_app.figures import progress as figures
from learn_app.services.accounts import auth
from learn_app.services.study import activities
from learn_app.services.study import sessions as study
from learn_app.services.study.analytics import ProgressReport, learner_progress
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler

STUDY_HARDEST_ACTIVITY = "flashcards"

__all__ = [
    "ChartPanel",
    "HardWordRow",
    "ProgressChartsMixin",
    "ProgressState",
    "read_progress",
]


@dataclasses.dataclass
class ChartPanel:
    """Everything a chart shows besides its figure."""

    reading: str = ""
    columns: list[str] = dataclasses.field(default_factory=list)
    rows: list[list[str]] = dataclasses.field(default_factory=list)
    empty: str = ""


@dataclasses.dataclass
class HardWordRow:
    word_id: int
    term: str
    reading: str
    meaning: str
    lapses: int
    reps: int
    recall: str  # "42%"


def _panel(view: figures.ChartView) -> ChartPanel:
    return ChartPanel(view.reading, view.columns, view.rows, view.empty)


class ProgressChartsMixin(rx.State, mixin=True):
    progress_loaded: bool = False
    progress_empty: bool = False
    progress_error: str = ""
    progress_learner: str = ""
    progress_timezone: str = ""

    reviews_days: str = "30"
    reviews_by: str = "kind"
    retention_period: str = "week"

    reviews_figure: go.Figure = go.Figure()
    reviews_panel: ChartPanel = ChartPanel()
    retention_figure: go.Figure = go.Figure()
    retention_panel: ChartPanel = ChartPanel()
    calibration_figure: go.Figure = go.Figure()
    calibration_panel: ChartPanel = ChartPanel()
    forecast_figure: go.Figure = go.Figure()
    forecast_panel: ChartPanel = ChartPanel()
    calendar_figure: go.Figure = go.Figure()
    calendar_panel: ChartPanel = ChartPanel()
    memory_figure: go.Figure = go.Figure()
    memory_panel: ChartPanel = ChartPanel()
    known_figure: go.Figure = go.Figure()
    known_panel: ChartPanel = ChartPanel()
    accuracy_figure: go.Figure = go.Figure()
    accuracy_panel: ChartPanel = ChartPanel()
    workload_figure: go.Figure = go.Figure()
    workload_panel: ChartPanel = ChartPanel()
    hardest: list[HardWordRow] = []

    _report: ProgressReport | None = None

    def _show_progress(self, report: ProgressReport) -> None:
        self._report = report
        self.progress_learner = report.display_name
        self.progress_timezone = report.timezone
        self.progress_empty = report.is_empty
        self._draw_reviews()
        self._draw_retention()
        for name, build in (
            ("calibration", figures.calibration_chart),
            ("forecast", figures.forecast_chart),
            ("calendar", figures.calendar_chart),
            ("memory", memory_figures.memory_chart),
            ("known", memory_figures.known_chart),
            ("accuracy", figures.accuracy_chart),
            ("workload", memory_figures.workload_chart),
        ):
            view = build(report)
            setattr(self, f"{name}_figure", view.figure)
            setattr(self, f"{name}_panel", _panel(view))
        self.hardest = [
            HardWordRow(
                w.word_id,
                w.term,
                w.reading,
                w.meaning,
                w.lapses,
                w.reps,
                f"{100 * w.retrievability:.0f}%",
            )
            for w in report.hardest
        ]
        self.progress_loaded = True

    def _draw_reviews(self) -> None:
        if self._report is None:
            return
        view = figures.reviews_chart(self._report, int(self.reviews_days), self.reviews_by)
        self.reviews_figure, self.reviews_panel = view.figure, _panel(view)

    def _draw_retention(self) -> None:
        if self._report is None:
            return
        view = figures.retention_chart(self._report, self.retention_period)
        self.retention_figure, self.retention_panel = view.figure, _panel(view)

    @rx.event
    def set_reviews_days(self, value: str | list[str]) -> None:
        value = value[0] if isinstance(value, list) else value
        if value in {str(days) for days in figures.RANGES}:
            self.reviews_days = value
            self._draw_reviews()

    @rx.event
    def set_reviews_by(self, value: str | list[str]) -> None:
        value = value[0] if isinstance(value, list) else value
        if value in ("kind", "answer"):
            self.reviews_by = value
            self._draw_reviews()

    @rx.event
    def set_retention_period(self, value: str | list[str]) -> None:
        value = value[0] if isinstance(value, list) else value
        if value in ("week", "month"):
            self.retention_period = value
            self._draw_retention()


def read_progress(token: str, learner_id: int | None = None) -> ProgressReport:
    """The report on the learner (the caller themself by default) for the caller behind
    `token`, in one short transaction; blocking, so run it off the event loop."""
    with db.session_scope() as session:
        viewer = auth.authenticate(session, token).user
        return learner_progress(
            session, viewer, learner_id if learner_id is not None else viewer.id
        )


class ProgressState(ProgressChartsMixin, ProtectedState):
    """The signed-in learner's own Progress page."""

    study_error: str = ""

    @rx.event
    @signed_in_handler()
    def load(self, signed: Signed) -> EventSpec:
        """Check the sign-in (the frame appears at once), then draw the charts."""
        return ProgressState.load_figures

    @rx.event(background=True)
    @signed_in_handler("progress_error")
    async def load_figures(self) -> None:
        async with self:
            token = self.token
            self.progress_error = ""
        report = await asyncio.to_thread(read_progress, token)
        async with self:
            self._show_progress(report)

    @rx.event
    @signed_in_handler("study_error")
    def study_hardest(self, signed: Signed) -> EventSpec:
        """A flashcards session on the hardest words, hardest first."""
        self.study_error = ""
        word_ids = [row.word_id for row in self.hardest]
        activity = activities.get_activity_by_slug(signed.session, STUDY_HARDEST_ACTIVITY)
        started = study.start_session(
            signed.session, signed.user, activity.id or 0, None, word_ids=word_ids
        )
        return rx.redirect(
            activities.launch_url(activity, group_id=None, session_id=started.id or 0)
        )
