"""Signing in, signing up, signing out, and the base state of every signed-in page.

The token lives in the browser's localStorage. Who the caller is gets decided by
`learn_app.services.accounts.auth.authenticate` on every event that reads or changes their data; the
user vars below are only for display and are never trusted.

Every signed-in event handler is written one way, with `signed_in_handler` (from
`learn_app.state.signed_in`): it opens the database session, resolves the caller through
`_caller`, sends a caller whose sign-in has lapsed to `_sign_in_redirect`, and shows a
service's refusal in the page's own error field.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import quote

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from learn_app import db
from learn_app.models import Role, User
from learn_app.services.accounts import auth
from learn_app.services.accounts.auth import Caller
from learn_app.services.accounts.passwords import MIN_LENGTH as PASSWORD_MIN_LENGTH
from learn_app.services.errors import DomainError, NotAuthenticated
from learn_app.state.signed_in import Signed, run_signed_in, signed_in_handler

TOKEN_STORAGE_KEY = "learn_app_token"  # noqa: S105 - a storage key, not a secret
HOME = "/dashboard"
SIGN_IN = "/signin"

__all__ = [
    "PASSWORD_MIN_LENGTH",
    "AuthState",
    "ProtectedState",
    "Signed",
    "run_signed_in",
    "safe_next",
    "signed_in_handler",
]


def safe_next(target: str | None) -> str:
    """Where to go after signing in: a local path only, never another site or the sign-in pages."""
    if (
        not target
        or not target.startswith("/")
        or target.startswith("//")
        or "\\" in target
        or any(ch in target for ch in "\r\n\t")
        or target.split("?", 1)[0] in {SIGN_IN, "/signup"}
    ):
        return HOME
    return target


def _sign_in(email: str, password: str, ip: str, user_agent: str) -> str:
    with db.session_scope() as session:
        return auth.sign_in(
            session, email=email, password=password, ip=ip, user_agent=user_agent
        ).token


def _sign_up(email: str, display_name: str, password: str, ip: str, user_agent: str) -> str:
    with db.session_scope() as session:
        auth.register(session, email=email, password=password, display_name=display_name, ip=ip)
    return _sign_in(email, password, ip, user_agent)


def _is_signed_in(token: str) -> bool:
    with db.session_scope() as session:
        return _authenticated(session, token) is not None


def _authenticated(session: Session, token: str) -> Caller | None:
    """The caller behind `token`, or None when it signs in nobody (any more)."""
    try:
        return auth.authenticate(session, token)
    except NotAuthenticated:
        return None


class AuthState(rx.State):
    """The sign-in token and the sign-in and sign-up forms."""

    token: str = rx.LocalStorage(name=TOKEN_STORAGE_KEY, sync=True)

    sign_in_email: str = ""
    sign_in_error: str = ""
    signing_in: bool = False

    sign_up_errors: dict[str, str] = {}
    signing_up: bool = False

    def _client_ip(self) -> str:
        return self.router.session.client_ip or ""

    def _user_agent(self) -> str:
        return self.router.headers.user_agent or ""

    def _next_path(self) -> str:
        return safe_next(self.router.url.query_parameters.get("next"))

    @rx.event
    def redirect_if_signed_in(self) -> EventSpec | None:
        """The sign-in and sign-up pages send a signed-in visitor on to where they were going."""
        if self.token and _is_signed_in(self.token):
            return rx.redirect(self._next_path(), replace=True)
        return None

    @rx.event
    def route_home(self) -> EventSpec:
        target = HOME if self.token and _is_signed_in(self.token) else SIGN_IN
        return rx.redirect(target, replace=True)

    @rx.event(background=True)
    async def sign_in(self, form_data: dict[str, Any]):
        """Password hashing is deliberately slow, so it runs off the event loop."""
        email = str(form_data.get("email", ""))
        password = str(form_data.get("password", ""))
        async with self:
            self.sign_in_email = email
            self.sign_in_error = ""
            self.signing_in = True
            ip, user_agent, next_path = self._client_ip(), self._user_agent(), self._next_path()
        try:
            token = await rx.run_in_thread(lambda: _sign_in(email, password, ip, user_agent))
        except DomainError as exc:
            async with self:
                self.sign_in_error = exc.message
                self.signing_in = False
            return rx.set_value("signin-password", "")
        async with self:
            self.token = token
            self.signing_in = False
            self.sign_in_error = ""
        return rx.redirect(next_path)

    @rx.event(background=True)
    async def sign_up(self, form_data: dict[str, Any]):
        email = str(form_data.get("email", ""))
        display_name = str(form_data.get("display_name", ""))
        password = str(form_data.get("password", ""))
        async with self:
            self.sign_up_errors = {}
            self.signing_up = True
            ip, user_agent, next_path = self._client_ip(), self._user_agent(), self._next_path()
        try:
            token = await rx.run_in_thread(
                lambda: _sign_up(email, display_name, password, ip, user_agent)
            )
        except DomainError as exc:
            async with self:
                self.sign_up_errors = {exc.field or "form": exc.message}
                self.signing_up = False
            return None
        async with self:
            self.token = token
            self.signing_up = False
        return rx.redirect(next_path)

    @rx.event
    def sign_out(self) -> EventSpec:
        """Revoke this device's session, forget the token and everything loaded for the user."""
        with db.session_scope() as session:
            auth.sign_out(session, self.token, ip=self._client_ip())
        self.reset()
        return rx.redirect(SIGN_IN)


class ProtectedState(AuthState):
    """The base of every signed-in page's state: who is signed in, for display."""

    signed_in: bool = False
    display_name: str = ""
    email: str = ""
    role: str = ""

    @rx.var
    def is_teacher(self) -> bool:
        return self.role in (Role.teacher.value, Role.admin.value)

    @rx.var
    def is_admin(self) -> bool:
        return self.role == Role.admin.value

    @rx.var
    def initials(self) -> str:
        parts = self.display_name.split()
        return "".join(part[0] for part in parts[:2]).upper() or "?"

    def _assign_changed(self, **values: Any) -> None:
        """Assign only the vars whose value changes: an assignment sends the var (and the vars
        computed from it) to the browser again, whether or not its value changed."""
        for name, value in values.items():
            if getattr(self, name) != value:
                setattr(self, name, value)

    def _show_user(self, user: User) -> None:
        # This runs on every event.
        self._assign_changed(
            signed_in=True, display_name=user.display_name, email=user.email, role=user.role
        )

    def _forget_user(self) -> None:
        self.signed_in = False
        self.display_name = ""
        self.email = ""
        self.role = ""

    def _caller(self, session: Session) -> Caller:
        """The signed-in caller, from the token alone. Raises NotAuthenticated."""
        caller = _authenticated(session, self.token)
        if caller is None:
            self._forget_user()
            raise NotAuthenticated("Your session has ended. Please sign in again.")
        self._show_user(caller.user)
        return caller

    def _sign_in_redirect(self) -> EventSpec:
        """Off to sign in, coming back here afterwards. A dead token is forgotten."""
        self.token = ""
        self._forget_user()
        here = self.router.url.path or HOME
        if self.router.url.query:
            here = f"{here}?{self.router.url.query}"
        return rx.redirect(f"{SIGN_IN}?next={quote(safe_next(here), safe='')}", replace=True)

    @rx.event
    @signed_in_handler()
    def check_login(self, signed: Signed) -> None:
        """The on_load of signed-in pages that load nothing else."""
