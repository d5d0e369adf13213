"""Writing practice: write a sentence with the words given and read its grading; and the
teachers' view of their learners' writing, with a comment form."""

from __future__ import annotations

import reflex as rx

from learn_app.components.activity_page import activity_page, feedback_card
from learn_app.components.cards import section
from learn_app.components.content import back_link, notice
from learn_app.components.forms import form_error, form_success
from learn_app.components.layout import loading, page_header, template
from learn_app.components.tables import empty_text
from learn_app.state.writing import (
    ALL_CLASSES,
    ShownCheck,
    ShownComment,
    ShownCorrection,
    ShownSubmission,
    ShownWord,
    ShownWordCheck,
    TeacherWritingState,
    WritingState,
)

S = WritingState
T = TeacherWritingState
OFFLINE_LABEL = "Checked offline — no score"


# ------------------------------------------------------------------------ a graded sentence


def _correction(correction: ShownCorrection) -> rx.Component:
    return rx.box(
        rx.text(
            rx.el.s(correction.original, color=rx.color("red", 11)),
            " → ",
            rx.text(correction.correction, as_="span", weight="bold", color=rx.color("green", 11)),
            size="3",
        ),
        rx.text(correction.explanation, size="2", color_scheme="gray"),
        class_name="writing-correction",
        width="100%",
    )


def _word_check(check: ShownWordCheck) -> rx.Component:
    return rx.hstack(
        rx.icon(rx.cond(check.ok, "circle-check", "circle-x"), size=16, flex_shrink="0"),
        rx.text(
            rx.text(check.term, as_="span", weight="bold"),
            " — ",
            check.verdict,
            ". ",
            rx.text(check.note, as_="span", color_scheme="gray"),
            size="2",
        ),
        color=rx.cond(check.ok, rx.color("green", 11), rx.color("red", 11)),
        align="center",
        class_name="writing-word-check",
        width="100%",
    )


def _check(check: ShownCheck) -> rx.Component:
    return rx.hstack(
        rx.icon(rx.cond(check.ok, "circle-check", "circle-alert"), size=16, flex_shrink="0"),
        rx.text(check.note, size="2"),
        color=rx.cond(check.ok, rx.color("green", 11), rx.color("amber", 11)),
        align="center",
        class_name="writing-check",
        width="100%",
    )


def _comment(comment: ShownComment) -> rx.Component:
    return rx.box(
        rx.text(
            rx.text(comment.author, as_="span", weight="bold"),
            " · ",
            comment.when,
            size="1",
            color_scheme="gray",
        ),
        rx.text(comment.text, size="2", white_space="pre-wrap"),
        class_name="writing-comment",
        padding="0.5rem 0.75rem",
        border_radius="8px",
        background=rx.color("accent", 2),
        width="100%",
    )


def graded(submission: ShownSubmission, *, prefix: str | None = None) -> rx.Component:
    """A sentence with its grading: score, correction, word checks, or the offline checks.
    `prefix` names the parts' ids, for the one sentence on show (a list's items have none)."""

    def ids(part: str) -> dict[str, str]:
        return {"id": f"{prefix}-{part}"} if prefix else {}

    return rx.vstack(
        rx.hstack(
            rx.cond(
                submission.offline,
                rx.badge(OFFLINE_LABEL, color_scheme="gray", **ids("offline")),
                rx.badge(submission.score, color_scheme="green", size="3", **ids("score")),
            ),
            rx.text(submission.when, size="1", color_scheme="gray"),
            align="center",
            wrap="wrap",
        ),
        rx.text(
            submission.text,
            class_name="writing-sentence",
            size="4",
            white_space="pre-wrap",
            **ids("sentence"),
        ),
        rx.cond(
            submission.corrected != "",
            rx.text(
                "Corrected: ",
                rx.text(submission.corrected, as_="span", weight="bold", **ids("corrected")),
                size="3",
            ),
        ),
        rx.cond(
            submission.corrections.length() > 0,
            rx.vstack(rx.foreach(submission.corrections, _correction), spacing="2", width="100%"),
        ),
        rx.vstack(rx.foreach(submission.word_checks, _word_check), spacing="1", width="100%"),
        rx.cond(
            submission.checks.length() > 0,
            rx.vstack(rx.foreach(submission.checks, _check), spacing="1", width="100%"),
        ),
        spacing="3",
        width="100%",
    )


