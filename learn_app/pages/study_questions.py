"""The questions of a study run besides flashcards — multiple choice, listening, typing and
cloze — with the prompt, the feedback and the Next button they share, and the key hints every
activity's buttons carry."""

from __future__ import annotations

from typing import Any

import reflex as rx

from learn_app.components.audio import backend_audio
from learn_app.state.study_questions import Choice
from learn_app.state.study_run import AUDIO_ID, StudyRunState

S = StudyRunState


def key_hint(key: str | rx.Var) -> rx.Component:
    return rx.el.kbd(
        key,
        aria_hidden="true",
        font_size="0.75em",
        padding="0 0.35em",
        border_radius="4px",
        border=f"1px solid {rx.color('gray', 7)}",
        background=rx.color("gray", 2),
        color=rx.color("gray", 11),
    )


def question_prompt(label: rx.Var | str) -> rx.Component:
    return rx.vstack(
        rx.text(label, id="question-label", size="2", color_scheme="gray"),
        rx.text(S.question.prompt, id="question-prompt", size="8", weight="bold"),
        spacing="1",
        align="center",
        width="100%",
    )


def question_reading(reading: rx.Var) -> rx.Component:
    return rx.cond(
        reading,
        rx.text(reading, id="question-reading", size="5", color_scheme="gray"),
    )


def _choice(choice: Choice) -> rx.Component:
    is_right = S.answered & (choice.number == S.right_choice)
    is_wrong_pick = S.answered & (choice.number == S.chosen) & ~S.was_correct
    return rx.button(
        key_hint(choice.number.to_string()),
        rx.vstack(
            rx.text(choice.text, class_name="choice-text", size="3", weight="medium"),
            rx.cond(choice.reading, rx.text(choice.reading, size="1", color_scheme="gray")),
            spacing="0",
            align="start",
        ),
        rx.cond(is_right, rx.icon("check", size=16, margin_left="auto")),
        rx.cond(is_wrong_pick, rx.icon("x", size=16, margin_left="auto")),
        id="choice-" + choice.number.to_string(),
        class_name="choice",
        on_click=S.choose(choice.number),
        variant=rx.cond(is_right | is_wrong_pick, "solid", "surface"),
        color_scheme=rx.cond(is_right, "green", rx.cond(is_wrong_pick, "red", "gray")),
        aria_keyshortcuts=choice.number.to_string(),
        aria_disabled=S.answered,
        size="3",
        height="auto",
        min_height="3.5rem",
        padding_y="0.5rem",
        justify_content="flex-start",
        text_align="left",
        width="100%",
    )


def _choices() -> rx.Component:
    return rx.grid(
        rx.foreach(S.question.choices, _choice),
        columns=rx.breakpoints(initial="1", sm="2"),
        spacing="3",
        width="100%",
        role="group",
        aria_label="Options",
    )


def _feedback() -> rx.Component:
    return rx.cond(
        S.answered,
        rx.callout.root(
            rx.callout.icon(rx.icon(rx.cond(S.was_correct, "circle-check", "circle-x"))),
            rx.callout.text(
                rx.text(
                    rx.cond(
                        S.was_correct,
                        rx.cond(S.was_close, "Accepted, nearly.", "Right!"),
                        "Not quite.",
                    ),
                    id="feedback-verdict",
                    weight="bold",
                ),
                rx.cond(
                    ~S.was_correct | S.was_close | (S.activity_slug == "listening"),
                    rx.text("The answer: ", rx.el.span(S.expected, id="feedback-expected")),
                ),
                rx.cond(S.note, rx.text(S.note, id="feedback-note", size="2")),
                rx.cond(~S.was_correct, _explain_button()),
            ),
            id="feedback",
            color_scheme=rx.cond(S.was_correct, rx.cond(S.was_close, "amber", "green"), "red"),
            data_correct=rx.cond(S.was_correct, "true", "false"),
            role="status",
            width="100%",
        ),
    )


def _explain_button() -> rx.Component:
    return rx.button(
        rx.icon("message-circle-question", size=14),
        "Explain my answer",
        id="explain-answer",
        on_click=S.explain_answer,
        variant="soft",
        size="2",
        margin_top="0.5rem",
        type="button",
    )


