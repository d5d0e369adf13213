"""Checking what a learner typed: forgiving about spelling, strict about the word.

Every check returns an `AnswerCheck`: `correct`, `close` (accepted, but with something to
fix), the `expected` answer to show, and a `note` saying what was forgiven. Its
`suggested_rating` maps onto FSRS: wrong → again, close → hard, correct → good. The study
service makes the final call (a slow answer may still be rated lower).

Meaning (English, `check_meaning`)
  Any one sense of the meaning is enough. Senses are split at ";", "/" and ",", after notes in
  parentheses are set aside — though a sense may also be typed with its note ("take
  medicine" for "to take (medicine)"). Case, punctuation, apostrophes, accents, a leading
  "to " and a leading article (a, an, the) never matter. Several senses typed together
  ("see, look") are right when each of them is. A small typo is accepted — none in senses of
  up to 5 letters (short words turn into other words: cat/car, horse/house), one up to 10,
  two beyond — unless what was typed is exactly a sense of another word passed as `others`.

Reading of a Japanese word (`check_reading`)
  Hiragana, katakana and romaji are the same answer; Hepburn, Kunrei and wāpuro spellings,
  macrons and doubled vowels all meet (see `services.kana`). The course's own romaji is
  accepted as well (こんにちは: konnichiwa), and so is the term written in kanji. A long
  vowel written short (tokyo for とうきょう) is close, with a note; so is a small typo in a
  reading of 7 or more letters of romaji.

Spanish term from its meaning (`check_term`)
  Case and ¿¡ and other punctuation do not matter. Accents and ñ may be left out: the answer
  counts, is close, and the note shows the spelling (“Watch the accent: está”). An article
  (el, la, los, las, un, una, unos, unas) may be given or left out; when `require_article`
  is set (gender is what's being tested) it must be given and match the noun's gender (el
  for feminine nouns that start with a stressed a: el agua). A wrong article when gender is
  not tested is close. Small typos as for meanings, checked against `others`' terms.

Cloze (`check_cloze`)
  The missing word as the sentence has it (食べました, soy), with the same tolerance as
  above: kana/romaji for Japanese, accents optional but noted for Spanish. Another form of
  the right word (食べる, ser) is close: the learner knew the word, not this form of it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Literal

from rapidfuzz.distance import OSA

from learn_app.models import Word
from learn_app.services.language import kana
from learn_app.services.language.inflection import fold, japanese_forms, spanish_forms

if TYPE_CHECKING:
    from learn_app.services.language.cloze import Cloze

SuggestedRating = Literal["again", "hard", "good"]

NO_ANSWER = "No answer given."
_SEPARATORS = re.compile(r"\s*[;/,]\s*")
_NOTES = re.compile(r"\([^()]*\)|\[[^\[\]]*\]")
_NOT_WORD = re.compile(r"[^\w\s]|_")
_LEADING = re.compile(r"^(?:to\s+)?(?:(?:a|an|the)\s+)?")
SPANISH_ARTICLES = {
    "el": "masculine",
    "los": "masculine",
    "un": "masculine",
    "unos": "masculine",
    "la": "feminine",
    "las": "feminine",
    "una": "feminine",
    "unas": "feminine",
}
# Feminine nouns that take el/un because they start with a stressed a.
_STRESSED_A = {"agua", "aguila", "alma", "arma", "aula", "area", "hambre", "hacha", "hada", "ave"}


@dataclass(frozen=True)
class AnswerCheck:
    correct: bool
    close: bool
    expected: str
    note: str = ""

    @property
    def suggested_rating(self) -> SuggestedRating:
        if not self.correct:
            return "again"
        return "hard" if self.close else "good"


def _right(expected: str) -> AnswerCheck:
    return AnswerCheck(True, False, expected)


def _close(expected: str, note: str) -> AnswerCheck:
    return AnswerCheck(True, True, expected, note)


def _wrong(expected: str, note: str = "") -> AnswerCheck:
    return AnswerCheck(False, False, expected, note)


def typo_allowance(length: int) -> int:
    """How many slips (OSA edits) an answer of `length` letters may have and still count."""
    if length <= 5:
        return 0
    return 1 if length <= 10 else 2


def _letters(text: str) -> int:
    return sum(1 for char in text if not char.isspace())


# ------------------------------------------------------------------------------------ meaning


def normalise_meaning(text: str) -> str:
    """An English answer without case, punctuation, accents, leading "to " or article."""
    text = fold(unicodedata.normalize("NFKC", text)).replace("’", "'").replace("'", "")
    text = " ".join(_NOT_WORD.sub(" ", text).split())
    return _LEADING.sub("", text).strip()


def meaning_senses(meaning: str) -> dict[str, str]:
    """Each accepted sense of a meaning, normalised, mapped to how it reads in the meaning."""
    senses: dict[str, str] = {}
    without_notes = _NOTES.sub(" ", meaning)
    # A note with no separator inside may be part of the sense: "to take (medicine)".
    with_notes = _NOTES.sub(
        lambda note: note.group()[1:-1] if not _SEPARATORS.search(note.group()) else " ",
        meaning,
    )
    for version in (without_notes, with_notes):
        for sense in _SEPARATORS.split(version):
            shown = " ".join(sense.split())
            key = normalise_meaning(shown)
            if key:
                senses.setdefault(key, shown)
    return senses


def check_meaning(word: Word, answer: str, *, others: Iterable[str] = ()) -> AnswerCheck:
    """The learner typed what `word` means (in English)."""
    expected = word.meaning
    given = normalise_meaning(answer)
    if not given:
        return _wrong(expected, NO_ANSWER)
    senses = meaning_senses(expected)
    if given in senses:
        return _right(expected)
    parts = [normalise_meaning(part) for part in _SEPARATORS.split(answer) if part.strip()]
    if len(parts) > 1 and all(part in senses for part in parts):
        return _right(expected)
    taken = {key for other in others for key in meaning_senses(other)} - senses.keys()
    match = _nearest(given, senses, taken)
    if match is not None:
        return _close(expected, f"Accepted — small typo: {senses[match]}")
    return _wrong(expected)


def _nearest(given: str, expected: Iterable[str], taken: set[str]) -> str | None:
    """The expected answer `given` is a small typo of, unless it is another word's answer."""
    if given in taken:
        return None
    best: tuple[int, str] | None = None
    for key in expected:
        allowance = typo_allowance(_letters(key))
        if allowance == 0:
            continue
        distance = OSA.distance(given, key, score_cutoff=allowance)
        if distance <= allowance and (best is None or distance < best[0]):
            best = (distance, key)
    return best[1] if best else None