# --------------------------------------------------------------------------- the learner


def _target_word(word: ShownWord) -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.text(word.term, size="6", weight="bold", class_name="writing-word-term"),
            rx.cond(word.reading != "", rx.text(word.reading, size="2", color_scheme="gray")),
            rx.text(word.meaning, size="2"),
            spacing="1",
            align="center",
        ),
        class_name="writing-word",
        min_width="8rem",
    )


def _sentence_form() -> rx.Component:
    return rx.el.form(
        rx.vstack(
            rx.el.label(
                rx.text("Your sentence", size="2", weight="medium"), html_for="writing-text"
            ),
            rx.text_area(
                id="writing-text",
                name="text",
                default_value=S.text,
                key=S.form_key,
                placeholder="Write one sentence that uses the words above.",
                rows="3",
                size="3",
                width="100%",
                aria_invalid=rx.cond(S.error, "true", "false"),
            ),
            form_error(S.error, error_id="writing-error"),
            rx.hstack(
                rx.button(
                    rx.icon("send", size=16),
                    "Check my sentence",
                    id="writing-submit",
                    type="submit",
                    loading=S.grading,
                    size="3",
                ),
                rx.button(
                    rx.icon("shuffle", size=16),
                    "New words",
                    id="writing-next",
                    type="button",
                    on_click=S.next_words,
                    disabled=S.grading,
                    variant="soft",
                    size="3",
                ),
                spacing="3",
                wrap="wrap",
            ),
            spacing="2",
            width="100%",
        ),
        on_submit=S.submit,
        reset_on_submit=False,
        id="writing-form",
        width="100%",
    )


def _result() -> rx.Component:
    return feedback_card(
        S.has_result,
        rx.cond(
            S.result.notice != "",
            rx.callout.root(
                rx.callout.icon(rx.icon("info")),
                rx.callout.text(S.result.notice),
                id="writing-notice",
                color_scheme="amber",
                width="100%",
            ),
        ),
        graded(S.result, prefix="writing"),
        card_id="writing-result",
        aria_live="polite",
    )


def _past_submission(submission: ShownSubmission) -> rx.Component:
    return rx.box(
        rx.text(submission.words, size="1", color_scheme="gray"),
        graded(submission),
        rx.cond(
            submission.comments.length() > 0,
            rx.vstack(
                rx.text("Your teacher's comments", size="2", weight="medium"),
                rx.foreach(submission.comments, _comment),
                spacing="2",
                width="100%",
            ),
        ),
        class_name="writing-history-item",
        padding_y="0.75rem",
        border_top=f"1px solid {rx.color('gray', 4)}",
        width="100%",
    )


def _history() -> rx.Component:
    return section(
        "Your writing",
        rx.cond(
            S.history.length() > 0,
            rx.vstack(rx.foreach(S.history, _past_submission), spacing="0", width="100%"),
            rx.text("Nothing written yet.", size="2", color_scheme="gray", id="writing-none"),
        ),
        description="Every sentence you write is kept, with your teacher's comments.",
        id="writing-history",
    )


def _practice() -> rx.Component:
    return rx.vstack(
        rx.card(
            rx.vstack(
                rx.text("Use these words in one sentence", size="2", color_scheme="gray"),
                rx.flex(
                    rx.foreach(S.words, _target_word),
                    gap="3",
                    wrap="wrap",
                    id="writing-words",
                ),
                _sentence_form(),
                spacing="4",
                width="100%",
            ),
            width="100%",
        ),
        _result(),
        _history(),
        spacing="4",
        width="100%",
    )


@template(route="/study/writing", title="Writing", on_load=WritingState.load)
def study_writing() -> rx.Component:
    return activity_page(
        "Writing",
        "Write a sentence with words you are learning.",
        prefix="writing",
        loaded=S.loaded,
        missing=S.missing,
        practice=_practice(),
    )


# ---------------------------------------------------------------------------- the teacher


