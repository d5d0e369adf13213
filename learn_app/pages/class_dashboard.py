"""Teacher: one class's dashboard, and the drill-down into one of its learners."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import section
from learn_app.components.charts import chart_card, progress_charts
from learn_app.components.content import notice
from learn_app.components.forms import form_error
from learn_app.components.layout import loading, template
from learn_app.pages.class_assignments import assignments_section
from learn_app.state.class_assignments import ClassAssignmentsState
from learn_app.state.class_dashboard import (
    ClassDashboardState,
    LearnerDrillDownState,
    MissedItem,
    RosterItem,
)

S = ClassDashboardState


def _back_to_classes() -> rx.Component:
    return rx.link(
        rx.hstack(rx.icon("arrow-left", size=14), rx.text("All classes", size="2"), spacing="1"),
        href="/teacher",
        id="back-to-classes",
    )


# ------------------------------------------------------------------------------ roster


def _sort_header(label: str, key: str, *, align: str = "right") -> rx.Component:
    active = S.sort_key == key
    return rx.table.column_header_cell(
        rx.button(
            label,
            rx.cond(
                active,
                rx.cond(S.sort_desc, rx.icon("arrow-down", size=12), rx.icon("arrow-up", size=12)),
                rx.fragment(),
            ),
            on_click=S.sort_by(key),
            variant="ghost",
            size="1",
            color_scheme=rx.cond(active, "indigo", "gray"),
            id=f"sort-{key}",
        ),
        text_align=align,
        aria_sort=rx.cond(active, rx.cond(S.sort_desc, "descending", "ascending"), "none"),
        white_space="nowrap",
    )


def _roster_row(row: RosterItem) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.vstack(
                rx.link(
                    row.name,
                    href="/teacher/classes/"
                    + S.class_ref.to_string()
                    + "/learners/"
                    + row.learner_id.to_string(),
                    weight="medium",
                    class_name="roster-learner-link",
                ),
                rx.text(row.email, size="1", color_scheme="gray"),
                spacing="0",
            )
        ),
        rx.table.cell(row.last_active, white_space="nowrap"),
        rx.table.cell(row.days_7, text_align="right"),
        rx.table.cell(row.days_30, text_align="right"),
        rx.table.cell(row.reviews_30, text_align="right"),
        rx.table.cell(
            rx.text(row.retention, title="Target " + row.target),
            text_align="right",
        ),
        rx.table.cell(row.backlog, text_align="right"),
        rx.table.cell(row.streak, text_align="right"),
        rx.table.cell(
            rx.cond(
                row.at_risk,
                rx.vstack(
                    rx.badge("At risk", color_scheme="red", class_name="at-risk-badge"),
                    rx.text(row.reasons, size="1", class_name="at-risk-reason"),
                    spacing="1",
                ),
                rx.badge("On track", color_scheme="green", variant="soft"),
            )
        ),
        class_name="roster-row",
        data_learner=row.learner_id.to_string(),
        data_at_risk=rx.cond(row.at_risk, "true", "false"),
    )


def _roster() -> rx.Component:
    return section(
        "Roster",
        rx.hstack(
            rx.text(
                S.at_risk.to_string() + " of " + S.roster.length().to_string() + " at risk.",
                size="2",
                weight="medium",
                id="roster-at-risk",
            ),
            rx.spacer(),
            rx.button(
                rx.icon("download", size=16),
                "Download CSV",
                on_click=S.download_roster,
                variant="soft",
                id="roster-download",
            ),
            width="100%",
            align="center",
        ),
        rx.text(S.rules, size="1", color_scheme="gray"),
        rx.cond(
            S.roster,
            rx.box(
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            _sort_header("Learner", "name", align="left"),
                            _sort_header("Last active", "last_active", align="left"),
                            _sort_header("Days (7)", "days_7"),
                            _sort_header("Days (30)", "days_30"),
                            _sort_header("Answers (30)", "reviews"),
                            _sort_header("Retention", "retention"),
                            _sort_header("Cards due", "backlog"),
                            _sort_header("Streak", "streak"),
                            _sort_header("Status", "risk", align="left"),
                        )
                    ),
                    rx.table.body(rx.foreach(S.roster, _roster_row)),
                    id="roster-table",
                    width="100%",
                    min_width="56rem",
                ),
                overflow_x="auto",
                width="100%",
            ),
            rx.text(
                "No learners in this class yet. Add them on the Teacher page.",
                size="2",
                color_scheme="gray",
                id="roster-empty",
            ),
        ),
        description="Each learner's last 30 days, on their own calendar. Click a name for "
        "their progress charts.",
    )


# ------------------------------------------------------------------------------ most missed


def _missed_row(word: MissedItem) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(
                word.term,
                href="/words/" + word.word_id.to_string(),
                weight="medium",
                class_name="missed-word-link",
            )
        ),
        rx.table.cell(word.reading),
        rx.table.cell(word.meaning),
        rx.table.cell(word.misses, text_align="right"),
        rx.table.cell(word.miss_rate, text_align="right"),
        rx.table.cell(word.learners, text_align="right"),
        class_name="missed-word",
    )


def _make_group() -> rx.Component:
    return rx.vstack(
        rx.hstack(
            rx.input(
                value=S.regroup_name,
                on_change=S.set_regroup_name,
                placeholder="Group name (optional)",
                aria_label="Name of the new group",
                max_length=120,
                id="regroup-name",
                flex="1",
            ),
            rx.button(
                rx.icon("layers", size=16),
                "Make a group from these",
                on_click=S.make_group,
                id="regroup-make",
            ),
            width="100%",
        ),
        form_error(S.regroup_error, error_id="regroup-error"),
        rx.cond(
            S.regroup_message,
            rx.callout.root(
                rx.callout.icon(rx.icon("circle-check")),
                rx.callout.text(
                    S.regroup_message + " ",
                    rx.link("Open the group", href=S.made_group_url, id="regroup-link"),
                    " — it can be assigned below.",
                ),
                color_scheme="green",
                role="status",
                id="regroup-message",
                width="100%",
            ),
        ),
        spacing="2",
        width="100%",
    )


def _most_missed() -> rx.Component:
    return rx.vstack(
        chart_card(
            "class-missed",
            "Most-missed words",
            S.missed_figure,
            S.missed_panel,
            description="Wrong answers in the last 30 days, by word and learner.",
        ),
        rx.cond(
            S.missed,
            section(
                "Words to re-teach",
                rx.table.root(
                    rx.table.header(
                        rx.table.row(
                            *[
                                rx.table.column_header_cell(h, scope="col")
                                for h in (
                                    "Word",
                                    "Reading",
                                    "Meaning",
                                    "Misses",
                                    "Wrong",
                                    "Learners",
                                )
                            ]
                        )
                    ),
                    rx.table.body(rx.foreach(S.missed, _missed_row)),
                    size="1",
                    width="100%",
                    id="missed-table",
                ),
                _make_group(),
                description="Most missed first; each word opens its page.",
            ),
        ),
        spacing="5",
        width="100%",
    )


# ------------------------------------------------------------------------------ pages


def _dashboard() -> rx.Component:
    return rx.vstack(
        rx.text(
            S.language + " · last " + S.window_days.to_string() + " days · counted " + S.generated,
            size="2",
            color_scheme="gray",
        ),
        _roster(),
        rx.grid(
            chart_card(
                "class-activity",
                "Active learners",
                S.activity_figure,
                S.activity_panel,
                description="Learners with at least one answer that day.",
            ),
            chart_card(
                "class-reviews",
                "Answers per day",
                S.reviews_figure,
                S.reviews_panel,
                description="Every answer the class gave.",
            ),
            chart_card(
                "class-retention",
                "Class retention",
                S.retention_figure,
                S.retention_panel,
                description="Reviews of words learned on an earlier day that were remembered.",
            ),
            chart_card(
                "class-distribution",
                "Progress",
                S.distribution_figure,
                S.distribution_panel,
                description="How many learners have studied how many words.",
            ),
            columns=rx.breakpoints(initial="1", lg="2"),
            spacing="4",
            width="100%",
        ),
        _most_missed(),
        assignments_section(),
        spacing="5",
        width="100%",
    )


@template(
    route="/teacher/classes/[class_id]",
    title="Class",
    on_load=[ClassDashboardState.load, ClassAssignmentsState.load],
)
def class_dashboard() -> rx.Component:
    return rx.vstack(
        _back_to_classes(),
        rx.heading(
            rx.cond(S.class_name, S.class_name, "Class"), size="7", as_="h1", id="page-title"
        ),
        rx.cond(
            S.missing,
            notice(S.missing, notice_id="class-missing", title="This class can't be shown."),
            rx.cond(S.loaded, _dashboard(), loading()),
        ),
        spacing="3",
        width="100%",
    )


D = LearnerDrillDownState


@template(
    route="/teacher/classes/[class_id]/learners/[user_id]",
    title="Learner",
    on_load=LearnerDrillDownState.load,
)
def learner_drilldown() -> rx.Component:
    return rx.vstack(
        rx.link(
            rx.hstack(
                rx.icon("arrow-left", size=14),
                rx.text(rx.cond(D.class_name, D.class_name, "The class"), size="2"),
                spacing="1",
            ),
            href=D.class_url,
            id="back-to-class",
        ),
        rx.heading(
            rx.cond(D.learner_name, D.learner_name, "Learner"), size="7", as_="h1", id="page-title"
        ),
        rx.cond(
            D.missing,
            notice(D.missing, notice_id="learner-missing", title="This learner can't be shown."),
            rx.vstack(
                form_error(D.progress_error, error_id="learner-progress-error"),
                rx.cond(
                    D.progress_loaded,
                    rx.vstack(
                        rx.text(
                            "Days are counted in the learner's time zone, "
                            + D.progress_timezone
                            + ".",
                            size="2",
                            color_scheme="gray",
                            id="progress-timezone",
                        ),
                        progress_charts(D, study_button=False),
                        spacing="4",
                        width="100%",
                    ),
                    loading(),
                ),
                width="100%",
            ),
        ),
        spacing="3",
        width="100%",
    )