# ------------------------------------------------------------------------------------ reading


def _shown_reading(reading: str, romaji: str) -> str:
    romaji = romaji or kana.romanise(reading)
    return f"{reading} ({romaji})" if romaji and romaji != reading else reading


def _written(text: str) -> str:
    return re.sub(r"[\s〜~・]", "", unicodedata.normalize("NFKC", text))


def check_reading(word: Word, answer: str) -> AnswerCheck:
    """The learner typed how a Japanese word is read: kana, romaji, or the term itself."""
    reading = word.reading or word.term
    romaji = str((word.parts or {}).get("romaji", ""))
    return _check_japanese(
        answer,
        written={word.term},
        readings=[reading, romaji],
        expected=_shown_reading(reading, romaji),
    )


def _check_japanese(
    answer: str, *, written: Iterable[str], readings: Iterable[str], expected: str
) -> AnswerCheck:
    typed = _written(answer)
    if not typed:
        return _wrong(expected, NO_ANSWER)
    if typed in {_written(text) for text in written}:
        return _right(expected)
    given = kana.reading_keys(answer)
    keys = {kana.reading_key(text) for text in readings if text} - {""}
    if kana.has_kanji(typed) or not given:
        return _wrong(expected)
    if given & keys:
        return _right(expected)
    short = {kana.without_long_vowels(key) for key in keys}
    if {kana.without_long_vowels(key) for key in given} & short:
        return _close(expected, f"Watch the long vowels: {expected}")
    long_keys = [key for key in keys if len(key) >= 7]  # romaji runs longer than English
    if any(_nearest(key, long_keys, set()) is not None for key in given):
        return _close(expected, f"Accepted — small typo: {expected}")
    return _wrong(expected)


# ------------------------------------------------------------------------------ Spanish term


def _spanish_text(text: str) -> str:
    text = unicodedata.normalize("NFC", text).lower()
    return " ".join(_NOT_WORD.sub(" ", text).split())


def _split_article(text: str) -> tuple[str, str]:
    first, _, rest = text.partition(" ")
    if first in SPANISH_ARTICLES and rest:
        return first, rest
    return "", text


