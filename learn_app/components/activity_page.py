"""The frame of a practice activity's page (Writing, Speaking): its heading and the way back to
Study Activities, then "loading", a not-found notice, or the practice itself; and the card its
feedback appears in once there is some."""

from __future__ import annotations

from typing import Any

import reflex as rx

from learn_app.components.content import back_link, not_found
from learn_app.components.layout import loading, page_header

ACTIVITIES = "/study-activities"


def activity_page(
    title: str,
    subtitle: str,
    *,
    prefix: str,
    loaded: rx.Var[bool],
    missing: rx.Var[str],
    practice: rx.Component,
    **props: Any,
) -> rx.Component:
    """The page: `practice` once `loaded`, unless `missing` says why there is nothing to
    practise. Ids start with `prefix` (`{prefix}-back`, `{prefix}-missing`)."""
    return rx.vstack(
        page_header(title, subtitle),
        back_link("Study Activities", ACTIVITIES, link_id=f"{prefix}-back"),
        rx.cond(
            ~loaded,
            loading(),
            rx.cond(
                missing,
                not_found(
                    missing,
                    notice_id=f"{prefix}-missing",
                    back=ACTIVITIES,
                    back_label="Back to Study Activities",
                ),
                practice,
            ),
        ),
        spacing="3",
        width="100%",
        **props,
    )


def feedback_card(
    shown: rx.Var[bool], *children: rx.Component, card_id: str, **props: Any
) -> rx.Component:
    """The feedback on an attempt, one item under another, while `shown`."""
    return rx.cond(
        shown,
        rx.card(
            rx.vstack(*children, spacing="3", width="100%"),
            id=card_id,
            width="100%",
            **props,
        ),
    )
