"""Progress summaries: a learner's answers counted per day, each word's latest answer, and
words known per week (migration 0015).

PostgreSQL keeps them: a statement trigger on `review` updates the day tables and latest answers
in the same transaction as any answer stored, changed or deleted, and a trigger on "user"
counts a learner's days again when their time zone changes; the Progress page fills the week
table. Nothing in the portal writes these rows itself; the tables are declared here so that
migrations and tests know them.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import BigInteger, Column, DateTime, SmallInteger
from sqlmodel import Field, SQLModel


def _learner() -> int:
    return Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")  # type: ignore[no-any-return]


class ReviewDayCount(SQLModel, table=True):
    """A learner's answers on one of their days, by card stage, rating and young/mature."""

    __tablename__ = "review_day_count"

    user_id: int = _learner()
    day: date = Field(primary_key=True)
    kind: str = Field(primary_key=True, max_length=12)
    rating: str = Field(primary_key=True, max_length=8)
    mature: bool = Field(primary_key=True)
    answers: int
    correct: int
    ms_sum: int = Field(sa_column=Column(BigInteger, nullable=False))  # each capped at a minute
    ms_n: int  # answers with a time


class ReviewDayRecall(SQLModel, table=True):
    """Review-stage answers with FSRS's prediction on one day, by prediction bin (twentieths)."""

    __tablename__ = "review_day_recall"

    user_id: int = _learner()
    day: date = Field(primary_key=True)
    bin: int = Field(sa_column=Column(SmallInteger, primary_key=True))
    answers: int
    correct: int
    predicted: float  # the sum of the predictions


class ReviewDaySession(SQLModel, table=True):
    """A learner's answers on one day in one study session (0: outside any)."""

    __tablename__ = "review_day_session"

    user_id: int = _learner()
    day: date = Field(primary_key=True)
    session_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    answers: int
    correct: int


class ReviewDayZone(SQLModel, table=True):
    """The time zone a learner's days are counted in."""

    __tablename__ = "review_day_zone"

    user_id: int = _learner()
    timezone: str


class ReviewWordLatest(SQLModel, table=True):
    """A learner's latest answer to a word: its time and the stability it left."""

    __tablename__ = "review_word_latest"

    user_id: int = _learner()
    word_id: int = Field(primary_key=True, sa_column_kwargs={"autoincrement": False})
    reviewed_at: datetime = Field(sa_type=DateTime(timezone=True))
    review_id: int
    stability: float | None = None


class WordsKnownWeek(SQLModel, table=True):
    """Estimated words known at the start of a past week, for the decay it was worked out with."""

    __tablename__ = "words_known_week"

    user_id: int = _learner()
    at: datetime = Field(sa_type=DateTime(timezone=True), primary_key=True)
    decay: float
    words_known: float
