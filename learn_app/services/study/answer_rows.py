"""The rows an answer reads and writes before its review is stored, by statements built once.

Learners answer back to back, so the answer path is the portal's busiest: its statements are
built here once, with bound parameters, instead of once per answer (building a statement costs
more than running it), and the card is read and written as a plain row — the ORM neither loads
it into the session nor works out at flush what changed.

Locks are taken in one order on every review path: the learner's `learner_scheduler` row
(`count_review`), then the card (`locked_card`). An answer takes both in one statement:
`count_review` counts the review and locks the answered word's card together (the card after
the count, in that order) and returns the card it read, which `locked_card` is given — a
word's first answer then only inserts its card.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import RowMapping, bindparam, select, true, update
from sqlalchemy.dialects.postgresql import insert
from sqlmodel import Session

from learn_app.models import CardStage, CardState, LearnerScheduler, StudySession, Word

_CARD = CardState.__table__  # type: ignore[attr-defined]
_SCHEDULER = LearnerScheduler.__table__  # type: ignore[attr-defined]
_SESSION = StudySession.__table__  # type: ignore[attr-defined]
_WORD = Word.__table__  # type: ignore[attr-defined]

# What an answer changes on its card (`scheduling.apply_review`).
ANSWERED_CARD_COLUMNS = ("state", "step", "stability", "difficulty", "due", "last_review", "reps",
                         "lapses")  # fmt: skip

_SESSION_AND_WORD = (
    select(_SESSION.c.user_id, _SESSION.c.ended_at, _WORD.c.status)
    .select_from(_SESSION.outerjoin(_WORD, _WORD.c.id == bindparam("word_id")))
    .where(_SESSION.c.id == bindparam("session_id"))
)
_COUNT_REVIEW = (
    update(_SCHEDULER)
    .where(_SCHEDULER.c.user_id == bindparam("learner"))
    .values(reviews_recorded=_SCHEDULER.c.reviews_recorded + 1)
    .returning(
        _SCHEDULER.c.parameters,
        _SCHEDULER.c.reviews_recorded,
        _SCHEDULER.c.fit_requested_at_reviews,
    )
)
_CARD_FOR_UPDATE = (
    select(*_CARD.columns)
    .where(_CARD.c.user_id == bindparam("user_id"), _CARD.c.word_id == bindparam("word_id"))
    .with_for_update()
)
_COUNTED = _COUNT_REVIEW.cte("counted")
_ANSWERED_CARD_FOR_UPDATE = (
    select(*_CARD.columns)
    .where(_CARD.c.user_id == bindparam("learner"), _CARD.c.word_id == bindparam("word_id"))
    .with_for_update()
    .lateral("card")
)
# `_COUNT_REVIEW`, then the card of the word answered locked, in one statement: the card is
# read for each row the update returns, so after the scheduler row is locked.
_COUNT_REVIEW_AND_LOCK_CARD = select(
    _COUNTED.c.parameters,
    _COUNTED.c.reviews_recorded,
    _COUNTED.c.fit_requested_at_reviews,
    *_ANSWERED_CARD_FOR_UPDATE.c,
).select_from(_COUNTED.outerjoin(_ANSWERED_CARD_FOR_UPDATE, true()))
_CARD_NAMES = tuple(column.name for column in _CARD.columns)
_NEW_CARD = (
    insert(_CARD)
    .values(
        user_id=bindparam("user_id"),
        word_id=bindparam("word_id"),
        state=CardStage.learning.value,
        step=0,
        due=bindparam("at"),
        reps=0,
        lapses=0,
        introduced_at=bindparam("at"),
    )
    .on_conflict_do_nothing()
    .returning(*_CARD.columns)
)
_ANSWERED_CARD = (
    update(_CARD)
    .where(_CARD.c.user_id == bindparam("key_user_id"), _CARD.c.word_id == bindparam("key_word_id"))
    .values({name: bindparam(name) for name in ANSWERED_CARD_COLUMNS})
)


@dataclass(frozen=True)
class CountedReview:
    """The learner's review count after this answer, and the answered word's card as the same
    statement locked and read it (`card` None: the learner has no card for the word yet)."""

    parameters: Any
    reviews_recorded: int
    fit_requested_at_reviews: int | None
    card: dict[str, Any] | None


def session_and_word(
    session: Session, study_session_id: int, word_id: int
) -> tuple[int, datetime | None, str | None] | None:
    """(owner, ended_at, the word's status or None when there is no such word) of the study
    session, or None when there is no such session."""
    session.flush()  # what the session holds unwritten is read as written
    row = session.execute(
        _SESSION_AND_WORD, {"session_id": study_session_id, "word_id": word_id}
    ).first()
    return None if row is None else (row[0], row[1], row[2])


def count_review(session: Session, user_id: int, word_id: int) -> CountedReview | None:
    """Add one to the learner's review count, locking their scheduler row, and lock and read
    their card for the word answered, in one statement; None before their first review (then
    nothing is changed or locked)."""
    found = session.execute(
        _COUNT_REVIEW_AND_LOCK_CARD, {"learner": user_id, "word_id": word_id}
    ).first()
    if found is None:
        return None
    card = dict(zip(_CARD_NAMES, found[3:], strict=True))
    held = card if card["user_id"] is not None else None
    return CountedReview(found[0], found[1], found[2], held)


def locked_card(
    session: Session,
    user_id: int,
    word_id: int,
    at: datetime,
    counted: CountedReview | None = None,
) -> CardState:
    """The learner's card for the word, locked for this transaction; created on first answer.
    `counted` is the review count that locked and read it already, if one did.

    A plain copy of the row, not loaded into the session: `write_card` stores it."""
    key = {"user_id": user_id, "word_id": word_id}
    row: RowMapping | dict[str, Any] | None
    if counted is not None:
        row = counted.card
    else:
        row = session.execute(_CARD_FOR_UPDATE, key).mappings().first()
    if row is None:
        # The new row is this transaction's (so locked by it) unless another answer to the
        # same word inserted one first: then that one is waited for and read.
        row = (
            session.execute(_NEW_CARD, {**key, "at": at}).mappings().first()
            or session.execute(_CARD_FOR_UPDATE, key).mappings().one()
        )
    return CardState(**row)


def write_card(session: Session, card: CardState) -> None:
    """Store the answered card; a copy of it the session had loaded is read again when next
    used."""
    values = {name: getattr(card, name) for name in ANSWERED_CARD_COLUMNS}
    session.execute(
        _ANSWERED_CARD, {"key_user_id": card.user_id, "key_word_id": card.word_id, **values}
    )
    loaded = session.identity_map.get(session.identity_key(CardState, (card.user_id, card.word_id)))
    if loaded is not None:
        session.expire(loaded)
