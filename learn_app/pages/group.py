"""One word group: its words, and for teachers renaming, deleting, adding and removing words."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import section
from learn_app.components.content import (
    back_link,
    confirm_delete,
    detail_header,
    not_found,
    pagination,
)
from learn_app.components.forms import (
    form_error,
    form_success,
    submit_button,
    text_field,
)
from learn_app.components.layout import loading, template
from learn_app.components.tables import actions_column, column, empty_text, scrolling_table
from learn_app.state.auth import ProtectedState
from learn_app.state.content import WordRow
from learn_app.state.content_groups import Candidate, GroupState


def _member_row(row: WordRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.hstack(
                rx.link(row.term, href="/words/" + row.id.to_string(), weight="medium"),
                rx.cond(row.draft, rx.badge("Draft", color_scheme="amber", variant="soft")),
                spacing="2",
                align="center",
            )
        ),
        rx.table.cell(row.reading),
        rx.table.cell(row.meaning),
        rx.table.cell(row.correct, text_align="right"),
        rx.table.cell(row.wrong, text_align="right"),
        rx.cond(
            ProtectedState.is_teacher,
            rx.table.cell(
                rx.button(
                    "Remove",
                    on_click=GroupState.remove_word(row.id),
                    size="1",
                    variant="soft",
                    color_scheme="red",
                    aria_label="Remove " + row.term + " from the group",
                    class_name="group-word-remove",
                ),
                text_align="right",
            ),
        ),
        align="center",
        class_name="group-word-row",
        data_term=row.term,
    )


def members_table() -> rx.Component:
    return rx.cond(
        GroupState.words,
        rx.vstack(
            scrolling_table(
                [
                    column("Term"),
                    column("Reading"),
                    column("Meaning"),
                    column("Correct", numeric=True),
                    column("Wrong", numeric=True),
                    rx.cond(ProtectedState.is_teacher, actions_column()),
                ],
                GroupState.words,
                _member_row,
                table_id="group-words",
                min_width="36rem",
            ),
            pagination(GroupState, prefix="group-words"),
            spacing="3",
            width="100%",
        ),
        empty_text("This group has no words yet.", empty_id="group-words-empty"),
    )


def _candidate(candidate: Candidate) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.hstack(
                rx.text(candidate.term, weight="medium"),
                rx.text(candidate.reading, size="2", color_scheme="gray"),
                spacing="2",
                align="baseline",
            ),
            rx.text(candidate.meaning, size="2", color_scheme="gray"),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.cond(
            candidate.in_group,
            rx.badge("In the group", color_scheme="green", variant="soft"),
            rx.button(
                rx.icon("plus", size=14),
                "Add",
                on_click=GroupState.add_word(candidate.id),
                size="1",
                variant="soft",
                aria_label="Add " + candidate.term + " to the group",
                class_name="group-candidate-add",
            ),
        ),
        align="center",
        width="100%",
        padding_y="0.4rem",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="group-candidate",
        data_term=candidate.term,
    )


def add_words() -> rx.Component:
    return section(
        "Add words",
        rx.el.form(
            rx.hstack(
                rx.input(
                    rx.input.slot(rx.icon("search", size=16)),
                    id="group-find",
                    name="find",
                    type="search",
                    placeholder="A term, reading or meaning",
                    aria_label="Find words to add",
                    default_value=GroupState.find_text,
                    size="3",
                    flex="1",
                ),
                rx.button("Find", type="submit", id="group-find-submit", size="3"),
                width="100%",
                align="center",
            ),
            on_submit=GroupState.find_words,
            role="search",
            aria_label="Find words to add",
            width="100%",
        ),
        rx.cond(
            GroupState.candidates,
            rx.vstack(
                rx.foreach(GroupState.candidates, _candidate),
                spacing="0",
                width="100%",
                id="group-candidates",
            ),
            rx.cond(
                GroupState.searched,
                empty_text(
                    "No word of this language matches.", empty_id="group-candidates-empty", size="2"
                ),
            ),
        ),
        description="Words of the group's language, from any course.",
    )


def rename_dialog() -> rx.Component:
    errors = GroupState.rename_errors
    return rx.dialog.root(
        rx.dialog.trigger(
            rx.button(rx.icon("pencil", size=16), "Rename", variant="soft", id="group-rename"),
        ),
        rx.dialog.content(
            rx.dialog.title("Rename the group"),
            rx.dialog.description(
                "The words stay in it.", size="2", color_scheme="gray", margin_bottom="1rem"
            ),
            rx.el.form(
                rx.vstack(
                    form_error(errors.get("form", ""), error_id="group-rename-error"),
                    text_field(
                        "Name",
                        name="name",
                        field_id="group-rename-name",
                        default_value=GroupState.name,
                        max_length=120,
                        required=True,
                        error=errors.get("name", ""),
                    ),
                    text_field(
                        "Description",
                        name="description",
                        field_id="group-rename-description",
                        default_value=GroupState.description,
                        max_length=1000,
                        error=errors.get("description", ""),
                    ),
                    rx.hstack(
                        rx.dialog.close(
                            rx.button(
                                "Cancel",
                                type="button",
                                variant="soft",
                                color_scheme="gray",
                                id="group-rename-cancel",
                            )
                        ),
                        submit_button("Save", button_id="group-rename-save"),
                        justify="end",
                        spacing="3",
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
                on_submit=GroupState.rename,
                key=GroupState.rename_key,
                aria_label="Rename the group",
            ),
        ),
        open=GroupState.rename_open,
        on_open_change=GroupState.set_rename_open,
    )


def _group_actions() -> rx.Component:
    return rx.cond(
        ProtectedState.is_teacher,
        rx.hstack(
            rename_dialog(),
            confirm_delete(
                button_label="Delete group",
                title="Delete the group “" + GroupState.name + "”?",
                description="Only the group goes: its words stay in their course, with "
                "everyone's progress on them.",
                on_confirm=GroupState.delete,
                button_id="group-delete",
            ),
            spacing="2",
        ),
    )


def _group_details() -> rx.Component:
    return rx.vstack(
        detail_header(
            GroupState.name,
            rx.badge(GroupState.language_name, variant="soft"),
            rx.cond(
                GroupState.course_title,
                rx.badge(GroupState.course_title, variant="outline", color_scheme="gray"),
            ),
            subtitle=rx.cond(
                GroupState.description,
                rx.text(GroupState.description, color_scheme="gray", id="group-description-text"),
            ),
            actions=_group_actions(),
        ),
        form_success(GroupState.message, message_id="group-message"),
        form_error(GroupState.error, error_id="group-error"),
        rx.cond(
            ProtectedState.is_teacher,
            rx.grid(
                rx.box(
                    section("Words", members_table()),
                    grid_column=rx.breakpoints(initial="auto", lg="span 2"),
                ),
                add_words(),
                columns=rx.breakpoints(initial="1", lg="3"),
                spacing="4",
                width="100%",
                align="start",
            ),
            section("Words", members_table()),
        ),
        spacing="4",
        width="100%",
    )


@template(route="/groups/[group_id]", title="Group", on_load=GroupState.load)
def group() -> rx.Component:
    return rx.vstack(
        back_link("All groups", "/groups", link_id="group-back"),
        rx.cond(
            ~GroupState.loaded,
            loading(),
            rx.cond(
                GroupState.missing,
                not_found(
                    GroupState.missing,
                    notice_id="group-missing",
                    back="/groups",
                    back_label="Back to the groups",
                ),
                _group_details(),
            ),
        ),
        spacing="3",
        width="100%",
    )
