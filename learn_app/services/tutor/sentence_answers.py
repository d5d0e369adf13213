"""A built sentence against the course's: right, nearly right, or what is missing.

Japanese may be typed in kanji, kana or romaji, or a mix (see `services.kana`): the course's
words are read as their kana, spaces and punctuation never count, and the particles は and へ
may be typed as they sound (wa, e). Spanish ignores case and punctuation; missing accents are
accepted and pointed out, as is one small typo in a long word that is not another form of the
same word (comí for como is a mistake, not a typo), and a subject pronoun Spanish would leave out.

A wrong attempt is told which words of the course's sentence are missing (by their dictionary
form), in another form, or not needed — never the sentence, nor the order of its words.
`leaks` says whether a text gives the whole sentence away, for the model's hints and feedback.
"""

from __future__ import annotations

import re
import unicodedata
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass

from rapidfuzz.distance import OSA

from learn_app.models import Word
from learn_app.services.language import kana
from learn_app.services.language.answers import NO_ANSWER, SPANISH_ARTICLES, typo_allowance
from learn_app.services.language.inflection import fold, japanese_forms, spanish_forms
from learn_app.services.language.sentence_parts import Piece, pieces, spanish_words

__all__ = ["Comparison", "Reference", "compare", "leaks"]

_JAPANESE_NOISE = re.compile(r"[\s、。，．,.!?！？「」『』（）()・…〜~\"'“”‘’]")
_SPANISH_SUBJECTS = {"yo", "tu", "el", "ella", "usted", "nosotros", "nosotras", "ellos", "ellas"}
_SHORTEST_ROMAJI_LEAK = 6  # a shorter reading turns up inside ordinary words


@dataclass(frozen=True)
class Reference:
    """The course's sentence an attempt is compared with."""

    language: str
    sentence: str
    reading: str  # Japanese: the sentence in kana; "" for Spanish
    pieces: list[Piece]


@dataclass(frozen=True)
class Comparison:
    verdict: str  # "exact", "close" (accepted, with a note) or "wrong"
    note: str = ""

    @property
    def correct(self) -> bool:
        return self.verdict != "wrong"


def compare(reference: Reference, attempt: str, words: Sequence[Word]) -> Comparison:
    """The verdict on `attempt`, and a note on what was forgiven or what is wrong."""
    if reference.language == "ja":
        return _compare_japanese(reference, attempt, words)
    return _compare_spanish(reference, attempt)


def leaks(text: str, reference: Reference) -> bool:
    """Whether `text` holds the whole reference sentence, as written, in kana or in romaji."""
    if reference.language != "ja":
        wanted = " ".join(fold(word) for word in spanish_words(reference.sentence))
        given = " ".join(fold(word) for word in spanish_words(text))
        return bool(wanted) and f" {wanted} " in f" {given} "
    written = _japanese_written(reference.sentence)
    if written and written in _japanese_written(text):
        return True
    reading = kana.to_hiragana(_japanese_written(reference.reading))
    if reading and reading in kana.to_hiragana(_japanese_written(text)):
        return True
    key = _particles_as_spoken(kana.reading_key(reference.reading or reference.sentence))
    if len(key) < _SHORTEST_ROMAJI_LEAK:
        return False
    return any(key in _particles_as_spoken(k) for k in kana.reading_keys(text))


# ------------------------------------------------------------------------------ Japanese


def _japanese_written(text: str) -> str:
    return _JAPANESE_NOISE.sub("", unicodedata.normalize("NFKC", text))


def _particles_as_spoken(key: str) -> str:
    """A reading key with は and へ as they sound: watashiha and watashiwa meet."""
    return key.replace("ha", "wa").replace("he", "e")


def _word_forms(piece: Piece) -> list[tuple[str, str]]:
    word = piece.word
    assert word is not None
    verb_class = str((word.parts or {}).get("verb_class", ""))
    return japanese_forms(word.term, word.reading, word.part_of_speech, verb_class)


