"""What a question of each built-in activity shows, and how a typed answer is checked.

The questions themselves come from the services (`exercises.multiple_choice`, `cloze.cloze_for`,
`speech.audio_link`; which way round each word is asked is `exercises.direction_for`,
`typed_part` and `spoken_part`); this module only puts them into the plain data a page shows.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from sqlmodel import Session

from learn_app.models import User, Word
from learn_app.services.content import speech
from learn_app.services.errors import NotFound
from learn_app.services.language import answers
from learn_app.services.language.cloze import cloze_for
from learn_app.services.study import exercises

__all__ = ["Asked", "Choice", "Question", "ask", "check_typed", "usable_words"]


@dataclasses.dataclass
class Choice:
    number: int  # 1-4: its key
    text: str
    reading: str


@dataclasses.dataclass
class Question:
    word_id: int = 0
    term: str = ""
    reading: str = ""
    meaning: str = ""
    example: str = ""
    example_translation: str = ""
    ask: str = ""  # multiple choice: its direction; typing: "meaning" or "reading"
    prompt: str = ""
    prompt_reading: str = ""
    choices: list[Choice] = dataclasses.field(default_factory=list)
    audio_url: str = ""  # path and query on the backend (a signed link)
    audio_part: str = ""  # "term" or "example"
    cloze_before: str = ""
    cloze_after: str = ""
    cloze_hint: str = ""


@dataclasses.dataclass(frozen=True)
class Asked:
    question: Question
    answer_index: int = -1  # the right option (0-based); kept on the server


def _has_cloze(word: Word) -> bool:
    return cloze_for(word) is not None


def usable_words(slug: str) -> Callable[[Word], bool] | None:
    """Which words the activity can ask at all: a cloze needs a sentence with the word in it."""
    return _has_cloze if slug == "cloze" else None


def ask(
    session: Session,
    user: User,
    slug: str,
    word: Word,
    position: int,
    group_id: int | None,
    *,
    sign_in: str,
) -> Asked:
    """The question on `word`, the `position`-th (from 0) of a session of the activity."""
    question = Question(
        word_id=word.id or 0,
        term=word.term,
        reading=word.reading,
        meaning=word.meaning,
        example=word.example_sentence,
        example_translation=word.example_translation,
        prompt=word.term,
    )
    answer_index = -1
    if slug in ("multiple-choice", "listening"):
        pool = exercises.pool_for(session, word, group_id)
        choice = exercises.multiple_choice(
            word,
            pool.words,
            direction=exercises.direction_for(position if slug == "multiple-choice" else 0),
            group_word_ids=pool.group_word_ids,
        )
        question.ask = choice.direction
        question.prompt, question.prompt_reading = choice.prompt, choice.prompt_reading
        question.choices = [
            Choice(number, option.text, option.reading)
            for number, option in enumerate(choice.options, 1)
        ]
        answer_index = choice.answer_index
    if slug == "listening":
        question.audio_part = exercises.spoken_part(word, position)
        question.audio_url = speech.audio_link(
            question.word_id, question.audio_part, user.id or 0, sign_in=sign_in
        ).url
    elif slug == "typing":
        question.ask = exercises.typed_part(word, position)
        question.prompt_reading = word.reading if question.ask == "meaning" else ""
    elif slug == "cloze":
        cloze = cloze_for(word)
        if cloze is not None:
            question.cloze_before, question.cloze_after = cloze.before, cloze.after
            question.cloze_hint = cloze.hint
    return Asked(question, answer_index)


def check_typed(
    session: Session,
    user: User,
    slug: str,
    question: Question,
    group_id: int | None,
    typed: str,
) -> answers.AnswerCheck:
    """Check what was typed for a typing or cloze question, as `services.answers` does."""
    word = speech.visible_word(session, user, question.word_id)
    if slug == "cloze":
        cloze = cloze_for(word)
        if cloze is None:
            raise NotFound("This word has no sentence to complete any more.")
        return answers.check_cloze(cloze, typed)
    if question.ask == "reading":
        return answers.check_reading(word, typed)
    # A typo that spells another word of the group is that word, not a typo.
    others = [other.meaning for other in exercises.pool_for(session, word, group_id).words]
    return answers.check_meaning(word, typed, others=others)
