"""Teacher area: a teacher's classes, and how each learner in them is doing.

Whether the caller may see a class is decided by `learn_app.services.accounts.classes`, never here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from learn_app import db
from learn_app.models import User
from learn_app.services.accounts import classes
from learn_app.services.errors import DomainError, NotAuthenticated, NotFound, PermissionDenied
from learn_app.services.language.languages import TARGET_LANGUAGES
from learn_app.services.study.class_progress import class_progress
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState

__all__ = ["TARGET_LANGUAGES", "ClassRow", "LearnerRow", "TeacherState"]


@dataclasses.dataclass
class ClassRow:
    id: int
    name: str
    language: str
    learners: int


@dataclasses.dataclass
class LearnerRow:
    learner_id: int
    name: str
    email: str
    reviews: int
    success_rate: str
    sessions: int
    streak: int
    last_review: str


class TeacherState(ProtectedState):
    loaded: bool = False
    denied: str = ""
    classes: list[ClassRow] = []
    selected_id: int = 0
    learners: list[LearnerRow] = []

    create_errors: dict[str, str] = {}
    create_form_key: int = 0
    enroll_error: str = ""
    enroll_form_key: int = 0
    message: str = ""
    error: str = ""

    def _selected(self) -> ClassRow | None:
        return next((row for row in self.classes if row.id == self.selected_id), None)

    @rx.var
    def selected_name(self) -> str:
        selected = self._selected()
        return selected.name if selected else ""

    @rx.var
    def selected_language(self) -> str:
        selected = self._selected()
        return selected.language if selected else ""

    def _show_classes(self, session: Session, teacher: User) -> None:
        self.classes = [
            ClassRow(c.id, c.name, formatting.language(c.language), c.learners)
            for c in classes.list_classrooms(session, teacher)
        ]
        if self.selected_id not in {row.id for row in self.classes}:
            self.selected_id = self.classes[0].id if self.classes else 0

    def _show_learners(self, session: Session, teacher: User) -> None:
        if not self.selected_id:
            self.learners = []
            return
        self.learners = [
            LearnerRow(
                learner_id=p.learner_id,
                name=p.display_name,
                email=p.email,
                reviews=p.reviews,
                success_rate=formatting.percent(p.success_rate) if p.reviews else "—",
                sessions=p.study_sessions,
                streak=p.streak_days,
                last_review=formatting.when(p.last_review_at, teacher.timezone, empty="Never"),
            )
            for p in class_progress(session, teacher, self.selected_id)
        ]

    def _clear_messages(self) -> None:
        self.message = ""
        self.error = ""
        self.enroll_error = ""
        self.create_errors = {}

    @rx.event
    def load(self) -> EventSpec | None:
        self._clear_messages()
        try:
            with db.session_scope() as session:
                teacher = self._caller(session).user
                self._show_classes(session, teacher)
                self._show_learners(session, teacher)
        except NotAuthenticated:
            return self._sign_in_redirect()
        except PermissionDenied as exc:
            self.denied = exc.message
            self.classes = []
            self.learners = []
            self.loaded = True
            return None
        self.denied = ""
        self.loaded = True
        return None

    @rx.event
    def select_class(self, classroom_id: int) -> EventSpec | None:
        self._clear_messages()
        self.selected_id = classroom_id
        return self._refresh()

    def _refresh(self) -> EventSpec | None:
        try:
            with db.session_scope() as session:
                teacher = self._caller(session).user
                self._show_classes(session, teacher)
                self._show_learners(session, teacher)
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self.error = exc.message
        return None

    @rx.event
    def create_class(self, form_data: dict[str, Any]) -> EventSpec | None:
        self._clear_messages()
        try:
            with db.session_scope() as session:
                teacher = self._caller(session).user
                classroom = classes.create_classroom(
                    session,
                    teacher,
                    name=str(form_data.get("name", "")),
                    language=str(form_data.get("language", "")),
                )
                self.selected_id = classroom.id or 0
                self._show_classes(session, teacher)
                self._show_learners(session, teacher)
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self.create_errors = {exc.field or "form": exc.message}
            return None
        self.create_form_key += 1
        self.message = f"Class “{self.selected_name}” created. Add learners by email."
        return None

    @rx.event
    def enroll(self, form_data: dict[str, Any]) -> EventSpec | None:
        self._clear_messages()
        try:
            with db.session_scope() as session:
                teacher = self._caller(session).user
                learner = classes.enroll(
                    session, teacher, self.selected_id, str(form_data.get("email", ""))
                )
                name = learner.display_name
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self.enroll_error = exc.message
            return None
        self.enroll_form_key += 1
        self.message = f"{name} joined the class."
        return self._refresh()

    @rx.event
    def unenroll(self, learner_id: int) -> EventSpec | None:
        self._clear_messages()
        name = next((row.name for row in self.learners if row.learner_id == learner_id), "")
        try:
            with db.session_scope() as session:
                teacher = self._caller(session).user
                classes.unenroll(session, teacher, self.selected_id, learner_id)
        except NotAuthenticated:
            return self._sign_in_redirect()
        except NotFound as exc:
            self.error = exc.message
            return self._refresh()
        except DomainError as exc:
            self.error = exc.message
            return None
        self.message = f"{name or 'The learner'} left the class."
        return self._refresh()

    @rx.event
    def delete_class(self) -> EventSpec | None:
        self._clear_messages()
        name = self.selected_name
        try:
            with db.session_scope() as session:
                teacher = self._caller(session).user
                classes.delete_classroom(session, teacher, self.selected_id)
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self.error = exc.message
            return None
        self.selected_id = 0
        self.message = f"Class “{name}” deleted."
        return self._refresh()
