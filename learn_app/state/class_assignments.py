"""Assignments: a class's assignments and completion grid for its teacher, and each learner's
own assignments on their Dashboard and Practice pages.

What may be seen and changed is decided by `services.study.assignments` (another teacher's
class is NotFound); these handlers only read the form and show what comes back.
"""

from __future__ import annotations

import dataclasses
from datetime import datetime
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from learn_app import db
from learn_app.models import User
from learn_app.services.content import groups as groups_service
from learn_app.services.errors import DomainError, InvalidInput, NotAuthenticated
from learn_app.services.study import activities, assignments
from learn_app.services.study.class_scope import teacher_class
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState
from learn_app.state.content import route_number

MAX_GROUP_PAGES = 10  # at most 1,000 groups to choose from
DUE_FORMAT = "%Y-%m-%dT%H:%M"  # what <input type="datetime-local"> submits


@dataclasses.dataclass
class Choice:
    value: str
    label: str


@dataclasses.dataclass
class AssignmentItem:
    id: int
    group_id: int
    group_name: str
    activity: str
    due: str
    note: str
    words: int
    done: int  # learners done (on time or late)
    learners: int


@dataclasses.dataclass
class GridCell:
    state: str  # done | late | in_progress | not_started
    label: str
    detail: str  # "3 of 4 words", "overdue"


@dataclasses.dataclass
class GridRow:
    learner_id: int
    name: str
    cells: list[GridCell]


@dataclasses.dataclass
class MyAssignmentItem:
    id: int
    class_name: str
    group_name: str
    activity: str
    due: str
    note: str
    state: str
    label: str
    progress: str
    overdue: bool


def _due(moment: datetime, timezone: str) -> str:
    return formatting.when(moment, timezone)


def _progress(completion: assignments.Completion) -> str:
    return f"{completion.answered} of {completion.words} words"


def _cell(completion: assignments.Completion) -> GridCell:
    detail = _progress(completion)
    if completion.overdue:
        detail += ", overdue"
    return GridCell(completion.state.value, completion.label, detail)


