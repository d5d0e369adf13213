"""Admin area: find accounts, change their role, disable or re-enable them.

The services check that the caller is an admin on every call; this state only asks.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec

from learn_app.models import Role
from learn_app.services.accounts import auth, people
from learn_app.services.errors import DomainError, PermissionDenied
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState, Signed, signed_in_handler
from learn_app.state.inputs import checked_id
from learn_app.state.signed_in import off_loop

ROLES: tuple[str, ...] = tuple(role.value for role in Role)

__all__ = ["ROLES", "AdminState", "UserRow"]


@dataclasses.dataclass
class UserRow:
    id: int
    display_name: str
    email: str
    role: str
    active: bool
    joined: str
    is_me: bool


class AdminState(ProtectedState):
    loaded: bool = False
    denied: str = ""
    users: list[UserRow] = []
    search: str = ""
    page: int = 1
    total_pages: int = 1
    total: int = 0
    message: str = ""
    error: str = ""

    @rx.var
    def page_label(self) -> str:
        people_count = "person" if self.total == 1 else "people"
        return f"Page {self.page} of {self.total_pages} · {self.total} {people_count}"

    def _deny(self, error: DomainError) -> None:
        self.denied = error.message
        self.users = []

    @signed_in_handler({PermissionDenied: _deny}, loaded="loaded")
    def _list(self, signed: Signed) -> None:
        found = people.list_users(signed.session, signed.user, search=self.search, page=self.page)
        me, timezone = signed.user.id, signed.user.timezone
        self.denied = ""
        self.page, self.total_pages, self.total = found.page, found.total_pages, found.total
        self.users = [
            UserRow(
                id=user.id or 0,
                display_name=user.display_name,
                email=user.email,
                role=user.role,
                active=user.is_active,
                joined=formatting.when(user.created_at, timezone),
                is_me=user.id == me,
            )
            for user in found.users
        ]

    @rx.event
    @off_loop
    def load(self) -> EventSpec | None:
        self.message = ""
        self.error = ""
        return self._list()

    @rx.event
    @off_loop
    def find(self, form_data: dict[str, Any]) -> EventSpec | None:
        self.message = ""
        self.error = ""
        self.search = str(form_data.get("search", "")).strip()
        self.page = 1
        return self._list()

    @rx.event
    @off_loop
    def clear_search(self) -> EventSpec | None:
        self.search = ""
        self.page = 1
        return self._list()

    @rx.event
    @off_loop
    def go_to_page(self, page: int) -> EventSpec | None:
        self.page = max(1, min(page, self.total_pages))
        return self._list()

    def _list_after(self, error: DomainError) -> EventSpec | None:
        """A refusal is shown above the list, read again: the account may have changed."""
        self.error = error.message
        return self._list()

    @rx.event
    @off_loop
    def change_role(self, user_id: int, role: str) -> EventSpec | None:
        self.message = ""
        self.error = ""
        changed = self._change_role(user_id, role)
        return self._list() if changed is True else changed

    # The change is committed before the list is read again: an admin who made themself a
    # teacher may no longer read it.
    @signed_in_handler(_list_after)
    def _change_role(self, signed: Signed, user_id: int, role: str) -> bool:
        user_id = checked_id(user_id, "account")
        user = auth.set_role(signed.session, signed.user, user_id, role, ip=self._client_ip())
        article = "an" if user.role == "admin" else "a"
        self.message = f"{user.display_name} is now {article} {user.role}."
        return True

    @rx.event
    @off_loop
    def set_active(self, user_id: int, active: bool) -> EventSpec | None:
        self.message = ""
        self.error = ""
        changed = self._set_active(user_id, active)
        return self._list() if changed is True else changed

    @signed_in_handler(_list_after)
    def _set_active(self, signed: Signed, user_id: int, active: bool) -> bool:
        user_id = checked_id(user_id, "account")
        user = people.set_active(signed.session, signed.user, user_id, active, ip=self._client_ip())
        self.message = f"{user.display_name}'s account is {'enabled' if active else 'disabled'}."
        return True
