"""The vocabulary importer: a theme → a proposed word list → the teacher's review → a group."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import section
from learn_app.components.content import notice
from learn_app.components.forms import form_error, form_success, labelled
from learn_app.components.layout import loading, page_header, template
from learn_app.components.tables import column, empty_text, scrolling_table
from learn_app.services.authoring.vocabulary import MAX_COUNT, MIN_COUNT
from learn_app.state.content import NONE, PART_OF_SPEECH_OPTIONS, STATUS_OPTIONS
from learn_app.state.vocabulary import (
    NEW_GROUP,
    ImportProblem,
    ReviewRow,
    VocabularyState,
)

GENDERS = {NONE: "—", "masculine": "Masculine", "feminine": "Feminine"}
VERB_CLASSES = {NONE: "—", "godan": "Godan", "ichidan": "Ichidan", "irregular": "Irregular"}

# ------------------------------------------------------------------------------ the theme


def _language_choice() -> rx.Component:
    return labelled(
        "Language",
        rx.select.root(
            rx.select.trigger(id="vocab-language", aria_label="Language", width="100%"),
            rx.select.content(
                rx.foreach(
                    VocabularyState.languages,
                    lambda option: rx.select.item(option.name, value=option.code),
                ),
                position="popper",
            ),
            value=VocabularyState.language,
            on_change=VocabularyState.choose_language,
            size="3",
        ),
        field_id="vocab-language",
    )


def theme_form() -> rx.Component:
    return section(
        "Theme",
        rx.form(
            rx.vstack(
                rx.grid(
                    labelled(
                        "Theme",
                        rx.input(
                            id="vocab-theme",
                            name="theme",
                            default_value=VocabularyState.theme,
                            placeholder="at the train station",
                            max_length=200,
                            size="3",
                            width="100%",
                        ),
                        field_id="vocab-theme",
                    ),
                    _language_choice(),
                    labelled(
                        "Words",
                        rx.input(
                            id="vocab-count",
                            name="count",
                            type="number",
                            min=MIN_COUNT,
                            max=MAX_COUNT,
                            default_value=VocabularyState.count,
                            size="3",
                            width="100%",
                        ),
                        field_id="vocab-count",
                        hint=f"{MIN_COUNT} to {MAX_COUNT}",
                    ),
                    columns=rx.breakpoints(initial="1", md="3"),
                    spacing="4",
                    width="100%",
                ),
                form_error(VocabularyState.error, error_id="vocab-error"),
                rx.hstack(
                    rx.button(
                        rx.icon("sparkles", size=16),
                        "Generate a word list",
                        type="submit",
                        id="vocab-generate",
                        loading=VocabularyState.generating,
                        size="3",
                    ),
                    justify="end",
                    width="100%",
                ),
                spacing="4",
                width="100%",
            ),
            on_submit=VocabularyState.submit_theme,
            width="100%",
        ),
        description="Name a situation; the AI proposes words for it that the course does not "
        "have yet. Nothing is stored until you import the rows you keep.",
    )


# ------------------------------------------------------------------------------ the review


def _field(
    row: ReviewRow, index: rx.Var[int], name: str, label: str, *, placeholder: str = ""
) -> rx.Component:
    return rx.input(
        default_value=getattr(row, name),
        on_blur=lambda value: VocabularyState.edit(index, name, value),
        placeholder=placeholder or label,
        aria_label=label,
        class_name=f"vocab-{name.replace('_', '-')}",
        size="2",
        width="100%",
    )


def _choice(
    row: ReviewRow,
    index: rx.Var[int],
    name: str,
    label: str,
    options: dict[str, str],
    value: rx.Var[str],
) -> rx.Component:
    return rx.select.root(
        rx.select.trigger(aria_label=label, width="100%", class_name=f"vocab-{name}"),
        rx.select.content(
            *[rx.select.item(text, value=key) for key, text in options.items()],
            position="popper",
        ),
        value=value,
        on_change=lambda chosen: VocabularyState.edit(index, name, chosen),
        size="2",
    )


def _or_none(value: rx.Var[str]) -> rx.Var:
    """A select's value: Radix items cannot have an empty one."""
    return rx.cond(value == "", NONE, value)