class ClassAssignmentsState(ProtectedState):
    """The assignments part of a class dashboard: set one, see who has done what."""

    class_ref: int = 0
    loaded: bool = False
    error: str = ""
    message: str = ""
    form_errors: dict[str, str] = {}
    form_key: int = 0
    timezone_name: str = "UTC"

    group_choices: list[Choice] = []
    activity_choices: list[Choice] = []
    items: list[AssignmentItem] = []
    grid_rows: list[GridRow] = []

    def _show(self, session: Session, teacher: User) -> None:
        grid = assignments.completion_grid(session, teacher, self.class_ref)
        zone = teacher.timezone
        self.items = [
            AssignmentItem(
                id=row.id,
                group_id=row.group_id,
                group_name=row.group_name,
                activity=row.activity_name or "Any activity",
                due=_due(row.due_at, zone),
                note=row.note,
                words=row.words,
                done=sum(
                    n
                    for state, n in grid.counts(row.id).items()
                    if state in (assignments.CompletionState.done, assignments.CompletionState.late)
                ),
                learners=len(grid.learners),
            )
            for row in grid.assignments
        ]
        self.grid_rows = [
            GridRow(
                learner.id,
                learner.display_name,
                [_cell(grid.cell(learner.id, row.id)) for row in grid.assignments],
            )
            for learner in grid.learners
        ]

    def _choices(self, session: Session, teacher: User, language: str) -> None:
        found: list[Choice] = []
        for page in range(1, MAX_GROUP_PAGES + 1):
            groups = groups_service.list_groups(
                session, teacher, language=language, page=page, per_page=100
            )
            found += [
                Choice(str(row.group.id), f"{row.group.name} ({row.word_count} words)")
                for row in groups.items
            ]
            if page >= groups.total_pages:
                break
        self.group_choices = found
        self.activity_choices = [Choice("", "Any activity")] + [
            Choice(str(a.id), a.name) for a in activities.list_activities(session)
        ]

    @rx.event
    def load(self) -> EventSpec | None:
        self.loaded = False
        self.error = ""
        self.message = ""
        self.form_errors = {}
        self.class_ref = route_number(self.router.url.path, 2)
        try:
            with db.session_scope() as session:
                teacher = self._caller(session).user
                self.timezone_name = teacher.timezone
                classroom = teacher_class(session, teacher, self.class_ref)
                self._choices(session, teacher, classroom.language)
                self._show(session, teacher)
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError:
            # The dashboard's own state says the class can't be seen; show nothing here.
            self.items, self.grid_rows, self.group_choices = [], [], []
            return None
        self.loaded = True
        return None

    @rx.event
    def create(self, form_data: dict[str, Any]) -> EventSpec | None:
        """Set an assignment from the form; on a problem the form keeps what was typed."""
        self.error = ""
        self.message = ""
        self.form_errors = {}
        try:
            group_id = _number(form_data.get("group_id"), "group_id", "Choose a word group.")
            activity = str(form_data.get("activity_id") or "")
            activity_id = (
                _number(activity, "activity_id", "Choose an activity.") if activity else None
            )
            due_at = _due_input(form_data.get("due_at"))
            with db.session_scope() as session:
                teacher = self._caller(session).user
                row = assignments.create_assignment(
                    session,
                    teacher,
                    self.class_ref,
                    group_id=group_id,
                    due_at=due_at,
                    activity_id=activity_id,
                    note=str(form_data.get("note") or ""),
                )
                self._show(session, teacher)
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self.form_errors = {exc.field or "form": exc.message}
            return None
        self.form_key += 1
        self.message = f"“{row.group_name}” assigned, due {_due(row.due_at, self.timezone_name)}."
        return None

    @rx.event
    def delete(self, assignment_id: int) -> EventSpec | None:
        self.error = ""
        self.message = ""
        try:
            with db.session_scope() as session:
                teacher = self._caller(session).user
                assignments.delete_assignment(session, teacher, self.class_ref, assignment_id)
                self._show(session, teacher)
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self.error = exc.message
            return None
        self.message = "Assignment removed."
        return None


def _number(value: object, field: str, message: str) -> int:
    text = str(value or "").strip()
    if not text.isdigit() or int(text) < 1 or int(text) > 2**31 - 1:
        raise InvalidInput(message, field=field)
    return int(text)


def _due_input(value: object) -> datetime:
    """The due date and time as typed, on the teacher's own clock (no zone: the service
    reads it in the teacher's time zone)."""
    try:
        return datetime.strptime(str(value or "").strip(), DUE_FORMAT)
    except ValueError:
        raise InvalidInput("Give the due date and time.", field="due_at") from None


class MyAssignmentsState(ProtectedState):
    """A learner's assignments, on their Dashboard and Practice pages."""

    my_assignments: list[MyAssignmentItem] = []
    assignments_loaded: bool = False
    assignment_error: str = ""

    @rx.var
    def open_assignments(self) -> int:
        return sum(1 for a in self.my_assignments if a.state not in ("done", "late"))

    @rx.event
    def load_assignments(self) -> EventSpec | None:
        try:
            with db.session_scope() as session:
                learner = self._caller(session).user
                mine = assignments.my_assignments(session, learner)
        except NotAuthenticated:
            return self._sign_in_redirect()
        self.my_assignments = [
            MyAssignmentItem(
                id=item.assignment.id,
                class_name=item.class_name,
                group_name=item.assignment.group_name,
                activity=item.assignment.activity_name or "any activity",
                due=_due(item.assignment.due_at, learner.timezone),
                note=item.assignment.note,
                state=item.completion.state.value,
                label=item.completion.label,
                progress=_progress(item.completion),
                overdue=item.completion.overdue,
            )
            for item in mine
        ]
        self.assignments_loaded = True
        return None

    @rx.event
    def start(self, assignment_id: int) -> EventSpec | None:
        self.assignment_error = ""
        try:
            with db.session_scope() as session:
                learner = self._caller(session).user
                url = assignments.start_assignment(session, learner, assignment_id)
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self.assignment_error = exc.message
            return None
        return rx.redirect(url)
