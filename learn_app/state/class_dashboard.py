"""A class dashboard (`/teacher/classes/[class_id]`) and the drill-down into one of its learners
(`/teacher/classes/[class_id]/learners/[user_id]`).

Whether the caller may see the class or the learner is decided by the services
(`class_scope`): another teacher's class, or a learner who is not in this class, comes back as
NotFound and the page says so — the charts are never read. The figures are counted in a
background event, so the page frame appears at once.
"""

from __future__ import annotations

import asyncio
import csv
import dataclasses
import io
import re
from datetime import UTC, datetime
from typing import Any

import plotly.graph_objects as go
import reflex as rx
from reflex_base.event import EventSpec

from learn_app import db
from learn_app.figures import class_dashboard as figures
from learn_app.services.accounts import auth
from learn_app.services.errors import DomainError, NotFound
from learn_app.services.study.analytics import ProgressReport
from learn_app.services.study.class_dashboard import ClassDashboard, RosterRow, class_dashboard
from learn_app.services.study.class_missed_words import group_from_missed_words
from learn_app.services.study.class_scope import class_learner, teacher_class
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.content import route_number
from learn_app.state.progress import ChartPanel, ProgressChartsMixin, read_progress

SORT_KEYS = (
    "name",
    "last_active",
    "days_7",
    "days_30",
    "reviews",
    "retention",
    "backlog",
    "streak",
    "risk",
)
CSV_COLUMNS = (
    "Learner",
    "Email",
    "Last active (UTC)",
    "Days studied (7 days)",
    "Days studied (30 days)",
    "Answers (7 days)",
    "Answers (30 days)",
    "True retention (%)",
    "Reviews behind retention",
    "Target retention (%)",
    "Cards due",
    "Streak (days)",
    "Words studied",
    "Mature words",
    "At risk",
    "Why",
)


@dataclasses.dataclass
class RosterItem:
    learner_id: int
    name: str
    email: str
    last_active: str
    days_7: int
    days_30: int
    reviews_30: int
    retention: str
    target: str
    backlog: int
    streak: int
    at_risk: bool
    reasons: str


@dataclasses.dataclass
class MissedItem:
    word_id: int
    term: str
    reading: str
    meaning: str
    misses: int
    answers: int
    miss_rate: str
    learners: int


def _panel(view: figures.ChartView) -> ChartPanel:
    return ChartPanel(view.reading, view.columns, view.rows, view.empty)


def _sort_value(row: RosterRow, key: str) -> Any:
    never = datetime.min.replace(tzinfo=UTC)
    return {
        "name": row.display_name.casefold(),
        "last_active": row.last_active_at or never,
        "days_7": row.days_studied_7,
        "days_30": row.days_studied_30,
        "reviews": row.reviews_30,
        "retention": -1.0 if row.retention is None else row.retention,
        "backlog": row.backlog,
        "streak": row.streak_days,
        "risk": (len(row.risk_reasons), -(row.days_inactive or 0)),
    }[key]


def read_board(token: str, class_id: int) -> ClassDashboard:
    """The class dashboard for the caller behind `token`, in one short transaction; blocking,
    so the page runs it off the event loop."""
    with db.session_scope() as session:
        return class_dashboard(session, auth.authenticate(session, token).user, class_id)


