"""A built-in study activity: flashcards, multiple choice, typing, listening or cloze.

Usable with the keyboard alone; every shortcut is also a button, and the keys are named on it.
"""

from __future__ import annotations

import reflex as rx

from learn_app.components.content import not_found
from learn_app.components.forms import form_error
from learn_app.components.keyboard import keyboard_shortcuts
from learn_app.components.layout import loading, template
from learn_app.components.study import session_header, session_summary_card
from learn_app.components.tables import empty_text
from learn_app.pages.achievements import achievement_announcer
from learn_app.pages.study_questions import (
    cloze,
    example_sentence,
    key_hint,
    listening,
    multiple_choice,
    question_prompt,
    question_reading,
    typing,
)
from learn_app.state.study_run import SHORTCUT_KEYS, StudyRunState, WordToReview

S = StudyRunState
RATING_BUTTONS = (
    ("1", "again", "Again", "red"),
    ("2", "hard", "Hard", "orange"),
    ("3", "good", "Good", "green"),
    ("4", "easy", "Easy", "blue"),
)


def _header() -> rx.Component:
    return rx.vstack(
        session_header(
            S.activity_name,
            S.group_name,
            unit="Word",
            progress_label=S.progress_label,
            progress_id="study-progress",
            finished=S.finished,
            on_end=S.end,
        ),
        rx.cond(
            ~S.finished,
            rx.progress(value=S.progress_percent, width="100%", aria_label="Session progress"),
        ),
        spacing="3",
        width="100%",
    )


# ------------------------------------------------------------------------------ flashcards


def _flashcards() -> rx.Component:
    has_reading = (S.question.reading != "") & (S.question.reading != S.question.term)
    return rx.vstack(
        question_prompt("Do you know this word?"),
        rx.cond(
            has_reading,
            rx.cond(
                S.show_reading | S.revealed,
                question_reading(S.question.reading),
                rx.button(
                    "Show reading",
                    key_hint("R"),
                    id="show-reading",
                    on_click=S.toggle_reading,
                    variant="ghost",
                    aria_keyshortcuts="R",
                ),
            ),
        ),
        rx.cond(
            S.revealed,
            rx.vstack(
                rx.text(S.question.meaning, id="answer-meaning", size="6", weight="medium"),
                example_sentence(),
                rx.text("How well did you know it?", size="2", color_scheme="gray"),
                rx.hstack(
                    *[
                        rx.button(
                            key_hint(key),
                            label,
                            id=f"rate-{rating}",
                            on_click=S.rate(rating),
                            color_scheme=color,
                            variant="soft",
                            size="3",
                            aria_keyshortcuts=key,
                            aria_label=f"{label} (key {key})",
                        )
                        for key, rating, label, color in RATING_BUTTONS
                    ],
                    spacing="2",
                    wrap="wrap",
                    justify="center",
                ),
                align="center",
                spacing="3",
                width="100%",
            ),
            rx.button(
                "Reveal",
                key_hint("Space"),
                id="reveal",
                on_click=S.reveal,
                size="3",
                aria_keyshortcuts="Space",
            ),
        ),
        align="center",
        spacing="4",
        width="100%",
    )


# -------------------------------------------------------------------------- summary


def _summary_word(word: WordToReview) -> rx.Component:
    return rx.list.item(
        rx.link(word.term, href="/words/" + word.id.to_string(), class_name="summary-word"),
        " ",
        rx.text.span(word.meaning, color_scheme="gray"),
        " — missed ",
        word.wrong.to_string(),
        "×",
    )


def _summary() -> rx.Component:
    return session_summary_card(
        S,
        answers_label="Answers",
        card_id="session-summary",
        details=(
            rx.heading("Words to look at again", size="3", as_="h3"),
            rx.cond(
                S.to_review,
                rx.list.unordered(rx.foreach(S.to_review, _summary_word), id="summary-words"),
                empty_text("None — every word was right.", empty_id="summary-words-none"),
            ),
        ),
    )


# ----------------------------------------------------------------------------- page


def _activity() -> rx.Component:
    return rx.card(
        rx.vstack(
            form_error(S.error, error_id="study-error"),
            rx.match(
                S.activity_slug,
                ("flashcards", _flashcards()),
                ("multiple-choice", multiple_choice()),
                ("listening", listening()),
                ("typing", typing()),
                ("cloze", cloze()),
                rx.fragment(),
            ),
            spacing="4",
            width="100%",
        ),
        id="study-card",
        size="4",
        width="100%",
    )


def _keys_help() -> rx.Component:
    return rx.text(
        rx.match(
            S.activity_slug,
            ("flashcards", "Keys: Space reveals, R shows the reading, 1–4 rate."),
            ("multiple-choice", "Keys: 1–4 choose, Enter goes on."),
            ("listening", "Keys: P or Space plays, 1–4 choose, Enter goes on."),
            "Keys: Enter checks your answer, and Enter again goes on.",
        ),
        id="study-keys",
        size="1",
        color_scheme="gray",
    )


@template(route="/study/[activity]", title="Study", on_load=StudyRunState.load)
def study_run() -> rx.Component:
    keys = sorted({key for keys in SHORTCUT_KEYS.values() for key in keys})
    return rx.vstack(
        keyboard_shortcuts(on_key=S.shortcut, keys=keys),
        achievement_announcer(S.answered),
        achievement_announcer(S.finished),
        rx.cond(
            ~S.loaded,
            loading(),
            rx.cond(
                S.missing,
                not_found(
                    S.missing,
                    notice_id="study-missing",
                    back="/study-activities",
                    back_label="Go to Study Activities",
                ),
                rx.vstack(
                    _header(),
                    rx.cond(S.finished, _summary(), rx.fragment(_activity(), _keys_help())),
                    spacing="4",
                    width="100%",
                ),
            ),
        ),
        spacing="4",
        width="100%",
        max_width="48rem",
        margin_x="auto",
    )
