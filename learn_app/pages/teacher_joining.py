"""How learners get into a class, on the Teacher page: the class code and invitations by email.

Learners are never added by a teacher: they type the code, or accept an invitation.
"""

from __future__ import annotations

import reflex as rx

from learn_app.components.one_field_form import one_field_form
from learn_app.components.tables import actions_column, column, scrolling_table
from learn_app.state.teacher import InvitationRow, TeacherState


def _code_actions() -> rx.Component:
    return rx.hstack(
        rx.cond(
            TeacherState.join_code_state == "on",
            rx.fragment(
                rx.button(
                    rx.icon("copy", size=14),
                    "Copy",
                    on_click=rx.set_clipboard(TeacherState.join_code),
                    size="1",
                    variant="soft",
                    id="copy-join-code",
                ),
                rx.button(
                    "Turn off",
                    on_click=TeacherState.set_join_code(False),
                    size="1",
                    variant="soft",
                    color_scheme="gray",
                    id="join-code-off",
                ),
            ),
        ),
        rx.cond(
            TeacherState.join_code_state == "off",
            rx.button(
                "Turn on",
                on_click=TeacherState.set_join_code(True),
                size="1",
                variant="soft",
                id="join-code-on",
            ),
        ),
        rx.button(
            rx.icon("refresh-cw", size=14),
            "New code",
            on_click=TeacherState.new_join_code,
            size="1",
            variant="soft",
            color_scheme="gray",
            id="new-join-code",
        ),
        spacing="2",
        wrap="wrap",
    )


def _code_status() -> rx.Component:
    return rx.match(
        TeacherState.join_code_state,
        (
            "on",
            rx.text(
                "Learners type it under “Join a class” on their Dashboard. Works until ",
                TeacherState.join_code_until,
                ".",
                size="2",
                color_scheme="gray",
            ),
        ),
        (
            "expired",
            rx.text(
                "This code expired on ",
                TeacherState.join_code_until,
                ". Make a new one for learners to join with.",
                size="2",
                color_scheme="amber",
            ),
        ),
        rx.text(
            "Joining by code is off: nobody can join with a code until you turn it on.",
            size="2",
            color_scheme="gray",
        ),
    )


def join_code_panel() -> rx.Component:
    return rx.vstack(
        rx.heading("Class code", size="3", as_="h3"),
        rx.hstack(
            rx.cond(
                TeacherState.join_code,
                rx.code(
                    TeacherState.join_code,
                    size="6",
                    weight="bold",
                    id="join-code",
                    data_state=TeacherState.join_code_state,
                    variant=rx.cond(TeacherState.join_code_state == "on", "soft", "outline"),
                    color_scheme=rx.cond(TeacherState.join_code_state == "on", "indigo", "gray"),
                    letter_spacing="0.08em",
                ),
            ),
            _code_actions(),
            align="center",
            spacing="4",
            wrap="wrap",
        ),
        _code_status(),
        spacing="2",
        width="100%",
        id="join-code-panel",
    )


def invite_form() -> rx.Component:
    return one_field_form(
        field_id="invite-email",
        name="email",
        type="email",
        placeholder="learner@example.com",
        label="Learner's email",
        button="Invite",
        button_id="invite-learner",
        error=TeacherState.invite_error,
        error_id="invite-error",
        on_submit=TeacherState.invite,
        key=TeacherState.invite_form_key,
        form_label="Invite a learner to the class",
        above=rx.heading("Invite by email", size="3", as_="h3"),
        below=rx.text(
            "The learner sees the invitation on their Dashboard and joins when they accept it.",
            size="1",
            color_scheme="gray",
        ),
    )


def _invitation_row(row: InvitationRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(row.email),
        rx.table.cell(row.invited, white_space="nowrap"),
        rx.table.cell(
            rx.badge(
                row.status,
                color_scheme=rx.match(
                    row.status, ("Waiting", "indigo"), ("Declined", "red"), "gray"
                ),
                variant="soft",
            )
        ),
        rx.table.cell(
            rx.button(
                "Withdraw",
                on_click=TeacherState.withdraw_invitation(row.id),
                size="1",
                variant="soft",
                color_scheme="gray",
                aria_label="Withdraw the invitation to " + row.email,
            ),
            text_align="right",
        ),
        align="center",
        class_name="invitation-row",
    )


def invitations_table() -> rx.Component:
    return rx.cond(
        TeacherState.invitations,
        rx.vstack(
            rx.heading("Invitations not yet accepted", size="3", as_="h3"),
            scrolling_table(
                [column("Email"), column("Invited"), column("Status"), actions_column()],
                TeacherState.invitations,
                _invitation_row,
                table_id="invitations-table",
                min_width="34rem",
                variant=None,
            ),
            spacing="2",
            width="100%",
        ),
    )


def joining_panel() -> rx.Component:
    return rx.vstack(
        join_code_panel(),
        invite_form(),
        invitations_table(),
        spacing="4",
        width="100%",
    )
