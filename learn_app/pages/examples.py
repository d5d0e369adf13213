"""Generated example sentences: draft them for a group, then edit, publish or reject each."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import section
from learn_app.components.content import notice
from learn_app.components.forms import form_error, form_success, labelled
from learn_app.components.layout import loading, page_header, template
from learn_app.components.tables import empty_text
from learn_app.state.examples import DraftRow, ExamplesState


def generate_section() -> rx.Component:
    return section(
        "Draft example sentences",
        rx.hstack(
            rx.box(
                labelled(
                    "Group",
                    rx.select.root(
                        rx.select.trigger(id="examples-group", aria_label="Group", width="100%"),
                        rx.select.content(
                            rx.foreach(
                                ExamplesState.groups,
                                lambda group: rx.select.item(group.label, value=group.id),
                            ),
                            position="popper",
                        ),
                        value=ExamplesState.group,
                        on_change=ExamplesState.choose_group,
                        size="3",
                    ),
                    field_id="examples-group",
                ),
                flex="1",
            ),
            rx.button(
                rx.icon("sparkles", size=16),
                "Draft sentences",
                on_click=ExamplesState.generate,
                loading=ExamplesState.generating,
                disabled=~ExamplesState.group.to(bool),
                id="examples-generate",
                size="3",
            ),
            align="end",
            spacing="3",
            width="100%",
        ),
        form_error(ExamplesState.error, error_id="examples-error"),
        rx.cond(
            ExamplesState.notice,
            rx.callout.root(
                rx.callout.icon(rx.icon("info")),
                rx.callout.text(ExamplesState.notice),
                id="examples-notice",
                color_scheme="amber",
                role="status",
                width="100%",
            ),
        ),
        form_success(ExamplesState.message, message_id="examples-message"),
        description="For each word of the group with no example sentence, a sentence using it "
        "is drafted. Learners see none of them until you publish it.",
    )


def _field(draft: DraftRow, name: str, label: str) -> rx.Component:
    return labelled(
        label,
        rx.input(
            default_value=getattr(draft, name),
            on_blur=lambda value: ExamplesState.edit(draft.id, name, value),
            aria_label=label + " for " + draft.term,
            class_name=f"example-{name}",
            size="2",
            width="100%",
        ),
        field_id=f"example-{name}",
    )


def _draft(draft: DraftRow) -> rx.Component:
    error = ExamplesState.draft_errors.get(draft.id.to_string(), "")
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.heading(draft.term, size="4", as_="h3"),
                rx.cond(draft.word_reading, rx.text(draft.word_reading, color_scheme="gray")),
                rx.text("— " + draft.meaning, color_scheme="gray"),
                rx.spacer(),
                rx.cond(
                    draft.offline,
                    rx.badge("From the course", color_scheme="gray", variant="soft"),
                ),
                align="center",
                spacing="2",
                width="100%",
            ),
            _field(draft, "sentence", "Sentence"),
            rx.cond(draft.japanese, _field(draft, "reading", "Reading (kana)")),
            _field(draft, "translation", "Translation"),
            rx.cond(
                error,
                rx.text(
                    error, color_scheme="red", size="2", role="alert", class_name="example-error"
                ),
            ),
            rx.hstack(
                rx.button(
                    "Reject",
                    on_click=ExamplesState.reject(draft.id),
                    variant="soft",
                    color_scheme="red",
                    class_name="example-reject",
                ),
                rx.button(
                    rx.icon("check", size=16),
                    "Publish",
                    on_click=ExamplesState.publish(draft.id),
                    class_name="example-publish",
                ),
                justify="end",
                spacing="2",
                width="100%",
            ),
            spacing="2",
            width="100%",
        ),
        key=draft.id,
        class_name="example-draft",
        data_term=draft.term,
        width="100%",
    )


def drafts_section() -> rx.Component:
    return section(
        "Drafts waiting",
        rx.cond(
            ExamplesState.drafts,
            rx.vstack(rx.foreach(ExamplesState.drafts, _draft), spacing="3", width="100%"),
            empty_text("No drafts are waiting.", empty_id="examples-empty"),
        ),
        description="Edits are kept when you leave a field. Publishing makes the sentence the "
        "word's example; it needs a translation.",
    )


@template(route="/examples", title="Example sentences", on_load=ExamplesState.load)
def example_sentences() -> rx.Component:
    return rx.vstack(
        page_header("Example sentences", "Drafted for words that have none, for you to review."),
        rx.cond(
            ~ExamplesState.loaded,
            loading(),
            rx.cond(
                ExamplesState.denied,
                notice(
                    ExamplesState.denied,
                    notice_id="examples-denied",
                    title="Example sentences are for teachers and admins.",
                ),
                rx.vstack(generate_section(), drafts_section(), spacing="5", width="100%"),
            ),
        ),
        spacing="2",
        width="100%",
    )
