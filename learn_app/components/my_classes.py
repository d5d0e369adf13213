"""The learner's classes on their Dashboard: invitations, joining with a code, leaving."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import section
from learn_app.components.forms import form_error, form_success
from learn_app.components.one_field_form import one_field_form
from learn_app.state.my_classes import InvitationCard, MyClassesState, MyClassRow

S = MyClassesState


def _invitation(invitation: InvitationCard) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(invitation.class_name, weight="medium"),
            rx.text(
                invitation.teacher_name
                + " · "
                + invitation.language
                + " · invited "
                + invitation.invited,
                size="1",
                color_scheme="gray",
            ),
            spacing="0",
            min_width="0",
        ),
        rx.spacer(),
        rx.button(
            "Accept",
            on_click=S.accept(invitation.id),
            size="1",
            aria_label="Accept the invitation to " + invitation.class_name,
        ),
        rx.button(
            "Decline",
            on_click=S.decline(invitation.id),
            size="1",
            variant="soft",
            color_scheme="gray",
            aria_label="Decline the invitation to " + invitation.class_name,
        ),
        align="center",
        width="100%",
        class_name="class-invitation",
    )


def _leave_button(row: MyClassRow) -> rx.Component:
    return rx.alert_dialog.root(
        rx.alert_dialog.trigger(
            rx.button(
                "Leave",
                size="1",
                variant="ghost",
                color_scheme="red",
                aria_label="Leave " + row.name,
            ),
        ),
        rx.alert_dialog.content(
            rx.alert_dialog.title("Leave “" + row.name + "”?"),
            rx.alert_dialog.description(
                "Your teacher will no longer see your progress or your writing. You can join "
                "again with the class code."
            ),
            rx.flex(
                rx.alert_dialog.cancel(rx.button("Stay", variant="soft", color_scheme="gray")),
                rx.alert_dialog.action(
                    rx.button("Leave class", color_scheme="red", on_click=S.leave(row.id))
                ),
                spacing="3",
                justify="end",
                margin_top="1rem",
            ),
        ),
    )


def _my_class(row: MyClassRow) -> rx.Component:
    return rx.hstack(
        rx.vstack(
            rx.text(row.name, weight="medium"),
            rx.text(row.teacher_name + " · " + row.language, size="1", color_scheme="gray"),
            spacing="0",
        ),
        rx.spacer(),
        _leave_button(row),
        align="center",
        width="100%",
        class_name="my-class",
    )


def _join_form() -> rx.Component:
    return one_field_form(
        field_id="join-class-code",
        name="code",
        placeholder="e.g. K7MP-Q2XD",
        label="Class code",
        auto_complete="off",
        max_length=40,
        font_family="monospace",
        button="Join",
        button_id="join-class",
        error=S.join_error,
        error_id="join-class-error",
        on_submit=S.join,
        key=S.join_form_key,
        form_label="Join a class",
    )


def my_classes_section() -> rx.Component:
    """Shown to learners only; loads itself when it appears."""
    return rx.box(
        rx.cond(
            S.is_learner,
            section(
                "Your classes",
                form_success(S.classes_message, message_id="my-classes-message"),
                form_error(S.classes_error, error_id="my-classes-error"),
                rx.cond(
                    S.invitations,
                    rx.vstack(
                        rx.text("Invitations", weight="bold", size="2"),
                        rx.foreach(S.invitations, _invitation),
                        spacing="2",
                        width="100%",
                        id="class-invitations",
                    ),
                ),
                rx.cond(
                    S.classes,
                    rx.vstack(
                        rx.foreach(S.classes, _my_class),
                        spacing="2",
                        width="100%",
                        id="my-classes",
                    ),
                ),
                rx.text("Join a class", weight="bold", size="2"),
                _join_form(),
                description="Your teachers see your progress and writing only in classes you "
                "joined. Join with the code your teacher gives you.",
                id="my-classes-card",
            ),
        ),
        on_mount=S.load,
        width="100%",
    )
