"""A learner's classes: invitations to accept or decline, joining with a code, leaving.

Only the learner puts themself in a class; what that lets a teacher see is decided by
`learn_app.services.accounts`, never here.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from sqlmodel import Session

from learn_app.models import Role, User
from learn_app.services.accounts import invitations, memberships
from learn_app.services.errors import DomainError, NotFound
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.inputs import checked_id


@dataclasses.dataclass
class InvitationCard:
    id: int
    class_name: str
    teacher_name: str
    language: str
    invited: str


@dataclasses.dataclass
class MyClassRow:
    id: int
    name: str
    teacher_name: str
    language: str


class MyClassesState(ProtectedState):
    is_learner: bool = False
    invitations: list[InvitationCard] = []
    classes: list[MyClassRow] = []
    join_error: str = ""
    join_form_key: int = 0
    classes_message: str = ""
    classes_error: str = ""

    def _show(self, session: Session, user: User) -> None:
        self.is_learner = user.role == Role.learner.value
        if not self.is_learner:
            self.invitations, self.classes = [], []
            return
        self.invitations = [
            InvitationCard(
                id=i.id,
                class_name=i.class_name,
                teacher_name=i.teacher_name,
                language=formatting.language(i.language),
                invited=formatting.when(i.invited_at, user.timezone),
            )
            for i in invitations.my_invitations(session, user)
        ]
        self.classes = [
            MyClassRow(c.id, c.name, c.teacher_name, formatting.language(c.language))
            for c in memberships.my_classes(session, user)
        ]

    def _clear(self) -> None:
        self.join_error = ""
        self.classes_message = ""
        self.classes_error = ""

    def _refresh_after(self, error: DomainError) -> Any:
        """An invitation withdrawn or a class left meanwhile: say so and show what is now."""
        self.classes_error = error.message
        return self._reload()

    @signed_in_handler("classes_error")
    def _reload(self, signed: Signed) -> None:
        self._show(signed.session, signed.user)

    @rx.event
    @signed_in_handler("classes_error")
    def load(self, signed: Signed) -> None:
        self._clear()
        self._show(signed.session, signed.user)

    @rx.event
    @signed_in_handler("join_error")
    def join(self, signed: Signed, form_data: dict[str, Any]) -> None:
        """Join with a code; a refused code keeps what was typed, for correcting."""
        self._clear()
        joined = memberships.join_with_code(
            signed.session, signed.user, str(form_data.get("code", ""))
        )
        self.join_form_key += 1
        self.classes_message = f"You joined “{joined.name}” ({joined.teacher_name})."
        self._show(signed.session, signed.user)

    @rx.event
    @signed_in_handler({NotFound: _refresh_after, DomainError: "classes_error"})
    def accept(self, signed: Signed, invitation_id: int) -> None:
        self._clear()
        joined = invitations.accept(
            signed.session, signed.user, checked_id(invitation_id, "invitation")
        )
        self.classes_message = f"You joined “{joined.name}” ({joined.teacher_name})."
        self._show(signed.session, signed.user)

    @rx.event
    @signed_in_handler({NotFound: _refresh_after, DomainError: "classes_error"})
    def decline(self, signed: Signed, invitation_id: int) -> None:
        self._clear()
        invitations.decline(signed.session, signed.user, checked_id(invitation_id, "invitation"))
        self.classes_message = "Invitation declined."
        self._show(signed.session, signed.user)

    @rx.event
    @signed_in_handler({NotFound: _refresh_after, DomainError: "classes_error"})
    def leave(self, signed: Signed, classroom_id: int) -> None:
        self._clear()
        classroom_id = checked_id(classroom_id, "class")
        name = next((c.name for c in self.classes if c.id == classroom_id), "the class")
        memberships.leave_class(signed.session, signed.user, classroom_id)
        self.classes_message = f"You left “{name}”. Its teacher no longer sees your progress."
        self._show(signed.session, signed.user)
