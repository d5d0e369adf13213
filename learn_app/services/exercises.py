"""Questions built from words: multiple choice and cloze.

Multiple choice asks term → meaning or meaning → term with three distractors, chosen from the
most confusable words first: same group and part of speech, then same course and part of
speech, then same group, same course, and any word of the language. A distractor is never a
second right answer: not the word itself, not a word with the same term, not one whose
displayed text equals the answer's or another option's, and not one sharing a sense with the
answer (易しい and 簡単 both mean "easy"). With fewer candidates there are fewer options.

A cloze blanks the word out of its example sentence as the sentence writes it — 食べました,
soy, pequeña (see `services.inflection`) — and gives the translation as the hint. A word
whose example does not contain it gets no cloze (`cloze_for` returns None).
"""

from __future__ import annotations

import itertools
import random
import re
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import ClassVar, Literal

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from learn_app.models import Status, Word, WordGroup, WordGroupMember
from learn_app.services import kana
from learn_app.services.answers import meaning_senses
from learn_app.services.errors import NotFound
from learn_app.services.inflection import fold, japanese_forms, spanish_forms

Direction = Literal["term_to_meaning", "meaning_to_term"]
DISTRACTORS = 3

# --------------------------------------------------------------------------- multiple choice


@dataclass(frozen=True)
class Option:
    word_id: int | None
    text: str
    reading: str = ""  # a Japanese term's kana, shown with it


@dataclass(frozen=True)
class MultipleChoice:
    word_id: int | None
    direction: Direction
    prompt: str
    prompt_reading: str
    options: tuple[Option, ...]
    answer_index: int

    @property
    def answer(self) -> Option:
        return self.options[self.answer_index]

    def is_correct(self, index: int) -> bool:
        return index == self.answer_index


@dataclass(frozen=True)
class CandidatePool:
    """The words a group's questions draw distractors from, and which of them are in it."""

    words: list[Word]
    group_word_ids: frozenset[int]


def candidate_pool(session: Session, group_id: int) -> CandidatePool:
    """The published words of the group's course, and the group's own words, in one query."""
    course_id = select(WordGroup.course_id).where(WordGroup.id == group_id).scalar_subquery()
    rows = session.exec(
        select(Word, WordGroupMember.id)
        .outerjoin(
            WordGroupMember,
            and_(
                col(WordGroupMember.word_id) == col(Word.id),
                col(WordGroupMember.group_id) == group_id,
            ),
        )
        .where(
            Word.status == Status.published.value,
            or_(col(Word.course_id) == course_id, col(WordGroupMember.id).is_not(None)),
        )
        .order_by(col(Word.id))
    ).all()
    if not rows:
        raise NotFound("That word group does not exist or has no published words.")
    in_group = frozenset(word.id for word, member in rows if member is not None and word.id)
    return CandidatePool([word for word, _ in rows], in_group)


def pool_for(session: Session, word: Word, group_id: int | None) -> CandidatePool:
    """The pool a question on `word` draws distractors from: the session's group, or for a
    session without one (today's plan mixes groups) the first group the word is in; a word in
    no group draws from the published words of its course and language."""
    if group_id is None:
        group_id = session.exec(
            select(WordGroupMember.group_id)
            .where(WordGroupMember.word_id == word.id)
            .order_by(col(WordGroupMember.group_id))
            .limit(1)
        ).first()
    if group_id is not None:
        try:
            return candidate_pool(session, group_id)
        except NotFound:
            pass
    same_course = (
        col(Word.course_id).is_(None)
        if word.course_id is None
        else col(Word.course_id) == word.course_id
    )
    words = session.exec(
        select(Word)
        .where(Word.status == Status.published.value, Word.language == word.language, same_course)
        .order_by(col(Word.id))
        .limit(500)
    ).all()
    return CandidatePool(list(words), frozenset())


def multiple_choice(
    word: Word,
    candidates: Iterable[Word],
    *,
    direction: Direction = "term_to_meaning",
    group_word_ids: Collection[int] = frozenset(),
    rng: random.Random | None = None,
    distractors: int = DISTRACTORS,
) -> MultipleChoice:
    """A question on `word` with distractors from `candidates`, options in random order."""
    rng = rng or random.Random()
    answer = _option(word, direction)
    senses = set(meaning_senses(word.meaning))
    shown = {_display_key(answer.text)}
    chosen: list[Option] = []
    for tier in _tiers(word, candidates, group_word_ids, rng):
        for candidate in tier:
            if len(chosen) == distractors:
                break
            option = _option(candidate, direction)
            key = _display_key(option.text)
            if key in shown or senses & set(meaning_senses(candidate.meaning)):
                continue
            shown.add(key)
            chosen.append(option)
    options = [answer, *chosen]
    rng.shuffle(options)
    prompt, prompt_reading = (
        (word.term, _reading_shown(word)) if direction == "term_to_meaning" else (word.meaning, "")
    )
    return MultipleChoice(
        word_id=word.id,
        direction=direction,
        prompt=prompt,
        prompt_reading=prompt_reading,
        options=tuple(options),
        answer_index=options.index(answer),
    )


def _tiers(
    word: Word, candidates: Iterable[Word], group_word_ids: Collection[int], rng: random.Random
) -> list[list[Word]]:
    tiers: list[list[Word]] = [[] for _ in range(5)]
    for candidate in sorted(candidates, key=lambda c: (c.id or 0, c.term)):
        if (
            candidate.language != word.language
            or (candidate.id is not None and candidate.id == word.id)
            or candidate.term == word.term
        ):
            continue
        same_pos = candidate.part_of_speech == word.part_of_speech
        in_group = candidate.id in group_word_ids
        same_course = word.course_id is not None and candidate.course_id == word.course_id
        if in_group and same_pos:
            tiers[0].append(candidate)
        elif same_course and same_pos:
            tiers[1].append(candidate)
        elif in_group:
            tiers[2].append(candidate)
        elif same_course:
            tiers[3].append(candidate)
        else:
            tiers[4].append(candidate)
    for tier in tiers:
        rng.shuffle(tier)
    return tiers


def _option(word: Word, direction: Direction) -> Option:
    if direction == "term_to_meaning":
        return Option(word.id, word.meaning)
    return Option(word.id, word.term, _reading_shown(word))


def _reading_shown(word: Word) -> str:
    return word.reading if word.reading and word.reading != word.term else ""


def _display_key(text: str) -> str:
    return " ".join(text.casefold().split())


# ------------------------------------------------------------------- what each question asks

TypedPart = Literal["meaning", "reading"]
SpokenPart = Literal["term", "example"]


def direction_for(position: int) -> Direction:
    """Multiple choice alternates within a session: the 1st, 3rd, … word asks term →
    meaning, the 2nd, 4th, … meaning → term (`position` counts from 0)."""
    return "term_to_meaning" if position % 2 == 0 else "meaning_to_term"


def typed_part(word: Word, position: int) -> TypedPart:
    """Typing asks for the meaning; every second Japanese word written with kanji (whose
    reading is not on show) asks for its reading instead."""
    has_own_reading = bool(word.reading) and word.reading != word.term
    if word.language == "ja" and has_own_reading and position % 2 == 1:
        return "reading"
    return "meaning"


def spoken_part(word: Word, position: int) -> SpokenPart:
    """Listening plays the word itself, and for every second word its example sentence when
    it has one."""
    return "example" if position % 2 == 1 and word.example_sentence else "term"


# -------------------------------------------------------------------------------------- cloze


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
