"""Lessons: the list (teachers also filter drafts) and one lesson to read."""

from __future__ import annotations

import reflex as rx

from learn_app.components.content import (
    back_link,
    confirm_delete,
    detail_header,
    link_button,
    not_found,
    search_form,
    searchable_list_page,
    status_badge,
)
from learn_app.components.forms import form_error
from learn_app.components.layout import loading, template
from learn_app.components.tables import searched_empty_text
from learn_app.state.auth import ProtectedState
from learn_app.state.content import ALL
from learn_app.state.content_lessons import (
    LessonListRow,
    LessonsState,
    LessonState,
)

STATUS_FILTERS = {ALL: "All lessons", "published": "Published", "draft": "Drafts"}


# ------------------------------------------------------------------------------ the list


def _status_filter() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id="lessons-status", aria_label="Show", min_width="10rem"),
        rx.select.content(
            *[rx.select.item(label, value=value) for value, label in STATUS_FILTERS.items()],
            position="popper",
        ),
        value=LessonsState.status,
        on_change=LessonsState.choose_status,
        size="3",
    )


def _lesson_card(row: LessonListRow) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.hstack(
                rx.link(
                    row.title,
                    href="/lessons/" + row.id.to_string(),
                    size="4",
                    weight="bold",
                    class_name="lesson-link",
                ),
                rx.spacer(),
                rx.cond(ProtectedState.is_teacher, status_badge(row.published)),
                align="center",
                width="100%",
            ),
            rx.cond(row.summary, rx.text(row.summary, size="2", color_scheme="gray")),
            rx.hstack(
                rx.badge(row.level, variant="soft"),
                rx.badge(row.language_name, variant="outline", color_scheme="gray"),
                rx.text(
                    "Changed by " + row.changed_by + " · " + row.changed_at,
                    size="1",
                    color_scheme="gray",
                ),
                spacing="2",
                align="center",
                wrap="wrap",
            ),
            spacing="2",
            width="100%",
        ),
        width="100%",
        class_name="lesson-row",
        data_title=row.title,
    )


def lesson_list() -> rx.Component:
    return rx.cond(
        LessonsState.lessons,
        rx.vstack(
            rx.foreach(LessonsState.lessons, _lesson_card),
            spacing="3",
            width="100%",
            id="lessons-list",
        ),
        searched_empty_text(
            LessonsState.search,
            no_match="No lesson matches that search.",
            none_yet="There are no lessons here yet.",
            empty_id="lessons-empty",
        ),
    )


@template(route="/lessons", title="Lessons", on_load=LessonsState.load)
def lessons() -> rx.Component:
    return searchable_list_page(
        LessonsState,
        title="Lessons",
        subtitle="Grammar and usage, explained with examples.",
        new_button=link_button("New lesson", "/lessons/new", icon="plus", button_id="lesson-new"),
        search=search_form(
            LessonsState,
            form_id="lessons-search",
            placeholder="Search titles and summaries",
            label="Search lessons",
        ),
        filters=rx.cond(ProtectedState.is_teacher, _status_filter()),
        listing=lesson_list(),
        prefix="lessons",
    )


# ------------------------------------------------------------------------------ one lesson


def _lesson_actions() -> rx.Component:
    return rx.cond(
        ProtectedState.is_teacher,
        rx.hstack(
            link_button(
                "Edit", LessonState.edit_url, icon="pencil", button_id="lesson-edit", variant="soft"
            ),
            rx.cond(
                LessonState.published,
                rx.button(
                    rx.icon("eye-off", size=16),
                    "Unpublish",
                    on_click=LessonState.set_published(False),
                    variant="soft",
                    color_scheme="amber",
                    id="lesson-unpublish",
                ),
                rx.button(
                    rx.icon("send", size=16),
                    "Publish",
                    on_click=LessonState.set_published(True),
                    variant="soft",
                    color_scheme="green",
                    id="lesson-publish",
                ),
            ),
            confirm_delete(
                button_label="Archive lesson",
                title="Archive “" + LessonState.title + "”?",
                description="The lesson leaves the lesson lists, search and the tutor's "
                "sources for everyone; it is kept, not deleted.",
                on_confirm=LessonState.delete,
                button_id="lesson-delete",
            ),
            spacing="2",
            wrap="wrap",
        ),
    )


def _lesson_details() -> rx.Component:
    return rx.vstack(
        detail_header(
            LessonState.title,
            rx.badge(LessonState.level, variant="soft", id="lesson-level"),
            rx.badge(LessonState.language_name, variant="outline", color_scheme="gray"),
            rx.cond(
                ProtectedState.is_teacher,
                status_badge(LessonState.published, badge_id="lesson-status"),
            ),
            rx.foreach(
                LessonState.tags,
                lambda tag: rx.badge(tag, variant="surface", color_scheme="gray"),
            ),
            subtitle=rx.cond(
                LessonState.summary,
                rx.text(LessonState.summary, size="3", color_scheme="gray", id="lesson-summary"),
            ),
            actions=_lesson_actions(),
        ),
        form_error(LessonState.error, error_id="lesson-error"),
        rx.card(
            rx.box(
                rx.markdown(LessonState.body, use_raw=False),
                id="lesson-body",
                class_name="lesson-markdown",
            ),
            size="4",
            width="100%",
            as_="article",
        ),
        rx.text(
            "Written by "
            + LessonState.author
            + " · last changed by "
            + LessonState.changed_by
            + " on "
            + LessonState.changed_at,
            size="1",
            color_scheme="gray",
            id="lesson-changed",
        ),
        spacing="4",
        width="100%",
    )


@template(route="/lessons/[lesson_id]", title="Lesson", on_load=LessonState.load)
def lesson() -> rx.Component:
    return rx.vstack(
        back_link("All lessons", "/lessons", link_id="lesson-back"),
        rx.cond(
            ~LessonState.loaded,
            loading(),
            rx.cond(
                LessonState.missing,
                not_found(
                    LessonState.missing,
                    notice_id="lesson-missing",
                    back="/lessons",
                    back_label="Back to the lessons",
                ),
                _lesson_details(),
            ),
        ),
        spacing="3",
        width="100%",
        max_width="52rem",
    )
