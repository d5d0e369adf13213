"""A learner's assignments from their teachers, with a button that starts each one; shown on
the Dashboard and on Practice. Nothing is shown to someone with no assignments."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import section
from learn_app.components.forms import form_error
from learn_app.state.class_assignments import MyAssignmentItem, MyAssignmentsState

M = MyAssignmentsState

STATE_COLOURS = (("done", "green"), ("late", "amber"), ("in_progress", "blue"))


def _assignment(item: MyAssignmentItem) -> rx.Component:
    finished = (item.state == "done") | (item.state == "late")
    return rx.hstack(
        rx.vstack(
            rx.text(item.group_name, weight="medium", class_name="my-assignment-group"),
            rx.text(
                item.class_name + " · " + item.activity + " · due " + item.due,
                size="1",
                color_scheme=rx.cond(item.overdue, "red", "gray"),
                class_name="my-assignment-due",
            ),
            rx.cond(item.note, rx.text(item.note, size="1", font_style="italic")),
            spacing="0",
            align="start",
            min_width="0",
            flex="1",
        ),
        rx.vstack(
            rx.badge(
                item.label,
                color_scheme=rx.match(item.state, *STATE_COLOURS, "gray"),
                class_name="my-assignment-state",
            ),
            rx.text(item.progress, size="1", color_scheme="gray"),
            spacing="1",
            align="end",
        ),
        rx.cond(
            finished,
            rx.fragment(),
            rx.button(
                rx.icon("play", size=14),
                "Start",
                on_click=M.start(item.id),
                size="2",
                aria_label="Start " + item.group_name,
                class_name="my-assignment-start",
            ),
        ),
        align="center",
        width="100%",
        padding_y="0.5rem",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="my-assignment",
    )


def my_assignments_section() -> rx.Component:
    """The learner's assignments, soonest due first; loads itself when it appears."""
    return rx.box(
        rx.cond(
            M.my_assignments,
            section(
                "Assignments",
                form_error(M.assignment_error, error_id="my-assignment-error"),
                rx.vstack(
                    rx.foreach(M.my_assignments, _assignment),
                    spacing="0",
                    width="100%",
                ),
                description="Set by your teachers: answer every word of the group to finish.",
                id="my-assignments",
            ),
        ),
        on_mount=M.load_assignments,
        width="100%",
    )
