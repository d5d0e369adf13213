"""Profile Settings: what a learner may change about themselves."""

from __future__ import annotations

import zoneinfo
from dataclasses import dataclass
from functools import lru_cache

from sqlmodel import Session

from learn_app.models import User
from learn_app.services import audit
from learn_app.services.accounts.auth import clean_display_name
from learn_app.services.errors import InvalidInput
from learn_app.services.language.languages import NATIVE_LANGUAGES, TARGET_LANGUAGES

MIN_RETENTION, MAX_RETENTION = 0.70, 0.97
MIN_DAILY_GOAL, MAX_DAILY_GOAL = 0, 200


@dataclass(frozen=True)
class ProfileUpdate:
    """Every field optional: only what is given changes."""

    display_name: str | None = None
    native_language: str | None = None
    target_language: str | None = None
    daily_goal: int | None = None
    desired_retention: float | None = None
    timezone: str | None = None


@lru_cache
def time_zones() -> tuple[str, ...]:
    return tuple(sorted(zoneinfo.available_timezones()))


def update_profile(session: Session, user: User, changes: ProfileUpdate, *, ip: str = "") -> User:
    """Validate every given field first, then apply them all; one bad field changes nothing."""
    values: dict[str, object] = {}
    if changes.display_name is not None:
        values["display_name"] = clean_display_name(changes.display_name)
    if changes.native_language is not None:
        if changes.native_language not in NATIVE_LANGUAGES:
            raise InvalidInput("Choose a native language from the list.", field="native_language")
        values["native_language"] = changes.native_language
    if changes.target_language is not None:
        if changes.target_language not in TARGET_LANGUAGES:
            names = ", ".join(TARGET_LANGUAGES.values())
            raise InvalidInput(
                f"The portal teaches {names}; choose one of them.", field="target_language"
            )
        values["target_language"] = changes.target_language
    if changes.daily_goal is not None:
        goal = _as_int(changes.daily_goal, "daily_goal", "The daily goal")
        if not MIN_DAILY_GOAL <= goal <= MAX_DAILY_GOAL:
            raise InvalidInput(
                f"The daily goal must be between {MIN_DAILY_GOAL} and {MAX_DAILY_GOAL} new cards.",
                field="daily_goal",
            )
        values["daily_goal"] = goal
    if changes.desired_retention is not None:
        retention = _as_float(changes.desired_retention, "desired_retention", "Desired retention")
        if not MIN_RETENTION <= retention <= MAX_RETENTION:
            raise InvalidInput(
                f"Desired retention must be between {MIN_RETENTION:.2f} and {MAX_RETENTION:.2f}.",
                field="desired_retention",
            )
        values["desired_retention"] = round(retention, 3)
    if changes.timezone is not None:
        if changes.timezone not in time_zones():
            raise InvalidInput(
                "Choose a time zone from the list, e.g. Europe/Madrid.", field="timezone"
            )
        values["timezone"] = changes.timezone

    changed = {key: value for key, value in values.items() if getattr(user, key) != value}
    for key, value in changed.items():
        setattr(user, key, value)
    if changed:
        session.add(user)
        audit.record(
            session, "user.profile_updated", user_id=user.id, ip=ip, fields=sorted(changed)
        )
    return user


def _as_int(value: object, field: str, label: str) -> int:
    if isinstance(value, bool):
        raise InvalidInput(f"{label} must be a whole number.", field=field)
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{label} must be a whole number.", field=field) from exc
    if not number.is_integer():
        raise InvalidInput(f"{label} must be a whole number.", field=field)
    return int(number)


def _as_float(value: object, field: str, label: str) -> float:
    try:
        number = float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError) as exc:
        raise InvalidInput(f"{label} must be a number, e.g. 0.90.", field=field) from exc
    if number != number:  # NaN
        raise InvalidInput(f"{label} must be a number, e.g. 0.90.", field=field)
    return number