def _next_button(**props: Any) -> rx.Component:
    return rx.button(
        rx.cond(S.last_word, "See the summary", "Next"),
        key_hint("Enter"),
        id="next",
        size="3",
        auto_focus=True,  # Enter or space on it goes on, after a click as after a key
        aria_keyshortcuts="Enter",
        **props,
    )


def multiple_choice() -> rx.Component:
    return rx.vstack(
        question_prompt(
            rx.cond(
                S.question.ask == "term_to_meaning",
                "What does this mean?",
                "Which word means this?",
            )
        ),
        question_reading(S.question.prompt_reading),
        _choices(),
        _feedback(),
        rx.cond(S.answered, _next_button(on_click=S.next_question)),
        align="center",
        spacing="4",
        width="100%",
    )


def listening() -> rx.Component:
    return rx.vstack(
        backend_audio(
            S.question.audio_url,
            audio_id=AUDIO_ID,
            key=S.question_key,
            label=rx.cond(S.question.audio_part == "example", "Example sentence", "Word"),
        ),
        rx.text(
            rx.cond(
                S.question.audio_part == "example",
                "Listen to the sentence. Which of these do you hear in it?",
                "Listen. What does the word mean?",
            ),
            id="question-label",
            size="3",
        ),
        rx.button(
            rx.icon("volume-2", size=18),
            "Play",
            key_hint("P"),
            id="play",
            on_click=S.play,
            size="3",
            variant="soft",
            aria_keyshortcuts="P Space",
        ),
        _choices(),
        _feedback(),
        rx.cond(
            S.answered,
            rx.vstack(
                rx.text(
                    S.question.term,
                    " ",
                    rx.text.span(S.question.reading, color_scheme="gray"),
                    size="4",
                ),
                rx.cond(S.question.audio_part == "example", example_sentence()),
                id="listening-transcript",
                align="center",
                spacing="1",
            ),
        ),
        rx.cond(S.answered, _next_button(on_click=S.next_question)),
        align="center",
        spacing="4",
        width="100%",
    )


def _answer_form(label: rx.Var | str) -> rx.Component:
    return rx.el.form(
        rx.vstack(
            rx.el.label(label, html_for="answer", font_size="0.875rem"),
            rx.input(
                id="answer",
                name="answer",
                key=S.question_key,
                auto_focus=True,
                read_only=S.answered,
                auto_complete="off",
                auto_capitalize="off",
                spell_check=False,
                size="3",
                width="100%",
                max_length=200,
            ),
            rx.cond(
                S.answered,
                _next_button(type="submit", key="next"),
                rx.button(
                    "Check", key_hint("Enter"), id="check", key="check", type="submit", size="3"
                ),
            ),
            spacing="2",
            align="center",
            width="100%",
            max_width="28rem",
        ),
        on_submit=S.submit_answer,
        reset_on_submit=False,
        width="100%",
        display="flex",
        justify_content="center",
    )


def typing() -> rx.Component:
    return rx.vstack(
        question_prompt(
            rx.cond(
                S.question.ask == "reading", "How is this word read?", "What does this word mean?"
            )
        ),
        question_reading(S.question.prompt_reading),
        _answer_form(
            rx.cond(
                S.question.ask == "reading", "Reading, in kana or romaji", "Meaning, in English"
            )
        ),
        _feedback(),
        align="center",
        spacing="4",
        width="100%",
    )


def cloze() -> rx.Component:
    return rx.vstack(
        rx.text("Complete the sentence.", id="question-label", size="2", color_scheme="gray"),
        rx.text(
            S.question.cloze_before,
            rx.el.span(
                "＿＿＿",
                aria_label="blank",
                color=rx.color("accent", 11),
                font_weight="bold",
            ),
            S.question.cloze_after,
            id="cloze-sentence",
            size="7",
            text_align="center",
        ),
        rx.text(S.question.cloze_hint, id="cloze-hint", size="3", color_scheme="gray"),
        _answer_form("The missing word"),
        _feedback(),
        align="center",
        spacing="4",
        width="100%",
    )


def example_sentence() -> rx.Component:
    return rx.cond(
        S.question.example,
        rx.vstack(
            rx.text(S.question.example, id="answer-example", size="3"),
            rx.text(S.question.example_translation, size="2", color_scheme="gray"),
            spacing="1",
            align="center",
        ),
    )
