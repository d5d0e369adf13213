"""Running a built-in study activity (`/study/{slug}?session_id=N`): one word at a time.

Which words a session goes through and in which order is `services.plan.session_queue`,
derived from the answers already recorded, so a reload carries on with the next unanswered
word. Every answer is recorded the moment it is given (`services.study.record_review`), with
the time from the question appearing to the answer measured here, on the server. When the
last word is answered the session ends at once, and the page shows its summary.
"""

from __future__ import annotations

import dataclasses
import time
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from learn_app.models import StudySession, User
from learn_app.services.content.groups import get_group
from learn_app.services.errors import Conflict, DomainError, NotFound
from learn_app.services.study import plan, scheduling, session_history
from learn_app.services.study import sessions as study
from learn_app.services.study.activities import BUILTIN_SLUGS, get_activity, launch_url
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.inputs import id_or_zero
from learn_app.state.signed_in import off_loop
from learn_app.state.study_questions import Question, ask, check_typed, usable_words
from learn_app.state.tutor import TutorState

__all__ = ["AUDIO_ID", "RATINGS", "SHORTCUT_KEYS", "StudyRunState", "WordToReview"]

# Flashcard ratings by key, in the order of the buttons.
RATINGS: dict[str, str] = {"1": "again", "2": "hard", "3": "good", "4": "easy"}
CHOICE_KEYS = ("1", "2", "3", "4")
SHORTCUT_KEYS: dict[str, list[str]] = {
    "flashcards": [" ", "r", "R", *RATINGS],
    "multiple-choice": [*CHOICE_KEYS, "Enter"],
    "listening": [*CHOICE_KEYS, "Enter", " ", "p", "P"],
    "typing": ["Enter"],
    "cloze": ["Enter"],
}
AUDIO_ID = "study-audio"
PLAY_SCRIPT = f"document.getElementById('{AUDIO_ID}')?.play()?.catch(() => {{}})"


@dataclasses.dataclass
class WordToReview:
    id: int
    term: str
    reading: str
    meaning: str
    wrong: int