def _submission_item(submission: ShownSubmission) -> rx.Component:
    selected = submission.id == T.selected.id
    return rx.button(
        rx.vstack(
            rx.hstack(
                rx.text(submission.learner, weight="bold", size="2"),
                rx.spacer(),
                rx.cond(
                    submission.offline,
                    rx.badge("offline", color_scheme="gray", size="1"),
                    rx.badge(submission.score, color_scheme="green", size="1"),
                ),
                width="100%",
                align="center",
            ),
            rx.text(submission.text, size="2", truncate=True, width="100%", text_align="left"),
            rx.text(submission.when, size="1", color_scheme="gray"),
            spacing="1",
            align="start",
            width="100%",
        ),
        on_click=T.select(submission.id),
        variant=rx.cond(selected, "soft", "ghost"),
        color_scheme=rx.cond(selected, "indigo", "gray"),
        aria_pressed=rx.cond(selected, "true", "false"),
        class_name="writing-submission-item",
        width="100%",
        height="auto",
        padding="0.6rem 0.75rem",
    )


def _class_filter() -> rx.Component:
    return rx.select.root(
        rx.select.trigger(id="writing-class", aria_label="Class", width="100%"),
        rx.select.content(
            rx.select.item("All your classes", value=ALL_CLASSES),
            rx.foreach(
                T.class_options,
                lambda option: rx.select.item(option.label, value=option.value),
            ),
            position="popper",
        ),
        value=T.chosen_class,
        on_change=T.choose_class,
    )


def _comment_form() -> rx.Component:
    return rx.el.form(
        rx.vstack(
            rx.el.label(
                rx.text("Your comment", size="2", weight="medium"),
                html_for="writing-comment-text",
            ),
            rx.text_area(
                id="writing-comment-text",
                name="comment",
                default_value=T.comment_text,
                key=T.comment_form_key,
                rows="3",
                width="100%",
            ),
            form_error(T.comment_error, error_id="writing-comment-error"),
            rx.button("Add comment", id="writing-comment-submit", type="submit"),
            spacing="2",
            width="100%",
        ),
        on_submit=T.comment,
        reset_on_submit=False,
        width="100%",
    )


def _selected_submission() -> rx.Component:
    return rx.card(
        rx.vstack(
            rx.heading(T.selected.learner, size="4", as_="h2", id="writing-learner"),
            rx.text("Words: ", T.selected.words, size="2", color_scheme="gray"),
            graded(T.selected, prefix="writing-selected"),
            rx.vstack(
                rx.foreach(T.selected.comments, _comment),
                spacing="2",
                width="100%",
                id="writing-comments",
            ),
            form_success(T.message, message_id="writing-comment-message"),
            _comment_form(),
            spacing="3",
            width="100%",
        ),
        id="writing-selected",
        width="100%",
    )


def _teacher_writing_area() -> rx.Component:
    return rx.cond(
        T.denied,
        notice(T.denied, notice_id="writing-denied", title="For teachers only."),
        rx.flex(
            rx.vstack(
                _class_filter(),
                rx.cond(
                    T.submissions.length() > 0,
                    rx.vstack(
                        rx.foreach(T.submissions, _submission_item),
                        spacing="1",
                        width="100%",
                        id="writing-submissions",
                    ),
                    empty_text(
                        "Your learners have not written anything yet.",
                        empty_id="writing-submissions-empty",
                        size="2",
                    ),
                ),
                spacing="3",
                width=["100%", "100%", "20rem"],
                flex_shrink="0",
            ),
            rx.cond(T.selected.id > 0, _selected_submission()),
            gap="4",
            direction=rx.breakpoints(initial="column", md="row"),
            width="100%",
        ),
    )


@template(route="/teacher/writing", title="Learners' writing", on_load=TeacherWritingState.load)
def teacher_writing() -> rx.Component:
    return rx.vstack(
        page_header("Learners' writing", "Sentences your learners wrote, to read and comment on."),
        back_link("Teacher", "/teacher", link_id="writing-teacher-back"),
        rx.cond(~T.loaded, loading(), _teacher_writing_area()),
        spacing="3",
        width="100%",
    )


__all__ = ["study_writing", "teacher_writing"]
