"""Settings: the profile, the password, and the devices signed in to the account."""

from __future__ import annotations

import dataclasses
import hashlib
from typing import Any

import reflex as rx
from reflex_base.event import EventSpec
from sqlmodel import Session

from learn_app.models import User
from learn_app.services.accounts import auth, profile
from learn_app.services.accounts.profile import MAX_RETENTION, MIN_RETENTION, ProfileUpdate
from learn_app.services.errors import NotAuthenticated
from learn_app.services.language.languages import NATIVE_LANGUAGES, TARGET_LANGUAGES
from learn_app.services.study import sessions as study
from learn_app.state import formatting
from learn_app.state.auth import (
    PASSWORD_MIN_LENGTH,
    ProtectedState,
    Signed,
    run_signed_in,
    signed_in_handler,
)

TIME_ZONES: tuple[str, ...] = profile.time_zones()

__all__ = [
    "MAX_RETENTION",
    "MIN_RETENTION",
    "NATIVE_LANGUAGES",
    "PASSWORD_MIN_LENGTH",
    "TARGET_LANGUAGES",
    "TIME_ZONES",
    "DevicesState",
    "HistoryState",
    "PasswordState",
    "ProfileState",
]


class ProfileState(ProtectedState):
    """The profile form. It is shown once loaded, and re-drawn (`form_key`) after each load."""

    native_language: str = ""
    target_language: str = ""
    daily_goal: str = ""
    desired_retention: str = ""
    timezone: str = ""

    loaded: bool = False
    form_key: int = 0
    errors: dict[str, str] = {}
    saved_message: str = ""

    def _show_profile(self, user: User) -> None:
        self.native_language = user.native_language
        self.target_language = user.target_language
        self.daily_goal = str(user.daily_goal)
        self.desired_retention = f"{user.desired_retention:.2f}"
        self.timezone = user.timezone
        self.loaded = True
        self.form_key += 1

    @rx.event
    @signed_in_handler()
    def load(self, signed: Signed) -> None:
        self.errors = {}
        self.saved_message = ""
        self._show_profile(signed.user)

    @rx.event
    @signed_in_handler("errors")
    def save(self, signed: Signed, form_data: dict[str, Any]) -> None:
        """Only what the form holds is sent; the service checks every field."""
        self.errors = {}
        self.saved_message = ""
        changes = ProfileUpdate(
            display_name=form_data.get("display_name", ""),
            native_language=form_data.get("native_language") or None,
            target_language=form_data.get("target_language") or None,
            daily_goal=form_data.get("daily_goal", ""),
            desired_retention=form_data.get("desired_retention", ""),
            timezone=str(form_data.get("timezone", "")).strip(),
        )
        user = profile.update_profile(signed.session, signed.user, changes, ip=self._client_ip())
        self._show_user(user)
        self._show_profile(user)
        self.saved_message = "Your settings are saved."


class PasswordState(ProtectedState):
    errors: dict[str, str] = {}
    message: str = ""
    busy: bool = False
    form_key: int = 0

    @rx.event(background=True)
    @signed_in_handler("errors", busy="busy")
    async def change(self, form_data: dict[str, Any]) -> EventSpec | None:
        """bcrypt is deliberately slow, so the work runs off the event loop."""
        current = str(form_data.get("current_password", ""))
        new = str(form_data.get("new_password", ""))
        confirm = str(form_data.get("confirm_password", ""))
        async with self:
            self.errors = {}
            self.message = ""
            if new != confirm:
                self.errors = {"confirm_password": "The two new passwords don't match."}
                return None
            self.busy = True
            token, ip = self.token, self._client_ip()
        signed_out = await run_signed_in(
            token,
            lambda signed: auth.change_password(
                signed.session, signed.caller, current_password=current, new_password=new, ip=ip
            ),
        )
        async with self:
            self.busy = False
            self.form_key += 1
            devices = "device was" if signed_out == 1 else "devices were"
            self.message = f"Your password is changed. {signed_out} other {devices} signed out."
        return DevicesState.load


@dataclasses.dataclass
class DeviceRow:
    ref: str
    device: str
    user_agent: str
    ip: str
    signed_in: str
    last_seen: str
    current: bool


def _ref(session_id: str) -> str:
    """An opaque handle for a sign-in session, so its id never reaches the browser."""
    return hashlib.sha256(session_id.encode()).hexdigest()[:16]


class DevicesState(ProtectedState):
    devices: list[DeviceRow] = []
    message: str = ""
    error: str = ""
    _session_ids: dict[str, str] = {}

    def _show_devices(self, session: Session, caller: auth.Caller) -> None:
        timezone = caller.user.timezone
        live = auth.list_sessions(session, caller.user)
        self._session_ids = {_ref(s.id): s.id for s in live}
        self.devices = [
            DeviceRow(
                ref=_ref(s.id),
                device=formatting.device(s.user_agent),
                user_agent=s.user_agent or "Unknown",
                ip=s.ip or "—",
                signed_in=formatting.when(s.created_at, timezone),
                last_seen=formatting.when(s.last_seen_at, timezone),
                current=s.id == caller.session_id,
            )
            for s in sorted(live, key=lambda s: s.id != caller.session_id)
        ]

    @rx.var
    def other_devices(self) -> int:
        return sum(1 for device in self.devices if not device.current)

    @rx.var
    def other_devices_label(self) -> str:
        count = self.other_devices
        if count == 0:
            return "No other device is signed in."
        if count == 1:
            return "1 other device is signed in."
        return f"{count} other devices are signed in."

    def _no_devices(self, _: NotAuthenticated) -> None:
        self.devices = []

    @rx.event
    @signed_in_handler({NotAuthenticated: _no_devices})
    def load(self, signed: Signed) -> None:
        """Part of the Settings on_load, after ProfileState.load has done any redirect."""
        self.message = ""
        self.error = ""
        self._show_devices(signed.session, signed.caller)

    @rx.event
    @signed_in_handler("error")
    def revoke(self, signed: Signed, ref: str) -> None:
        self.message = ""
        self.error = ""
        # An unknown handle (a list gone stale) reaches the service as an id it won't find.
        session_id = self._session_ids.get(ref, "")
        auth.revoke_session(signed.session, signed.user, session_id, ip=self._client_ip())
        self._show_devices(signed.session, signed.caller)
        self.message = "That device is signed out."

    @rx.event
    @signed_in_handler("error")
    def revoke_others(self, signed: Signed) -> None:
        self.message = ""
        self.error = ""
        caller = signed.caller
        count = auth.revoke_other_sessions(
            signed.session, caller.user, caller.session_id, ip=self._client_ip()
        )
        self._show_devices(signed.session, caller)
        devices = "device" if count == 1 else "devices"
        self.message = f"Signed out {count} other {devices}."


def _counted(count: int, singular: str, plural: str) -> str:
    return f"{count} {singular if count == 1 else plural}"


class HistoryState(ProtectedState):
    """Reset my study history: every answer, session and card goes; the settings stay."""

    message: str = ""
    error: str = ""

    @rx.event
    def load(self) -> None:
        self.message = ""
        self.error = ""

    @rx.event
    @signed_in_handler("error")
    def reset_history(self, signed: Signed) -> None:
        self.message = ""
        self.error = ""
        removed = study.reset_history(signed.session, signed.user, ip=self._client_ip())
        self.message = (
            "Your study history is reset: removed "
            f"{_counted(removed.reviews, 'answer', 'answers')}, "
            f"{_counted(removed.sessions, 'study session', 'study sessions')} and "
            f"{_counted(removed.cards, 'card', 'cards')}."
        )
