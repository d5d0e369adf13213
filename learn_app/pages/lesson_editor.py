"""The lesson editor: Markdown on one side, its live preview on the other."""

from __future__ import annotations

import reflex as rx

from learn_app.components.content import (
    back_link,
    editor_area,
    link_button,
    status_badge,
)
from learn_app.components.forms import form_error, labelled, text_field
from learn_app.components.layout import loading, template
from learn_app.state.content_lessons import LessonEditorState


def _error(name: str) -> rx.Var:
    return LessonEditorState.errors.get(name, "")


def _course_field() -> rx.Component:
    """A new lesson chooses its course (so its language and level scale); an old one keeps it."""
    return rx.cond(
        LessonEditorState.editing_ref,
        labelled(
            "Course",
            rx.text(
                LessonEditorState.course_title, size="3", id="lesson-course", padding_y="0.4rem"
            ),
            field_id="lesson-course",
        ),
        labelled(
            "Course",
            rx.select.root(
                rx.select.trigger(id="lesson-course", aria_label="Course", width="100%"),
                rx.select.content(
                    rx.foreach(
                        LessonEditorState.courses,
                        lambda course: rx.select.item(
                            course.title + " (" + course.language_name + ")", value=course.id
                        ),
                    ),
                    position="popper",
                ),
                value=LessonEditorState.course,
                on_change=LessonEditorState.choose_course,
                size="3",
            ),
            field_id="lesson-course",
            error=_error("course"),
        ),
    )


def _level_field() -> rx.Component:
    """JLPT levels for Japanese courses, CEFR for the others; the list follows the course."""
    return labelled(
        "Level",
        rx.select.root(
            rx.select.trigger(id="lesson-level", aria_label="Level", width="100%"),
            rx.select.content(
                rx.foreach(
                    LessonEditorState.levels,
                    lambda level: rx.select.item(level, value=level),
                ),
                position="popper",
            ),
            name="level",
            default_value=LessonEditorState.level_choice,
            key=LessonEditorState.language,
            size="3",
        ),
        field_id="lesson-level",
        error=_error("level"),
    )


def _body_and_preview() -> rx.Component:
    return rx.grid(
        labelled(
            "Lesson (Markdown)",
            rx.text_area(
                id="lesson-body",
                name="body",
                default_value=LessonEditorState.body,
                on_change=LessonEditorState.set_body.debounce(250),
                required=True,
                rows="22",
                size="3",
                width="100%",
                font_family="ui-monospace, SFMono-Regular, Menlo, monospace",
                aria_invalid=rx.cond(_error("body"), "true", "false"),
                resize="vertical",
            ),
            field_id="lesson-body",
            hint="## for headings, **bold**, - for lists, > for examples.",
            error=_error("body"),
        ),
        rx.vstack(
            rx.text("Preview", size="2", weight="medium", id="lesson-preview-label"),
            rx.box(
                rx.markdown(LessonEditorState.body, use_raw=False),
                id="lesson-preview",
                aria_labelledby="lesson-preview-label",
                aria_live="polite",
                class_name="lesson-markdown",
                padding="1rem",
                border=f"1px solid {rx.color('gray', 5)}",
                border_radius="8px",
                background=rx.color("gray", 1),
                min_height="20rem",
                max_height="38rem",
                overflow_y="auto",
                width="100%",
            ),
            spacing="1",
            width="100%",
        ),
        columns=rx.breakpoints(initial="1", md="2"),
        spacing="4",
        width="100%",
    )


def lesson_form() -> rx.Component:
    return rx.el.form(
        rx.vstack(
            form_error(_error("form"), error_id="lesson-form-error"),
            rx.grid(
                text_field(
                    "Title",
                    name="title",
                    field_id="lesson-title",
                    default_value=LessonEditorState.title,
                    required=True,
                    max_length=200,
                    error=_error("title"),
                ),
                _course_field(),
                _level_field(),
                columns=rx.breakpoints(initial="1", md="3"),
                spacing="4",
                width="100%",
            ),
            rx.grid(
                text_field(
                    "Summary",
                    name="summary",
                    field_id="lesson-summary",
                    default_value=LessonEditorState.summary,
                    max_length=500,
                    hint="One sentence, shown in the list of lessons.",
                    error=_error("summary"),
                ),
                text_field(
                    "Tags",
                    name="tags",
                    field_id="lesson-tags",
                    default_value=LessonEditorState.tags,
                    hint="Separated by commas.",
                    error=_error("tags"),
                ),
                columns=rx.breakpoints(initial="1", md="2"),
                spacing="4",
                width="100%",
            ),
            _body_and_preview(),
            rx.flex(
                rx.text(
                    LessonEditorState.last_changed,
                    size="2",
                    color_scheme="gray",
                    id="lesson-last-changed",
                ),
                rx.spacer(),
                rx.hstack(
                    link_button(
                        "Cancel",
                        LessonEditorState.cancel_url,
                        icon="x",
                        button_id="lesson-cancel",
                        variant="soft",
                        color_scheme="gray",
                        size="3",
                    ),
                    rx.button(
                        rx.cond(
                            LessonEditorState.published, "Unpublish and save as draft", "Save draft"
                        ),
                        type="submit",
                        id="lesson-save-draft",
                        on_click=LessonEditorState.intend("draft"),
                        variant="soft",
                        size="3",
                    ),
                    rx.button(
                        rx.cond(LessonEditorState.published, "Save and keep published", "Publish"),
                        type="submit",
                        id="lesson-publish",
                        on_click=LessonEditorState.intend("published"),
                        size="3",
                    ),
                    spacing="3",
                    wrap="wrap",
                    justify="end",
                ),
                gap="3",
                align="center",
                wrap="wrap",
                width="100%",
            ),
            spacing="4",
            width="100%",
        ),
        on_submit=LessonEditorState.save,
        key=LessonEditorState.form_key,
        id="lesson-form",
        aria_label="Lesson",
        width="100%",
    )


def _editor_area() -> rx.Component:
    return editor_area(
        LessonEditorState,
        lesson_form(),
        prefix="lesson",
        denied_title="Only teachers and admins write lessons.",
        back="/lessons",
        back_label="Back to the lessons",
        needs_course=(
            "Lessons belong to a course, and there is none yet. Import one on the Import page "
            "first."
        ),
    )


def _editor_page() -> rx.Component:
    return rx.vstack(
        back_link("All lessons", "/lessons", link_id="lesson-back"),
        rx.hstack(
            rx.heading(
                rx.cond(LessonEditorState.editing_ref, "Edit lesson", "New lesson"),
                size="7",
                as_="h1",
                id="page-title",
            ),
            rx.cond(
                LessonEditorState.editing_ref > 0,
                status_badge(LessonEditorState.published, badge_id="lesson-status"),
            ),
            align="center",
            spacing="3",
        ),
        rx.cond(~LessonEditorState.loaded, loading(), _editor_area()),
        spacing="3",
        width="100%",
    )


new_lesson = template(route="/lessons/new", title="New lesson", on_load=LessonEditorState.load)(
    _editor_page
)
edit_lesson = template(
    route="/lessons/[lesson_id]/edit", title="Edit lesson", on_load=LessonEditorState.load
)(_editor_page)
