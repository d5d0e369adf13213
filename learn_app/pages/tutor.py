"""Tutor: ask about the course in your own words; the answer quotes and links the lessons."""

from __future__ import annotations

import reflex as rx

from learn_app.components.forms import form_error
from learn_app.components.layout import page_header, template
from learn_app.state.tutor import ConversationLink, ShownCitation, ShownMessage, TutorState

OFFLINE_LABEL = "Offline tutor — answers quote the course directly"


def _citation(citation: ShownCitation) -> rx.Component:
    return rx.link(
        "[",
        citation.n,
        "] ",
        citation.title,
        href=citation.href,
        class_name="tutor-citation",
        size="2",
    )


def _message(message: ShownMessage) -> rx.Component:
    learner = message.role == "learner"
    return rx.box(
        rx.cond(
            learner,
            rx.text(message.text, white_space="pre-wrap"),
            rx.vstack(
                rx.markdown(message.text, use_raw=False),
                rx.cond(
                    message.citations.length() > 0,
                    rx.vstack(
                        rx.foreach(message.citations, _citation),
                        spacing="1",
                        class_name="tutor-citations",
                    ),
                ),
                spacing="2",
                width="100%",
            ),
        ),
        class_name=rx.cond(learner, "tutor-message tutor-learner", "tutor-message tutor-answer"),
        align_self=rx.cond(learner, "flex-end", "flex-start"),
        background=rx.cond(learner, rx.color("accent", 3), rx.color("gray", 2)),
        border_radius="12px",
        padding="0.75rem 1rem",
        max_width="85%",
    )


def _conversation_link(conversation: ConversationLink) -> rx.Component:
    return rx.hstack(
        rx.link(
            conversation.title,
            href=conversation.href,
            class_name="tutor-conversation",
            size="2",
            flex="1",
            truncate=True,
        ),
        rx.icon_button(
            rx.icon("trash-2", size=14),
            on_click=TutorState.delete(conversation.id),
            variant="ghost",
            color_scheme="red",
            size="1",
            class_name="tutor-delete",
            aria_label="Delete conversation",
            type="button",
        ),
        align="center",
        width="100%",
    )


def _sidebar() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.button(
                rx.icon("plus", size=14),
                "New conversation",
                id="tutor-new",
                on_click=TutorState.new_conversation,
                variant="soft",
                width="100%",
                type="button",
            ),
            rx.foreach(TutorState.conversations, _conversation_link),
            spacing="2",
            width="100%",
        ),
        id="tutor-conversations",
        min_width="14rem",
        width=["100%", "100%", "16rem"],
    )


def _question_form() -> rx.Component:
    return rx.el.form(
        rx.flex(
            rx.input(
                id="tutor-question",
                name="question",
                default_value=TutorState.question,
                key=TutorState.form_key,
                placeholder="Ask the tutor, e.g. how do I say I'm sorry politely",
                aria_label="Question for the tutor",
                auto_complete="off",
                max_length=2000,
                size="3",
                flex="1",
            ),
            rx.button("Ask", id="tutor-ask", type="submit", loading=TutorState.asking, size="3"),
            gap="3",
            width="100%",
        ),
        on_submit=TutorState.submit,
        id="tutor-form",
        width="100%",
    )


@template(route="/tutor", title="Tutor", on_load=TutorState.load)
def tutor() -> rx.Component:
    return rx.vstack(
        page_header("Tutor", "Ask about the course; answers cite the lessons and words."),
        rx.flex(
            _sidebar(),
            rx.card(
                rx.vstack(
                    rx.cond(
                        TutorState.study_url,
                        rx.link(
                            rx.icon("arrow-left", size=14),
                            "Back to your study session",
                            href=TutorState.study_url,
                            id="tutor-back-to-study",
                            size="2",
                            display="inline-flex",
                            align_items="center",
                            gap="1",
                        ),
                    ),
                    rx.cond(
                        TutorState.is_offline,
                        rx.badge(OFFLINE_LABEL, id="tutor-offline", color_scheme="gray"),
                    ),
                    rx.cond(
                        TutorState.notice,
                        rx.callout.root(
                            rx.callout.icon(rx.icon("info")),
                            rx.callout.text(TutorState.notice),
                            id="tutor-notice",
                            color_scheme="amber",
                            width="100%",
                        ),
                    ),
                    rx.vstack(
                        rx.foreach(TutorState.messages, _message),
                        id="tutor-messages",
                        spacing="3",
                        width="100%",
                        aria_live="polite",
                    ),
                    form_error(TutorState.error, error_id="tutor-error"),
                    _question_form(),
                    spacing="3",
                    width="100%",
                ),
                flex="1",
                width="100%",
            ),
            gap="4",
            direction=rx.breakpoints(initial="column", md="row"),
            width="100%",
        ),
        spacing="4",
        width="100%",
    )
