"""The sentence constructor: an English sentence to build, three hints, the answer on request.

A static route, so it is chosen before the built-in activities' `/study/[activity]`.
"""

from __future__ import annotations

import reflex as rx

from learn_app.components.content import not_found
from learn_app.components.forms import form_error
from learn_app.components.layout import loading, template
from learn_app.components.study import session_header, session_summary_card
from learn_app.state.sentence_builder import SentenceBuilderState, ShownVocabulary

S = SentenceBuilderState
HINTS = (
    (1, "Words", "book-a"),
    (2, "Word order", "list-ordered"),
    (3, "Clues", "lightbulb"),
)


def _header() -> rx.Component:
    return session_header(
        "Sentence constructor",
        S.group_name,
        unit="Sentence",
        progress_label=S.progress_label,
        progress_id="sentence-progress",
        finished=S.finished,
        on_end=S.end,
    )


def _english() -> rx.Component:
    return rx.vstack(
        rx.text(S.language_label, size="2", color_scheme="gray"),
        rx.text(S.english, id="sentence-english", size="7", weight="bold", text_align="center"),
        spacing="1",
        align="center",
        width="100%",
    )


# ------------------------------------------------------------------------------- hints


def _hint_button(level: int, label: str, icon: str) -> rx.Component:
    taken = S.hint_level >= level
    return rx.button(
        rx.icon(rx.cond(taken, "check", icon), size=16),
        f"Hint {level}: {label}",
        id=f"hint-{level}",
        on_click=S.take_hint(level),
        disabled=(S.hint_level != level - 1) | S.done,
        loading=S.hint_busy & (S.hint_level == level - 1),
        variant=rx.cond(taken, "solid", "soft"),
        aria_pressed=rx.cond(taken, "true", "false"),
    )


def _vocabulary_row(row: ShownVocabulary) -> rx.Component:
    return rx.table.row(
        rx.table.cell(row.term, class_name="vocabulary-term", lang=S.language),
        rx.table.cell(row.reading, lang=S.language),
        rx.table.cell(row.meaning),
    )


def _hint_panel(level: int, title: str, content: rx.Component) -> rx.Component:
    return rx.cond(
        S.hint_level >= level,
        rx.box(
            rx.text(f"Hint {level} · {title}", size="2", weight="bold", color_scheme="gray"),
            content,
            id=f"hint-panel-{level}",
            width="100%",
        ),
    )


def _hints() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            *[_hint_button(level, label, icon) for level, label, icon in HINTS],
            spacing="2",
            wrap="wrap",
            justify="center",
            role="group",
            aria_label="Hints, one after another",
        ),
        _hint_panel(
            1,
            "the words you need, in dictionary form",
            rx.table.root(
                rx.table.header(
                    rx.table.row(
                        rx.table.column_header_cell("Word"),
                        rx.table.column_header_cell("Reading"),
                        rx.table.column_header_cell("Meaning"),
                    )
                ),
                rx.table.body(rx.foreach(S.vocabulary, _vocabulary_row)),
                size="1",
                variant="surface",
                width="100%",
            ),
        ),
        _hint_panel(
            2,
            "the word order",
            rx.code(S.structure, id="sentence-structure", size="4", lang=S.language),
        ),
        _hint_panel(
            3,
            "clues",
            rx.list.unordered(rx.foreach(S.clues, rx.list.item), id="sentence-clues"),
        ),
        rx.cond(
            S.offline | (S.notice != ""),
            rx.callout.root(
                rx.callout.icon(rx.icon("wifi-off")),
                rx.callout.text(
                    rx.cond(S.offline, rx.text.strong("Offline hints and feedback. ")),
                    S.notice,
                ),
                id="sentence-notice",
                color_scheme="gray",
                size="1",
                width="100%",
            ),
        ),
        spacing="3",
        align="center",
        width="100%",
    )


# ------------------------------------------------------------------------------ attempt


