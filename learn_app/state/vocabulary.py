"""The vocabulary importer (`/vocabulary`), for teachers: a theme, a proposed word list to
review, and the import of the rows kept into a new or existing group.

Generating may call a model for seconds, so it runs in a background handler: the service runs
in a worker thread with its own database session, and the state lock is taken only to write
the rows. Each edit of a row is checked again against the course; the import is validated and
applied by `learn_app.services.authoring.vocabulary_import`, all or nothing.
"""

from __future__ import annotations

import dataclasses
import itertools
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from learn_app.models import User
from learn_app.services import paging
from learn_app.services.authoring import vocabulary
from learn_app.services.authoring.vocabulary_import import import_reviewed
from learn_app.services.content import common
from learn_app.services.content import courses as courses_service
from learn_app.services.content import groups as groups_service
from learn_app.services.content.course_format import ContentErrors
from learn_app.services.errors import DomainError, PermissionDenied
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, run_signed_in, signed_in_handler
from learn_app.state.content import NONE, CourseOption, course_options
from learn_app.state.inputs import id_or_zero
from learn_app.state.signed_in import off_loop

__all__ = ["ImportProblem", "LanguageOption", "ReviewRow", "TargetGroup", "VocabularyState"]

NEW_GROUP = "new"
GENERATE_FAILED_MESSAGE = "The word list couldn't be made just now. Please try again."
ROW_TEXT_FIELDS = (
    "term",
    "reading",
    "meaning",
    "example_sentence",
    "example_reading",
    "example_translation",
)
ROW_CHOICE_FIELDS = ("part_of_speech", "gender", "verb_class")
_keys = itertools.count(1)


@dataclasses.dataclass
class ReviewRow:
    """One row of the review table; `key` keeps each row's inputs its own across changes."""

    key: str = ""
    term: str = ""
    reading: str = ""
    meaning: str = ""
    part_of_speech: str = "noun"
    gender: str = ""
    verb_class: str = ""
    example_sentence: str = ""
    example_reading: str = ""
    example_translation: str = ""
    keep: bool = True
    duplicate: bool = False
    problems: list[str] = dataclasses.field(default_factory=list)


@dataclasses.dataclass
class ImportProblem:
    row: str
    field: str
    message: str


@dataclasses.dataclass
class LanguageOption:
    code: str
    name: str


@dataclasses.dataclass
class TargetGroup:
    id: str
    name: str


def _shown(word: vocabulary.ProposedWord, *, keep: bool | None = None) -> ReviewRow:
    return ReviewRow(
        key=str(next(_keys)),
        **word.values(),
        keep=word.keep if keep is None else keep,
        duplicate=word.duplicate,
        problems=[f"{p.field.replace('_', ' ')}: {p.message}" for p in word.problems],
    )


def _values(row: ReviewRow) -> dict[str, Any]:
    return {name: getattr(row, name) for name in (*ROW_TEXT_FIELDS, *ROW_CHOICE_FIELDS, "keep")}


def _proposed(signed: Signed, theme: str, language: str, count: int) -> tuple[list[ReviewRow], str]:
    proposal = vocabulary.propose_words(signed.session, signed.user, theme, language, count)
    return [_shown(word) for word in proposal.words], proposal.notice or ""