def roster_csv(board: ClassDashboard) -> str:
    """The roster as a spreadsheet reads it: one row per learner, numbers unformatted."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_COLUMNS)
    for row in board.roster:
        writer.writerow(
            [
                row.display_name,
                row.email,
                row.last_active_at.astimezone(UTC).strftime("%Y-%m-%d %H:%M")
                if row.last_active_at
                else "",
                row.days_studied_7,
                row.days_studied_30,
                row.reviews_7,
                row.reviews_30,
                "" if row.retention is None else row.retention,
                row.retention_reviews,
                row.target_retention,
                row.backlog,
                row.streak_days,
                row.words_studied,
                row.words_mature,
                "yes" if row.at_risk else "no",
                "; ".join(row.risk_reasons),
            ]
        )
    return out.getvalue()


class ClassDashboardState(ProtectedState):
    loaded: bool = False
    missing: str = ""
    error: str = ""
    class_ref: int = 0
    class_name: str = ""
    language: str = ""
    window_days: int = 30
    rules: str = ""
    generated: str = ""
    timezone_name: str = "UTC"  # the teacher's, for the times shown

    roster: list[RosterItem] = []
    at_risk: int = 0
    sort_key: str = "risk"
    sort_desc: bool = True

    activity_figure: go.Figure = go.Figure()
    activity_panel: ChartPanel = ChartPanel()
    reviews_figure: go.Figure = go.Figure()
    reviews_panel: ChartPanel = ChartPanel()
    retention_figure: go.Figure = go.Figure()
    retention_panel: ChartPanel = ChartPanel()
    distribution_figure: go.Figure = go.Figure()
    distribution_panel: ChartPanel = ChartPanel()
    missed_figure: go.Figure = go.Figure()
    missed_panel: ChartPanel = ChartPanel()
    missed: list[MissedItem] = []

    regroup_name: str = ""
    regroup_error: str = ""
    regroup_message: str = ""
    made_group_ref: int = 0

    _board: ClassDashboard | None = None

    @rx.var
    def made_group_url(self) -> str:
        return f"/groups/{self.made_group_ref}"

    @rx.event
    @signed_in_handler(lambda state, error: state._refuse(error.message))
    def load(self, signed: Signed) -> EventSpec:
        """Check the caller may see this class (the frame appears at once), then count."""
        self.loaded = False
        self.missing = ""
        self.error = ""
        self.regroup_error = ""
        self.regroup_message = ""
        self.made_group_ref = 0
        self.class_ref = route_number(self.router.url.path, 2)
        teacher = signed.user
        self.timezone_name = teacher.timezone
        classroom = teacher_class(signed.session, teacher, self.class_ref)
        self.class_name = classroom.name
        self.language = formatting.language(classroom.language)
        return ClassDashboardState.load_board

    def _refuse(self, message: str) -> None:
        self.missing = message
        self._board = None
        self.roster = []
        self.missed = []
        self.class_name = ""
        self.loaded = True

    @rx.event(background=True)
    @signed_in_handler(lambda state, error: state._refuse(error.message))
    async def load_board(self) -> None:
        async with self:
            token, class_id = self.token, self.class_ref
        board = await asyncio.to_thread(read_board, token, class_id)
        async with self:
            self._show(board)

    def _show(self, board: ClassDashboard) -> None:
        self._board = board
        self.class_name = board.name
        self.window_days = board.window_days
        rules = board.rules
        self.rules = (
            f"Flagged when inactive {rules.inactive_days} days or more, over "
            f"{rules.backlog_cards} cards due, or true retention more than "
            f"{rules.retention_margin:g} points under the learner's own target (from "
            f"{rules.retention_min_reviews} reviews)."
        )
        self.generated = formatting.when(board.generated_at, self.timezone_name)
        self.at_risk = board.at_risk_count
        self._sort_roster()
        for name, build in (
            ("activity", figures.active_learners_chart),
            ("reviews", figures.reviews_chart),
            ("retention", figures.retention_chart),
            ("distribution", figures.progress_distribution_chart),
            ("missed", figures.missed_heatmap),
        ):
            view = build(board)
            setattr(self, f"{name}_figure", view.figure)
            setattr(self, f"{name}_panel", _panel(view))
        self.missed = [
            MissedItem(
                w.word_id,
                w.term,
                w.reading,
                w.meaning,
                w.misses,
                w.answers,
                formatting.percent(w.miss_rate),
                w.learners_missed,
            )
            for w in board.missed_words
        ]
        self.loaded = True

    def _sort_roster(self) -> None:
        if self._board is None:
            return
        rows = sorted(
            self._board.roster,
            key=lambda row: (_sort_value(row, self.sort_key), row.display_name.casefold()),
            reverse=self.sort_desc,
        )
        zone = self.timezone_name
        self.roster = [
            RosterItem(
                learner_id=row.learner_id,
                name=row.display_name,
                email=row.email,
                last_active=formatting.when(row.last_active_at, zone, empty="Never"),
                days_7=row.days_studied_7,
                days_30=row.days_studied_30,
                reviews_30=row.reviews_30,
                retention="—" if row.retention is None else formatting.percent(row.retention),
                target=formatting.percent(row.target_retention),
                backlog=row.backlog,
                streak=row.streak_days,
                at_risk=row.at_risk,
                reasons="; ".join(row.risk_reasons),
            )
            for row in rows
        ]

    @rx.event
    def sort_by(self, key: str) -> None:
        """Sort the roster by a column; the same column again turns the order round."""
        if key not in SORT_KEYS:
            return
        if key == self.sort_key:
            self.sort_desc = not self.sort_desc
        else:
            self.sort_key = key
            self.sort_desc = key not in ("name",)
        self._sort_roster()

    @rx.event
    def download_roster(self) -> EventSpec | None:
        if self._board is None:
            return None
        slug = re.sub(r"[^a-z0-9]+", "-", self._board.name.lower()).strip("-") or "class"
        day = self._board.generated_at.strftime("%Y-%m-%d")
        return rx.download(data=roster_csv(self._board), filename=f"{slug}-roster-{day}.csv")

    @rx.event
    def set_regroup_name(self, value: str) -> None:
        self.regroup_name = value

    @rx.event
    @signed_in_handler("regroup_error")
    def make_group(self, signed: Signed) -> None:
        """A word group of the most-missed words, to re-teach them or assign them."""
        self.regroup_error = ""
        self.regroup_message = ""
        word_ids = [item.word_id for item in self.missed]
        group = group_from_missed_words(
            signed.session, signed.user, self.class_ref, word_ids, name=self.regroup_name
        )
        self.made_group_ref = group.id or 0
        self.regroup_message = f"Group “{group.name}” made with {len(word_ids)} words."
        self.regroup_name = ""


class LearnerDrillDownState(ProgressChartsMixin, ProtectedState):
    """One learner's Progress charts, for the teacher of a class they are in."""

    missing: str = ""
    class_ref: int = 0
    learner_ref: int = 0
    class_name: str = ""
    learner_name: str = ""

    @rx.var
    def class_url(self) -> str:
        return f"/teacher/classes/{self.class_ref}"

    def _refuse(self, error: DomainError) -> None:
        self.missing = error.message
        self.learner_name = ""
        self.class_name = ""
        self._report = None

    @rx.event
    @signed_in_handler(_refuse)
    def load(self, signed: Signed) -> EventSpec:
        self.missing = ""
        self.progress_loaded = False
        self.progress_error = ""
        self.class_ref = route_number(self.router.url.path, 2)
        self.learner_ref = route_number(self.router.url.path, 4)
        session, teacher = signed.session, signed.user
        learner = class_learner(session, teacher, self.class_ref, self.learner_ref)
        self.class_name = teacher_class(session, teacher, self.class_ref).name
        self.learner_name = learner.display_name
        return LearnerDrillDownState.load_figures

    @rx.event(background=True)
    @signed_in_handler({NotFound: "missing", DomainError: "progress_error"})
    async def load_figures(self) -> None:
        async with self:
            token, class_id, learner_id = self.token, self.class_ref, self.learner_ref
        report = await asyncio.to_thread(_read_learner, token, class_id, learner_id)
        async with self:
            self._show_progress(report)


def _read_learner(token: str, class_id: int, learner_id: int) -> ProgressReport:
    """The learner's Progress report, once the class check has passed again (enrolment may
    have changed since the page loaded)."""
    with db.session_scope() as session:
        class_learner(session, auth.authenticate(session, token).user, class_id, learner_id)
    return read_progress(token, learner_id)
