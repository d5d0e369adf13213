"""The sentence constructor: build a sentence in the language you learn from its English.

The sentences are the course's example sentences, of the words a study session goes through
(the group's, or today's plan): the English is shown, and the course's sentence is the
reference the attempt is checked against. The reference never leaves the server until the
learner asks to see it (`reveal`), which counts the sentence as missed.

An item is identified by a signed id (`{session}-{word}-{signature}`), issued by `next_item`
to one learner, so nobody can ask about a word their session never offered.

Hints come in three grades — the words in dictionary form, then the word order as slots, then
clues on particles, conjugation and agreement — all three from one JSON task (`rag.chains`)
whose reply is rejected if any field gives the sentence away, and whose fallback is the
course's own rules (`sentence_tasks`, `sentence_hints`). They are kept per item, so asking
again costs nothing. An attempt is compared by rule first (`sentence_answers.compare`); a
wrong one goes to the model, which may find it a right sentence worded differently, and says
what to fix without the answer. A finished item — right, or shown — is one review of its word
in the study session, so progress, the schedule and the dashboard count it like any answer.
"""

from __future__ import annotations

import threading
from collections import OrderedDict
from dataclasses import dataclass
from typing import Any

from sqlmodel import Session, col, select

from learn_app.models import Review, Status, StudySession, User, Word
from learn_app.services.accounts import tokens
from learn_app.services.content.common import is_editor
from learn_app.services.errors import InvalidInput, NotFound
from learn_app.services.language import kana
from learn_app.services.study import plan, session_history
from learn_app.services.study import sessions as study
from learn_app.services.study.activities import get_activity
from learn_app.services.study.scheduling import rating_for_answer
from learn_app.services.tutor.sentence_answers import Reference, compare
from learn_app.services.tutor.sentence_tasks import (
    example_reading,
    reference_of,
    run_check,
    run_hints,
)

__all__ = [
    "SLUG",
    "Attempt",
    "Hint",
    "Revealed",
    "SentenceItem",
    "check_attempt",
    "hint",
    "next_item",
    "reveal",
]

SLUG = "sentence-builder"
SENTENCES_PER_SESSION = 10
HINT_LEVELS = (1, 2, 3)
MAX_ATTEMPT_CHARS = 300
REVEALED_RESPONSE = "(asked to see the answer)"
_ITEM_PURPOSE = "sentence-item"
_CACHE_SIZE = 512


@dataclass(frozen=True)
class SentenceItem:
    item_id: str
    english: str
    language: str
    position: int  # how many sentences of the session were finished before this one
    total: int


@dataclass(frozen=True)
class VocabularyRow:
    term: str
    reading: str
    meaning: str


@dataclass(frozen=True)
class Hints:
    vocabulary: list[VocabularyRow]
    structure: str
    clues: list[str]
    provider: str
    notice: str | None


@dataclass(frozen=True)
class Hint:
    """One grade of hint: 1 the vocabulary, 2 the structure, 3 the clues (the others empty)."""

    level: int
    vocabulary: list[VocabularyRow]
    structure: str
    clues: list[str]
    provider: str
    notice: str | None

    @property
    def offline(self) -> bool:
        return self.provider == "offline"


@dataclass(frozen=True)
class Attempt:
    verdict: str  # "exact", "close" (right, with a note) or "wrong"
    feedback: str
    provider: str  # who judged a wrong attempt: the model's provider, "offline", or "rules"
    notice: str | None
    recorded: bool  # this attempt finished the item and was stored as a review

    @property
    def correct(self) -> bool:
        return self.verdict != "wrong"


@dataclass(frozen=True)
class Revealed:
    sentence: str
    reading: str
    romaji: str
    english: str
    recorded: bool  # stored as a missed review (False when the item was already finished)


@dataclass(frozen=True)
class _Item:
    study: StudySession
    word: Word


# ---------------------------------------------------------------------------------- items


def _has_sentence(word: Word) -> bool:
    return bool(word.example_sentence.strip() and word.example_translation.strip())


def _message(user: User, study_session_id: int, word_id: int) -> str:
    return f"{user.id}:{study_session_id}:{word_id}"


def _item_id(user: User, study_session_id: int, word_id: int) -> str:
    signature = tokens.sign(_ITEM_PURPOSE, _message(user, study_session_id, word_id))
    return f"{study_session_id}-{word_id}-{signature}"


