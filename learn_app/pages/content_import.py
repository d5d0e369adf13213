"""Import and export: upload a file, review every change or every problem, then apply it."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import section
from learn_app.components.content import notice
from learn_app.components.forms import form_error, form_success, labelled
from learn_app.components.layout import loading, page_header, template
from learn_app.components.tables import column, scrolling_table
from learn_app.state.content import ALL
from learn_app.state.content_import import (
    FORMATS,
    ChangeGroup,
    ChangeRow,
    ExportState,
    ImportState,
    ProblemRow,
)

UPLOAD_ID = "import-upload"
ACCEPTED = {
    "application/x-yaml": [".yaml", ".yml"],
    "application/json": [".json"],
    "text/csv": [".csv"],
}

# ------------------------------------------------------------------------------ import


def _course_choice() -> rx.Component:
    return labelled(
        "Course for CSV files",
        rx.select.root(
            rx.select.trigger(id="import-course", aria_label="Course for CSV files", width="100%"),
            rx.select.content(
                rx.foreach(
                    ImportState.courses,
                    lambda course: rx.select.item(
                        course.title + " (" + course.language_name + ")", value=course.id
                    ),
                ),
                position="popper",
            ),
            value=ImportState.course,
            on_change=ImportState.choose_course,
            size="3",
        ),
        field_id="import-course",
        hint="A CSV holds words only, so its words go to this course. YAML and JSON files name "
        "their own course.",
    )


def _drop_zone() -> rx.Component:
    return rx.upload(
        rx.vstack(
            rx.icon("upload", size=28, color=rx.color("accent", 10)),
            rx.text("Drop a .yaml, .json or .csv file here", weight="medium"),
            rx.text("or click to choose one. Nothing changes until you apply it.", size="2"),
            align="center",
            spacing="1",
        ),
        id=UPLOAD_ID,
        accept=ACCEPTED,
        multiple=False,
        max_files=1,
        on_drop=ImportState.upload(rx.upload_files(upload_id=UPLOAD_ID)),
        border=f"2px dashed {rx.color('accent', 7)}",
        border_radius="10px",
        padding="2rem 1rem",
        width="100%",
        cursor="pointer",
        background=rx.color("accent", 2),
        aria_label="Choose a file to import",
    )


def _change_row(change: ChangeRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(
            rx.cond(
                change.action == "create",
                rx.badge("New", color_scheme="green", variant="soft"),
                rx.badge("Changed", color_scheme="blue", variant="soft"),
            ),
            width="6rem",
        ),
        rx.table.cell(change.label, weight="medium"),
        rx.table.cell(rx.text(change.detail, size="2", color_scheme="gray")),
        class_name="import-change",
    )


def _change_group(group: ChangeGroup) -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.heading(group.title, size="3", as_="h3"),
            rx.badge(group.counts, variant="outline", color_scheme="gray"),
            align="center",
            spacing="2",
        ),
        rx.table.root(
            rx.table.body(rx.foreach(group.changes, _change_row)),
            size="1",
            width="100%",
        ),
        rx.cond(
            group.more > 0,
            rx.text("… and " + group.more.to_string() + " more.", size="2", color_scheme="gray"),
        ),
        spacing="2",
        width="100%",
        class_name="import-change-group",
        data_kind=group.kind,
    )


def _apply_buttons() -> rx.Component:
    return rx.hstack(
        rx.button(
            "Cancel",
            on_click=ImportState.cancel,
            variant="soft",
            color_scheme="gray",
            size="3",
            id="import-cancel",
        ),
        rx.button(
            rx.icon("check", size=16),
            "Apply import",
            on_click=ImportState.apply,
            disabled=ImportState.nothing_to_do,
            size="3",
            id="import-apply",
        ),
        justify="end",
        spacing="3",
        width="100%",
    )


def preview() -> rx.Component:
    return rx.vstack(
        rx.callout.root(
            rx.callout.icon(rx.icon("eye")),
            rx.callout.text(
                rx.text(
                    "What importing " + ImportState.filename + " would change",
                    as_="span",
                    display="block",
                    weight="bold",
                ),
                ImportState.summary,
            ),
            id="import-summary",
            color_scheme="blue",
            role="status",
            width="100%",
        ),
        rx.foreach(ImportState.change_groups, _change_group),
        _apply_buttons(),
        spacing="4",
        width="100%",
        id="import-preview",
    )


def _problem_row(problem: ProblemRow) -> rx.Component:
    return rx.table.row(
        rx.table.cell(problem.line, class_name="import-problem-line", white_space="nowrap"),
        rx.table.cell(rx.code(problem.field, variant="ghost"), class_name="import-problem-field"),
        rx.table.cell(problem.message, class_name="import-problem-message"),
        rx.table.cell(rx.text(problem.file, size="1", color_scheme="gray"), white_space="nowrap"),
        align="center",
        class_name="import-problem",
        data_line=problem.line,
        data_field=problem.field,
    )


def problems() -> rx.Component:
    return rx.vstack(
        rx.callout.root(
            rx.callout.icon(rx.icon("circle-alert")),
            rx.callout.text(
                rx.text(
                    ImportState.filename + " has " + ImportState.problem_count + ".",
                    as_="span",
                    display="block",
                    weight="bold",
                ),
                "Nothing was imported. Fix the file and upload it again.",
            ),
            id="import-problems-summary",
            color_scheme="red",
            role="alert",
            width="100%",
        ),
        scrolling_table(
            [
                column(rx.cond(ImportState.is_csv, "Row", "Line")),
                column("Field"),
                column("Problem"),
                column("File"),
            ],
            ImportState.problems,
            _problem_row,
            table_id="import-problems",
            min_width="36rem",
        ),
        rx.hstack(
            rx.button(
                "Choose another file",
                on_click=ImportState.cancel,
                variant="soft",
                color_scheme="gray",
                size="3",
                id="import-cancel",
            ),
            justify="end",
            width="100%",
        ),
        spacing="4",
        width="100%",
    )


def import_section() -> rx.Component:
    return section(
        "Import",
        form_success(ImportState.result, message_id="import-result"),
        rx.grid(
            _drop_zone(),
            _course_choice(),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
            align="center",
        ),
        form_error(ImportState.error, error_id="import-error"),
        rx.cond(ImportState.problems, problems()),
        rx.cond(ImportState.has_preview, preview()),
        description="A YAML or JSON file holds a whole course: its groups, words and lessons. "
        "A CSV holds words, one a row, with at least the columns group, term, meaning and "
        "part_of_speech (export a course as CSV to see them all). Imports add and update; they "
        "never delete.",
    )


# ------------------------------------------------------------------------------ export


def _export_select(
    label: str, control_id: str, items: rx.Component, *, value: rx.Var, on_change
) -> rx.Component:
    return labelled(
        label,
        rx.select.root(
            rx.select.trigger(id=control_id, aria_label=label, width="100%"),
            rx.select.content(items, position="popper"),
            value=value,
            on_change=on_change,
            size="3",
        ),
        field_id=control_id,
    )


def export_section() -> rx.Component:
    return section(
        "Export",
        form_error(ExportState.error, error_id="export-error"),
        rx.grid(
            _export_select(
                "Course",
                "export-course",
                rx.foreach(
                    ExportState.courses,
                    lambda course: rx.select.item(course.title, value=course.id),
                ),
                value=ExportState.course,
                on_change=ExportState.choose_course,
            ),
            _export_select(
                "Group",
                "export-group",
                rx.fragment(
                    rx.select.item("The whole course", value=ALL),
                    rx.foreach(
                        ExportState.groups,
                        lambda group: rx.select.item(group.name, value=group.id),
                    ),
                ),
                value=ExportState.group,
                on_change=ExportState.choose_group,
            ),
            _export_select(
                "Format",
                "export-format",
                rx.fragment(
                    *[rx.select.item(label, value=value) for value, label in FORMATS.items()]
                ),
                value=ExportState.format,
                on_change=ExportState.choose_format,
            ),
            columns=rx.breakpoints(initial="1", md="3"),
            spacing="4",
            width="100%",
        ),
        rx.hstack(
            rx.button(
                rx.icon("download", size=16),
                "Download",
                on_click=ExportState.download,
                disabled=~ExportState.course.to(bool),
                size="3",
                id="export-download",
            ),
            justify="end",
            width="100%",
        ),
        description="A course or one of its groups, drafts included, in the format imports "
        "read: export, edit, import again.",
    )


@template(route="/import", title="Import", on_load=[ImportState.load, ExportState.load])
def content_import() -> rx.Component:
    return rx.vstack(
        page_header("Import and export", "Bring course content in from files, or take it out."),
        rx.cond(
            ~ImportState.loaded,
            loading(),
            rx.cond(
                ImportState.denied,
                notice(
                    ImportState.denied,
                    notice_id="import-denied",
                    title="Importing and exporting content is for teachers and admins.",
                ),
                rx.vstack(import_section(), export_section(), spacing="5", width="100%"),
            ),
        ),
        spacing="2",
        width="100%",
    )
