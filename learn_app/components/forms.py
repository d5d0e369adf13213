"""Form pieces that look and behave the same everywhere: labelled fields and their errors."""

from __future__ import annotations

from typing import Any

import reflex as rx


def field_error(message: rx.Var[str] | str, *, field_id: str) -> rx.Component:
    """A field's error, announced to screen readers, shown only when there is one."""
    return rx.cond(
        message,
        rx.text(
            message,
            id=f"{field_id}-error",
            color_scheme="red",
            size="2",
            role="alert",
        ),
    )


def labelled(
    label: str,
    control: rx.Component,
    *,
    field_id: str,
    hint: str | rx.Component | None = None,
    error: rx.Var[str] | str = "",
) -> rx.Component:
    """A label, the control it names, an optional hint and the field's error."""
    return rx.flex(
        rx.el.label(
            rx.text(label, size="2", weight="medium"),
            html_for=field_id,
        ),
        control,
        rx.text(hint, size="1", color_scheme="gray") if hint else rx.fragment(),
        field_error(error, field_id=field_id),
        direction="column",
        spacing="1",
        width="100%",
    )


def text_field(
    label: str,
    *,
    name: str,
    field_id: str | None = None,
    error: rx.Var[str] | str = "",
    hint: str | rx.Component | None = None,
    **props: Any,
) -> rx.Component:
    """A labelled text input submitted under `name`."""
    field_id = field_id or name
    return labelled(
        label,
        rx.input(
            id=field_id,
            name=name,
            size="3",
            width="100%",
            aria_invalid=rx.cond(error, "true", "false"),
            **props,
        ),
        field_id=field_id,
        hint=hint,
        error=error,
    )


def select_field(
    label: str,
    options: dict[str, str],
    *,
    name: str,
    default_value: rx.Var[str] | str,
    field_id: str | None = None,
    error: rx.Var[str] | str = "",
    hint: str | None = None,
) -> rx.Component:
    """A labelled choice from a fixed list, `options` mapping submitted values to labels."""
    field_id = field_id or name
    return labelled(
        label,
        rx.select.root(
            rx.select.trigger(id=field_id, aria_label=label, width="100%"),
            rx.select.content(
                *[rx.select.item(text, value=value) for value, text in options.items()],
                position="popper",
            ),
            name=name,
            default_value=default_value,
            size="3",
        ),
        field_id=field_id,
        hint=hint,
        error=error,
    )


def form_error(message: rx.Var[str] | str, *, error_id: str) -> rx.Component:
    """An error about the whole form, such as a wrong password or a rate limit."""
    return rx.cond(
        message,
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-alert")),
            rx.callout.text(message),
            id=error_id,
            color_scheme="red",
            role="alert",
            width="100%",
        ),
    )


def form_success(message: rx.Var[str] | str, *, message_id: str) -> rx.Component:
    return rx.cond(
        message,
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-check")),
            rx.callout.text(message),
            id=message_id,
            color_scheme="green",
            role="status",
            width="100%",
        ),
    )


def submit_button(
    label: str, *, button_id: str, loading: rx.Var[bool] | bool = False, **props: Any
) -> rx.Component:
    return rx.button(
        label,
        id=button_id,
        type="submit",
        loading=loading,
        size="3",
        **props,
    )