def _as_kana(attempt: str, reference: Reference) -> str:
    """The attempt with the reference's words, in any of their forms, read as kana."""
    text = _japanese_written(attempt)
    forms = [
        form
        for piece in reference.pieces
        if piece.word is not None
        for form in _word_forms(piece)
        if kana.has_kanji(form[0])
    ]
    for written, form_kana in sorted(forms, key=lambda form: -len(form[0])):
        text = text.replace(written, form_kana)
    return text


def _compare_japanese(reference: Reference, attempt: str, words: Sequence[Word]) -> Comparison:
    typed = _japanese_written(attempt)
    if not typed:
        return Comparison("wrong", NO_ANSWER)
    if typed == _japanese_written(reference.sentence):
        return Comparison("exact")
    read = _as_kana(attempt, reference)
    if not kana.has_kanji(read):
        given = kana.reading_keys(read)
        wanted = kana.reading_key(reference.reading or reference.sentence)
        if wanted in given:
            return Comparison("exact")
        spoken = {_particles_as_spoken(key) for key in given}
        if _particles_as_spoken(wanted) in spoken:
            if typed.isascii():  # romaji is written as it sounds: watashi wa
                return Comparison("exact")
            return Comparison(
                "close", "Accepted — as particles, は and へ are written は and へ (read wa, e)."
            )
        short = {kana.without_long_vowels(key) for key in spoken}
        if kana.without_long_vowels(_particles_as_spoken(wanted)) in short:
            return Comparison("close", "Accepted — watch the long vowels.")
    return Comparison("wrong", _japanese_differences(reference, attempt, read, words))


def _japanese_differences(
    reference: Reference, attempt: str, read: str, words: Sequence[Word]
) -> str:
    typed = _japanese_written(attempt)
    keys = sorted(kana.reading_keys(read), key=len, reverse=True)
    spoken = _particles_as_spoken(keys[0]) if keys else ""

    def present(written: str, form_kana: str, shortest: int) -> bool:
        key = _particles_as_spoken(kana.reading_key(form_kana))
        return written in typed or (len(key) >= shortest and key in spoken)

    missing: list[Word] = []
    other_form: list[Word] = []
    for piece in reference.pieces:
        if piece.word is None or piece.word.id in {w.id for w in (*missing, *other_form)}:
            continue
        if present(piece.text, piece.kana or piece.text, 2):
            continue
        if any(present(written, form_kana, 3) for written, form_kana in _word_forms(piece)):
            other_form.append(piece.word)
        else:
            missing.append(piece.word)
    wanted_ids = {p.word.id for p in reference.pieces if p.word is not None}
    extra = [
        p.word
        for p in pieces(attempt, "ja", words)
        if p.word is not None and p.word.id not in wanted_ids
    ]
    return _differences(missing, other_form, [w.term for w in extra], small_words=0)


# ------------------------------------------------------------------------------- Spanish


def _compare_spanish(reference: Reference, attempt: str) -> Comparison:
    given = spanish_words(attempt)
    wanted = spanish_words(reference.sentence)
    if not given:
        return Comparison("wrong", NO_ANSWER)
    notes: list[str] = []
    subject = len(given) == len(wanted) + 1 and fold(given[0]) in _SPANISH_SUBJECTS
    if subject and [fold(w) for w in given[1:]] == [fold(w) for w in wanted]:
        given = given[1:]
        notes.append("Spanish usually leaves out the subject pronoun: the verb says who.")
    if given == wanted:
        return Comparison("close", f"Accepted — {notes[0]}") if notes else Comparison("exact")
    if [fold(w) for w in given] == [fold(w) for w in wanted]:
        marked = [w for g, w in zip(given, wanted, strict=True) if g != w]
        what = "ñ" if all(set(w) - set(fold(w)) <= {"ñ"} for w in marked) else "accents"
        notes.insert(0, f"Accepted — watch the {what}: {', '.join(dict.fromkeys(marked))}.")
        return Comparison("close", " ".join(notes))
    typo = _one_typo(reference, given, wanted)
    if typo:
        notes.insert(0, f"Accepted — small typo: {typo}.")
        return Comparison("close", " ".join(notes))
    return Comparison("wrong", _spanish_differences(reference, given, wanted))


