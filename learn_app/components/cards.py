"""Cards: a figure with its label, a titled section, a feature that is on its way."""

from __future__ import annotations

import reflex as rx


def stat_card(label: str, value: rx.Var, *, icon: str, stat_id: str, note: str) -> rx.Component:
    return rx.card(
        rx.hstack(
            rx.vstack(
                rx.text(label, size="2", color_scheme="gray", weight="medium"),
                rx.text(
                    value,
                    id=stat_id,
                    size="8",
                    weight="bold",
                    aria_label=label,
                ),
                rx.text(note, size="1", color_scheme="gray"),
                spacing="1",
            ),
            rx.spacer(),
            rx.center(
                rx.icon(icon, size=20),
                width="2.5rem",
                height="2.5rem",
                border_radius="10px",
                background=rx.color("accent", 3),
                color=rx.color("accent", 11),
                flex_shrink="0",
            ),
            align="start",
            width="100%",
        ),
        size="3",
        width="100%",
    )


def section(title: str, *children: rx.Component, description: str = "", **props) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.vstack(
                rx.heading(title, size="4", as_="h2"),
                rx.text(description, size="2", color_scheme="gray")
                if description
                else rx.fragment(),
                spacing="1",
                width="100%",
            ),
            *children,
            spacing="4",
            width="100%",
        ),
        size="3",
        width="100%",
        **props,
    )


def info_row(label: str, value: rx.Var | str, *, value_id: str) -> rx.Component:
    return rx.hstack(
        rx.text(label, size="2", color_scheme="gray"),
        rx.spacer(),
        rx.text(value, id=value_id, size="2", weight="medium"),
        width="100%",
        padding_y="0.5rem",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
    )