def _sentence_session(session: Session, user: User, study_session_id: int) -> StudySession:
    studied = session_history.own_session(session, user, study_session_id)
    if get_activity(session, studied.activity_id).slug != SLUG:
        raise InvalidInput("That study session belongs to another activity.", field="session_id")
    return studied


def _open(session: Session, user: User, item_id: str) -> _Item:
    """The learner's item, if `item_id` is genuine and theirs; NotFound otherwise."""
    session_part, _, rest = (item_id or "").partition("-")
    word_part, _, signature = rest.partition("-")
    if not (session_part.isdigit() and word_part.isdigit() and len(item_id) <= 200):
        raise NotFound("That sentence does not exist.")
    study_session_id, word_id = int(session_part), int(word_part)
    if not tokens.signature_matches(
        _ITEM_PURPOSE, _message(user, study_session_id, word_id), signature
    ):
        raise NotFound("That sentence does not exist.")
    studied = _sentence_session(session, user, study_session_id)
    word = session.get(Word, word_id)
    if word is None or (word.status != Status.published.value and not is_editor(user)):
        raise NotFound("That sentence does not exist.")
    if not _has_sentence(word):
        raise NotFound("This word has no sentence to build any more.")
    return _Item(studied, word)


def next_item(session: Session, user: User, study_session_id: int) -> SentenceItem | None:
    """The next sentence of the learner's session, or None once every one is finished (the
    session is then ended). Sentences already finished are not asked again, even after a
    reload."""
    studied = _sentence_session(session, user, study_session_id)
    if studied.ended_at is not None:
        return None
    queue = plan.session_queue(
        session, user, study_session_id, keep=_has_sentence, size=SENTENCES_PER_SESSION
    )
    if not queue.words:
        study.end_session(session, user, study_session_id)
        return None
    word = queue.words[0]
    return SentenceItem(
        item_id=_item_id(user, study_session_id, word.id or 0),
        english=word.example_translation,
        language=word.language,
        position=queue.answered,
        total=queue.total,
    )


# -------------------------------------------------------------------------------- the sentence


def _course_words(session: Session, word: Word) -> list[Word]:
    """The published words of the sentence's language: what the rules can recognise. Oldest
    first, so that of two words written alike (今日 as きょう and こんにち) the same one is
    found every time."""
    rows = list(
        session.exec(
            select(Word)
            .where(Word.language == word.language, Word.status == Status.published.value)
            .order_by(col(Word.id))
        )
    )
    return rows if any(w.id == word.id for w in rows) else [*rows, word]


# ---------------------------------------------------------------------------------- hints


class _HintCache:
    """The hints given for each item, so asking again (or for the next grade) costs no call."""

    def __init__(self, size: int) -> None:
        self.size = size
        self._items: OrderedDict[tuple[Any, ...], Hints] = OrderedDict()
        self._lock = threading.Lock()

    def get(self, key: tuple[Any, ...]) -> Hints | None:
        with self._lock:
            found = self._items.get(key)
            if found is not None:
                self._items.move_to_end(key)
            return found

    def put(self, key: tuple[Any, ...], hints: Hints) -> None:
        with self._lock:
            self._items[key] = hints
            self._items.move_to_end(key)
            while len(self._items) > self.size:
                self._items.popitem(last=False)

    def clear(self) -> None:
        with self._lock:
            self._items.clear()


hint_cache = _HintCache(_CACHE_SIZE)


def _hints(session: Session, user: User, item: _Item) -> Hints:
    word = item.word
    key = (user.id, item.study.id, item.study.started_at, word.id, word.updated_at)
    cached = hint_cache.get(key)
    if cached is not None:
        return cached
    result = run_hints(session, user, word, reference_of(word, _course_words(session, word)))
    data = result.data
    hints = Hints(
        vocabulary=[
            VocabularyRow(str(row["term"]), str(row.get("reading", "") or ""), str(row["meaning"]))
            for row in data["vocabulary"]
        ],
        structure=str(data["structure"]),
        clues=[str(clue) for clue in data["clues"]],
        provider=result.provider,
        notice=result.notice,
    )
    hint_cache.put(key, hints)
    return hints


def hint(session: Session, user: User, item_id: str, level: int) -> Hint:
    """Hint `level` for the item: 1 the words in dictionary form, 2 the word order as slots,
    3 clues on particles, conjugation and agreement. None of them holds the sentence."""
    if level not in HINT_LEVELS:
        raise InvalidInput("Hints go from 1 (words) to 3 (clues).", field="level")
    hints = _hints(session, user, _open(session, user, item_id))
    return Hint(
        level=level,
        vocabulary=hints.vocabulary if level == 1 else [],
        structure=hints.structure if level == 2 else "",
        clues=hints.clues if level == 3 else [],
        provider=hints.provider,
        notice=hints.notice,
    )