class StudyRunState(ProtectedState):
    loaded: bool = False
    missing: str = ""  # why there is nothing to show: no such session, activity, …
    error: str = ""

    activity_slug: str = ""
    activity_name: str = ""
    study_id: int = 0
    group_name: str = ""

    answered_count: int = 0
    total: int = 0
    finished: bool = False  # the session has ended: its summary is on show

    # The question on show. `question_key` changes with every question, remounting its inputs.
    question: Question = Question()
    question_key: int = 0
    show_reading: bool = False
    revealed: bool = False

    # What the last answer earned, shown until the next question.
    answered: bool = False
    was_correct: bool = False
    was_close: bool = False
    expected: str = ""
    note: str = ""
    chosen: int = 0
    right_choice: int = 0
    last_word: bool = False  # that answer ended the session; Next shows the summary

    summary_accuracy: str = ""
    summary_time: str = ""
    summary_answers: int = 0
    summary_right: int = 0
    to_review: list[WordToReview] = []

    _group_id: int | None = None
    _shown_at: float = 0.0
    _latency_ms: int = -1
    _answer_index: int = -1
    _given: str = ""  # the answer typed or chosen, for "Explain my answer"

    @rx.var
    def progress_label(self) -> str:
        return f"{min(self.answered_count + 1, self.total)} of {self.total}"

    @rx.var
    def progress_percent(self) -> int:
        return round(100 * self.answered_count / self.total) if self.total else 0

    @rx.var
    def session_href(self) -> str:
        return f"/sessions/{self.study_id}"

    # ------------------------------------------------------------------------- loading

    def _show_missing(self, error: NotFound) -> None:
        self.missing = error.message
        self.loaded = True

    @rx.event
    @signed_in_handler({NotFound: _show_missing})
    def load(self, signed: Signed) -> EventSpec | None:
        self._clear_question()
        self.loaded = False
        self.missing = self.error = ""
        self.finished = False
        self.activity_name = self.group_name = ""
        self.answered_count = self.total = 0
        parts = [part for part in self.router.url.path.split("/") if part]
        self.activity_slug = parts[1] if len(parts) > 1 else ""
        self.study_id = id_or_zero(self.router.url.query_parameters.get("session_id", ""))
        if self.activity_slug not in BUILTIN_SLUGS:
            raise NotFound("That study activity does not exist.")
        if not self.study_id:
            raise NotFound(
                "There is no study session to continue here. Start one from Study "
                "Activities or Practice."
            )
        session, user = signed.session, signed.user
        studied = session_history.own_session(session, user, self.study_id)
        activity = get_activity(session, studied.activity_id)
        if activity.slug != self.activity_slug:
            if activity.slug not in BUILTIN_SLUGS:
                raise NotFound("That study session belongs to another activity.")
            return rx.redirect(
                launch_url(activity, group_id=studied.group_id, session_id=self.study_id),
                replace=True,
            )
        self.activity_name = activity.name
        self._next_question(signed, studied)
        self.loaded = True
        return None

    def _queue(self, session: Session, user: User) -> plan.SessionQueue:
        return plan.session_queue(
            session, user, self.study_id, keep=usable_words(self.activity_slug)
        )

    def _next_question(
        self, signed: Signed, studied: StudySession, queue: plan.SessionQueue | None = None
    ) -> None:
        """Show the next unanswered word, or the summary once there is none. `queue` is the
        session's queue when the caller has just worked it out in this transaction."""
        session, user = signed.session, signed.user
        self._group_id = studied.group_id
        if studied.group_id is None:
            self.group_name = session_history.session_heading(studied)
        elif not self.group_name:
            self.group_name = get_group(session, studied.group_id).name
        if queue is None:
            queue = self._queue(session, user)
        self._clear_question()
        self._assign_changed(answered_count=queue.answered, total=queue.total)
        if not queue.words:
            self._show_summary(study.end_session(session, user, self.study_id))
            return
        asked = ask(
            session,
            user,
            self.activity_slug,
            queue.words[0],
            queue.answered,
            studied.group_id,
            sign_in=signed.caller.session_id,
        )
        self.question, self._answer_index = asked.question, asked.answer_index
        self._shown_at = time.time()

    def _clear_question(self) -> None:
        self.question_key += 1
        self._assign_changed(
            question=Question(),
            show_reading=False,
            revealed=False,
            answered=False,
            was_correct=False,
            was_close=False,
            last_word=False,
            expected="",
            note="",
            chosen=0,
            right_choice=0,
            error="",
        )
        self._latency_ms = -1
        self._answer_index = -1
        self._given = ""

    def _show_summary(self, summary: session_history.SessionSummary) -> None:
        self._clear_question()
        self.finished = True
        row = summary.session
        self.answered_count = self.total = row.review_count
        self.summary_accuracy = formatting.percent(summary.accuracy)
        self.summary_time = formatting.duration(summary.duration_seconds)
        self.summary_answers, self.summary_right = row.review_count, row.correct_count
        self.to_review = [
            WordToReview(w.word_id, w.term, w.reading, w.meaning, w.wrong)
            for w in summary.words_to_review
        ]

    # ------------------------------------------------------------------------- answering

    def _elapsed_ms(self) -> int:
        return max(0, round((time.time() - self._shown_at) * 1000))

    def _store(
        self, signed: Signed, *, correct: bool, rating: str | None = None, response: str = ""
    ) -> tuple[StudySession, plan.SessionQueue]:
        """Store the answer to the question on show; end the session after its last word.
        Returns the study session and its queue with this answer taken."""
        latency = self._latency_ms if self._latency_ms >= 0 else self._elapsed_ms()
        session, user = signed.session, signed.user
        # Held until the answer is stored: the database session keeps a row only while
        # something refers to it, and the services look this one up several times.
        studied = session_history.own_session(session, user, self.study_id)
        study.record_review(
            session,
            user,
            self.study_id,
            self.question.word_id,
            correct=correct,
            rating=rating,
            response=response,
            latency_ms=latency,
        )
        queue = self._queue(session, user)
        if not queue.words:
            summary = study.end_session(session, user, self.study_id)
            self.last_word = True
            if self.activity_slug == "flashcards":
                self._show_summary(summary)
        if not self.finished:
            self.answered, self.was_correct = True, correct
        return studied, queue

    def _carry_on(self, _: Conflict) -> EventSpec | None:
        """The session was ended meanwhile, from another tab: on to what comes next."""
        return self.next_question()

    @signed_in_handler({Conflict: _carry_on, DomainError: "error"})
    def _record(
        self, signed: Signed, *, correct: bool, rating: str | None = None, response: str = ""
    ) -> None:
        self._store(signed, correct=correct, rating=rating, response=response)

    @rx.event
    @signed_in_handler({NotFound: "missing"})
    def next_question(self, signed: Signed) -> None:
        session, user = signed.session, signed.user
        self._next_question(signed, session_history.own_session(session, user, self.study_id))

    @rx.event
    def toggle_reading(self) -> None:
        self.show_reading = not self.show_reading

    @rx.event
    def reveal(self) -> None:
        if self.question.word_id and not self.revealed:
            self.revealed = True
            self._latency_ms = self._elapsed_ms()

    @rx.event
    @off_loop
    def rate(self, rating: str) -> EventSpec | None:
        """A flashcard's own grade: Again is a wrong answer, Hard, Good and Easy right ones."""
        if not self.revealed or self.answered or rating not in RATINGS.values():
            return None
        return self._rate(rating)

    @signed_in_handler({Conflict: _carry_on, DomainError: "error"})
    def _rate(self, signed: Signed, rating: str) -> None:
        """Store the grade and show the next card, with the queue worked out once for both."""
        studied, queue = self._store(
            signed, correct=rating != "again", rating=rating, response=rating
        )
        if self.finished:
            return
        # The answer is kept even if showing the next card fails.
        signed.session.commit()
        self._next_question(signed, studied, queue)

    @rx.event
    @off_loop
    def choose(self, number: int) -> EventSpec | None:
        choices = self.question.choices
        if self.answered or not 1 <= number <= len(choices):
            return None
        correct = number - 1 == self._answer_index
        result = self._record(correct=correct, response=choices[number - 1].text)
        if self.answered:
            self.chosen, self.right_choice = number, self._answer_index + 1
            self.expected = choices[self._answer_index].text
            self._given = choices[number - 1].text
        return result

    @rx.event
    @off_loop
    def submit_answer(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Enter in the answer field checks it; once checked, Enter goes on to the next word."""
        if self.answered:
            return self.next_question()
        if not self.question.word_id:
            return None
        return self._answer_typed(str(form_data.get("answer", ""))[: study.MAX_RESPONSE_LENGTH])

    @signed_in_handler({Conflict: _carry_on, DomainError: "error"})
    def _answer_typed(self, signed: Signed, typed: str) -> None:
        check = check_typed(
            signed.session, signed.user, self.activity_slug, self.question, self._group_id, typed
        )
        close = check.close and self.activity_slug == "typing"
        self._store(
            signed,
            correct=check.correct,
            rating=scheduling.rating_for_answer(check.correct, close_match=close).value,
            response=typed,
        )
        if self.answered:
            self.was_close, self.expected, self.note = check.close, check.expected, check.note
            self._given = typed

    @rx.event
    def explain_answer(self) -> EventSpec | None:
        """Open the tutor explaining the wrong answer on show. The session stays as it is: the
        answer is recorded, and coming back carries on with the next word."""
        if not self.answered or self.was_correct or not self._given.strip():
            return None
        return TutorState.explain_mistake(
            self.question.word_id,
            self._given,
            self.expected,
            self.study_id,
            f"/study/{self.activity_slug}?session_id={self.study_id}",
        )

    @rx.event
    @signed_in_handler({NotFound: "missing"})
    def end(self, signed: Signed) -> None:
        self._show_summary(study.end_session(signed.session, signed.user, self.study_id))

    @rx.event
    def play(self) -> EventSpec | None:
        return rx.call_script(PLAY_SCRIPT) if self.question.audio_url else None

    @rx.event
    @off_loop
    def shortcut(self, key: str) -> EventSpec | None:
        """A key pressed outside any text field (see `components.keyboard`)."""
        if self.finished or not self.loaded or self.missing:
            return None
        slug = self.activity_slug
        if slug == "flashcards":
            if key == " ":
                self.reveal()
            elif key in ("r", "R"):
                self.toggle_reading()
            elif key in RATINGS and self.revealed:
                return self.rate(RATINGS[key])
        elif slug in ("multiple-choice", "listening"):
            if key in CHOICE_KEYS and not self.answered:
                return self.choose(int(key))
            if key == "Enter" and self.answered:
                return self.next_question()
            if key in (" ", "p", "P"):
                return self.play()
        elif key == "Enter" and self.answered:
            return self.next_question()
        return None
