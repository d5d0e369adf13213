"""The sentence constructor (`/study/sentence-builder?session_id=N`): one English sentence at
a time, to build in the language learnt, with up to three hints and the answer on request.

Hints and the check of a wrong attempt may call a model for seconds, so they run in
background handlers: the service runs in a worker thread with its own database session, and
the state lock is taken only to write the result. The item's signed id stays on the server
(`_item_id`); the course's sentence reaches the browser only once the item is finished — right,
or revealed on the learner's explicit request.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from learn_app.models import User
from learn_app.services.errors import DomainError, NotFound
from learn_app.services.language.languages import language_name
from learn_app.services.study import session_history
from learn_app.services.study import sessions as study
from learn_app.services.tutor import sentences
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, run_signed_in, signed_in_handler
from learn_app.state.inputs import id_or_zero

__all__ = ["SentenceBuilderState", "ShownVocabulary"]

EMPTY_ATTEMPT_MESSAGE = "Type your sentence first."
FAILED_MESSAGE = "That didn't work just now. Please try again in a moment."
OFFLINE_PROVIDER = "offline"


@dataclasses.dataclass
class ShownVocabulary:
    term: str = ""
    reading: str = ""
    meaning: str = ""


class SentenceBuilderState(ProtectedState):
    loaded: bool = False
    missing: str = ""  # why there is nothing to show: no such session, another activity, …
    error: str = ""

    study_id: int = 0
    group_name: str = ""
    language: str = ""
    english: str = ""
    position: int = 0  # sentences finished before this one
    total: int = 0
    item_key: int = 0  # changes with every sentence, remounting the attempt box

    hint_level: int = 0  # hints shown so far, in order
    hint_busy: bool = False
    vocabulary: list[ShownVocabulary] = []
    structure: str = ""
    clues: list[str] = []
    offline: bool = False  # the last hint or feedback came from the course's rules
    notice: str = ""

    checking: bool = False
    verdict: str = ""  # "", "exact", "close" or "wrong"
    feedback: str = ""
    wrong_attempts: int = 0

    confirming_reveal: bool = False
    done: bool = False  # the sentence is finished: right, or its answer shown
    answer: str = ""
    answer_reading: str = ""
    answer_romaji: str = ""

    finished: bool = False  # the session has ended: its summary is on show
    summary_accuracy: str = ""
    summary_time: str = ""
    summary_answers: int = 0
    summary_right: int = 0

    _item_id: str = ""

    @rx.var
    def progress_label(self) -> str:
        return f"{min(self.position + 1, self.total)} of {self.total}"

    @rx.var
    def language_label(self) -> str:
        return f"Say this in {language_name(self.language)}:" if self.language else ""

    @rx.var
    def last_sentence(self) -> bool:
        return self.position + 1 >= self.total

    @rx.var
    def session_href(self) -> str:
        return f"/sessions/{self.study_id}"

    # ----------------------------------------------------------------------------- showing

    def _clear_sentence(self) -> None:
        self._item_id = ""
        self.english = ""
        self.item_key += 1
        self.hint_level = 0
        self.vocabulary, self.structure, self.clues = [], "", []
        self.offline, self.notice = False, ""
        self.verdict = self.feedback = ""
        self.wrong_attempts = 0
        self.confirming_reveal = self.done = False
        self.answer = self.answer_reading = self.answer_romaji = ""
        self.error = ""

    def _show_next(self, session: Session, user: User) -> None:
        """The session's next sentence, or its summary once there is none."""
        self._clear_sentence()
        item = sentences.next_item(session, user, self.study_id)
        if item is None:
            self._show_summary(session_history.session_summary(session, user, self.study_id))
            return
        self._item_id = item.item_id
        self.english, self.language = item.english, item.language
        self.position, self.total = item.position, item.total

    def _show_summary(self, summary: session_history.SessionSummary) -> None:
        self._clear_sentence()
        self.finished = True
        row = summary.session
        self.position = self.total = row.review_count
        self.summary_accuracy = formatting.percent(summary.accuracy)
        self.summary_time = formatting.duration(summary.duration_seconds)
        self.summary_answers, self.summary_right = row.review_count, row.correct_count

    def _show_missing(self, error: DomainError) -> None:
        self._clear_sentence()
        self.missing = error.message

    @rx.event
    @signed_in_handler(_show_missing, loaded="loaded")
    def load(self, signed: Signed) -> None:
        self.loaded = self.finished = False
        self.missing = ""
        self.group_name = self.language = ""
        self.position = self.total = 0
        self.study_id = id_or_zero(self.router.url.query_parameters.get("session_id", ""))
        if not self.study_id:
            raise NotFound(
                "There is no study session to continue here. Start one from Study "
                "Activities or Practice."
            )
        row = session_history.session_row(signed.session, signed.user, self.study_id)
        self.group_name = row.heading
        self._show_next(signed.session, signed.user)

    # ------------------------------------------------------------------------------- hints

    @rx.event(background=True)
    @signed_in_handler("error", busy="hint_busy", unexpected=FAILED_MESSAGE)
    async def take_hint(self, level: int) -> None:
        """Show hint `level`, which opens only after the ones before it."""
        async with self:
            if self.hint_busy or self.done or level != self.hint_level + 1 or not self._item_id:
                return
            self.hint_busy, self.error = True, ""
            token, item_id = self.token, self._item_id
        hint = await run_signed_in(
            token, lambda signed: sentences.hint(signed.session, signed.user, item_id, level)
        )
        async with self:
            self.hint_busy = False
            if item_id != self._item_id:  # the learner went on meanwhile
                return
            self.hint_level = level
            if level == 1:
                self.vocabulary = [
                    ShownVocabulary(v.term, v.reading, v.meaning) for v in hint.vocabulary
                ]
            elif level == 2:
                self.structure = hint.structure
            else:
                self.clues = list(hint.clues)
            self.offline, self.notice = hint.offline, hint.notice or ""

    # ----------------------------------------------------------------------------- attempts

    @rx.event
    def submit_attempt(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Enter in the box checks the sentence; a blank one is refused, and the box keeps
        whatever was typed."""
        if self.done:
            return SentenceBuilderState.next_sentence
        self.error = ""
        if not str(form_data.get("attempt", "")).strip():
            self.error = EMPTY_ATTEMPT_MESSAGE
            return None
        return None if self.checking else SentenceBuilderState.check(form_data)

    @rx.event(background=True)
    @signed_in_handler("error", busy="checking", unexpected=FAILED_MESSAGE)
    async def check(self, form_data: dict[str, Any]) -> None:
        text = str(form_data.get("attempt", ""))[: sentences.MAX_ATTEMPT_CHARS]
        async with self:
            if self.checking or self.done or not self._item_id:
                return
            self.checking, self.error, self.confirming_reveal = True, "", False
            token, item_id = self.token, self._item_id
            hints, earlier = self.hint_level, self.wrong_attempts

        def work(signed: Signed) -> tuple[Any, Any]:
            session, user = signed.session, signed.user
            attempt = sentences.check_attempt(
                session, user, item_id, text, hints_used=hints, earlier_attempts=earlier
            )
            shown = sentences.reveal(session, user, item_id) if attempt.correct else None
            return attempt, shown

        attempt, shown = await run_signed_in(token, work)
        async with self:
            self.checking = False
            if item_id != self._item_id:
                return
            self.verdict, self.feedback = attempt.verdict, attempt.feedback
            if attempt.provider != "rules":
                self.offline = attempt.provider == OFFLINE_PROVIDER
                self.notice = attempt.notice or ""
            if attempt.correct:
                self._finish(shown)
            else:
                self.wrong_attempts += 1

    def _finish(self, shown: sentences.Revealed | None) -> None:
        self.done, self.confirming_reveal = True, False
        if shown is not None:
            self.answer, self.answer_reading = shown.sentence, shown.reading
            self.answer_romaji = shown.romaji

    # ------------------------------------------------------------------------------ reveal

    @rx.event
    def ask_reveal(self) -> None:
        if not self.done and self._item_id:
            self.confirming_reveal = True

    @rx.event
    def cancel_reveal(self) -> None:
        self.confirming_reveal = False

    @rx.event
    @signed_in_handler("error", unexpected=FAILED_MESSAGE)
    def reveal(self, signed: Signed) -> None:
        """The answer, asked for and confirmed: the sentence counts as missed."""
        if self.done or not self.confirming_reveal or not self._item_id:
            return
        shown = sentences.reveal(signed.session, signed.user, self._item_id)
        self.verdict = "revealed"
        self.feedback = ""
        self._finish(shown)

    # --------------------------------------------------------------------------- going on

    @rx.event
    @signed_in_handler("missing")
    def next_sentence(self, signed: Signed) -> None:
        if self.checking or self.hint_busy:
            return
        self._show_next(signed.session, signed.user)

    @rx.event
    @signed_in_handler("missing")
    def end(self, signed: Signed) -> None:
        self._show_summary(study.end_session(signed.session, signed.user, self.study_id))
