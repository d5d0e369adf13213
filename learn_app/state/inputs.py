"""Row ids that arrive from the browser — event arguments, URL parts, select values — checked
as strictly as the REST API checks its path ids, so a bad one is a clear message instead of a
database error."""

from __future__ import annotations

from learn_app.services.errors import InvalidInput

# PostgreSQL's `integer`, the type of every id column; the REST API's bound is the same
# (`api.schemas.common.MAX_ROW_ID`).
MAX_ROW_ID = 2**31 - 1

__all__ = ["MAX_ROW_ID", "checked_id", "id_or_zero"]


def _as_id(value: object) -> int | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, str):
        text = value.strip()
        value = int(text) if text.isascii() and text.isdigit() else None
    if isinstance(value, int) and 1 <= value <= MAX_ROW_ID:
        return value
    return None


def checked_id(value: object, what: str) -> int:
    """`value` as the id of a `what` (a word, a draft, …); InvalidInput when it cannot be one:
    anything but a whole number from 1 to 2**31 - 1."""
    checked = _as_id(value)
    if checked is None:
        raise InvalidInput(
            f"That {what} doesn't exist: ids are whole numbers from 1 to {MAX_ROW_ID}."
        )
    return checked


def id_or_zero(value: object) -> int:
    """`value` as an id, or 0 when it cannot be one (the services find nothing for 0, and
    say so)."""
    return _as_id(value) or 0
