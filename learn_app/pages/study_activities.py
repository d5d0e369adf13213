"""Study Activities: the ways of studying a word group. Said honestly while they are built."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import coming_soon
from learn_app.components.layout import page_header, template

ACTIVITIES = (
    ("Flashcards", "See a word, recall its meaning, flip to check.", "gallery-horizontal"),
    ("Multiple choice", "Pick the right meaning from four options.", "list-todo"),
    ("Typing", "Type the word or its reading from its meaning.", "keyboard"),
    ("Listening", "Hear a word or sentence and choose what you heard.", "headphones"),
    ("Cloze", "Fill the gap in an example sentence.", "text-cursor-input"),
)


@template(route="/study-activities", title="Study Activities")
def study_activities() -> rx.Component:
    return rx.vstack(
        page_header("Study Activities", "Different ways to study a group of words."),
        rx.callout.root(
            rx.callout.icon(rx.icon("construction")),
            rx.callout.text(
                "Study activities are being built and can't be started yet. Each one will "
                "record a study session, and every answer will count towards your reviews."
            ),
            id="activities-status",
            color_scheme="gray",
            width="100%",
        ),
        rx.grid(
            *[coming_soon(name, description, icon=icon) for name, description, icon in ACTIVITIES],
            columns=rx.breakpoints(initial="1", sm="2", lg="3"),
            spacing="4",
            width="100%",
        ),
        spacing="5",
        width="100%",
    )
