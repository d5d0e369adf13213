"""Teacher: a class's assignments on its dashboard — the form that sets one, and the grid of
learners × assignments (done, late, in progress, not started)."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import section
from learn_app.components.forms import field_error, form_error, form_success, submit_button
from learn_app.state.class_assignments import (
    AssignmentItem,
    Choice,
    ClassAssignmentsState,
    GridCell,
    GridRow,
)

A = ClassAssignmentsState

STATE_COLOURS = {"done": "green", "late": "amber", "in_progress": "blue", "not_started": "gray"}


def _choice(choice: Choice) -> rx.Component:
    return rx.el.option(choice.label, value=choice.value)


def _assignment_form() -> rx.Component:
    errors = A.form_errors
    native = {
        "width": "100%",
        "padding": "0.5rem",
        "border_radius": "6px",
        "border": f"1px solid {rx.color('gray', 7)}",
        "background": rx.color("gray", 1),
    }
    return rx.el.form(
        rx.grid(
            rx.vstack(
                rx.el.label(
                    rx.text("Word group", size="2", weight="medium"), html_for="assign-group"
                ),
                rx.el.select(
                    rx.foreach(A.group_choices, _choice),
                    name="group_id",
                    id="assign-group",
                    required=True,
                    **native,
                ),
                field_error(errors.get("group_id", ""), field_id="assign-group"),
                spacing="1",
                width="100%",
            ),
            rx.vstack(
                rx.el.label(
                    rx.text("Activity", size="2", weight="medium"), html_for="assign-activity"
                ),
                rx.el.select(
                    rx.foreach(A.activity_choices, _choice),
                    name="activity_id",
                    id="assign-activity",
                    **native,
                ),
                field_error(errors.get("activity_id", ""), field_id="assign-activity"),
                spacing="1",
                width="100%",
            ),
            rx.vstack(
                rx.el.label(
                    rx.text("Due (" + A.timezone_name + ")", size="2", weight="medium"),
                    html_for="assign-due",
                ),
                rx.el.input(
                    type="datetime-local", name="due_at", id="assign-due", required=True, **native
                ),
                field_error(errors.get("due_at", ""), field_id="assign-due"),
                spacing="1",
                width="100%",
            ),
            rx.vstack(
                rx.el.label(
                    rx.text("Note for the learners", size="2", weight="medium"),
                    html_for="assign-note",
                ),
                rx.el.input(name="note", id="assign-note", max_length=500, **native),
                field_error(errors.get("note", ""), field_id="assign-note"),
                spacing="1",
                width="100%",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="3",
            width="100%",
        ),
        form_error(errors.get("form", ""), error_id="assign-error"),
        submit_button("Assign", button_id="assign-submit", margin_top="0.75rem"),
        on_submit=A.create,
        key=A.form_key,
        aria_label="Set an assignment",
        width="100%",
    )


def _assignment_header(item: AssignmentItem) -> rx.Component:
    return rx.table.column_header_cell(
        rx.vstack(
            rx.link(item.group_name, href="/groups/" + item.group_id.to_string(), size="2"),
            rx.text(item.activity + " · due " + item.due, size="1", color_scheme="gray"),
            rx.text(
                item.done.to_string() + " of " + item.learners.to_string() + " done",
                size="1",
            ),
            rx.button(
                "Remove",
                on_click=A.delete(item.id),
                size="1",
                variant="ghost",
                color_scheme="red",
                aria_label="Remove the assignment " + item.group_name,
            ),
            spacing="1",
        ),
        scope="col",
        class_name="grid-assignment",
    )


def _grid_cell(cell: GridCell) -> rx.Component:
    return rx.table.cell(
        rx.vstack(
            rx.badge(
                cell.label,
                color_scheme=rx.match(
                    cell.state,
                    *[(state, colour) for state, colour in STATE_COLOURS.items()],
                    "gray",
                ),
            ),
            rx.text(cell.detail, size="1", color_scheme="gray"),
            spacing="1",
        ),
        class_name="grid-cell",
        data_state=cell.state,
    )


def _grid_row(row: GridRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.name),
        rx.foreach(row.cells, _grid_cell),
        class_name="grid-row",
    )


def assignments_section() -> rx.Component:
    return section(
        "Assignments",
        form_success(A.message, message_id="assign-message"),
        form_error(A.error, error_id="assignments-error"),
        _assignment_form(),
        rx.cond(
            A.items,
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            rx.table.column_header_cell("Learner", scope="col"),
                            rx.foreach(A.items, _assignment_header),
                        )
                    ),
                    rx.table.body(rx.foreach(A.grid_rows, _grid_row)),
                    id="completion-grid",
                    width="100%",
                ),
                overflow_x="auto",
                width="100%",
            ),
            rx.text(
                "No assignments yet. Choose a group and a due date above; the learners see it "
                "on their Dashboard and Practice pages.",
                size="2",
                color_scheme="gray",
                id="assignments-empty",
            ),
        ),
        description="A learner is done once they have answered every word of the group since "
        "it was set (in the chosen activity); late when the last word came after the due date.",
    )
