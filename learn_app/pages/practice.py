"""Practice: today's plan in numbers, what comes first, one button to start, and the month ahead."""

from __future__ import annotations

import reflex as rx

from learn_app.components.assignments import my_assignments_section
from learn_app.components.cards import section, stat_card
from learn_app.components.charts import chart_card
from learn_app.components.forms import form_error
from learn_app.components.layout import loading, page_header, template
from learn_app.state.practice import PracticeState, QueueItem
from learn_app.state.tutor import TutorState


def _numbers() -> rx.Component:
    return rx.grid(
        stat_card(
            "Reviews due",
            PracticeState.due_count,
            icon="repeat",
            stat_id="practice-due",
            note="Cards to recall now",
        ),
        stat_card(
            "New words",
            PracticeState.new_count,
            icon="sparkles",
            stat_id="practice-new",
            note="Still to learn today",
        ),
        stat_card(
            "Introduced today",
            PracticeState.new_introduced_today,
            icon="circle-check",
            stat_id="practice-introduced",
            note="New words already seen today",
        ),
        stat_card(
            "Daily goal",
            PracticeState.daily_goal,
            icon="target",
            stat_id="practice-goal",
            note="New words a day",
        ),
        columns=rx.breakpoints(initial="1", sm="2", lg="4"),
        spacing="4",
        width="100%",
    )


def _queue_item(item: QueueItem) -> rx.Component:
    return rx.hstack(
        rx.cond(
            item.is_new,
            rx.badge("New", color_scheme="green", variant="soft", min_width="4.5rem"),
            rx.badge("Review", color_scheme="blue", variant="soft", min_width="4.5rem"),
        ),
        rx.link(item.term, href="/words/" + item.word_id.to_string(), weight="medium"),
        rx.text(item.reading, color_scheme="gray", size="2"),
        rx.spacer(),
        rx.text(item.meaning, size="2", text_align="right"),
        align="center",
        spacing="3",
        width="100%",
        padding_y="0.5rem",
        border_bottom=f"1px solid {rx.color('gray', 4)}",
        class_name="practice-item",
        data_term=item.term,
        role="listitem",
    )


def _plan() -> rx.Component:
    return section(
        "Up next",
        rx.vstack(
            rx.foreach(PracticeState.queue, _queue_item),
            rx.cond(
                PracticeState.more_in_queue,
                rx.text(
                    "and " + PracticeState.more_in_queue.to_string() + " more",
                    size="2",
                    color_scheme="gray",
                    id="practice-more",
                ),
            ),
            spacing="0",
            width="100%",
            id="practice-queue",
            role="list",
        ),
        rx.hstack(
            rx.text(
                "Reviews come first, then new words. Rate each card as you go.",
                size="2",
                color_scheme="gray",
            ),
            rx.spacer(),
            rx.button(
                rx.icon("play", size=16),
                "Start practice · " + PracticeState.total.to_string() + " cards",
                on_click=PracticeState.start,
                size="3",
                id="practice-start",
            ),
            align="center",
            wrap="wrap",
            gap="3",
            width="100%",
        ),
        description="Today's plan, in the order you will see it.",
    )


def _nothing_to_do() -> rx.Component:
    return rx.callout.root(
        rx.callout.icon(rx.icon("party-popper")),
        rx.callout.text(
            rx.text(PracticeState.rest_message, as_="span", display="block"),
            rx.cond(
                PracticeState.next_reviews,
                rx.text(
                    "Next up: " + PracticeState.next_reviews + ".",
                    as_="span",
                    display="block",
                    id="practice-next-reviews",
                ),
            ),
        ),
        id="practice-empty",
        color_scheme="green",
        role="status",
        width="100%",
    )


def _forecast() -> rx.Component:
    return chart_card(
        "practice-forecast",
        "The next 30 days",
        PracticeState.forecast_figure,
        PracticeState.forecast_panel,
        description="Reviews falling due each day, today first, after any overdue; the minutes "
        "come from your own answer times. New words are not counted.",
    )


def _ask_the_tutor() -> rx.Component:
    return section(
        "Ask the tutor",
        rx.form(
            rx.hstack(
                rx.input(
                    name="question",
                    id="practice-ask-question",
                    placeholder="e.g. When do I use は and when が?",
                    max_length=2000,
                    width="100%",
                ),
                rx.button("Ask", type="submit", id="practice-ask"),
                width="100%",
            ),
            on_submit=TutorState.ask_elsewhere,
            reset_on_submit=False,
            width="100%",
        ),
        description="Grammar, words, usage: answered from the course, with its lessons cited.",
    )


def _practice() -> rx.Component:
    return rx.vstack(
        _numbers(),
        my_assignments_section(),
        form_error(PracticeState.error, error_id="practice-error"),
        rx.cond(PracticeState.total, _plan(), _nothing_to_do()),
        _forecast(),
        _ask_the_tutor(),
        spacing="5",
        width="100%",
    )


@template(route="/practice", title="Practice", on_load=PracticeState.load)
def practice() -> rx.Component:
    return rx.vstack(
        page_header(
            "Practice",
            "Today's plan: the reviews that are due, then new words up to your daily goal.",
        ),
        rx.cond(PracticeState.loaded, _practice(), loading()),
        spacing="5",
        width="100%",
    )
