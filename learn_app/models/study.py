"""Study: activities, the sessions learners run them in, every answer given, and what the
scheduler remembers about each learner's cards."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel

from learn_app.models.base import timestamp


class ReviewRating(StrEnum):
    """How well a word was recalled, in FSRS's four grades."""

    again = "again"
    hard = "hard"
    good = "good"
    easy = "easy"


class CardStage(StrEnum):
    """The FSRS state of a card. A word the learner has never answered has no card at all."""

    learning = "learning"
    review = "review"
    relearning = "relearning"


class ActivityKind(StrEnum):
    builtin = "builtin"  # a page of this app, at /study/{slug}
    external = "external"  # another site, launched with ?group_id=&session_id=


class StudyActivity(SQLModel, table=True):
    __tablename__ = "study_activity"

    id: int = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, unique=True, index=True)
    name: str = Field(max_length=120)
    kind: str = Field(max_length=30)
    description: str = Field(default="", max_length=2000)
    preview_image: str = Field(default="", max_length=400)
    url: str = Field(default="", max_length=400)


class StudySession(SQLModel, table=True):
    __tablename__ = "study_session"
    __table_args__ = (
        # A learner's sessions, newest first: the sessions list and the last session.
        Index("ix_study_session_user_id_started_at", "user_id", "started_at"),
    )

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    activity_id: int = Field(foreign_key="study_activity.id", index=True)
    group_id: int | None = Field(
        default=None, foreign_key="word_group.id", index=True, ondelete="SET NULL"
    )
    started_at: datetime = timestamp(index=True)
    ended_at: datetime | None = timestamp(nullable=True)
    # A session on chosen words (the hardest ones, from Progress) instead of a group or the plan.
    word_ids: list[int] | None = Field(default=None, sa_column=Column(JSON, nullable=True))


class Review(SQLModel, table=True):
    """One answer. Beside the answer itself it keeps what the scheduler knew when it was
    given — the card's stage, the days since the word's previous answer, FSRS's predicted
    recall — and the memory it left, so progress figures (true retention, calibration, words
    known over time) are counted in SQL instead of replaying every learner's history. Answers
    stored before these were kept have them null (the stage and days are filled in by
    migration 0006)."""

    __table_args__ = (
        # A learner's answers in time order: streaks, the review log the optimizer fits on.
        Index("ix_review_user_id_reviewed_at", "user_id", "reviewed_at"),
        # Each word's answers in order for one learner: words known over time.
        Index("ix_review_user_id_word_id_reviewed_at", "user_id", "word_id", "reviewed_at"),
    )

    id: int = Field(default=None, primary_key=True)
    session_id: int | None = Field(
        default=None, foreign_key="study_session.id", index=True, ondelete="SET NULL"
    )
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    word_id: int = Field(foreign_key="word.id", index=True, ondelete="CASCADE")
    rating: str = Field(max_length=8)  # a ReviewRating
    correct: bool
    response: str = Field(default="", max_length=1000)
    latency_ms: int | None = None
    reviewed_at: datetime = timestamp(index=True)
    # new (the word's first answer) | learning | review | relearning: the card before it.
    card_stage: str | None = Field(default=None, max_length=12)
    elapsed_days: float | None = None  # since the word's previous answer
    retrievability: float | None = None  # FSRS's predicted recall at the answer
    stability: float | None = None  # after the answer, in days
    difficulty: float | None = None  # after the answer, 1-10


class CardState(SQLModel, table=True):
    """One learner's memory of one word, as FSRS models it; written with every review.

    `due` is when the word should next be seen. `reps` counts reviews, `lapses` the times a
    card in the review stage was forgotten. `introduced_at` is the first review, which is what
    the daily goal of new words counts.
    """

    __tablename__ = "card_state"
    __table_args__ = (
        # Due reviews in order and the forecast: WHERE user_id = ? AND due <= ? ORDER BY due.
        Index("ix_card_state_user_id_due", "user_id", "due"),
        # New words introduced today, against the daily goal.
        Index("ix_card_state_user_id_introduced_at", "user_id", "introduced_at"),
    )

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    word_id: int = Field(foreign_key="word.id", primary_key=True, index=True, ondelete="CASCADE")
    state: str = Field(default=CardStage.learning.value, max_length=12)  # a CardStage
    step: int | None = None
    stability: float | None = None
    difficulty: float | None = None
    due: datetime = timestamp()
    last_review: datetime | None = timestamp(nullable=True)
    reps: int = 0
    lapses: int = 0
    introduced_at: datetime = timestamp()


class LearnerScheduler(SQLModel, table=True):
    """Per-learner scheduler memory: FSRS parameters fitted to their own review log.

    `parameters` stays null (the FSRS defaults apply) until the learner has enough reviews for
    the optimizer. `reviews_recorded` is bumped by every review and decides when to fit again;
    `fit_requested_at_reviews` is the count at which the last fit was asked for, so a failing
    fit is not retried on every answer.
    """

    __tablename__ = "learner_scheduler"

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    parameters: list[float] | None = Field(default=None, sa_column=Column(JSON, nullable=True))
    reviews_recorded: int = 0
    fit_requested_at_reviews: int | None = None
    fitted_at: datetime | None = timestamp(nullable=True)
    fitted_on_reviews: int | None = None
