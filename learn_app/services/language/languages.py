"""Languages the portal knows: what learners may speak, and what it teaches."""

from __future__ import annotations

NATIVE_LANGUAGES: dict[str, str] = {
    "en": "English",
    "es": "Spanish",
    "ja": "Japanese",
    "fr": "French",
    "de": "German",
    "it": "Italian",
    "pt": "Portuguese",
    "zh": "Chinese",
    "ko": "Korean",
}

# Languages with a course shipped in `content/`.
TARGET_LANGUAGES: dict[str, str] = {
    "ja": "Japanese",
    "es": "Spanish",
}


def language_name(code: str) -> str:
    return NATIVE_LANGUAGES.get(code) or TARGET_LANGUAGES.get(code) or code
