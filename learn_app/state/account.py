"""Settings → API tokens and Settings → Delete my account.

A new token's secret never enters the state (which is persisted): the event that made it
writes it straight into the read-only field of the browser that asked (`rx.set_value`), the
one time it is shown.
"""

from __future__ import annotations

import dataclasses
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from learn_app.services.accounts import access_tokens, deletion
from learn_app.services.accounts.auth import Caller
from learn_app.services.errors import NotAuthenticated
from learn_app.state import formatting
from learn_app.state.auth import SIGN_IN, ProtectedState, Signed, run_signed_in, signed_in_handler
from learn_app.state.inputs import checked_id

NEW_TOKEN_FIELD = "new-token-value"  # noqa: S105 - an element id
SCOPE_LABELS = {
    access_tokens.READ: "Read: look at your words, progress and sessions",
    access_tokens.STUDY: "Study: read, and start sessions and answer in them",
}
LIFETIME_LABELS = {str(days): f"{days} days" for days in access_tokens.LIFETIMES_DAYS}


@dataclasses.dataclass
class TokenRow:
    id: int
    name: str
    scope: str
    hint: str
    created: str
    expires: str
    last_used: str


class ApiTokensState(ProtectedState):
    tokens: list[TokenRow] = []
    errors: dict[str, str] = {}
    message: str = ""
    # The name of the token just made, while its secret is on show (the secret is not here).
    created_name: str = ""
    form_key: int = 0

    def _show_tokens(self, session: Session, caller: Caller) -> None:
        zone = caller.user.timezone
        self.tokens = [
            TokenRow(
                id=token.id,
                name=token.name,
                scope=token.scope,
                hint=token.hint,
                created=formatting.when(token.created_at, zone),
                expires=formatting.when(token.expires_at, zone),
                last_used=formatting.when(token.last_used_at, zone, empty="Never"),
            )
            for token in access_tokens.list_tokens(session, caller)
        ]

    def _no_tokens(self, _: NotAuthenticated) -> None:
        self.tokens = []

    @rx.event
    @signed_in_handler({NotAuthenticated: _no_tokens})
    def load(self, signed: Signed) -> None:
        """Part of the Settings on_load, after ProfileState.load has done any redirect."""
        self.errors = {}
        self.message = ""
        self.created_name = ""
        self._show_tokens(signed.session, signed.caller)

    @rx.event
    @signed_in_handler("errors")
    def create(self, signed: Signed, form_data: dict[str, Any]) -> EventSpec:
        self.errors = {}
        self.message = ""
        self.created_name = ""
        lifetime = str(form_data.get("expires_in_days", access_tokens.DEFAULT_LIFETIME_DAYS))
        made = access_tokens.create_token(
            signed.session,
            signed.caller,
            name=str(form_data.get("name", "")),
            scope=str(form_data.get("scope", "")),
            lifetime_days=int(lifetime) if lifetime.isdigit() else 0,
            ip=self._client_ip(),
        )
        self._show_tokens(signed.session, signed.caller)
        self.created_name = made.token.name
        self.form_key += 1
        return rx.set_value(NEW_TOKEN_FIELD, made.secret)

    @rx.event
    def hide_secret(self) -> EventSpec:
        self.created_name = ""
        return rx.set_value(NEW_TOKEN_FIELD, "")

    @rx.event
    @signed_in_handler("message")
    def revoke(self, signed: Signed, token_id: Any) -> None:
        self.errors = {}
        token = checked_id(token_id, "token")
        name = next((row.name for row in self.tokens if row.id == token), "The token")
        access_tokens.revoke_token(signed.session, signed.caller, token, ip=self._client_ip())
        self._show_tokens(signed.session, signed.caller)
        self.message = f"{name} is revoked: programs using it are refused from now on."


class DeleteAccountState(ProtectedState):
    errors: dict[str, str] = {}
    busy: bool = False
    form_key: int = 0

    @rx.event
    def load(self) -> None:
        self.errors = {}

    @rx.event(background=True)
    @signed_in_handler("errors", busy="busy")
    async def delete(self, form_data: dict[str, Any]) -> Any:
        """bcrypt is deliberately slow, so the work runs off the event loop."""
        password = str(form_data.get("password", ""))
        classes = str(form_data.get("classes") or deletion.ClassesChoice.hand_over.value)
        async with self:
            self.errors = {}
            self.busy = True
            token, ip = self.token, self._client_ip()
        await run_signed_in(
            token,
            lambda signed: deletion.delete_account(
                signed.session, signed.caller, password=password, classes=classes, ip=ip
            ),
        )
        async with self:
            self.busy = False
            self.token = ""
            self._forget_user()
        return [
            rx.toast.success("Your account and everything stored about you are deleted."),
            rx.redirect(SIGN_IN, replace=True),
        ]
