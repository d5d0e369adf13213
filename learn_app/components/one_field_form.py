"""A form of one field and its button on one line, with the form's error below: invite by
email, join with a code, add an editor."""

from __future__ import annotations

from typing import Any

import reflex as rx

from learn_app.components.forms import form_error, submit_button


def one_field_form(
    *,
    field_id: str,
    name: str,
    label: str,
    button: str,
    button_id: str,
    error: rx.Var[str],
    error_id: str,
    on_submit: Any,
    key: rx.Var[int],
    form_label: str,
    above: rx.Component | None = None,
    below: rx.Component | None = None,
    **input_props: Any,
) -> rx.Component:
    """`key` changes to empty the field after a success; on an error the field keeps what was
    typed, for correcting."""
    return rx.el.form(
        rx.vstack(
            above or rx.fragment(),
            rx.hstack(
                rx.input(
                    id=field_id,
                    name=name,
                    aria_label=label,
                    required=True,
                    size="3",
                    flex="1",
                    **input_props,
                ),
                submit_button(button, button_id=button_id),
                width="100%",
                align="center",
            ),
            form_error(error, error_id=error_id),
            below or rx.fragment(),
            spacing="2",
            width="100%",
        ),
        on_submit=on_submit,
        key=key,
        aria_label=form_label,
        width="100%",
    )
