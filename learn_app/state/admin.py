"""Admin area: find accounts, change their role, disable or re-enable them.

The services check that the caller is an admin on every call; this state only asks.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec

from learn_app import db
from learn_app.models import Role
from learn_app.services.accounts import auth, people
from learn_app.services.errors import DomainError, NotAuthenticated, PermissionDenied
from learn_app.state import formatting
from learn_app.state.auth import ProtectedState

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

    def _list(self) -> EventSpec | None:
        try:
            with db.session_scope() as session:
                caller = self._caller(session)
                found = people.list_users(session, caller.user, search=self.search, page=self.page)
                me, timezone = caller.user.id, caller.user.timezone
        except NotAuthenticated:
            return self._sign_in_redirect()
        except PermissionDenied as exc:
            self.denied = exc.message
            self.users = []
            self.loaded = True
            return None
        self.denied = ""
        self.loaded = True
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
        return None

    @rx.event
    def load(self) -> EventSpec | None:
        self.message = ""
        self.error = ""
        return self._list()

    @rx.event
    def find(self, form_data: dict[str, Any]) -> EventSpec | None:
        self.message = ""
        self.error = ""
        self.search = str(form_data.get("search", "")).strip()
        self.page = 1
        return self._list()

    @rx.event
    def clear_search(self) -> EventSpec | None:
        self.search = ""
        self.page = 1
        return self._list()

    @rx.event
    def go_to_page(self, page: int) -> EventSpec | None:
        self.page = max(1, min(page, self.total_pages))
        return self._list()

    @rx.event
    def change_role(self, user_id: int, role: str) -> EventSpec | None:
        self.message = ""
        self.error = ""
        try:
            with db.session_scope() as session:
                caller = self._caller(session)
                user = auth.set_role(session, caller.user, user_id, role, ip=self._client_ip())
                name, new_role = user.display_name, user.role
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self.error = exc.message
            return self._list()
        self.message = f"{name} is now {'an' if new_role == 'admin' else 'a'} {new_role}."
        return self._list()

    @rx.event
    def set_active(self, user_id: int, active: bool) -> EventSpec | None:
        self.message = ""
        self.error = ""
        try:
            with db.session_scope() as session:
                caller = self._caller(session)
                user = people.set_active(
                    session, caller.user, user_id, active, ip=self._client_ip()
                )
                name = user.display_name
        except NotAuthenticated:
            return self._sign_in_redirect()
        except DomainError as exc:
            self.error = exc.message
            return self._list()
        self.message = f"{name}'s account is {'enabled' if active else 'disabled'}."
        return self._list()
