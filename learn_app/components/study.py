"""Pieces the study pages share: a table of study sessions, an activity's preview image, and
the header and summary card of a session being studied."""

from __future__ import annotations

from typing import Any

import reflex as rx

from learn_app.components.tables import column, scrolling_table


def _group_cell(row: Any) -> rx.Component:
    """A session of a group links to it; one of today's plan has no group to link to."""
    return rx.cond(
        row.group_id,
        rx.link(row.group_name, href="/groups/" + row.group_id.to_string()),
        rx.text(row.group_name, color_scheme="gray"),
    )


def _session_row(row: Any, show_activity: bool) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(
                row.started,
                href="/sessions/" + row.id.to_string(),
                weight="medium",
                class_name="session-link",
                aria_label="Session of " + row.started,
            ),
            white_space="nowrap",
        ),
        rx.table.cell(
            rx.link(
                row.activity_name,
                href="/study-activities/" + row.activity_id.to_string(),
                class_name="session-activity",
            )
        )
        if show_activity
        else rx.fragment(),
        rx.table.cell(_group_cell(row), class_name="session-group"),
        rx.table.cell(
            rx.cond(
                row.in_progress,
                rx.badge("In progress", color_scheme="blue", variant="soft"),
                rx.text(row.ended),
            ),
            white_space="nowrap",
            class_name="session-ended",
        ),
        rx.table.cell(row.reviews, text_align="right", class_name="session-reviews"),
        rx.table.cell(row.accuracy, text_align="right", class_name="session-accuracy"),
        align="center",
        class_name="session-row",
        data_session_id=row.id,
    )


def sessions_table(
    rows: rx.Var[list[Any]], *, table_id: str, empty: rx.Component, show_activity: bool = True
) -> rx.Component:
    """Study sessions newest first; `rows` are `state.study_sessions.SessionItem`s."""
    return rx.cond(
        rows,
        scrolling_table(
            [
                column("Started"),
                column("Activity") if show_activity else rx.fragment(),
                column("Group"),
                column("Ended"),
                column("Reviews", numeric=True),
                column("Accuracy", numeric=True),
            ],
            rows,
            lambda row: _session_row(row, show_activity),
            table_id=table_id,
            min_width="40rem",
        ),
        empty,
    )


def activity_image(
    src: rx.Var[str], *, alt: rx.Var[str] | str, max_width: str = "100%"
) -> rx.Component:
    """The activity's 16:9 preview, or a plain placeholder when it has none."""
    return rx.box(
        rx.cond(
            src,
            rx.image(
                src=src,
                alt=alt,
                width="100%",
                height="100%",
                object_fit="cover",
                class_name="activity-image",
            ),
            rx.center(
                rx.icon("puzzle", size=36, color=rx.color("accent", 9)),
                width="100%",
                height="100%",
                aria_hidden="true",
            ),
        ),
        width="100%",
        max_width=max_width,
        aspect_ratio="16 / 9",
        border_radius="8px",
        overflow="hidden",
        background=rx.color("accent", 2),
    )


def session_header(
    title: rx.Var[str] | str,
    group_name: rx.Var[str],
    *,
    unit: str,
    progress_label: rx.Var[str],
    progress_id: str,
    finished: rx.Var[bool],
    on_end: Any,
) -> rx.Component:
    """A study session's title, its group, "Word 3 of 10" and End session."""
    return rx.hstack(
        rx.vstack(
            rx.heading(title, size="7", as_="h1", id="page-title"),
            rx.text(group_name, id="study-group", color_scheme="gray", size="3"),
            spacing="1",
        ),
        rx.spacer(),
        rx.cond(
            ~finished,
            rx.hstack(
                rx.text(
                    f"{unit} ",
                    rx.el.span(progress_label, id=progress_id),
                    size="2",
                    color_scheme="gray",
                    aria_live="polite",
                ),
                rx.button(
                    rx.icon("square", size=14),
                    "End session",
                    id="end-session",
                    on_click=on_end,
                    variant="soft",
                    color_scheme="gray",
                ),
                align="center",
                spacing="3",
            ),
        ),
        align="center",
        width="100%",
        wrap="wrap",
    )


def summary_figure(label: str, value: rx.Var, value_id: str) -> rx.Component:
    """One number of a session's summary: accuracy, time, words."""
    return rx.vstack(
        rx.text(label, size="2", color_scheme="gray"),
        rx.text(value, id=value_id, size="6", weight="bold"),
        spacing="1",
    )


def session_summary_card(
    state: Any, *, answers_label: str, card_id: str, details: tuple[rx.Component, ...] = ()
) -> rx.Component:
    """A finished session: its accuracy, time and answers (how many right), any `details` (the
    words to look at again, say), and where to go next. `state` has summary_accuracy,
    summary_time, summary_answers, summary_right and session_href."""
    answers = state.summary_answers.to_string() + " (" + state.summary_right.to_string() + " right)"
    return rx.card(
        rx.vstack(
            rx.heading("Session complete", size="5", as_="h2"),
            rx.grid(
                summary_figure("Accuracy", state.summary_accuracy, "summary-accuracy"),
                summary_figure("Time", state.summary_time, "summary-time"),
                summary_figure(answers_label, answers, "summary-answers"),
                columns=rx.breakpoints(initial="1", sm="3"),
                spacing="4",
                width="100%",
            ),
            *details,
            rx.hstack(
                rx.link("See this session", href=state.session_href, id="summary-session-link"),
                rx.link("Study Activities", href="/study-activities", id="summary-activities"),
                rx.link("Practice", href="/practice", id="summary-practice"),
                spacing="5",
                wrap="wrap",
            ),
            spacing="4",
            width="100%",
        ),
        id=card_id,
        size="3",
        width="100%",
    )
