"""Questions built from words: multiple choice.

Multiple choice asks term → meaning or meaning → term with three distractors, chosen from the
most confusable words first: same group and part of speech, then same course and part of
speech, then same group, same course, and any word of the language. A distractor is never a
second right answer: not the word itself, not a word with the same term, not one whose
displayed text equals the answer's or another option's, and not one sharing a sense with the
answer (易しい and 簡単 both mean "easy"). With fewer candidates there are fewer options.

Cloze questions are pure text over a word, in `services.language.cloze`.
"""

from __future__ import annotations

import random
from collections.abc import Collection, Iterable
from dataclasses import dataclass
from typing import Literal

from sqlalchemy import and_, or_
from sqlmodel import Session, col, select

from learn_app.models import Status, Word, WordGroup, WordGroupMember
from learn_app.services.errors import NotFound
from learn_app.services.language.answers import meaning_senses

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