# -------------------------------------------------------------------------------- attempts


def _finished(session: Session, item: _Item) -> bool:
    """Whether the item's word has its review in the session already."""
    return (
        session.exec(
            select(Review.id)
            .where(Review.session_id == item.study.id, Review.word_id == item.word.id)
            .limit(1)
        ).first()
        is not None
    )


def _record(
    session: Session, user: User, item: _Item, *, correct: bool, hard: bool, response: str
) -> bool:
    if _finished(session, item):
        return False
    study.record_review(
        session,
        user,
        item.study.id or 0,
        item.word.id or 0,
        correct=correct,
        rating=rating_for_answer(correct, close_match=hard).value,
        response=response,
    )
    return True


def check_attempt(
    session: Session,
    user: User,
    item_id: str,
    text: str,
    *,
    hints_used: int = 0,
    earlier_attempts: int = 0,
) -> Attempt:
    """Check the learner's sentence. A right one finishes the item: a review rated Good, or
    Hard when it took hints, earlier attempts, or was accepted with a note. A wrong one is
    not stored, so the learner can try again; its feedback never holds the answer."""
    item = _open(session, user, item_id)
    attempt = (text or "").strip()
    if not attempt:
        raise InvalidInput("Type your sentence first.", field="text")
    if len(attempt) > MAX_ATTEMPT_CHARS:
        raise InvalidInput(
            f"A sentence can be at most {MAX_ATTEMPT_CHARS} characters.", field="text"
        )
    words = _course_words(session, item.word)
    reference = reference_of(item.word, words)
    comparison = compare(reference, attempt, words)
    provider, notice, verdict, feedback = "rules", None, comparison.verdict, comparison.note
    if not comparison.correct:
        result = run_check(session, user, item.word, reference, attempt, comparison)
        provider, notice = result.provider, result.notice
        feedback = str(result.data["feedback"])
        verdict = "close" if result.data["correct"] else "wrong"
    recorded = False
    if verdict != "wrong":
        helped = hints_used > 0 or earlier_attempts > 0 or verdict == "close"
        recorded = _record(session, user, item, correct=True, hard=helped, response=attempt)
    return Attempt(verdict, feedback, provider, notice, recorded)


_SPOKEN_PARTICLES = {"は": "wa", "へ": "e", "を": "o"}
_ROMAJI_PUNCTUATION = {"。": ".", "、": ",", "？": "?", "！": "!"}
_READING_PUNCTUATION = set("。、？！?!,.「」『』 　")


def _romaji(reference: Reference) -> str:
    """The sentence in romaji, a word at a time, particles as they sound (densha de hon o…).
    When the words' kana do not add up to the sentence's reading (a word the course does not
    know, or read differently here: 三人 is さんにん), the reading romanised whole."""
    words: list[str] = []
    spelled = ""
    for piece in reference.pieces:
        if piece.kind == "punct":
            mark = _ROMAJI_PUNCTUATION.get(piece.text, "")
            if words and mark:
                words[-1] += mark
            continue
        piece_kana = kana.to_hiragana(piece.kana or piece.text)
        spelled += piece_kana
        if piece.kind == "particle" and piece.text in _SPOKEN_PARTICLES:
            words.append(_SPOKEN_PARTICLES[piece.text])
        else:
            words.append(kana.romanise(piece_kana))
    reading = kana.to_hiragana(reference.reading)
    if spelled == "".join(char for char in reading if char not in _READING_PUNCTUATION):
        return " ".join(words)
    return "".join(_ROMAJI_PUNCTUATION.get(char, char) for char in kana.romanise(reading))


def reveal(session: Session, user: User, item_id: str) -> Revealed:
    """The course's sentence, asked for explicitly: the item counts as missed (Again)."""
    item = _open(session, user, item_id)
    word = item.word
    recorded = _record(session, user, item, correct=False, hard=False, response=REVEALED_RESPONSE)
    reading = example_reading(word) if word.language == "ja" else ""
    return Revealed(
        sentence=word.example_sentence,
        reading=reading if reading != word.example_sentence else "",
        romaji=_romaji(reference_of(word, _course_words(session, word))) if reading else "",
        english=word.example_translation,
        recorded=recorded,
    )
