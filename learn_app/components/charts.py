"""Chart cards: a Plotly figure with its reading, its table view and its empty state.

`progress_charts(State)` lays out every Progress chart from any state that mixes in
`ProgressChartsMixin` — the learner's own page and a teacher's drill-down alike;
`chart_card` is the one frame each chart sits in.
"""

from __future__ import annotations

from typing import Any

import reflex as rx

from learn_app.components.cards import section
from learn_app.figures.progress import RANGES
from learn_app.state.progress import HardWordRow

PLOT_CONFIG = {"displaylogo": False, "responsive": True}
# Plotly's cartesian bundle (bars, lines, heatmaps) is a third of the full one to download.


def table_view(panel: Any, chart_id: str) -> rx.Component:
    """The chart's numbers as a table, folded away under a summary screen readers announce."""
    return rx.el.details(
        rx.el.summary(
            "Table view", cursor="pointer", font_size="0.85rem", color=rx.color("gray", 11)
        ),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.foreach(
                        panel.columns,
                        lambda column: rx.table.column_header_cell(column, scope="col"),
                    )
                )
            ),
            rx.table.body(
                rx.foreach(
                    panel.rows,
                    lambda row: rx.table.row(rx.foreach(row, lambda cell: rx.table.cell(cell))),
                )
            ),
            size="1",
            variant="surface",
            width="100%",
        ),
        id=f"{chart_id}-table",
        width="100%",
        max_height="24rem",
        overflow_y="auto",
    )


def empty_state(message: Any, chart_id: str) -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("chart-no-axes-column")),
        rx.callout.text(message),
        id=f"{chart_id}-empty",
        color_scheme="gray",
        variant="surface",
        role="status",
        width="100%",
    )


def chart_card(
    chart_id: str,
    title: str,
    figure: Any,
    panel: Any,
    *,
    description: str = "",
    controls: rx.Component | None = None,
) -> rx.Component:
    """One chart: controls, the figure (or what to do while it is empty), one sentence reading
    it, and its table."""
    return section(
        title,
        controls if controls is not None else rx.fragment(),
        rx.cond(
            panel.empty != "",
            empty_state(panel.empty, chart_id),
            rx.vstack(
                rx.box(
                    rx.plotly.cartesian(data=figure, config=PLOT_CONFIG, width="100%"),
                    width="100%",
                    role="img",
                    aria_label=panel.reading,
                    id=f"{chart_id}-chart",
                    class_name="progress-chart",
                ),
                rx.text(panel.reading, size="2", id=f"{chart_id}-reading"),
                table_view(panel, chart_id),
                spacing="2",
                width="100%",
            ),
        ),
        description=description,
    )


def _toggle(value: Any, on_change: Any, options: list[tuple[str, str]], toggle_id: str) -> Any:
    return rx.segmented_control.root(
        *[rx.segmented_control.item(label, value=key) for key, label in options],
        value=value,
        on_change=on_change,
        size="1",
        id=toggle_id,
    )


def hardest_words(state: Any, *, study_button: bool) -> rx.Component:
    """The words slipping most often, each linking to its page; optionally a button that
    starts a session on them."""

    def row(word: HardWordRow) -> rx.Component:
        return rx.table.row(
            rx.table.row_header_cell(
                rx.link(word.term, href="/words/" + word.word_id.to_string(), weight="medium")
            ),
            rx.table.cell(word.reading),
            rx.table.cell(word.meaning),
            rx.table.cell(word.lapses.to_string()),
            rx.table.cell(word.recall),
            class_name="hard-word",
        )

    return section(
        "Hardest words",
        rx.cond(
            state.hardest.length() > 0,
            rx.vstack(
                rx.text(
                    "The words you forgot most often after learning them, the least likely "
                    "to be recalled now first among equals.",
                    size="2",
                    id="hardest-reading",
                ),
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h, scope="col")
                                for h in ("Word", "Reading", "Meaning", "Forgotten", "Recall now")
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(state.hardest, row)),
                    size="1",
                    width="100%",
                    id="hardest-table",
                ),
                rx.button(
                    rx.icon("play", size=16),
                    "Study these now",
                    on_click=state.study_hardest,
                    id="hardest-study",
                )
                if study_button
                else rx.fragment(),
                spacing="3",
                width="100%",
            ),
            empty_state(
                "No word has slipped after being learned yet. Words you forget after a day or "
                "more of remembering them show up here.",
                "hardest",
            ),
        ),
        description="Leeches: most lapses, lowest recall now.",
    )


def progress_charts(state: Any, *, study_button: bool = True) -> rx.Component:
    """Every Progress chart of the learner in `state` (a `ProgressChartsMixin` state)."""
    return rx.vstack(
        chart_card(
            "reviews",
            "Reviews per day",
            state.reviews_figure,
            state.reviews_panel,
            description="Every answer, on your own calendar.",
            controls=rx.hstack(
                _toggle(
                    state.reviews_days,
                    state.set_reviews_days,
                    [(str(d), f"{d} days") for d in RANGES],
                    "reviews-days",
                ),
                _toggle(
                    state.reviews_by,
                    state.set_reviews_by,
                    [("kind", "By card"), ("answer", "By answer")],
                    "reviews-by",
                ),
                wrap="wrap",
                spacing="3",
            ),
        ),
        chart_card(
            "retention",
            "True retention",
            state.retention_figure,
            state.retention_panel,
            description="Reviews of words learned on an earlier day that you remembered; "
            "mature cards had gone 21 days or more since their previous answer.",
            controls=_toggle(
                state.retention_period,
                state.set_retention_period,
                [("week", "By week"), ("month", "By month")],
                "retention-period",
            ),
        ),
        chart_card(
            "calibration",
            "Calibration",
            state.calibration_figure,
            state.calibration_panel,
            description="How well the scheduler knows you: its predicted chance of recall "
            "against how often you actually recalled, in bins of 5%.",
        ),
        chart_card(
            "forecast",
            "Future due",
            state.forecast_figure,
            state.forecast_panel,
            description="Reviews falling due each day and the time they should take.",
        ),
        chart_card("calendar", "Study calendar", state.calendar_figure, state.calendar_panel),
        chart_card(
            "memory",
            "Memory",
            state.memory_figure,
            state.memory_panel,
            description="Stability: days until recall drops to 90%. Difficulty: how hard a "
            "word is for you. Recall now: the chance you would recall it today.",
        ),
        chart_card("known", "Words known", state.known_figure, state.known_panel),
        chart_card("accuracy", "Accuracy", state.accuracy_figure, state.accuracy_panel),
        hardest_words(state, study_button=study_button),
        chart_card(
            "workload",
            "Workload and desired retention",
            state.workload_figure,
            state.workload_panel,
            description="Simulated on your memory model: the higher the retention you ask "
            "for, the more reviews a day. Change it in Settings.",
        ),
        spacing="5",
        width="100%",
    )