def _attempt_form() -> rx.Component:
    return rx.el.form(
        rx.vstack(
            rx.el.label(
                "Your sentence (kana, kanji or romaji for Japanese)",
                html_for="sentence-attempt",
                font_size="0.875rem",
            ),
            rx.input(
                id="sentence-attempt",
                name="attempt",
                key=S.item_key,
                auto_focus=True,
                read_only=S.done,
                auto_complete="off",
                auto_capitalize="off",
                spell_check=False,
                size="3",
                width="100%",
                max_length=300,
                lang=S.language,
            ),
            rx.cond(
                S.done,
                rx.button(
                    rx.cond(S.last_sentence, "See the summary", "Next sentence"),
                    id="sentence-next",
                    type="submit",
                    size="3",
                    auto_focus=True,
                ),
                rx.button(
                    "Check", id="sentence-check", type="submit", size="3", loading=S.checking
                ),
            ),
            spacing="2",
            align="center",
            width="100%",
            max_width="32rem",
        ),
        on_submit=S.submit_attempt,
        reset_on_submit=False,
        width="100%",
        display="flex",
        justify_content="center",
    )


def _feedback() -> rx.Component:
    right = (S.verdict == "exact") | (S.verdict == "close")
    return rx.cond(
        S.verdict != "",
        rx.callout.root(
            rx.callout.icon(
                rx.icon(rx.cond(right, "circle-check", rx.cond(S.done, "eye", "circle-x")))
            ),
            rx.callout.text(
                rx.text(
                    rx.match(
                        S.verdict,
                        ("exact", "Right!"),
                        ("close", "Right, nearly."),
                        ("revealed", "Here is the answer."),
                        "Not yet — try again.",
                    ),
                    id="sentence-verdict",
                    weight="bold",
                ),
                rx.cond(S.feedback, rx.text(S.feedback, id="sentence-feedback-text", size="2")),
            ),
            id="sentence-feedback",
            data_verdict=S.verdict,
            color_scheme=rx.match(
                S.verdict, ("exact", "green"), ("close", "amber"), ("revealed", "gray"), "red"
            ),
            role="status",
            width="100%",
        ),
    )


def _answer() -> rx.Component:
    return rx.cond(
        S.answer,
        rx.vstack(
            rx.text("The course's sentence", size="2", color_scheme="gray"),
            rx.text(S.answer, id="sentence-answer", size="6", weight="medium", lang=S.language),
            rx.cond(S.answer_reading, rx.text(S.answer_reading, size="3", lang=S.language)),
            rx.cond(S.answer_romaji, rx.text(S.answer_romaji, size="2", color_scheme="gray")),
            spacing="1",
            align="center",
            width="100%",
        ),
    )


def _reveal() -> rx.Component:
    return rx.cond(
        ~S.done,
        rx.cond(
            S.confirming_reveal,
            rx.callout.root(
                rx.callout.text(
                    "Show the answer? This sentence then counts as missed, and comes back "
                    "sooner in your reviews."
                ),
                rx.hstack(
                    rx.button(
                        "Show the answer",
                        id="sentence-reveal-confirm",
                        on_click=S.reveal,
                        color_scheme="red",
                        size="2",
                    ),
                    rx.button(
                        "Keep trying",
                        id="sentence-reveal-cancel",
                        on_click=S.cancel_reveal,
                        variant="soft",
                        color_scheme="gray",
                        size="2",
                    ),
                    spacing="2",
                ),
                id="sentence-reveal-question",
                color_scheme="amber",
                role="alertdialog",
                width="100%",
            ),
            rx.button(
                rx.icon("eye", size=14),
                "Show the answer",
                id="sentence-reveal",
                on_click=S.ask_reveal,
                variant="ghost",
                color_scheme="gray",
                size="2",
            ),
        ),
    )


def _activity() -> rx.Component:
    return rx.card(
        rx.vstack(
            form_error(S.error, error_id="sentence-error"),
            _english(),
            _hints(),
            _attempt_form(),
            _feedback(),
            _answer(),
            _reveal(),
            spacing="4",
            align="center",
            width="100%",
        ),
        id="sentence-card",
        size="4",
        width="100%",
    )


# ------------------------------------------------------------------------------ summary


def _summary() -> rx.Component:
    return session_summary_card(S, answers_label="Sentences", card_id="sentence-summary")


@template(route="/study/sentence-builder", title="Sentence constructor", on_load=S.load)
def sentence_builder() -> rx.Component:
    return rx.vstack(
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
                    rx.cond(S.finished, _summary(), _activity()),
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
