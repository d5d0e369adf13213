"""Progress: the learner's statistics, one chart per question they might ask about their study."""

from __future__ import annotations

import reflex as rx

from learn_app.components.charts import progress_charts
from learn_app.components.forms import form_error
from learn_app.components.layout import loading, page_header, template
from learn_app.state.progress import ProgressState


def _first_steps() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("sprout")),
        rx.callout.text(
            "Nothing to chart yet. Start today's plan on ",
            rx.link("Practice", href="/practice", id="progress-go-practice"),
            " or pick an activity on ",
            rx.link("Study Activities", href="/study-activities"),
            ": every answer you give shows up here the moment you give it.",
        ),
        id="progress-empty",
        color_scheme="blue",
        role="status",
        width="100%",
    )


def _progress() -> rx.Component:
    return rx.vstack(
        rx.cond(ProgressState.progress_empty, _first_steps()),
        form_error(ProgressState.study_error, error_id="progress-error"),
        rx.text(
            "Days are counted in your time zone, " + ProgressState.progress_timezone + ".",
            size="2",
            color_scheme="gray",
            id="progress-timezone",
        ),
        progress_charts(ProgressState, study_button=True),
        spacing="5",
        width="100%",
    )


@template(route="/progress", title="Progress", on_load=ProgressState.load)
def progress() -> rx.Component:
    return rx.vstack(
        page_header(
            "Progress",
            "How much you study, how well you remember, and what is coming up.",
        ),
        form_error(ProgressState.progress_error, error_id="progress-load-error"),
        rx.cond(ProgressState.progress_loaded, _progress(), loading()),
        spacing="5",
        width="100%",
    )
