"""Course editors: who besides its owner may change a course (owners and admins decide), and
who owns it (admins decide)."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import section
from learn_app.components.content import link_button
from learn_app.components.forms import form_error, form_success
from learn_app.components.layout import loading, page_header, template
from learn_app.components.one_field_form import one_field_form
from learn_app.components.tables import actions_column, column, empty_text, scrolling_table
from learn_app.state.course_team import NO_OWNER, CourseRow, CourseTeamState, MemberRow

S = CourseTeamState


def _course_button(row: CourseRow) -> rx.Component:
    selected = row.id == S.selected_id
    return rx.button(
        rx.vstack(
            rx.text(row.title, weight="medium", trim="both"),
            rx.text(row.language, size="1", color_scheme="gray"),
            spacing="1",
            align="start",
        ),
        on_click=S.select_course(row.id),
        variant=rx.cond(selected, "soft", "ghost"),
        color_scheme=rx.cond(selected, "indigo", "gray"),
        width="100%",
        height="auto",
        padding="0.6rem 0.75rem",
        justify="start",
        aria_pressed=rx.cond(selected, "true", "false"),
        class_name="course-item",
    )


def _course_list() -> rx.Component:
    return section(
        "Courses",
        rx.cond(
            S.courses,
            rx.vstack(
                rx.foreach(S.courses, _course_button),
                spacing="1",
                width="100%",
                id="course-list",
            ),
            empty_text(
                "You don't own a course yet. A course you import is yours; an admin can also "
                "hand you one.",
                empty_id="course-list-empty",
                size="2",
            ),
        ),
        description="The courses you own; admins see every course.",
    )


def _teacher_choice(teacher: MemberRow) -> rx.Component:
    return rx.select.item(teacher.name + " (" + teacher.email + ")", value=teacher.id.to_string())


def _owner() -> rx.Component:
    return rx.vstack(
        rx.heading("Owner", size="3", as_="h3"),
        rx.cond(
            S.can_change_owner,
            rx.select.root(
                rx.select.trigger(id="course-owner", aria_label="Owner", width="100%"),
                rx.select.content(
                    rx.select.item("Nobody: admins and editors change it", value=NO_OWNER),
                    rx.foreach(S.teachers, _teacher_choice),
                    position="popper",
                ),
                value=S.owner_choice,
                on_change=S.set_owner,
                size="3",
            ),
            rx.text(
                rx.cond(S.owner_name, S.owner_name + " (" + S.owner_email + ")", "Nobody"),
                id="course-owner",
            ),
        ),
        rx.text(
            "The owner edits the course and decides who else may.",
            size="1",
            color_scheme="gray",
        ),
        spacing="2",
        width="100%",
    )


def _editor_row(row: MemberRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.name),
        rx.table.cell(row.email),
        rx.table.cell(
            rx.button(
                "Remove",
                on_click=S.remove_editor(row.id),
                size="1",
                variant="soft",
                color_scheme="red",
                aria_label="Stop " + row.name + " editing the course",
            ),
            text_align="right",
        ),
        align="center",
        class_name="editor-row",
    )


def _add_editor_form() -> rx.Component:
    return one_field_form(
        field_id="editor-email",
        name="email",
        type="email",
        placeholder="colleague@school.example",
        label="Teacher's email",
        button="Add editor",
        button_id="add-editor",
        error=S.add_error,
        error_id="add-editor-error",
        on_submit=S.add_editor,
        key=S.add_form_key,
        form_label="Add an editor to the course",
    )


def _editors() -> rx.Component:
    return rx.vstack(
        rx.heading("Editors", size="3", as_="h3"),
        rx.cond(
            S.editors,
            scrolling_table(
                [column("Teacher"), column("Email"), actions_column()],
                S.editors,
                _editor_row,
                table_id="editors-table",
                min_width="30rem",
                variant=None,
            ),
            empty_text(
                "No editors: only the owner and admins change this course.",
                empty_id="editors-empty",
                size="2",
            ),
        ),
        _add_editor_form(),
        spacing="3",
        width="100%",
    )


def _course_detail() -> rx.Component:
    return rx.cond(
        S.selected_id,
        rx.card(
            rx.vstack(
                rx.heading(S.selected_title, size="5", as_="h2", id="course-title"),
                _owner(),
                _editors(),
                spacing="4",
                width="100%",
            ),
            size="3",
            width="100%",
        ),
    )


def _area() -> rx.Component:
    return rx.cond(
        S.denied,
        rx.callout.root(
            rx.callout.icon(rx.icon("lock")),
            rx.callout.text(S.denied, " Course editors are managed by teachers and admins."),
            id="course-team-denied",
            color_scheme="amber",
            role="alert",
            width="100%",
        ),
        rx.vstack(
            form_success(S.message, message_id="course-team-message"),
            form_error(S.error, error_id="course-team-error"),
            rx.grid(
                _course_list(),
                _course_detail(),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="4",
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
    )


@template(route="/teacher/courses", title="Course editors", on_load=S.load)
def course_editors() -> rx.Component:
    return rx.vstack(
        page_header("Course editors", "Who may change each course's words, groups and lessons."),
        link_button("Teacher", "/teacher", icon="arrow-left", button_id="back-to-teacher"),
        rx.cond(S.loaded, _area(), loading()),
        spacing="3",
        width="100%",
    )
