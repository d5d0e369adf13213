"""Teacher: classes, their learners, and each learner's progress."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import section
from learn_app.components.content import link_button
from learn_app.components.forms import (
    form_error,
    form_success,
    select_field,
    submit_button,
    text_field,
)
from learn_app.components.layout import loading, page_header, template
from learn_app.components.tables import actions_column, column, empty_text, scrolling_table
from learn_app.pages.achievements import class_league_panel
from learn_app.pages.teacher_joining import joining_panel
from learn_app.state.teacher import TARGET_LANGUAGES, ClassRow, LearnerRow, TeacherState


def _class_button(row: ClassRow) -> rx.Component:
    selected = row.id == TeacherState.selected_id
    return rx.button(
        rx.hstack(
            rx.vstack(
                rx.text(row.name, weight="medium", trim="both"),
                rx.text(row.language, size="1", color_scheme="gray"),
                spacing="1",
                align="start",
            ),
            rx.spacer(),
            rx.badge(
                row.learners.to_string(),
                variant="soft",
                aria_label=row.learners.to_string() + " learners",
            ),
            align="center",
            width="100%",
        ),
        on_click=TeacherState.select_class(row.id),
        variant=rx.cond(selected, "soft", "ghost"),
        color_scheme=rx.cond(selected, "indigo", "gray"),
        width="100%",
        height="auto",
        padding="0.6rem 0.75rem",
        aria_pressed=rx.cond(selected, "true", "false"),
        class_name="class-item",
    )


def class_list() -> rx.Component:
    return section(
        "Your classes",
        rx.cond(
            TeacherState.classes,
            rx.vstack(
                rx.foreach(TeacherState.classes, _class_button),
                spacing="1",
                width="100%",
                id="class-list",
            ),
            empty_text("No classes yet.", empty_id="class-list-empty", size="2"),
        ),
    )


def create_class_form() -> rx.Component:
    errors = TeacherState.create_errors
    return section(
        "New class",
        rx.el.form(
            rx.vstack(
                form_error(errors.get("form", ""), error_id="create-class-error"),
                text_field(
                    "Class name",
                    name="name",
                    field_id="class-name",
                    placeholder="e.g. Japanese 1 — Monday evening",
                    max_length=120,
                    required=True,
                    error=errors.get("name", ""),
                ),
                select_field(
                    "Language",
                    TARGET_LANGUAGES,
                    name="language",
                    field_id="class-language",
                    default_value=next(iter(TARGET_LANGUAGES)),
                    error=errors.get("language", ""),
                ),
                submit_button("Create class", button_id="create-class", width="100%"),
                spacing="3",
                width="100%",
            ),
            on_submit=TeacherState.create_class,
            key=TeacherState.create_form_key,
            aria_label="Create a class",
            width="100%",
        ),
    )


def _learner_row(row: LearnerRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.link(
                    row.name,
                    href="/teacher/classes/"
                    + TeacherState.selected_id.to_string()
                    + "/learners/"
                    + row.learner_id.to_string(),
                    weight="medium",
                    class_name="learner-progress-link",
                ),
                rx.text(row.email, size="1", color_scheme="gray"),
                spacing="0",
            )
        ),
        rx.table.cell(row.reviews, text_align="right"),
        rx.table.cell(row.success_rate, text_align="right"),
        rx.table.cell(row.sessions, text_align="right"),
        rx.table.cell(row.streak, text_align="right"),
        rx.table.cell(row.last_review, white_space="nowrap"),
        rx.table.cell(
            rx.button(
                "Remove",
                on_click=TeacherState.unenroll(row.learner_id),
                size="1",
                variant="soft",
                color_scheme="red",
                aria_label="Remove " + row.name + " from the class",
            ),
            text_align="right",
        ),
        align="center",
        class_name="learner-row",
    )


def progress_table() -> rx.Component:
    return rx.cond(
        TeacherState.learners,
        scrolling_table(
            [
                column("Learner"),
                column("Reviews", numeric=True),
                column("Success", numeric=True),
                column("Sessions", numeric=True),
                column("Streak (days)", numeric=True),
                column("Last review"),
                actions_column(),
            ],
            TeacherState.learners,
            _learner_row,
            table_id="progress-table",
            min_width="44rem",
            variant=None,
        ),
        empty_text(
            "No learners in this class yet. They join with the class code or by accepting "
            "your invitation.",
            empty_id="progress-empty",
            size="2",
        ),
    )


def delete_class_button() -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                rx.icon("trash-2", size=16),
                "Delete class",
                variant="ghost",
                color_scheme="red",
                id="delete-class",
            ),
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Delete “" + TeacherState.selected_name + "”?"),
            rx.alert_dialog.description(
                "The class and its list of learners are deleted. The learners keep their "
                "accounts and their progress."
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Cancel", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button(
                        "Delete class",
                        color_scheme="red",
                        on_click=TeacherState.delete_class,
                        id="confirm-delete-class",
                    )
                ),
                spacing="3",
                justify="end",
                margin_top="1rem",
            ),
        ),
    )


def class_detail() -> rx.Component:
    return rx.cond(
        TeacherState.selected_id,
        rx.card(
            rx.vstack(
                rx.hstack(
                    rx.vstack(
                        rx.heading(
                            TeacherState.selected_name, size="5", as_="h2", id="class-title"
                        ),
                        rx.badge(TeacherState.selected_language, variant="soft"),
                        spacing="2",
                    ),
                    rx.spacer(),
                    link_button(
                        "Class dashboard",
                        "/teacher/classes/" + TeacherState.selected_id.to_string(),
                        icon="chart-column",
                        button_id="class-dashboard-link",
                        variant="soft",
                    ),
                    delete_class_button(),
                    width="100%",
                    align="start",
                ),
                joining_panel(),
                rx.heading("Learners", size="3", as_="h3"),
                progress_table(),
                class_league_panel(TeacherState.selected_id),
                spacing="4",
                width="100%",
            ),
            size="3",
            width="100%",
        ),
        rx.card(
            rx.center(
                rx.vstack(
                    rx.icon("school", size=32, color=rx.color("gray", 9)),
                    rx.heading("Create your first class", size="4", as_="h2"),
                    rx.text(
                        "Give it a name and a language; learners join with its code or your "
                        "invitation, and you follow their reviews, accuracy and streaks.",
                        size="2",
                        color_scheme="gray",
                        align="center",
                    ),
                    align="center",
                    spacing="2",
                    max_width="24rem",
                ),
                padding="3rem 1rem",
            ),
            size="3",
            width="100%",
        ),
    )


def teachers_only() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("lock")),
        rx.callout.text(
            rx.text(
                "The Teacher area is for teachers only.",
                as_="span",
                display="block",
                weight="bold",
            ),
            TeacherState.denied,
            " If you teach a class, ask an admin to give your account the teacher role.",
        ),
        id="teacher-denied",
        color_scheme="amber",
        role="alert",
        width="100%",
    )


def _teacher_area() -> rx.Component:
    return rx.fragment(
        rx.cond(
            TeacherState.denied,
            teachers_only(),
            rx.vstack(
                form_success(TeacherState.message, message_id="teacher-message"),
                form_error(TeacherState.error, error_id="teacher-error"),
                rx.grid(
                    class_list(),
                    create_class_form(),
                    columns=rx.breakpoints(initial="1", md="2"),
                    spacing="4",
                    width="100%",
                ),
                class_detail(),
                spacing="4",
                width="100%",
            ),
        ),
    )


@template(route="/teacher", title="Teacher", on_load=TeacherState.load)
def teacher() -> rx.Component:
    return rx.vstack(
        page_header("Teacher", "Your classes and how each learner is doing."),
        rx.hstack(
            link_button(
                "Learners' writing",
                "/teacher/writing",
                icon="pen-line",
                button_id="teacher-writing-link",
                variant="soft",
            ),
            link_button(
                "Course editors",
                "/teacher/courses",
                icon="users",
                button_id="course-editors-link",
                variant="soft",
            ),
            spacing="2",
            wrap="wrap",
        ),
        rx.cond(
            ~TeacherState.loaded,
            loading(),
            _teacher_area(),
        ),
        spacing="2",
        width="100%",
    )
