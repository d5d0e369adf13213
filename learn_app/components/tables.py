"""Tables and empty lists as every list page shows them: a table that scrolls sideways on a
narrow screen instead of squeezing its columns, and a quiet line saying why a list is empty."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import reflex as rx


def column(label: str | rx.Var | rx.Component, *, numeric: bool = False) -> rx.Component:
    """A column's header; numbers line up on the right."""
    if numeric:
        return rx.table.column_header_cell(label, text_align="right")
    return rx.table.column_header_cell(label)


def actions_column() -> rx.Component:
    """The header of a column of buttons, named for screen readers only."""
    return rx.table.column_header_cell(rx.text("Actions", class_name="sr-only"))


def scrolling_table(
    columns: Sequence[rx.Component],
    rows: rx.Var[list[Any]],
    row: Callable[[Any], rx.Component],
    *,
    table_id: str,
    min_width: str,
    variant: str | None = "surface",
    **props: Any,
) -> rx.Component:
    """`rows` drawn by `row` under `columns`, at least `min_width` wide, scrolling sideways in
    a narrow window."""
    if variant is not None:
        props["variant"] = variant
    return rx.box(
        rx.table.root(
            rx.table.header(rx.table.row(*columns)),
            rx.table.body(rx.foreach(rows, row)),
            id=table_id,
            width="100%",
            min_width=min_width,
            **props,
        ),
        overflow_x="auto",
        width="100%",
    )


def empty_text(*message: str | rx.Var | rx.Component, empty_id: str, **props: Any) -> rx.Component:
    """What an empty list says instead, in grey (with a link to what to do, perhaps)."""
    return rx.text(*message, color_scheme="gray", id=empty_id, **props)


def searched_empty_text(
    search: rx.Var[str], *, no_match: str, none_yet: str, empty_id: str
) -> rx.Component:
    """An empty list under a search box: nothing matched, or there is nothing yet at all."""
    return empty_text(rx.cond(search, no_match, none_yet), empty_id=empty_id)
