"""Cloze: a word blanked out of its example sentence, as the sentence writes it.

A cloze blanks the word out of its example sentence as the sentence writes it — 食べました,
soy, pequeña (see `inflection`) — and gives the translation as the hint. A word whose example
does not contain it gets no cloze (`cloze_for` returns None). Pure text: no database.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass
from typing import ClassVar

from learn_app.models import Word
from learn_app.services.language import kana
from learn_app.services.language.inflection import fold, japanese_forms, spanish_forms


@dataclass(frozen=True)
class Cloze:
    """An example sentence with the word blanked out: `before` + blank + `after`."""

    BLANK: ClassVar[str] = "＿＿＿"

    word_id: int | None
    language: str
    before: str
    after: str
    answer: str  # as the sentence writes it: 食べました, Soy
    answer_reading: str  # its kana (Japanese), else ""
    hint: str  # the sentence's translation
    term: str
    reading: str
    part_of_speech: str
    verb_class: str = ""

    @property
    def sentence(self) -> str:
        return f"{self.before}{self.BLANK}{self.after}"


def cloze_for(word: Word) -> Cloze | None:
    """The word's example sentence with the word blanked, or None if the example lacks it."""
    sentence = word.example_sentence
    if not sentence:
        return None
    found = _japanese_blank(word) if word.language == "ja" else _spanish_blank(word)
    if found is None:
        return None
    start, end, reading = found
    return Cloze(
        word_id=word.id,
        language=word.language,
        before=sentence[:start],
        after=sentence[end:],
        answer=sentence[start:end],
        answer_reading=reading,
        hint=word.example_translation,
        term=word.term,
        reading=word.reading,
        part_of_speech=word.part_of_speech,
        verb_class=str((word.parts or {}).get("verb_class", "")),
    )


Blank = tuple[int, int, str]  # start, end, kana of what is blanked ("" for Spanish)

_NUMERALS = set("一二三四五六七八九十百千万何0123456789０１２３４５６７８９")
_SPANISH_WORD = re.compile(r"[^\W\d_]+")


def _japanese_blank(word: Word) -> Blank | None:
    sentence = word.example_sentence
    if word.term.startswith(("〜", "~")):
        return _counter_blank(word)
    forms = japanese_forms(
        word.term,
        word.reading,
        word.part_of_speech,
        str((word.parts or {}).get("verb_class", "")),
    )
    found: list[tuple[tuple[bool, int, int], Blank]] = []
    for written, reading in forms:
        for surface in {written, reading}:
            if len(surface) < 2 and not kana.has_kanji(surface):
                continue  # one kana is found inside too many other words
            for match in re.finditer(re.escape(surface), sentence):
                start, end = match.span()
                alone = _stands_alone(sentence, start, end)
                if not alone and len(surface) < 2 and word.part_of_speech != "number":
                    continue  # 日 in 毎日 is another word (but 三 in 三時 is three)
                found.append(((alone, end - start, -start), (start, end, reading)))
    return max(found)[1] if found else None


def _stands_alone(sentence: str, start: int, end: int) -> bool:
    """No kanji runs on from either side (Japanese has no spaces; kanji compounds do)."""
    kanji = [kana.is_kanji(char) for char in sentence]
    before = start > 0 and kanji[start - 1] and kanji[start]
    after = end < len(sentence) and kanji[end] and kanji[end - 1]
    return not (before or after)


def _counter_blank(word: Word) -> Blank | None:
    """A counter with its number (三本), read off the example's reading: さんぼん."""
    sentence, counter = word.example_sentence, word.term.lstrip("〜~")
    for match in re.finditer(re.escape(counter), sentence):
        start, end = match.span()
        while start > 0 and sentence[start - 1] in _NUMERALS:
            start -= 1
        if start == match.start():
            continue
        example_reading = str((word.parts or {}).get("example_reading", ""))
        reading = _reading_of(sentence, example_reading, start, end)
        if reading:
            return start, end, reading
    return None


def _reading_of(sentence: str, reading: str, start: int, end: int) -> str | None:
    """The kana of sentence[start:end], aligning the sentence's kanji runs with its reading.

    Only whole kanji runs can be aligned: a blank that splits one (三本 in 三本買) has no
    reading we can be sure of.
    """
    if not reading or not sentence[start:end]:
        return None
    bounds = sorted({0, start, end, len(sentence)})
    segments: list[tuple[int, int]] = []  # runs of kanji or of anything else, cut at the blank
    for left, right in itertools.pairwise(bounds):
        run_start = left
        for at in range(left + 1, right + 1):
            if at == right or kana.is_kanji(sentence[at]) != kana.is_kanji(sentence[run_start]):
                segments.append((run_start, at))
                run_start = at
    kanji = [kana.is_kanji(sentence[left]) for left, _ in segments]
    if any(first and second for first, second in itertools.pairwise(kanji)):
        return None
    pattern = "".join(
        "(.+?)" if is_kanji else f"({re.escape(kana.to_hiragana(sentence[left:right]))})"
        for (left, right), is_kanji in zip(segments, kanji, strict=True)
    )
    match = re.fullmatch(pattern, kana.to_hiragana(reading))
    if match is None:
        return None
    inside = [n for n, (left, right) in enumerate(segments, 1) if start <= left and right <= end]
    return "".join(match.group(n) for n in inside)


def _spanish_blank(word: Word) -> Blank | None:
    sentence = word.example_sentence
    tokens = list(_SPANISH_WORD.finditer(sentence))
    term_words = _SPANISH_WORD.findall(word.term)
    if not term_words:
        return None
    if len(term_words) > 1:
        wanted = [fold(part) for part in term_words]
        for at in range(len(tokens) - len(wanted) + 1):
            window = tokens[at : at + len(wanted)]
            if [fold(token.group()) for token in window] == wanted:
                return window[0].start(), window[-1].end(), ""
        return None
    term = fold(term_words[0])
    for token in tokens:  # the word as it is, before any inflected form
        if fold(token.group()) == term:
            return token.start(), token.end(), ""
    forms = spanish_forms(word.term, word.part_of_speech)
    for token in tokens:
        if token.group() in forms:
            return token.start(), token.end(), ""
    return None
