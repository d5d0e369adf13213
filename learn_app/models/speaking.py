"""Speaking practice: every attempt at saying a word or sentence, with its recording and the
evidence it was scored on, and each learner's pass mark.

The recording is kept as decoded 16 kHz mono WAV (at most 30 s, under 1 MB) so it can be
replayed and rescored; `features` holds the raw measurements (transcript, per-phone GOPs,
pitch contours) so a better model can be fitted on real attempts later. Deleting the account
deletes its attempts and their audio.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, LargeBinary
from sqlmodel import Field, SQLModel

from learn_app.models.base import timestamp

DEFAULT_PASS_SCORE = 70


class PronunciationAttempt(SQLModel, table=True):
    __tablename__ = "pronunciation_attempt"
    __table_args__ = (
        Index("ix_pronunciation_attempt_user_id_created_at", "user_id", "created_at"),
    )

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    word_id: int = Field(foreign_key="word.id", index=True, ondelete="CASCADE")
    part: str = Field(max_length=8)  # "term" or "example"
    language: str = Field(max_length=8)
    target_text: str = Field(max_length=500)
    session_id: int | None = Field(
        default=None, foreign_key="study_session.id", index=True, ondelete="SET NULL"
    )
    review_id: int | None = Field(default=None, foreign_key="review.id", ondelete="SET NULL")
    score: int
    pass_score: int
    rating: str = Field(max_length=8)  # the ReviewRating recorded
    heard: str = Field(default="", max_length=1000)
    result: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    features: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    audio: bytes = Field(sa_column=Column(LargeBinary, nullable=False))
    audio_seconds: float
    scoring_ms: int
    created_at: datetime = timestamp()


class SpeakingPreference(SQLModel, table=True):
    """The score a learner wants to reach: at or above it an attempt is Good, within 15
    points below it Hard, lower Again."""

    __tablename__ = "speaking_preference"

    user_id: int = Field(foreign_key="user.id", primary_key=True, ondelete="CASCADE")
    pass_score: int = DEFAULT_PASS_SCORE
