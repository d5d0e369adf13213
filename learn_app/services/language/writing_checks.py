"""What can be checked in a learner's sentence without a model: did they use the target words,
write in the language's script, and end the sentence as it should end.

These are the writing practice's offline rules. They never score a sentence: whether it is
good Japanese or Spanish needs a model, and the learner is told so.

A target word counts as used in any form the inflection rules know (食べました for 食べる,
fui for ir), in kanji or in kana, in hiragana or katakana. Japanese written in romaji is
found too, but said to be in the wrong script; a Spanish word missing its accent is found,
with a note.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from learn_app.services.language import kana
from learn_app.services.language.inflection import fold, japanese_forms, spanish_forms

__all__ = [
    "Check",
    "WordCheck",
    "WordForms",
    "has_target_script",
    "punctuation_check",
    "script_check",
    "word_check",
    "wrong_script_message",
]

_JAPANESE_CHAR = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uff66-\uff9f々〆ヶ]")
_LATIN_WORD = re.compile(r"[A-Za-zÀ-ÖØ-öø-ÿĀ-ſ]+")
_SPANISH_WORD = re.compile(r"[^\W\d_]+")
_JAPANESE_ENDINGS = tuple("。．.！!？?」』）)…")
_SPANISH_ENDINGS = tuple(".!?…)\"'»”")
NOT_FOUND = "Not found in the sentence."


@dataclass(frozen=True)
class WordForms:
    """A target word as the checks need it (a plain value, so it can travel as task data)."""

    term: str
    reading: str = ""
    romaji: str = ""
    part_of_speech: str = ""
    verb_class: str = ""

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> WordForms:
        return cls(**{name: str(data.get(name) or "") for name in cls.__dataclass_fields__})


@dataclass(frozen=True)
class WordCheck:
    term: str
    used: bool
    correct: bool | None  # None: used, but whether rightly only a model can say
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {"term": self.term, "used": self.used, "correct": self.correct, "note": self.note}


@dataclass(frozen=True)
class Check:
    name: str  # "script" or "punctuation"
    ok: bool
    note: str

    def as_dict(self) -> dict[str, Any]:
        return {"name": self.name, "ok": self.ok, "note": self.note}


# ------------------------------------------------------------------------------------ script


def _is_latin_letter(char: str) -> bool:
    return char.isalpha() and unicodedata.name(char, "").startswith("LATIN")


def has_target_script(text: str, language: str) -> bool:
    """Whether any of the text is written in the language's script: kana or kanji for
    Japanese, Latin letters for Spanish (and any other language)."""
    if language == "ja":
        return _JAPANESE_CHAR.search(text) is not None
    return any(_is_latin_letter(char) for char in text)


def wrong_script_message(language: str) -> str:
    if language == "ja":
        return "Write the sentence in Japanese, in kana or kanji: romaji can't be checked."
    return "Write the sentence in Latin letters."


def script_check(text: str, language: str) -> Check:
    """Letters of another script inside the sentence: romaji in Japanese, kana in Spanish."""
    if language == "ja":
        latin = list(dict.fromkeys(_LATIN_WORD.findall(text)))
        if latin:
            return Check(
                "script",
                False,
                f"Some words are in Latin letters ({', '.join(latin[:5])}); write Japanese in "
                "kana or kanji.",
            )
        return Check("script", True, "Written in Japanese script.")
    other = [char for char in text if char.isalpha() and not _is_latin_letter(char)]
    if other:
        shown = "".join(dict.fromkeys(other))[:10]
        return Check("script", False, f"Some letters are not Latin ({shown}).")
    return Check("script", True, "Written in Latin letters.")


# ------------------------------------------------------------------------------- punctuation


def punctuation_check(text: str, language: str) -> Check:
    text = text.strip()
    if language == "ja":
        if text.endswith(_JAPANESE_ENDINGS):
            return Check("punctuation", True, "The sentence ends with a full stop or a mark.")
        return Check("punctuation", False, "End the sentence with 。 (or ？ for a question).")
    if not text.endswith(_SPANISH_ENDINGS):
        return Check("punctuation", False, "End the sentence with a full stop (.).")
    if language == "es":
        if "?" in text and "¿" not in text:
            return Check("punctuation", False, "A Spanish question opens with ¿ as well: ¿…?")
        if "!" in text and "¡" not in text:
            return Check("punctuation", False, "A Spanish exclamation opens with ¡ as well: ¡…!")
    return Check("punctuation", True, "The sentence ends with a full stop or a mark.")


# ------------------------------------------------------------------------------ target words


def word_check(word: WordForms, text: str, language: str) -> WordCheck:
    """Whether the sentence uses the word, in any form the inflection rules know."""
    if language == "ja":
        return _japanese_word(word, text)
    return _latin_word(word, text, spanish=language == "es")


def _japanese_word(word: WordForms, text: str) -> WordCheck:
    term = word.term.strip("〜~ ")
    if word.term.startswith(("〜", "~")):  # a counter: 本 in 三本
        forms = [(term, word.reading.strip("〜~ ") or term)]
    else:
        forms = japanese_forms(term, word.reading, word.part_of_speech, word.verb_class)
    written = kana.to_hiragana(text)
    found = [
        kana.to_hiragana(candidate)
        for pair in forms
        for candidate in pair
        if candidate and kana.to_hiragana(candidate) in written
    ]
    if found:
        longest = max(found, key=len)
        at = written.find(longest)
        shown = text[at : at + len(longest)] if len(written) == len(text) else longest
        return WordCheck(word.term, True, None, f"Found as {shown}.")
    wanted = {kana.reading_key(reading) for _, reading in forms if reading}
    wanted |= kana.reading_keys(word.romaji) if word.romaji else set()
    wanted.discard("")
    for token in _LATIN_WORD.findall(text):
        if kana.reading_keys(token) & wanted:
            return WordCheck(
                word.term,
                True,
                False,
                f"“{token}” is {word.term} in romaji; write it in kana or kanji.",
            )
    return WordCheck(word.term, False, False, NOT_FOUND)


def _latin_word(word: WordForms, text: str, *, spanish: bool) -> WordCheck:
    tokens = _SPANISH_WORD.findall(unicodedata.normalize("NFC", text))
    term_words = _SPANISH_WORD.findall(unicodedata.normalize("NFC", word.term))
    if not term_words:
        return WordCheck(word.term, False, False, NOT_FOUND)
    found: list[str] | None = None
    if len(term_words) > 1:
        wanted = [fold(part) for part in term_words]
        for at in range(len(tokens) - len(wanted) + 1):
            window = tokens[at : at + len(wanted)]
            if [fold(token) for token in window] == wanted:
                found = window
                break
    else:
        forms = spanish_forms(word.term, word.part_of_speech) if spanish else None
        for token in tokens:
            if fold(token) == fold(term_words[0]) or (forms is not None and token in forms):
                found = [token]
                break
    if found is None:
        return WordCheck(word.term, False, False, NOT_FOUND)
    note = f"Found as {' '.join(found)}."
    if _accents_differ(found, term_words):
        note += f" Watch the accents: {word.term}."
    return WordCheck(word.term, True, None, note)


def _accents_differ(found: Sequence[str], term_words: Sequence[str]) -> bool:
    """The term's own letters written without (or with other) accents: esta for está.
    Only the dictionary form can be compared; inflected forms are left alone."""
    if len(found) != len(term_words):
        return False
    return any(
        fold(a) == fold(b) and a.lower() != b.lower()
        for a, b in zip(found, term_words, strict=True)
    )
