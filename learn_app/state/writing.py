"""Writing practice (`/study/writing`) and the teachers' view of their learners' writing
(`/teacher/writing`).

Grading may call a model for seconds, so it runs in a background handler: the service runs in
a worker thread with its own database session, and the state lock is taken only to write the
result. What the learner typed stays in the box whatever happens.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec

from learn_app.services.accounts import classes
from learn_app.services.errors import DomainError, NotFound, PermissionDenied
from learn_app.services.tutor import writing
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, run_signed_in, signed_in_handler
from learn_app.state.inputs import id_or_zero
from learn_app.state.signed_in import off_loop

__all__ = [
    "ShownCheck",
    "ShownComment",
    "ShownCorrection",
    "ShownSubmission",
    "ShownWord",
    "ShownWordCheck",
    "TeacherWritingState",
    "WritingState",
]

EMPTY_TEXT_MESSAGE = "Write a sentence that uses the words."
GRADING_FAILED_MESSAGE = "Your sentence couldn't be checked just now. Please try again."
ALL_CLASSES = "all"


@dataclasses.dataclass
class ShownWord:
    id: int = 0
    term: str = ""
    reading: str = ""
    meaning: str = ""


@dataclasses.dataclass
class ShownCorrection:
    original: str = ""
    correction: str = ""
    explanation: str = ""


@dataclasses.dataclass
class ShownWordCheck:
    term: str = ""
    verdict: str = ""  # "Used correctly", "Used — check it", "Not used", "Used"
    ok: bool = False
    note: str = ""


@dataclasses.dataclass
class ShownCheck:
    ok: bool = False
    note: str = ""


@dataclasses.dataclass
class ShownComment:
    author: str = ""
    text: str = ""
    when: str = ""


@dataclasses.dataclass
class ShownSubmission:
    id: int = 0
    learner: str = ""
    when: str = ""
    text: str = ""
    words: str = ""  # the target terms, for a list
    score: str = ""  # "85 / 100", or "" when only the offline checks ran
    offline: bool = False
    corrected: str = ""
    corrections: list[ShownCorrection] = dataclasses.field(default_factory=list)
    word_checks: list[ShownWordCheck] = dataclasses.field(default_factory=list)
    checks: list[ShownCheck] = dataclasses.field(default_factory=list)
    notice: str = ""
    comments: list[ShownComment] = dataclasses.field(default_factory=list)


def _verdict(check: dict[str, Any]) -> tuple[str, bool]:
    if not check.get("used"):
        return "Not used", False
    correct = check.get("correct")
    if correct is None:
        return "Used", True
    return ("Used correctly", True) if correct else ("Used — check it", False)


def shown_submission(view: writing.SubmissionView, timezone: str) -> ShownSubmission:
    submission, feedback = view.submission, view.submission.feedback or {}
    word_checks = []
    for check in feedback.get("target_words", []):
        verdict, ok = _verdict(check)
        word_checks.append(
            ShownWordCheck(str(check.get("term", "")), verdict, ok, str(check.get("note", "")))
        )
    return ShownSubmission(
        id=submission.id or 0,
        learner=view.learner_name,
        when=formatting.when(submission.created_at, timezone),
        text=submission.text,
        words=", ".join(str(w.get("term", "")) for w in submission.target_words),
        score="" if submission.score is None else f"{submission.score} / 100",
        offline=view.offline,
        corrected=str(feedback.get("corrected", "")),
        corrections=[
            ShownCorrection(str(c["original"]), str(c["correction"]), str(c["explanation"]))
            for c in feedback.get("corrections", [])
        ],
        word_checks=word_checks,
        checks=[ShownCheck(bool(c["ok"]), str(c["note"])) for c in feedback.get("checks", [])],
        notice=submission.notice,
        comments=[
            ShownComment(c.author_name, c.text, formatting.when(c.created_at, timezone))
            for c in view.comments
        ],
    )


def _shown_words(prompt: writing.WritingPrompt) -> list[ShownWord]:
    return [
        ShownWord(
            w.word_id,
            w.term,
            w.reading if w.reading != w.term else w.romaji,
            w.meaning,
        )
        for w in prompt.words
    ]


def _graded(
    signed: Signed, text: str, word_ids: list[int], study_id: int | None
) -> tuple[ShownSubmission, list[ShownSubmission]]:
    """Grade and keep the sentence, then read the learner's writing again."""
    session, user = signed.session, signed.user
    view = writing.grade_writing(session, user, text, word_ids, study_id)
    history = writing.list_own_submissions(session, user)
    return (
        shown_submission(view, user.timezone),
        [shown_submission(v, user.timezone) for v in history],
    )


