"""Checks for short texts people type: names and search boxes."""

from __future__ import annotations

import unicodedata

from learn_app.services.errors import InvalidInput

MAX_SEARCH_LENGTH = 200
# Characters a reader cannot see, or that reorder what they see: controls (Cc), formatting
# such as U+202E RIGHT-TO-LEFT OVERRIDE, U+200B ZERO WIDTH SPACE, U+FEFF (Cf), lone surrogates
# (Cs) and private-use characters (Co). A name shown to others must look like what it is.
HIDDEN_CATEGORIES = frozenset({"Cc", "Cf", "Cs", "Co"})


def clean_name(value: object, *, field: str, label: str, max_length: int) -> str:
    """One line of text: NFC, runs of white space folded, nothing hidden (`HIDDEN_CATEGORIES`)."""
    if not isinstance(value, str):
        raise InvalidInput(f"Enter a {label.lower()}.", field=field)
    name = " ".join(unicodedata.normalize("NFC", value).split())
    if not name:
        raise InvalidInput(f"Enter a {label.lower()}.", field=field)
    if len(name) > max_length:
        raise InvalidInput(f"{label}s can be at most {max_length} characters.", field=field)
    if any(unicodedata.category(ch) in HIDDEN_CATEGORIES for ch in name):
        raise InvalidInput(
            f"{label}s can't contain control characters or invisible formatting characters "
            "(such as right-to-left overrides or zero-width spaces).",
            field=field,
        )
    return name


def clean_search(value: object, *, max_length: int = MAX_SEARCH_LENGTH) -> str:
    """What a search box holds, without control characters (they can't match anything)."""
    if not isinstance(value, str):
        return ""
    text = "".join(ch for ch in value if unicodedata.category(ch) != "Cc")
    return " ".join(text.split())[:max_length]