def _kind(row: ReviewRow, index: rx.Var[int]) -> rx.Component:
    return rx.vstack(
        _choice(
            row,
            index,
            "part_of_speech",
            "Part of speech",
            PART_OF_SPEECH_OPTIONS,
            row.part_of_speech,
        ),
        rx.cond(
            VocabularyState.is_japanese,
            _choice(row, index, "verb_class", "Verb class", VERB_CLASSES, _or_none(row.verb_class)),
            _choice(row, index, "gender", "Gender", GENDERS, _or_none(row.gender)),
        ),
        spacing="1",
        min_width="9rem",
    )


def _flags(row: ReviewRow) -> rx.Component:
    return rx.vstack(
        rx.cond(
            row.duplicate,
            rx.tooltip(
                rx.badge("In the course", color_scheme="blue", class_name="vocab-duplicate"),
                content="Ticked, the course's own word joins the group unchanged.",
            ),
        ),
        rx.foreach(
            row.problems,
            lambda problem: rx.text(
                problem, size="1", color_scheme="red", class_name="vocab-invalid"
            ),
        ),
        spacing="1",
        min_width="8rem",
    )


def _review_row(row: ReviewRow, index: rx.Var[int]) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.checkbox(
                checked=row.keep,
                on_change=lambda keep: VocabularyState.set_keep(index, keep),
                class_name="vocab-keep",
                aria_label="Import " + row.term,
                size="3",
            )
        ),
        rx.table.cell(
            rx.vstack(
                _field(row, index, "term", "Word"),
                rx.cond(
                    VocabularyState.is_japanese,
                    _field(row, index, "reading", "Reading (kana)"),
                ),
                spacing="1",
                min_width="8rem",
            )
        ),
        rx.table.cell(_field(row, index, "meaning", "Meaning"), min_width="9rem"),
        rx.table.cell(_kind(row, index)),
        rx.table.cell(
            rx.vstack(
                _field(row, index, "example_sentence", "Example sentence"),
                rx.cond(
                    VocabularyState.is_japanese,
                    _field(row, index, "example_reading", "Example in kana"),
                ),
                _field(row, index, "example_translation", "Translation"),
                spacing="1",
                min_width="14rem",
            )
        ),
        rx.table.cell(_flags(row)),
        key=row.key,
        class_name="vocab-row",
        data_term=row.term,
        align="center",
    )


def review_table() -> rx.Component:
    return scrolling_table(
        [
            column(rx.text("Keep", class_name="sr-only")),
            column("Word"),
            column("Meaning"),
            column("Kind"),
            column("Example"),
            column("Notes"),
        ],
        VocabularyState.rows,
        _review_row,
        table_id="vocab-rows",
        min_width="52rem",
        size="1",
    )


# ------------------------------------------------------------------------------ the import


def _target_choice() -> rx.Component:
    return labelled(
        "Group",
        rx.select.root(
            rx.select.trigger(id="vocab-group", aria_label="Group", width="100%"),
            rx.select.content(
                rx.select.item("A new group", value=NEW_GROUP),
                rx.foreach(
                    VocabularyState.groups,
                    lambda group: rx.select.item(group.name, value=group.id),
                ),
                position="popper",
            ),
            value=VocabularyState.target,
            on_change=VocabularyState.choose_target,
            size="3",
        ),
        field_id="vocab-group",
    )


def _new_group_fields() -> rx.Component:
    return rx.fragment(
        labelled(
            "New group's name",
            rx.input(
                id="vocab-group-name",
                default_value=VocabularyState.group_name,
                on_blur=VocabularyState.set_group_name,
                max_length=120,
                size="3",
                width="100%",
            ),
            field_id="vocab-group-name",
            error=VocabularyState.group_name_error,
        ),
        labelled(
            "Course",
            rx.select.root(
                rx.select.trigger(id="vocab-course", aria_label="Course", width="100%"),
                rx.select.content(
                    rx.foreach(
                        VocabularyState.courses,
                        lambda course: rx.select.item(course.title, value=course.id),
                    ),
                    position="popper",
                ),
                value=VocabularyState.course,
                on_change=VocabularyState.choose_course,
                size="3",
            ),
            field_id="vocab-course",
        ),
    )


