"""Words: the searchable, sortable list and one word's page."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import info_row, section
from learn_app.components.content import (
    back_link,
    confirm_delete,
    detail_header,
    link_button,
    not_found,
    search_form,
    searchable_list_page,
)
from learn_app.components.forms import form_error
from learn_app.components.layout import loading, template
from learn_app.components.tables import scrolling_table, searched_empty_text
from learn_app.state.auth import ProtectedState
from learn_app.state.content import ALL
from learn_app.state.content_words import (
    GroupLink,
    WordRow,
    WordsState,
    WordState,
)

# ------------------------------------------------------------------------------ the list


def _course_filter() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id="words-course", aria_label="Course", min_width="12rem"),
        rx.select.content(
            rx.select.item("All courses", value=ALL),
            rx.foreach(
                WordsState.courses,
                lambda course: rx.select.item(course.title, value=course.id),
            ),
            position="popper",
        ),
        value=WordsState.course,
        on_change=WordsState.choose_course,
        size="3",
    )


def _sort_header(label: str, key: str, *, numeric: bool = False) -> rx.Component:
    """A column header that sorts by it; a second click reverses the order."""
    sorted_here = WordsState.sort == key
    return rx.table.column_header_cell(
        rx.button(
            label,
            rx.cond(
                sorted_here,
                rx.cond(
                    WordsState.descending,
                    rx.icon("arrow-down", size=14),
                    rx.icon("arrow-up", size=14),
                ),
                rx.icon("arrow-up-down", size=14, opacity="0.4"),
            ),
            on_click=WordsState.sort_by(key),
            variant="ghost",
            color_scheme="gray",
            size="2",
            id=f"words-sort-{key.replace('_', '-')}",
            aria_label=f"Sort by {label.lower()}",
        ),
        aria_sort=rx.cond(
            sorted_here, rx.cond(WordsState.descending, "descending", "ascending"), "none"
        ),
        text_align="right" if numeric else "left",
        white_space="nowrap",
    )


def _word_row(row: WordRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.hstack(
                rx.link(
                    row.term,
                    href="/words/" + row.id.to_string(),
                    weight="medium",
                    size="3",
                ),
                rx.cond(row.draft, rx.badge("Draft", color_scheme="amber", variant="soft")),
                spacing="2",
                align="center",
            )
        ),
        rx.table.cell(
            rx.vstack(
                rx.text(row.reading),
                rx.cond(row.romaji, rx.text(row.romaji, size="1", color_scheme="gray")),
                spacing="0",
            )
        ),
        rx.table.cell(row.meaning),
        rx.table.cell(row.part_of_speech, white_space="nowrap"),
        rx.table.cell(row.correct, text_align="right", class_name="word-correct"),
        rx.table.cell(row.wrong, text_align="right", class_name="word-wrong"),
        align="center",
        class_name="word-row",
        data_term=row.term,
    )


def words_table() -> rx.Component:
    return rx.cond(
        WordsState.words,
        scrolling_table(
            [
                _sort_header("Term", "term"),
                _sort_header("Reading", "reading"),
                _sort_header("Meaning", "meaning"),
                _sort_header("Part of speech", "part_of_speech"),
                _sort_header("Correct", "correct", numeric=True),
                _sort_header("Wrong", "wrong", numeric=True),
            ],
            WordsState.words,
            _word_row,
            table_id="words-table",
            min_width="44rem",
        ),
        searched_empty_text(
            WordsState.search,
            no_match="No word matches that search.",
            none_yet="There are no words here yet.",
            empty_id="words-empty",
        ),
    )


@template(route="/words", title="Words", on_load=WordsState.load)
def words() -> rx.Component:
    return searchable_list_page(
        WordsState,
        title="Words",
        subtitle=(
            "Every course's vocabulary, with how often you answered each word right and wrong."
        ),
        new_button=link_button("New word", "/words/new", icon="plus", button_id="word-new"),
        search=search_form(
            WordsState,
            form_id="words-search",
            placeholder="Search a term, reading or meaning",
            label="Search words",
        ),
        filters=_course_filter(),
        listing=words_table(),
        prefix="words",
    )


# ------------------------------------------------------------------------------ one word


def _group_link(group: GroupLink) -> rx.Component:
    return rx.link(
        rx.badge(rx.icon("layers", size=12), group.name, variant="soft", size="2"),
        href="/groups/" + group.id.to_string(),
        class_name="word-group-link",
    )


def _word_actions() -> rx.Component:
    return rx.cond(
        ProtectedState.is_teacher,
        rx.hstack(
            link_button(
                "Edit",
                WordState.edit_url,
                icon="pencil",
                button_id="word-edit",
                variant="soft",
            ),
            confirm_delete(
                button_label="Archive word",
                title="Archive “" + WordState.term + "”?",
                description="The word leaves the word lists, its groups, study plans and "
                "search. Learners' reviews of it are kept and still count in their progress.",
                on_confirm=WordState.delete,
                button_id="word-delete",
            ),
            spacing="2",
        ),
    )


def _example() -> rx.Component:
    return rx.cond(
        WordState.example_sentence,
        section(
            "Example",
            rx.vstack(
                rx.text(WordState.example_sentence, size="4", id="word-example-sentence"),
                rx.cond(
                    WordState.example_reading,
                    rx.text(
                        WordState.example_reading, color_scheme="gray", id="word-example-reading"
                    ),
                ),
                rx.text(WordState.example_translation, id="word-example-translation"),
                spacing="1",
                width="100%",
            ),
        ),
    )


def _word_details() -> rx.Component:
    return rx.vstack(
        detail_header(
            WordState.term,
            rx.badge(WordState.part_of_speech, variant="soft"),
            rx.badge(WordState.language_name, variant="outline", color_scheme="gray"),
            rx.cond(
                WordState.draft,
                rx.badge("Draft: hidden from learners", color_scheme="amber", id="word-draft"),
            ),
            subtitle=rx.hstack(
                rx.text(WordState.reading, size="4", id="word-reading"),
                rx.cond(
                    WordState.romaji,
                    rx.text(WordState.romaji, size="3", color_scheme="gray", id="word-romaji"),
                ),
                spacing="3",
                align="baseline",
            ),
            actions=_word_actions(),
        ),
        form_error(WordState.error, error_id="word-error"),
        rx.grid(
            section(
                "Meaning",
                rx.text(WordState.meaning, size="4", id="word-meaning"),
                info_row("Course", WordState.course_title, value_id="word-course"),
                rx.cond(
                    WordState.gender,
                    info_row("Gender", WordState.gender, value_id="word-gender"),
                ),
                rx.cond(
                    WordState.verb_class,
                    info_row("Verb class", WordState.verb_class, value_id="word-verb-class"),
                ),
                info_row("Last changed", WordState.updated, value_id="word-updated"),
                rx.cond(
                    WordState.tags,
                    rx.hstack(
                        rx.foreach(
                            WordState.tags,
                            lambda tag: rx.badge(tag, variant="surface", color_scheme="gray"),
                        ),
                        wrap="wrap",
                        spacing="2",
                        id="word-tags",
                    ),
                ),
            ),
            section(
                "Your answers",
                rx.hstack(
                    rx.vstack(
                        rx.text("Correct", size="2", color_scheme="gray"),
                        rx.text(WordState.correct, size="7", weight="bold", id="word-correct"),
                        spacing="0",
                    ),
                    rx.vstack(
                        rx.text("Wrong", size="2", color_scheme="gray"),
                        rx.text(WordState.wrong, size="7", weight="bold", id="word-wrong"),
                        spacing="0",
                    ),
                    spacing="6",
                ),
                description="Every time you answered this word in practice or an activity.",
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        _example(),
        section(
            "Groups",
            rx.cond(
                WordState.groups,
                rx.hstack(
                    rx.foreach(WordState.groups, _group_link),
                    wrap="wrap",
                    spacing="2",
                    id="word-groups",
                ),
                rx.text("This word is in no group.", size="2", color_scheme="gray"),
            ),
        ),
        spacing="4",
        width="100%",
    )


@template(route="/words/[word_id]", title="Word", on_load=WordState.load)
def word() -> rx.Component:
    return rx.vstack(
        back_link("All words", "/words", link_id="word-back"),
        rx.cond(
            ~WordState.loaded,
            loading(),
            rx.cond(
                WordState.missing,
                not_found(
                    WordState.missing,
                    notice_id="word-missing",
                    back="/words",
                    back_label="Back to the words",
                ),
                _word_details(),
            ),
        ),
        spacing="3",
        width="100%",
    )
