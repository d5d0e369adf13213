"""The form teachers add and edit words with; it keeps what was typed when the service says no."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import info_row
from learn_app.components.content import (
    back_link,
    editor_area,
    link_button,
)
from learn_app.components.forms import (
    form_error,
    labelled,
    select_field,
    submit_button,
    text_field,
)
from learn_app.components.layout import loading, template
from learn_app.state.content import NONE, PART_OF_SPEECH_OPTIONS, STATUS_OPTIONS
from learn_app.state.content_words import GroupOption, WordFormState

GENDERS = {NONE: "— (none)", "masculine": "Masculine", "feminine": "Feminine"}
VERB_CLASSES = {
    NONE: "— (not a verb)",
    "godan": "Godan (u-verb)",
    "ichidan": "Ichidan (ru-verb)",
    "irregular": "Irregular",
}


def _value(name: str) -> rx.Var:
    return WordFormState.values.get(name, "")


def _error(name: str) -> rx.Var:
    return WordFormState.errors.get(name, "")


def _course_field() -> rx.Component:
    """A new word chooses its course; an existing word stays in its own."""
    return rx.cond(
        WordFormState.editing_ref,
        info_row("Course", WordFormState.course_title, value_id="word-course"),
        labelled(
            "Course",
            rx.select.root(
                rx.select.trigger(id="word-course", aria_label="Course", width="100%"),
                rx.select.content(
                    rx.foreach(
                        WordFormState.courses,
                        lambda course: rx.select.item(
                            course.title + " (" + course.language_name + ")", value=course.id
                        ),
                    ),
                    position="popper",
                ),
                value=WordFormState.course,
                on_change=WordFormState.choose_course,
                size="3",
            ),
            field_id="word-course",
            hint="The course's language decides which fields the word needs.",
            error=_error("course"),
        ),
    )


def _group_choice(group: GroupOption) -> rx.Component:
    return rx.el.label(
        rx.hstack(
            rx.checkbox(name="group-" + group.id, id="word-group-" + group.id),
            rx.text(group.name, size="2"),
            spacing="2",
            align="center",
        ),
        class_name="word-group-choice",
    )


def _group_choices() -> rx.Component:
    return rx.cond(
        (WordFormState.editing_ref == 0) & (WordFormState.groups.length() > 0),
        rx.vstack(
            rx.text("Add to groups", size="2", weight="medium"),
            rx.flex(
                rx.foreach(WordFormState.groups, _group_choice),
                wrap="wrap",
                gap="3",
                id="word-groups",
            ),
            spacing="1",
            width="100%",
        ),
    )


def _japanese_fields() -> rx.Component:
    return rx.cond(
        WordFormState.is_japanese,
        rx.grid(
            text_field(
                "Romaji",
                name="romaji",
                field_id="word-romaji",
                default_value=_value("romaji"),
                hint="Lower-case Latin letters, e.g. neko.",
                error=_error("romaji"),
            ),
            select_field(
                "Verb class",
                VERB_CLASSES,
                name="verb_class",
                field_id="word-verb-class",
                default_value=_value("verb_class"),
                hint="Japanese verbs need one.",
                error=_error("verb_class"),
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
    )


def _example_fields() -> rx.Component:
    return rx.vstack(
        text_field(
            "Example sentence",
            name="example_sentence",
            field_id="word-example-sentence",
            default_value=_value("example_sentence"),
            error=_error("example_sentence"),
        ),
        rx.cond(
            WordFormState.is_japanese,
            text_field(
                "Example reading",
                name="example_reading",
                field_id="word-example-reading",
                default_value=_value("example_reading"),
                hint="The example in kana only.",
                error=_error("example_reading"),
            ),
        ),
        text_field(
            "Example translation",
            name="example_translation",
            field_id="word-example-translation",
            default_value=_value("example_translation"),
            hint="Needed whenever there is an example sentence.",
            error=_error("example_translation"),
        ),
        spacing="4",
        width="100%",
    )


def word_form() -> rx.Component:
    return rx.el.form(
        rx.vstack(
            form_error(_error("form"), error_id="word-form-error"),
            _course_field(),
            rx.grid(
                text_field(
                    "Term",
                    name="term",
                    field_id="word-term",
                    default_value=_value("term"),
                    required=True,
                    max_length=200,
                    error=_error("term"),
                ),
                text_field(
                    "Reading",
                    name="reading",
                    field_id="word-reading",
                    default_value=_value("reading"),
                    max_length=200,
                    hint=rx.text(
                        rx.cond(
                            WordFormState.is_japanese,
                            "In kana, e.g. ねこ. Japanese words need one.",
                            "How it is pronounced, if that helps.",
                        )
                    ),
                    error=_error("reading"),
                ),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="4",
                width="100%",
            ),
            text_field(
                "Meaning",
                name="meaning",
                field_id="word-meaning",
                default_value=_value("meaning"),
                required=True,
                max_length=400,
                hint="In the learners' native language; separate several with semicolons.",
                error=_error("meaning"),
            ),
            rx.grid(
                select_field(
                    "Part of speech",
                    PART_OF_SPEECH_OPTIONS,
                    name="part_of_speech",
                    field_id="word-part-of-speech",
                    default_value=_value("part_of_speech"),
                    error=_error("part_of_speech"),
                ),
                rx.cond(
                    WordFormState.has_gender,
                    select_field(
                        "Gender",
                        GENDERS,
                        name="gender",
                        field_id="word-gender",
                        default_value=_value("gender"),
                        hint="Nouns need one.",
                        error=_error("gender"),
                    ),
                ),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="4",
                width="100%",
            ),
            _japanese_fields(),
            _example_fields(),
            rx.grid(
                text_field(
                    "Tags",
                    name="tags",
                    field_id="word-tags",
                    default_value=WordFormState.tags,
                    hint="Separated by commas, e.g. animals, n5.",
                    error=_error("tags"),
                ),
                select_field(
                    "Status",
                    STATUS_OPTIONS,
                    name="status",
                    field_id="word-status",
                    default_value=WordFormState.status,
                    hint="Drafts are hidden from learners.",
                    error=_error("status"),
                ),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="4",
                width="100%",
            ),
            _group_choices(),
            rx.hstack(
                link_button(
                    "Cancel",
                    WordFormState.cancel_url,
                    icon="x",
                    button_id="word-cancel",
                    variant="soft",
                    color_scheme="gray",
                    size="3",
                ),
                submit_button("Save word", button_id="word-save"),
                justify="end",
                spacing="3",
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=WordFormState.save,
        key=WordFormState.form_key,
        id="word-form",
        aria_label="Word",
        width="100%",
    )


def _form_area() -> rx.Component:
    return editor_area(
        WordFormState,
        word_form(),
        prefix="word",
        denied_title="Only teachers and admins add and change words.",
        back="/words",
        back_label="Back to the words",
        needs_course=(
            "Words belong to a course, and there is none yet. Import one on the Import page first."
        ),
    )


def _form_page() -> rx.Component:
    return rx.vstack(
        back_link("All words", "/words", link_id="word-back"),
        rx.heading(
            rx.cond(
                WordFormState.editing_ref, "Edit “" + WordFormState.editing_term + "”", "New word"
            ),
            size="7",
            as_="h1",
            id="page-title",
        ),
        rx.cond(~WordFormState.loaded, loading(), _form_area()),
        spacing="3",
        width="100%",
    )


new_word = template(route="/words/new", title="New word", on_load=WordFormState.load)(_form_page)
edit_word = template(route="/words/[word_id]/edit", title="Edit word", on_load=WordFormState.load)(
    _form_page
)
