"""Practice: today's plan of reviews and new words. Said honestly while it is being built."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import coming_soon
from learn_app.components.layout import page_header, template


@template(route="/practice", title="Practice")
def practice() -> rx.Component:
    return rx.vstack(
        page_header("Practice", "A short session every day, planned for you."),
        rx.callout.root(
            rx.callout.icon(rx.icon("construction")),
            rx.callout.text(
                "Practice is being built. Nothing is scheduled yet, so there is nothing to "
                "review today. Your dashboard will show your progress as soon as it opens."
            ),
            id="practice-status",
            color_scheme="gray",
            width="100%",
        ),
        rx.grid(
            coming_soon(
                "Today's plan",
                "Each day starts with the reviews that are due, then up to your daily goal of "
                "new words. You set the goal in Settings.",
                icon="list-checks",
            ),
            coming_soon(
                "Spaced repetition",
                "Every answer updates when a card comes back, using the FSRS algorithm and the "
                "desired retention you choose: a higher retention means more frequent reviews.",
                icon="brain",
            ),
            coming_soon(
                "Honest ratings",
                "Rate each answer Again, Hard, Good or Easy. Your ratings and your success rate "
                "feed your dashboard and your teacher's class view.",
                icon="gauge",
            ),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
        ),
        spacing="5",
        width="100%",
    )
