"""Admin → System: the health of the portal's pieces and how much it is used.

The service refuses anyone but an admin before anything is checked or counted.
"""

from __future__ import annotations

import dataclasses

import plotly.graph_objects as go
import reflex as rx

from learn_app import db
from learn_app.config import get_settings
from learn_app.ops.system_health import system_health
from learn_app.services.accounts import system
from learn_app.services.errors import DomainError, PermissionDenied
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler

DAYS = 30
BAR = "#0072B2"  # Okabe–Ito blue
COST = "#E69F00"  # Okabe–Ito orange


@dataclasses.dataclass
class HealthRow:
    name: str = ""
    ok: bool = True
    detail: str = ""


def _bars(x: list[str], y: list[float], *, title: str, color: str = BAR) -> go.Figure:
    figure = go.Figure(go.Bar(x=x, y=y, marker_color=color))
    figure.update_layout(
        height=260,
        margin={"l": 40, "r": 10, "t": 10, "b": 40},
        yaxis_title=title,
        plot_bgcolor="white",
    )
    return figure


class SystemState(ProtectedState):
    system_loaded: bool = False
    system_denied: str = ""
    health: list[HealthRow] = []
    learners_figure: go.Figure = go.Figure()
    answers_figure: go.Figure = go.Figure()
    models_figure: go.Figure = go.Figure()
    learners_empty: str = ""
    answers_empty: str = ""
    models_empty: str = ""
    usage_reading: str = ""

    def _deny(self, error: DomainError) -> None:
        self.system_denied = error.message
        self.health = []

    @rx.event
    @signed_in_handler({PermissionDenied: _deny}, loaded="system_loaded")
    def load_system(self, signed: Signed) -> None:
        usage = system.system_usage(signed.session, signed.user, days=DAYS)
        self.system_denied = ""
        pieces = system_health(get_settings(), db.ping)
        self.health = [HealthRow(p.name, p.ok, p.detail) for p in pieces]
        days = [day.day.isoformat() for day in usage.active_learners]
        learners = [day.count for day in usage.active_learners]
        self.learners_empty = (
            "" if any(learners) else f"No learner answered in the last {DAYS} days."
        )
        self.learners_figure = _bars(days, learners, title="learners")
        hours = [f"{hour.hour:%d %b %H:00}" for hour in usage.answers_per_hour]
        answers = [hour.count for hour in usage.answers_per_hour]
        self.answers_empty = "" if any(answers) else "No answers in the last 48 hours."
        self.answers_figure = _bars(hours, answers, title="answers")
        calls = [day.calls for day in usage.model_calls]
        self.models_empty = (
            ""
            if any(calls)
            else f"No calls to a model in the last {DAYS} days (the offline tutor costs nothing)."
        )
        figure = _bars(days, [day.tutor_calls for day in usage.model_calls], title="tutor calls")
        figure.add_trace(go.Bar(x=days, y=calls, name="all calls", marker_color="#56B4E9"))
        figure.add_trace(
            go.Scatter(
                x=days,
                y=[day.cost_usd for day in usage.model_calls],
                name="cost (USD)",
                yaxis="y2",
                mode="lines+markers",
                line_color=COST,
            )
        )
        figure.update_layout(
            barmode="group",
            yaxis2={"title": "USD", "overlaying": "y", "side": "right"},
            showlegend=True,
        )
        self.models_figure = figure
        busiest = max(learners, default=0)
        self.usage_reading = (
            f"Busiest of the last {DAYS} days: {busiest} learner{'' if busiest == 1 else 's'}; "
            f"{usage.answers_total} answers in the last 48 hours; "
            f"${usage.cost_total_usd:.2f} spent on models in {DAYS} days."
        )