def _problem(problem: ImportProblem) -> rx.Component:
    return rx.table.row(
        rx.table.cell(problem.row),
        rx.table.cell(rx.code(problem.field, variant="ghost")),
        rx.table.cell(problem.message),
        class_name="vocab-problem",
        data_row=problem.row,
    )


def import_problems() -> rx.Component:
    return rx.vstack(
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-alert")),
            rx.callout.text("Nothing was imported. Fix these rows and import again."),
            color_scheme="red",
            role="alert",
            width="100%",
        ),
        rx.table.root(
            rx.table.header(
                rx.table.row(
                    rx.table.column_header_cell("Row"),
                    rx.table.column_header_cell("Field"),
                    rx.table.column_header_cell("Problem"),
                )
            ),
            rx.table.body(rx.foreach(VocabularyState.problems, _problem)),
            id="vocab-problems",
            size="1",
            width="100%",
        ),
        spacing="2",
        width="100%",
    )


def import_controls() -> rx.Component:
    return rx.vstack(
        rx.grid(
            _target_choice(),
            rx.cond(VocabularyState.new_group, _new_group_fields()),
            labelled(
                "New words are",
                rx.select.root(
                    rx.select.trigger(id="vocab-status", aria_label="New words are", width="100%"),
                    rx.select.content(
                        *[rx.select.item(text, value=key) for key, text in STATUS_OPTIONS.items()],
                        position="popper",
                    ),
                    value=VocabularyState.status,
                    on_change=VocabularyState.choose_status,
                    size="3",
                ),
                field_id="vocab-status",
                hint="Drafts stay hidden from learners until published.",
            ),
            columns=rx.breakpoints(initial="1", md="4"),
            spacing="4",
            width="100%",
            align="start",
        ),
        form_error(VocabularyState.import_error, error_id="vocab-import-error"),
        rx.cond(VocabularyState.problems, import_problems()),
        rx.hstack(
            rx.button(
                rx.icon("plus", size=16),
                "Add a row by hand",
                on_click=VocabularyState.add_row,
                variant="soft",
                color_scheme="gray",
                size="3",
                id="vocab-add-row",
            ),
            rx.spacer(),
            rx.button(
                rx.icon("check", size=16),
                "Import " + VocabularyState.kept.to_string() + " ticked",
                on_click=VocabularyState.import_words,
                disabled=VocabularyState.kept == 0,
                size="3",
                id="vocab-import",
            ),
            width="100%",
            align="center",
        ),
        spacing="4",
        width="100%",
    )


def review_section() -> rx.Component:
    return section(
        "Review",
        rx.cond(
            VocabularyState.notice,
            rx.callout.root(
                rx.callout.icon(rx.icon("info")),
                rx.callout.text(VocabularyState.notice),
                id="vocab-notice",
                color_scheme="amber",
                role="status",
                width="100%",
            ),
        ),
        rx.cond(
            VocabularyState.rows,
            review_table(),
            empty_text(
                "No rows yet: generate a list, or add rows by hand.", empty_id="vocab-empty"
            ),
        ),
        import_controls(),
        description="Untick what you don't want and correct any field. A word the course "
        "already has is unticked; tick it to add the course's own word to the group.",
    )


def result() -> rx.Component:
    return rx.cond(
        VocabularyState.result,
        rx.vstack(
            form_success(VocabularyState.result, message_id="vocab-result"),
            rx.link("Open the group", href=VocabularyState.result_href, id="vocab-group-link"),
            spacing="2",
            width="100%",
        ),
    )


@template(route="/vocabulary", title="Vocabulary", on_load=VocabularyState.load)
def vocabulary_importer() -> rx.Component:
    return rx.vstack(
        page_header("Vocabulary", "Turn a theme into a word group for your course."),
        rx.cond(
            ~VocabularyState.loaded,
            loading(),
            rx.cond(
                VocabularyState.denied,
                notice(
                    VocabularyState.denied,
                    notice_id="vocab-denied",
                    title="The vocabulary importer is for teachers and admins.",
                ),
                rx.vstack(theme_form(), result(), review_section(), spacing="5", width="100%"),
            ),
        ),
        spacing="2",
        width="100%",
    )
