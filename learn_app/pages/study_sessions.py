"""Study Sessions: every session the learner ran, and one session with the words answered."""

from __future__ import annotations

import reflex as rx

from learn_app.components.cards import info_row, section, stat_card
from learn_app.components.content import (
    back_link,
    detail_header,
    link_button,
    not_found,
    pagination,
)
from learn_app.components.layout import loading, page_header, template
from learn_app.components.study import sessions_table
from learn_app.components.tables import column, empty_text, scrolling_table
from learn_app.state.study_sessions import SessionsState, SessionState, SessionWordRow

# ------------------------------------------------------------------------------ the list


@template(route="/sessions", title="Study sessions", on_load=SessionsState.load)
def study_sessions() -> rx.Component:
    return rx.vstack(
        page_header("Study sessions", "Every time you studied, newest first."),
        rx.cond(
            SessionsState.loaded,
            rx.vstack(
                sessions_table(
                    SessionsState.sessions,
                    table_id="sessions-table",
                    empty=empty_text(
                        "You have no study sessions yet. ",
                        rx.link("Practise today's plan", href="/practice"),
                        " or ",
                        rx.link("choose a study activity", href="/study-activities"),
                        ".",
                        empty_id="sessions-empty",
                    ),
                ),
                rx.cond(SessionsState.total, pagination(SessionsState, prefix="sessions")),
                spacing="4",
                width="100%",
            ),
            loading(),
        ),
        spacing="2",
        width="100%",
    )


# ------------------------------------------------------------------------------ one session


def _word_row(row: SessionWordRow) -> rx.Component:
    return rx.table.row(
        rx.table.row_header_cell(
            rx.link(row.term, href="/words/" + row.word_id.to_string(), weight="medium")
        ),
        rx.table.cell(row.reading),
        rx.table.cell(row.meaning),
        rx.table.cell(row.correct, text_align="right", class_name="session-word-correct"),
        rx.table.cell(row.wrong, text_align="right", class_name="session-word-wrong"),
        align="center",
        class_name="session-word-row",
        data_term=row.term,
    )


def _words_table() -> rx.Component:
    return rx.cond(
        SessionState.words,
        scrolling_table(
            [
                column("Word"),
                column("Reading"),
                column("Meaning"),
                column("Right", numeric=True),
                column("Wrong", numeric=True),
            ],
            SessionState.words,
            _word_row,
            table_id="session-words-table",
            min_width="36rem",
        ),
        empty_text(
            "No words were answered in this session.",
            empty_id="session-words-empty",
            size="2",
        ),
    )


def _session_details() -> rx.Component:
    return rx.vstack(
        detail_header(
            SessionState.title,
            rx.cond(
                SessionState.in_progress,
                rx.badge("In progress", color_scheme="blue", variant="soft", id="session-status"),
                rx.badge("Ended", color_scheme="gray", variant="soft", id="session-status"),
            ),
            actions=rx.cond(
                SessionState.continue_url,
                link_button(
                    "Carry on",
                    SessionState.continue_url,
                    icon="play",
                    button_id="session-continue",
                ),
            ),
        ),
        rx.grid(
            stat_card(
                "Answers",
                SessionState.reviews,
                icon="layers",
                stat_id="session-reviews",
                note="Cards answered",
            ),
            stat_card(
                "Right",
                SessionState.correct,
                icon="check",
                stat_id="session-correct",
                note="Answered correctly",
            ),
            stat_card(
                "Wrong",
                SessionState.wrong,
                icon="x",
                stat_id="session-wrong",
                note="To look at again",
            ),
            stat_card(
                "Accuracy",
                SessionState.accuracy,
                icon="target",
                stat_id="session-accuracy",
                note="Share of answers right",
            ),
            columns=rx.breakpoints(initial="1", sm="2", lg="4"),
            spacing="4",
            width="100%",
        ),
        rx.grid(
            section(
                "Session",
                rx.vstack(
                    info_row("Started", SessionState.started, value_id="session-started"),
                    info_row("Ended", SessionState.ended, value_id="session-ended"),
                    info_row("Time spent", SessionState.duration, value_id="session-duration"),
                    spacing="0",
                    width="100%",
                ),
            ),
            section(
                "What was studied",
                rx.vstack(
                    rx.hstack(
                        rx.text("Activity", size="2", color_scheme="gray"),
                        rx.spacer(),
                        rx.link(
                            SessionState.activity_name,
                            href="/study-activities/" + SessionState.activity_ref.to_string(),
                            id="session-activity",
                            size="2",
                        ),
                        width="100%",
                    ),
                    rx.hstack(
                        rx.text("Words from", size="2", color_scheme="gray"),
                        rx.spacer(),
                        rx.cond(
                            SessionState.group_ref,
                            rx.link(
                                SessionState.group_name,
                                href="/groups/" + SessionState.group_ref.to_string(),
                                id="session-group",
                                size="2",
                            ),
                            rx.text(SessionState.group_name, id="session-group", size="2"),
                        ),
                        width="100%",
                    ),
                    spacing="3",
                    width="100%",
                ),
            ),
            columns=rx.breakpoints(initial="1", md="2"),
            spacing="4",
            width="100%",
        ),
        section(
            "Words",
            _words_table(),
            description="Each word answered in this session, with how often you got it right.",
        ),
        spacing="4",
        width="100%",
    )


@template(route="/sessions/[session_id]", title="Study session", on_load=SessionState.load)
def study_session() -> rx.Component:
    return rx.vstack(
        back_link("All sessions", "/sessions", link_id="session-back"),
        rx.cond(
            ~SessionState.loaded,
            loading(),
            rx.cond(
                SessionState.missing,
                not_found(
                    SessionState.missing,
                    notice_id="session-missing",
                    back="/sessions",
                    back_label="Back to your sessions",
                ),
                _session_details(),
            ),
        ),
        spacing="3",
        width="100%",
    )