def _piece_of(reference: Reference, token: str) -> Piece | None:
    folded = fold(token)
    for piece in reference.pieces:
        if folded in {fold(w) for w in spanish_words(piece.text)}:
            return piece
    return None


def _is_form_of(piece: Piece | None, token: str) -> bool:
    word = piece.word if piece is not None else None
    return word is not None and token in spanish_forms(word.term, word.part_of_speech)


def _one_typo(reference: Reference, given: list[str], wanted: list[str]) -> str:
    """The word of the course's sentence `given` misspells slightly, if that is all."""
    if len(given) != len(wanted):
        return ""
    different = [(g, w) for g, w in zip(given, wanted, strict=True) if fold(g) != fold(w)]
    if len(different) != 1:
        return ""
    typed, expected = different[0]
    allowance = typo_allowance(len(expected))
    if allowance == 0 or OSA.distance(fold(typed), fold(expected)) > allowance:
        return ""
    return "" if _is_form_of(_piece_of(reference, expected), typed) else expected


def _spanish_differences(reference: Reference, given: list[str], wanted: list[str]) -> str:
    extra = Counter(fold(w) for w in given) - Counter(fold(w) for w in wanted)
    missing_tokens = Counter(fold(w) for w in wanted) - Counter(fold(w) for w in given)
    missing: list[Word] = []
    other_form: list[Word] = []
    small_words = 0
    article_swaps = 0
    for token in list(missing_tokens.elements()):
        if token in SPANISH_ARTICLES:
            swapped = next((t for t in extra if extra[t] and t in SPANISH_ARTICLES), None)
            if swapped is not None:
                extra[swapped] -= 1
                missing_tokens[token] -= 1
                article_swaps += 1
    for token in missing_tokens.elements():
        piece = _piece_of(reference, token)
        word = piece.word if piece is not None else None
        if word is None:
            small_words += 1
            continue
        other = next((t for t in extra if extra[t] and _is_form_of(piece, t)), None)
        if other is not None:
            extra[other] -= 1
            if word.id not in {w.id for w in other_form}:
                other_form.append(word)
        elif word.id not in {w.id for w in missing}:
            missing.append(word)
    typed = {fold(w): w for w in given}
    notes = _differences(
        missing, other_form, [typed[t] for t in extra.elements()], small_words=small_words
    )
    if article_swaps:
        article = "An article does" if article_swaps == 1 else "Some articles do"
        everything = "All the words are there"
        notes = f"{article} not agree with its noun: check its gender and number." + (
            "" if notes.startswith(everything) else f" {notes}"
        )
    return notes


# -------------------------------------------------------------------------------- both


def _differences(
    missing: Sequence[Word], other_form: Sequence[Word], extra: Sequence[str], *, small_words: int
) -> str:
    """What to fix, word by word, in alphabetical order so the order of the answer stays
    hidden."""
    notes: list[str] = []
    if missing:
        named = sorted(f"{w.term} ({w.meaning.split(';')[0].strip()})" for w in missing)
        notes.append(f"Missing: {'; '.join(named)}.")
    if small_words:
        notes.append(
            f"{'One more word is' if small_words == 1 else f'{small_words} more words are'} "
            "missing (a small word: an article, a preposition, a pronoun …)."
        )
    if other_form:
        named = sorted(w.term for w in other_form)
        notes.append(
            f"Right word, another form: {', '.join(named)} — check the form (the hints on "
            "conjugation help)."
        )
    if extra:
        notes.append(f"Not in this sentence: {', '.join(sorted(dict.fromkeys(extra)))}.")
    if not notes:
        notes.append("All the words are there: check the particles, the forms and the order.")
    return " ".join(notes)
