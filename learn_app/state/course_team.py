"""Course editors: a course's owner (or an admin) lists, adds and removes its editors; admins
hand the course to another owner. Who may do what is decided by `services.content`."""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from sqlmodel import Session

from learn_app.models import Role, User
from learn_app.services.content import course_team, courses
from learn_app.services.errors import DomainError, NotFound, PermissionDenied
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.inputs import checked_id, id_or_zero
from learn_app.state.signed_in import off_loop

NO_OWNER = "none"


@dataclasses.dataclass
class CourseRow:
    id: int
    title: str
    language: str


@dataclasses.dataclass
class MemberRow:
    id: int
    name: str
    email: str


class CourseTeamState(ProtectedState):
    loaded: bool = False
    denied: str = ""
    courses: list[CourseRow] = []
    selected_id: int = 0
    owner_name: str = ""
    owner_email: str = ""
    owner_choice: str = NO_OWNER
    editors: list[MemberRow] = []
    teachers: list[MemberRow] = []  # whom an admin may hand the course to
    can_change_owner: bool = False
    add_error: str = ""
    add_form_key: int = 0
    message: str = ""
    error: str = ""

    @rx.var
    def selected_title(self) -> str:
        return next((c.title for c in self.courses if c.id == self.selected_id), "")

    def _show(self, session: Session, user: User) -> None:
        self.courses = [
            CourseRow(c.id, c.title, formatting.language(c.language))
            for c in course_team.managed_courses(session, user)
        ]
        if self.selected_id not in {c.id for c in self.courses}:
            self.selected_id = self.courses[0].id if self.courses else 0
        self.can_change_owner = user.role == Role.admin.value
        self.teachers = (
            [MemberRow(t.id, t.display_name, t.email) for t in course_team.teachers(session, user)]
            if self.can_change_owner
            else []
        )
        if not self.selected_id:
            self.editors, self.owner_name, self.owner_email = [], "", ""
            self.owner_choice = NO_OWNER
            return
        team = course_team.course_team(session, user, self.selected_id)
        self.owner_name = team.owner.display_name if team.owner else ""
        self.owner_email = team.owner.email if team.owner else ""
        self.owner_choice = str(team.owner.id) if team.owner else NO_OWNER
        self.editors = [MemberRow(e.id, e.display_name, e.email) for e in team.editors]

    def _clear(self) -> None:
        self.message = ""
        self.error = ""
        self.add_error = ""

    def _deny(self, error: DomainError) -> None:
        self.denied = error.message
        self.courses = []

    def _refresh_after(self, error: DomainError) -> Any:
        self.error = error.message
        return self._refresh()

    @signed_in_handler("error")
    def _refresh(self, signed: Signed) -> None:
        self._show(signed.session, signed.user)

    @rx.event
    @signed_in_handler({PermissionDenied: _deny}, loaded="loaded")
    def load(self, signed: Signed) -> None:
        self._clear()
        self.denied = ""
        self._show(signed.session, signed.user)

    @rx.event
    @off_loop
    def select_course(self, course_id: int) -> Any:
        self._clear()
        self.selected_id = id_or_zero(course_id)
        return self._refresh()

    @rx.event
    @signed_in_handler("add_error")
    def add_editor(self, signed: Signed, form_data: dict[str, Any]) -> None:
        self._clear()
        editor = course_team.add_editor_by_email(
            signed.session, signed.user, self.selected_id, str(form_data.get("email", ""))
        )
        self.add_form_key += 1
        self.message = f"{editor.display_name} can now edit “{self.selected_title}”."
        self._show(signed.session, signed.user)

    @rx.event
    @signed_in_handler({NotFound: _refresh_after, DomainError: "error"})
    def remove_editor(self, signed: Signed, user_id: int) -> None:
        self._clear()
        user_id = checked_id(user_id, "editor")
        name = next((e.name for e in self.editors if e.id == user_id), "The teacher")
        courses.remove_editor(signed.session, signed.user, self.selected_id, user_id)
        self.message = f"{name} no longer edits “{self.selected_title}”."
        self._show(signed.session, signed.user)

    @rx.event
    @signed_in_handler({NotFound: _refresh_after, DomainError: "error"})
    def set_owner(self, signed: Signed, choice: str) -> None:
        self._clear()
        owner_id = None if choice == NO_OWNER else checked_id(choice, "teacher")
        courses.set_owner(signed.session, signed.user, self.selected_id, owner_id)
        self._show(signed.session, signed.user)
        self.message = (
            f"“{self.selected_title}” now belongs to {self.owner_name}."
            if owner_id
            else f"“{self.selected_title}” has no owner now: admins and its editors change it."
        )
