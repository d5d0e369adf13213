"""Teacher area: a teacher's classes, and how each learner in them is doing.

Whether the caller may see a class is decided by `learn_app.services.accounts.classes`, never here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from learn_app.models import User
from learn_app.services.accounts import classes, invitations, memberships
from learn_app.services.errors import DomainError, NotFound, PermissionDenied
from learn_app.services.language.languages import TARGET_LANGUAGES
from learn_app.services.study.class_progress import class_progress
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.inputs import checked_id, id_or_zero
from learn_app.state.signed_in import off_loop

__all__ = ["TARGET_LANGUAGES", "ClassRow", "InvitationRow", "LearnerRow", "TeacherState"]

INVITATION_STATUS = {"waiting": "Waiting", "declined": "Declined", "expired": "Expired"}


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


@dataclasses.dataclass
class InvitationRow:
    id: int
    email: str
    invited: str
    status: str


class TeacherState(ProtectedState):
    loaded: bool = False
    denied: str = ""
    classes: list[ClassRow] = []
    selected_id: int = 0
    learners: list[LearnerRow] = []

    create_errors: dict[str, str] = {}
    create_form_key: int = 0
    invite_error: str = ""
    invite_form_key: int = 0
    # How learners get in: the class's code (state "on", "off" or "expired") and invitations.
    join_code: str = ""
    join_code_state: str = "off"
    join_code_until: str = ""
    invitations: list[InvitationRow] = []
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
            self.invitations = []
            self.join_code, self.join_code_state, self.join_code_until = "", "off", ""
            return
        self._show_join_code(
            memberships.class_join_code(session, teacher, self.selected_id), teacher.timezone
        )
        self.invitations = [
            InvitationRow(
                id=row.id,
                email=row.email,
                invited=formatting.when(row.invited_at, teacher.timezone),
                status=INVITATION_STATUS[row.status],
            )
            for row in invitations.class_invitations(session, teacher, self.selected_id)
        ]
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

    def _show_join_code(self, code: memberships.JoinCode, timezone: str) -> None:
        self.join_code = code.code
        self.join_code_state = code.state
        self.join_code_until = formatting.when(code.expires_at, timezone, empty="")

    def _clear_messages(self) -> None:
        self.message = ""
        self.error = ""
        self.invite_error = ""
        self.create_errors = {}

    def _deny(self, error: DomainError) -> None:
        self.denied = error.message
        self.classes = []
        self.learners = []

    @rx.event
    @signed_in_handler({PermissionDenied: _deny}, loaded="loaded")
    def load(self, signed: Signed) -> None:
        self._clear_messages()
        self._show(signed)
        self.denied = ""

    @rx.event
    @off_loop
    def select_class(self, classroom_id: int) -> EventSpec | None:
        self._clear_messages()
        self.selected_id = id_or_zero(classroom_id)
        return self._refresh()

    def _show(self, signed: Signed) -> None:
        self._show_classes(signed.session, signed.user)
        self._show_learners(signed.session, signed.user)

    @signed_in_handler("error")
    def _refresh(self, signed: Signed) -> None:
        self._show(signed)

    def _refresh_after(self, error: DomainError) -> EventSpec | None:
        """A learner not found in the class may have left it meanwhile: the class is read
        again under the message."""
        self.error = error.message
        return self._refresh()

    @rx.event
    @signed_in_handler("create_errors")
    def create_class(self, signed: Signed, form_data: dict[str, Any]) -> None:
        self._clear_messages()
        classroom = classes.create_classroom(
            signed.session,
            signed.user,
            name=str(form_data.get("name", "")),
            language=str(form_data.get("language", "")),
        )
        self.selected_id = classroom.id or 0
        self._show(signed)
        self.create_form_key += 1
        self.message = (
            f"Class “{self.selected_name}” created. Give learners its code, or invite them by "
            "email."
        )

    @rx.event
    @signed_in_handler("invite_error")
    def invite(self, signed: Signed, form_data: dict[str, Any]) -> None:
        """Invite by email; the answer is the same whether or not the address has an account."""
        self._clear_messages()
        sent = invitations.invite(
            signed.session, signed.user, self.selected_id, str(form_data.get("email", ""))
        )
        self.invite_form_key += 1
        self.message = f"Invitation to {sent.email} saved. {sent.detail}"
        self._show(signed)

    @rx.event
    @signed_in_handler({NotFound: _refresh_after, DomainError: "error"})
    def withdraw_invitation(self, signed: Signed, invitation_id: int) -> None:
        self._clear_messages()
        invitation_id = checked_id(invitation_id, "invitation")
        invitations.withdraw(signed.session, signed.user, self.selected_id, invitation_id)
        self.message = "Invitation withdrawn."
        self._show(signed)

    @rx.event
    @signed_in_handler("error")
    def new_join_code(self, signed: Signed) -> None:
        self._clear_messages()
        code = memberships.new_join_code(signed.session, signed.user, self.selected_id)
        self._show_join_code(code, signed.user.timezone)
        self.message = f"New class code {code.code}. The old code no longer works."

    @rx.event
    @signed_in_handler("error")
    def set_join_code(self, signed: Signed, enabled: bool) -> None:
        self._clear_messages()
        code = memberships.set_join_code_enabled(
            signed.session, signed.user, self.selected_id, enabled=bool(enabled)
        )
        self._show_join_code(code, signed.user.timezone)
        self.message = (
            f"Learners can join with the code {code.code}."
            if code.state == "on"
            else "Joining by code is turned off."
        )

    @rx.event
    @signed_in_handler({NotFound: _refresh_after, DomainError: "error"})
    def unenroll(self, signed: Signed, learner_id: int) -> None:
        self._clear_messages()
        learner_id = checked_id(learner_id, "learner")
        name = next((row.name for row in self.learners if row.learner_id == learner_id), "")
        classes.unenroll(signed.session, signed.user, self.selected_id, learner_id)
        self.message = f"{name or 'The learner'} left the class."
        self._show(signed)

    @rx.event
    @signed_in_handler("error")
    def delete_class(self, signed: Signed) -> None:
        self._clear_messages()
        name = self.selected_name
        classes.delete_classroom(signed.session, signed.user, self.selected_id)
        self.selected_id = 0
        self.message = f"Class “{name}” deleted."
        self._show(signed)