class WritingState(ProtectedState):
    """The words to write with, the sentence box, its grading and the learner's past writing."""

    loaded: bool = False
    missing: str = ""
    error: str = ""
    study_id: int = 0
    words: list[ShownWord] = []
    text: str = ""
    form_key: int = 0
    grading: bool = False
    has_result: bool = False
    result: ShownSubmission = ShownSubmission()
    history: list[ShownSubmission] = []

    @rx.var
    def sessions_href(self) -> str:
        return f"/sessions/{self.study_id}" if self.study_id else "/sessions"

    def _new_prompt(self, session: Any, user: Any, exclude: list[int]) -> None:
        prompt = writing.writing_prompt(
            session, user, study_session_id=self.study_id or None, exclude_word_ids=exclude
        )
        self.words = _shown_words(prompt)
        self.text = ""
        self.form_key += 1
        self.has_result = False
        self.result = ShownSubmission()

    @rx.event
    @signed_in_handler({NotFound: "missing"}, loaded="loaded")
    def load(self, signed: Signed) -> None:
        self.loaded = False
        self.missing = self.error = ""
        self.words, self.history = [], []
        self.study_id = id_or_zero(self.router.url.query_parameters.get("session_id", ""))
        session, user = signed.session, signed.user
        self.history = [
            shown_submission(v, user.timezone) for v in writing.list_own_submissions(session, user)
        ]
        self._new_prompt(session, user, [])

    @rx.event
    @signed_in_handler({NotFound: "error"})
    def next_words(self, signed: Signed) -> None:
        if self.grading:
            return
        self.error = ""
        self._new_prompt(signed.session, signed.user, [w.id for w in self.words])

    @rx.event
    def submit(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Check what was typed; a blank sentence is refused, and the box keeps its text."""
        self.text = str(form_data.get("text", ""))
        self.error = ""
        if not self.text.strip():
            self.error = EMPTY_TEXT_MESSAGE
            return None
        return None if self.grading else WritingState.grade

    @rx.event(background=True)
    @signed_in_handler("error", busy="grading", unexpected=GRADING_FAILED_MESSAGE)
    async def grade(self) -> None:
        async with self:
            if self.grading or not self.words:
                return
            self.grading, self.error = True, ""
            token, text, study_id = self.token, self.text, self.study_id or None
            word_ids = [w.id for w in self.words]
        shown, history = await run_signed_in(
            token, lambda signed: _graded(signed, text, word_ids, study_id)
        )
        async with self:
            self.result, self.has_result, self.history = shown, True, history
            self.grading = False


@dataclasses.dataclass
class ClassOption:
    value: str
    label: str


class TeacherWritingState(ProtectedState):
    """A teacher's learners' writing, newest first, one piece open with its comments."""

    loaded: bool = False
    denied: str = ""
    class_options: list[ClassOption] = []
    chosen_class: str = ALL_CLASSES
    submissions: list[ShownSubmission] = []
    selected: ShownSubmission = ShownSubmission()
    comment_text: str = ""
    comment_error: str = ""
    comment_form_key: int = 0
    message: str = ""

    def _refresh(self, session: Any, teacher: Any) -> None:
        classroom_id = id_or_zero(self.chosen_class) or None
        self.submissions = [
            shown_submission(v, teacher.timezone)
            for v in writing.list_learner_submissions(session, teacher, classroom_id=classroom_id)
        ]
        current = next((s for s in self.submissions if s.id == self.selected.id), None)
        fallback = self.submissions[0] if self.submissions else ShownSubmission()
        self.selected = current or fallback

    def _deny(self, error: DomainError) -> None:
        self.denied, self.submissions = error.message, []

    @rx.event
    @signed_in_handler({PermissionDenied: _deny}, loaded="loaded")
    def load(self, signed: Signed) -> None:
        self.message = self.comment_error = ""
        session, teacher = signed.session, signed.user
        self.class_options = [
            ClassOption(str(c.id), c.name) for c in classes.list_classrooms(session, teacher)
        ]
        if self.chosen_class not in {o.value for o in self.class_options}:
            self.chosen_class = ALL_CLASSES
        self._refresh(session, teacher)
        self.denied = ""

    @rx.event
    @off_loop
    def choose_class(self, value: str) -> EventSpec | None:
        self.chosen_class = value
        self.message = self.comment_error = ""
        return self._reload()

    @rx.event
    def select(self, submission_id: int) -> None:
        found = next((s for s in self.submissions if s.id == submission_id), None)
        if found is not None and found.id != self.selected.id:
            self.selected = found
            self.message = self.comment_error = self.comment_text = ""
            self.comment_form_key += 1

    @signed_in_handler("comment_error")
    def _reload(self, signed: Signed) -> None:
        self._refresh(signed.session, signed.user)

    @rx.event
    @signed_in_handler("comment_error")
    def comment(self, signed: Signed, form_data: dict[str, Any]) -> None:
        """The comment stays in its box when it is refused."""
        self.comment_text = str(form_data.get("comment", ""))
        self.message = self.comment_error = ""
        writing.add_comment(signed.session, signed.user, self.selected.id, self.comment_text)
        self._refresh(signed.session, signed.user)
        self.comment_text = ""
        self.comment_form_key += 1
        self.message = f"Comment added for {self.selected.learner}."
