"""What the LLM exercises keep: learners' writing with its grading and teachers' comments, and
generated example sentences waiting for a teacher."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import JSON, Column, Index, Text
from sqlmodel import Field, SQLModel

from learn_app.models.base import timestamp


class WritingSubmission(SQLModel, table=True):
    """One sentence a learner wrote for the writing practice, and how it was graded.

    `target_words` is the list given to the learner ([{word_id, term, reading, meaning}]);
    `feedback` is the validated grading ({score, corrected, corrections, target_words}) or the
    offline checks, as `provider` says.
    """

    __tablename__ = "writing_submission"
    __table_args__ = (Index("ix_writing_submission_user_id_created_at", "user_id", "created_at"),)

    id: int = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", ondelete="CASCADE")
    study_session_id: int | None = Field(
        default=None, foreign_key="study_session.id", index=True, ondelete="SET NULL"
    )
    language: str = Field(max_length=8)
    target_words: list[dict[str, Any]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    text: str = Field(sa_column=Column(Text, nullable=False))
    score: int | None = None  # 0–100; None when only the offline checks ran
    feedback: dict[str, Any] = Field(default_factory=dict, sa_column=Column(JSON, nullable=False))
    provider: str = Field(default="", max_length=32)
    notice: str = Field(default="", max_length=300)
    created_at: datetime = timestamp()


class WritingComment(SQLModel, table=True):
    """A teacher's comment on a learner's submission."""

    __tablename__ = "writing_comment"

    id: int = Field(default=None, primary_key=True)
    submission_id: int = Field(foreign_key="writing_submission.id", index=True, ondelete="CASCADE")
    author_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    text: str = Field(sa_column=Column(Text, nullable=False))
    created_at: datetime = timestamp()


class ExampleDraft(SQLModel, table=True):
    """A generated example sentence for a word that has none, until a teacher publishes it
    (it then becomes the word's example) or rejects it."""

    __tablename__ = "example_draft"

    id: int = Field(default=None, primary_key=True)
    word_id: int = Field(foreign_key="word.id", index=True, ondelete="CASCADE")
    sentence: str = Field(max_length=1000)
    translation: str = Field(default="", max_length=1000)
    reading: str = Field(default="", max_length=1000)
    status: str = Field(default="draft", max_length=16, index=True)  # draft/published/rejected
    provider: str = Field(default="", max_length=32)
    created_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    created_at: datetime = timestamp()
    reviewed_by_id: int | None = Field(default=None, foreign_key="user.id", ondelete="SET NULL")
    reviewed_at: datetime | None = timestamp(nullable=True)
