"""Word groups: the list with each group's word count, and a new group for teachers."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import section
from learn_app.components.content import (
    pagination,
    search_form,
)
from learn_app.components.forms import (
    form_error,
    labelled,
    submit_button,
    text_field,
)
from learn_app.components.layout import loading, page_header, template
from learn_app.components.tables import column, scrolling_table, searched_empty_text
from learn_app.state.auth import ProtectedState
from learn_app.state.content_groups import GroupRow, GroupsState


def _group_row(row: GroupRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(
                row.name,
                href="/groups/" + row.id.to_string(),
                weight="medium",
                size="3",
            )
        ),
        rx.table.cell(rx.text(row.description, size="2", color_scheme="gray", trim="both")),
        rx.table.cell(row.language_name, white_space="nowrap"),
        rx.table.cell(row.words, text_align="right", class_name="group-word-count"),
        align="center",
        class_name="group-row",
        data_name=row.name,
    )


def groups_table() -> rx.Component:
    return rx.cond(
        GroupsState.groups,
        scrolling_table(
            [
                column("Group"),
                column("Description"),
                column("Language"),
                column("Words", numeric=True),
            ],
            GroupsState.groups,
            _group_row,
            table_id="groups-table",
            min_width="36rem",
        ),
        searched_empty_text(
            GroupsState.search,
            no_match="No group matches that search.",
            none_yet="There are no word groups yet.",
            empty_id="groups-empty",
        ),
    )


def create_group_form() -> rx.Component:
    errors = GroupsState.create_errors
    return section(
        "New group",
        rx.el.form(
            rx.vstack(
                form_error(errors.get("form", ""), error_id="group-create-error"),
                labelled(
                    "Course",
                    rx.select.root(
                        rx.select.trigger(id="group-course", aria_label="Course", width="100%"),
                        rx.select.content(
                            rx.foreach(
                                GroupsState.courses,
                                lambda course: rx.select.item(course.title, value=course.id),
                            ),
                            position="popper",
                        ),
                        name="course",
                        default_value=GroupsState.first_course,
                        size="3",
                    ),
                    field_id="group-course",
                ),
                text_field(
                    "Name",
                    name="name",
                    field_id="group-name",
                    placeholder="e.g. Food and drink",
                    max_length=120,
                    required=True,
                    error=errors.get("name", ""),
                ),
                text_field(
                    "Description",
                    name="description",
                    field_id="group-description",
                    max_length=1000,
                    error=errors.get("description", ""),
                ),
                submit_button("Create group", button_id="group-create", width="100%"),
                spacing="3",
                width="100%",
            ),
            on_submit=GroupsState.create,
            key=GroupsState.create_form_key.to_string() + GroupsState.first_course,
            aria_label="Create a word group",
            width="100%",
        ),
        description="Then add its words on the group's page.",
    )


@template(route="/groups", title="Groups", on_load=GroupsState.load)
def groups() -> rx.Component:
    browse = rx.vstack(
        search_form(
            GroupsState,
            form_id="groups-search",
            placeholder="Search groups by name",
            label="Search word groups",
        ),
        groups_table(),
        pagination(GroupsState, prefix="groups"),
        spacing="4",
        width="100%",
    )
    return rx.vstack(
        page_header("Groups", "Words gathered by theme, to study and practise together."),
        rx.cond(
            ~GroupsState.loaded,
            loading(),
            rx.cond(
                ProtectedState.is_teacher & (GroupsState.courses.length() > 0),
                rx.grid(
                    rx.box(browse, grid_column=rx.breakpoints(initial="auto", lg="span 2")),
                    create_group_form(),
                    columns=rx.breakpoints(initial="1", lg="3"),
                    spacing="5",
                    width="100%",
                    align="start",
                ),
                browse,
            ),
        ),
        spacing="2",
        width="100%",
    )
