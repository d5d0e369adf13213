"""Which writing system a field is in: checks on words and sentences a model or a teacher wrote.

A Japanese term is kana or kanji, its reading kana only; Spanish is written in Latin letters;
meanings and translations (for English speakers) are in Latin letters too. Each check returns
what is wrong as (field, message) pairs, so a model can be told exactly what to fix and a
teacher sees the reason beside the field.
"""

from __future__ import annotations

import re
import unicodedata

from learn_app.services.language import kana

# Kana, the long-vowel mark and the punctuation and spaces found in readings.
_KANA_TEXT = re.compile(
    r"^[\u3040-\u309f\u30a0-\u30ff\u30fc\s、。！？「」『』・〜~ー（）()!?.,\-\u3000]*$"
)
# Languages whose learners' own language is written in Latin letters.
LATIN_NATIVE_LANGUAGES = frozenset({"en", "es", "fr", "de", "it", "pt"})

Problem = tuple[str, str]  # (field, message)


def is_japanese_char(char: str) -> bool:
    return "\u3040" <= char <= "\u30ff" or kana.is_kanji(char)


def has_japanese(text: str) -> bool:
    return any(is_japanese_char(char) for char in text)


def is_kana_only(text: str) -> bool:
    return bool(_KANA_TEXT.match(text))


def _letters(text: str) -> list[str]:
    return [char for char in text if unicodedata.category(char).startswith("L")]


def is_latin(text: str) -> bool:
    """At least one letter, and every letter a Latin one (accents allowed: está, café)."""
    letters = _letters(text)
    return bool(letters) and all(unicodedata.name(char, "").startswith("LATIN") for char in letters)


def _latin(field: str, text: str, what: str) -> list[Problem]:
    if text and not is_latin(text):
        return [(field, f"'{text}' should be {what} in Latin letters")]
    return []


def term_problems(language: str, term: str, reading: str) -> list[Problem]:
    """The word itself and its reading in the script of its language."""
    if language == "ja":
        problems: list[Problem] = []
        if not has_japanese(term) or any(
            unicodedata.name(char, "").startswith("LATIN") for char in _letters(term)
        ):
            problems.append(("term", f"'{term}' should be written in kana or kanji"))
        if not reading:
            problems.append(("reading", "Japanese words need a reading in kana"))
        elif not is_kana_only(reading):
            problems.append(("reading", f"'{reading}' should be written in kana only"))
        return problems
    return _latin("term", term, "written")


def gloss_problems(native_language: str, field: str, text: str) -> list[Problem]:
    """A meaning or translation, in the learner's own language."""
    if native_language in LATIN_NATIVE_LANGUAGES:
        return _latin(field, text, "written")
    return []


def sentence_problems(language: str, field: str, sentence: str) -> list[Problem]:
    """A sentence in the language taught."""
    if not sentence:
        return []
    if language == "ja":
        if not has_japanese(sentence):
            return [(field, f"'{sentence}' should be written in Japanese")]
        return []
    if has_japanese(sentence) or not is_latin(sentence):
        return [(field, f"'{sentence}' should be written in Latin letters")]
    return []


def reading_problems(language: str, field: str, reading: str) -> list[Problem]:
    """A sentence's reading: kana only, for Japanese; other languages have none."""
    if language == "ja" and reading and not is_kana_only(reading):
        return [(field, f"'{reading}' should be written in kana only")]
    return []