class VocabularyState(ProtectedState):
    loaded: bool = False
    denied: str = ""
    languages: list[LanguageOption] = []
    language: str = ""
    theme: str = ""
    count: str = str(vocabulary.MIN_COUNT)
    generating: bool = False
    error: str = ""
    notice: str = ""
    rows: list[ReviewRow] = []
    groups: list[TargetGroup] = []
    target: str = NEW_GROUP
    group_name: str = ""
    courses: list[CourseOption] = []
    course: str = ""
    status: str = "draft"
    import_error: str = ""
    group_name_error: str = ""
    problems: list[ImportProblem] = []
    result: str = ""
    result_href: str = ""

    @rx.var
    def kept(self) -> int:
        return sum(1 for row in self.rows if row.keep)

    @rx.var
    def is_japanese(self) -> bool:
        return self.language == "ja"

    @rx.var
    def new_group(self) -> bool:
        return self.target == NEW_GROUP

    def _show_targets(self, session: Session, teacher: User) -> None:
        found = groups_service.list_groups(
            session, teacher, language=self.language, per_page=paging.MAX_PAGE_SIZE
        )
        self.groups = [TargetGroup(str(row.group.id), row.group.name) for row in found.items]
        if self.target not in {NEW_GROUP, *(g.id for g in self.groups)}:
            self.target = NEW_GROUP
        self.courses = [c for c in course_options(session) if c.language == self.language]
        if self.course not in {c.id for c in self.courses}:
            self.course = self.courses[0].id if self.courses else ""

    @rx.event
    @signed_in_handler({PermissionDenied: "denied"}, loaded="loaded")
    def load(self, signed: Signed) -> None:
        self.denied = ""
        session, teacher = signed.session, signed.user
        common.require_editor(teacher)
        codes = sorted({c.language for c in courses_service.list_courses(session)})
        self.languages = [LanguageOption(c, formatting.language(c)) for c in codes]
        if self.language not in codes:
            preferred = teacher.target_language if teacher.target_language in codes else ""
            self.language = preferred or (codes[0] if codes else "")
        self._show_targets(session, teacher)

    @rx.event
    @off_loop
    def choose_language(self, language: str) -> EventSpec | None:
        """Another language: the rows were checked for the old one, so they go."""
        if language == self.language:
            return None
        self.language = language
        self.rows, self.notice, self.problems, self.import_error = [], "", [], ""
        return self._show_language_targets()

    @signed_in_handler()
    def _show_language_targets(self, signed: Signed) -> None:
        self._show_targets(signed.session, signed.user)

    # ---------------------------------------------------------------------- generating

    @rx.event
    def submit_theme(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Ask for a list; what was typed stays in the form whatever happens."""
        self.theme = str(form_data.get("theme", ""))
        self.count = str(form_data.get("count", self.count)).strip()
        self.error = ""
        return None if self.generating else VocabularyState.generate

    @rx.event(background=True)
    @signed_in_handler("error", busy="generating", unexpected=GENERATE_FAILED_MESSAGE)
    async def generate(self) -> None:
        async with self:
            if self.generating:
                return
            self.generating = True
            self.result = self.result_href = self.import_error = ""
            self.problems = []
            count = int(self.count) if self.count.isdigit() else 0
            token, theme, language = self.token, self.theme, self.language
        rows, notice = await run_signed_in(
            token, lambda signed: _proposed(signed, theme, language, count)
        )
        async with self:
            self.rows, self.notice, self.generating = rows, notice, False

    # ---------------------------------------------------------------------- reviewing

    @signed_in_handler("import_error")
    def _recheck(self, signed: Signed, index: int, row: ReviewRow) -> None:
        """The row as edited, with its flags worked out again; its tick stays as it was."""
        common.require_editor(signed.user)
        course = vocabulary.course_for_language(signed.session, self.language)
        [checked] = vocabulary.review_rows(
            signed.session, self.language, [_values(row)], native_language=course.native_language
        )
        shown = _shown(checked, keep=row.keep)
        shown.key = row.key
        rows = list(self.rows)
        rows[index] = shown
        self.rows = rows

    @rx.event
    @off_loop
    def edit(self, index: int, field: str, value: str) -> EventSpec | None:
        if not 0 <= index < len(self.rows) or field not in (*ROW_TEXT_FIELDS, *ROW_CHOICE_FIELDS):
            return None
        value = "" if value == NONE else value
        row = self.rows[index]
        if getattr(row, field) == value:
            return None
        return self._recheck(index, dataclasses.replace(row, **{field: value}))

    @rx.event
    def set_keep(self, index: int, keep: bool) -> None:
        if 0 <= index < len(self.rows):
            rows = list(self.rows)
            rows[index] = dataclasses.replace(rows[index], keep=bool(keep))
            self.rows = rows

    @rx.event
    def add_row(self) -> None:
        """A row to fill in by hand: the way to add words when no model is set up."""
        self.rows = [*self.rows, ReviewRow(key=str(next(_keys)))]

    # ---------------------------------------------------------------------- importing

    @rx.event
    def choose_target(self, target: str) -> None:
        self.target = target
        self.group_name_error = ""

    @rx.event
    def set_group_name(self, name: str) -> None:
        self.group_name = name
        self.group_name_error = ""

    @rx.event
    def choose_course(self, course: str) -> None:
        self.course = course

    @rx.event
    def choose_status(self, status: str) -> None:
        self.status = status if status in ("draft", "published") else "draft"

    def _show_import_problems(self, error: ContentErrors) -> None:
        self.problems = [
            ImportProblem(str(p.line or "—"), p.field.replace("_", " ") or "—", p.message)
            for p in error.problems
        ]

    def _show_import_error(self, error: DomainError) -> None:
        if error.field == "group_name":
            self.group_name_error = error.message
        else:
            self.import_error = error.message

    @rx.event
    @signed_in_handler({ContentErrors: _show_import_problems, DomainError: _show_import_error})
    def import_words(self, signed: Signed) -> EventSpec:
        self.import_error = self.group_name_error = self.result = self.result_href = ""
        self.problems = []
        group: int | str = id_or_zero(self.target) if self.target.isdigit() else self.group_name
        done = import_reviewed(
            signed.session,
            signed.user,
            [_values(row) for row in self.rows],
            group,
            language=self.language,
            course_id=id_or_zero(self.course) or None,
            status=self.status,
        )
        words = "word" if done.created == 1 else "words"
        self.result = (
            f"{done.added_to_group} added to “{done.group_name}”, "
            f"{done.created} new {words} ({self.status})."
        )
        self.result_href = f"/groups/{done.group_id}"
        self.rows, self.notice, self.group_name = [], "", ""
        signed.session.flush()
        self._show_targets(signed.session, signed.user)
        return rx.toast.success("Words imported.")
