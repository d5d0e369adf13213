"""Admin → System: the pieces' health and the usage charts (see `state.admin_system`)."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import section
from learn_app.components.charts import PLOT_CONFIG, empty_state
from learn_app.state.admin_system import HealthRow, SystemState


def _health_row(piece: HealthRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(piece.name),
        rx.table.cell(
            rx.badge(
                rx.cond(piece.ok, "OK", "Attention"),
                color_scheme=rx.cond(piece.ok, "green", "red"),
            )
        ),
        rx.table.cell(piece.detail),
    )


def _chart(chart_id: str, title: str, figure: rx.Var, empty: rx.Var) -> rx.Component:
    return section(
        title,
        rx.cond(
            empty != "",
            empty_state(empty, chart_id),
            rx.box(
                rx.plotly.cartesian(data=figure, config=PLOT_CONFIG, width="100%"),
                width="100%",
                id=f"{chart_id}-chart",
            ),
        ),
    )


def system_section() -> rx.Component:
    return rx.vstack(
        rx.heading("System", size="5", as_="h2", id="system-heading"),
        rx.cond(
            ~SystemState.system_loaded,
            rx.text("Checking the portal…", size="2", color_scheme="gray"),
            rx.cond(
                SystemState.system_denied,
                rx.fragment(),
                rx.vstack(
                    section(
                        "Health",
                        rx.table.root(
                            rx.table.body(rx.foreach(SystemState.health, _health_row)),
                            size="1",
                            variant="surface",
                            width="100%",
                        ),
                    ),
                    rx.text(SystemState.usage_reading, size="2", id="system-reading"),
                    _chart(
                        "system-learners",
                        "Active learners per day",
                        SystemState.learners_figure,
                        SystemState.learners_empty,
                    ),
                    _chart(
                        "system-answers",
                        "Answers per hour (last 48 hours)",
                        SystemState.answers_figure,
                        SystemState.answers_empty,
                    ),
                    _chart(
                        "system-models",
                        "Model calls and spend per day",
                        SystemState.models_figure,
                        SystemState.models_empty,
                    ),
                    spacing="4",
                    width="100%",
                ),
            ),
        ),
        on_mount=SystemState.load_system,
        id="admin-system",
        spacing="3",
        width="100%",
    )
