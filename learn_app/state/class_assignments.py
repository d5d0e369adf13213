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

from learn_app.models import User
from learn_app.services.content import groups as groups_service
from learn_app.services.errors import DomainError, InvalidInput
from learn_app.services.study import activities, assignments
from learn_app.services.study.assignment_progress import Completion, CompletionState
from learn_app.services.study.class_scope import teacher_class
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.content import route_number
from learn_app.state.inputs import checked_id, id_or_zero

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


def _progress(completion: Completion) -> str:
    return f"{completion.answered} of {completion.words} words"


def _cell(completion: Completion) -> GridCell:
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
                    if state in (CompletionState.done, CompletionState.late)
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

    def _show_nothing(self, _: DomainError) -> None:
        """The dashboard's own state says the class can't be seen; show nothing here."""
        self.items, self.grid_rows, self.group_choices = [], [], []

    @rx.event
    @signed_in_handler(_show_nothing)
    def load(self, signed: Signed) -> None:
        self.loaded = False
        self.error = ""
        self.message = ""
        self.form_errors = {}
        self.class_ref = route_number(self.router.url.path, 2)
        session, teacher = signed.session, signed.user
        self.timezone_name = teacher.timezone
        classroom = teacher_class(session, teacher, self.class_ref)
        self._choices(session, teacher, classroom.language)
        self._show(session, teacher)
        self.loaded = True

    @rx.event
    @signed_in_handler("form_errors")
    def create(self, signed: Signed, form_data: dict[str, Any]) -> None:
        """Set an assignment from the form; on a problem the form keeps what was typed."""
        self.error = ""
        self.message = ""
        self.form_errors = {}
        group_id = _number(form_data.get("group_id"), "group_id", "Choose a word group.")
        activity = str(form_data.get("activity_id") or "")
        activity_id = _number(activity, "activity_id", "Choose an activity.") if activity else None
        due_at = _due_input(form_data.get("due_at"))
        row = assignments.create_assignment(
            signed.session,
            signed.user,
            self.class_ref,
            group_id=group_id,
            due_at=due_at,
            activity_id=activity_id,
            note=str(form_data.get("note") or ""),
        )
        self._show(signed.session, signed.user)
        self.form_key += 1
        self.message = f"“{row.group_name}” assigned, due {_due(row.due_at, self.timezone_name)}."

    @rx.event
    @signed_in_handler("error")
    def delete(self, signed: Signed, assignment_id: int) -> None:
        self.error = ""
        self.message = ""
        assignment_id = checked_id(assignment_id, "assignment")
        assignments.delete_assignment(signed.session, signed.user, self.class_ref, assignment_id)
        self._show(signed.session, signed.user)
        self.message = "Assignment removed."


def _number(value: object, field: str, message: str) -> int:
    chosen = id_or_zero(value)
    if not chosen:
        raise InvalidInput(message, field=field)
    return chosen


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
    @signed_in_handler()
    def load_assignments(self, signed: Signed) -> None:
        learner = signed.user
        mine = assignments.my_assignments(signed.session, learner)
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

    @rx.event
    @signed_in_handler("assignment_error")
    def start(self, signed: Signed, assignment_id: int) -> EventSpec:
        self.assignment_error = ""
        assignment_id = checked_id(assignment_id, "assignment")
        return rx.redirect(assignments.start_assignment(signed.session, signed.user, assignment_id))