def _accent_note(typed: str, expected: str, shown: str) -> str:
    """Which marks were left out of `typed` (both normalised), naming `shown` as it's spelt."""
    missing = [
        char
        for typed_char, char in zip(typed, expected, strict=False)
        if typed_char != char and fold(char) == fold(typed_char)
    ]
    if set(missing) == {"ñ"}:
        return f"Watch the ñ: {shown}"
    return f"Watch the accent{'s' if len(missing) > 1 else ''}: {shown}"


def check_term(
    word: Word,
    answer: str,
    *,
    require_article: bool = False,
    others: Iterable[str] = (),
) -> AnswerCheck:
    """The learner typed the word itself, given its meaning (Japanese: as for readings)."""
    if word.language == "ja":
        return check_reading(word, answer)
    term_article, term = _split_article(_spanish_text(word.term))
    gender = str((word.parts or {}).get("gender", "")) or SPANISH_ARTICLES.get(term_article, "")
    shown = _with_article(word.term, term, gender) if require_article and gender else word.term
    typed_article, typed = _split_article(_spanish_text(answer))
    if not typed:
        return _wrong(shown, NO_ANSWER)
    notes: list[str] = []
    if typed != term:
        taken = {fold(_split_article(_spanish_text(other))[1]) for other in others}
        if fold(typed) == fold(term):
            notes.append(_accent_note(typed, term, word.term))
        elif _nearest(fold(typed), [fold(term)], taken - {fold(term)}) is not None:
            notes.append(f"Accepted — small typo: {word.term}")
        else:
            return _wrong(shown)
    if gender and (typed_article or require_article):
        if not typed_article:
            return _wrong(shown, f"Give the article too: {shown}")
        if not _article_fits(typed_article, gender, term):
            if require_article:
                return _wrong(shown, f"{word.term} is {gender}: {shown}")
            notes.append(f"Watch the gender: {_with_article(word.term, term, gender)}")
    return _close(shown, " ".join(notes)) if notes else _right(shown)


def _article_fits(article: str, gender: str, noun: str) -> bool:
    if gender == "feminine" and fold(noun) in _STRESSED_A:  # el agua, un aula; las aguas
        return article in {"el", "un", "las", "unas"}
    return SPANISH_ARTICLES[article] == gender


def _with_article(shown_term: str, term: str, gender: str) -> str:
    if _split_article(_spanish_text(shown_term))[0]:
        return shown_term
    masculine = gender == "masculine" or fold(term) in _STRESSED_A
    return f"{'el' if masculine else 'la'} {shown_term}"


# -------------------------------------------------------------------------------------- cloze


def check_cloze(cloze: Cloze, answer: str) -> AnswerCheck:
    """The learner filled the blank of a cloze made by `cloze.cloze_for`."""
    if cloze.language == "ja":
        return _check_japanese_cloze(cloze, answer)
    expected = cloze.answer
    typed = _spanish_text(answer)
    if not typed:
        return _wrong(expected, NO_ANSWER)
    wanted = _spanish_text(expected)
    if typed == wanted:
        return _right(expected)
    if fold(typed) == fold(wanted):
        return _close(expected, _accent_note(typed, wanted, expected))
    if _nearest(fold(typed), [fold(wanted)], set()) is not None:
        return _close(expected, f"Accepted — small typo: {expected}")
    if typed in spanish_forms(cloze.term, cloze.part_of_speech) or fold(typed) == fold(cloze.term):
        return _close(expected, f"Right word — in this sentence it is {expected}")
    return _wrong(expected)


def _check_japanese_cloze(cloze: Cloze, answer: str) -> AnswerCheck:
    readings = [cloze.answer_reading] if cloze.answer_reading else []
    if kana.reading_key(cloze.answer) and not kana.has_kanji(cloze.answer):
        readings.append(cloze.answer)
    expected = (
        f"{cloze.answer} ({cloze.answer_reading})"
        if cloze.answer_reading and cloze.answer_reading != cloze.answer
        else cloze.answer
    )
    forms = japanese_forms(cloze.term, cloze.reading, cloze.part_of_speech, cloze.verb_class)
    # The same form in the other script: 分かります where the sentence has わかります.
    written = {cloze.answer} | {form for form, kana in forms if kana == cloze.answer_reading}
    result = _check_japanese(answer, written=written, readings=readings, expected=expected)
    if result.correct:
        return result
    other_form = _check_japanese(
        answer,
        written={written for written, _ in forms},
        readings=[reading for _, reading in forms],
        expected=expected,
    )
    if other_form.correct and not other_form.close:
        return _close(expected, f"Right word — in this sentence it is {expected}")
    return result
