"""Study: activities, the sessions learners run them in, and every answer given."""

from __future__ import annotations

from datetime import datetime

from sqlmodel import Field, SQLModel

from learn_app.models.base import timestamp


class StudyActivity(SQLModel, table=True):
    __tablename__ = "study_activity"

    id: int | None = Field(default=None, primary_key=True)
    slug: str = Field(max_length=60, unique=True, index=True)
    name: str = Field(max_length=120)
    kind: str = Field(max_length=30)
    description: str = Field(default="", max_length=2000)
    preview_image: str = Field(default="", max_length=400)
    url: str = Field(default="", max_length=400)


class StudySession(SQLModel, table=True):
    __tablename__ = "study_session"

    id: int | None = Field(default=None, primary_key=True)
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    activity_id: int = Field(foreign_key="study_activity.id", index=True)
    group_id: int | None = Field(default=None, foreign_key="word_group.id", ondelete="SET NULL")
    started_at: datetime = timestamp(index=True)
    ended_at: datetime | None = timestamp(nullable=True)


class Review(SQLModel, table=True):
    id: int | None = Field(default=None, primary_key=True)
    session_id: int | None = Field(
        default=None, foreign_key="study_session.id", index=True, ondelete="SET NULL"
    )
    user_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    word_id: int = Field(foreign_key="word.id", index=True, ondelete="CASCADE")
    rating: str = Field(max_length=8)  # again | hard | good | easy
    correct: bool
    response: str = Field(default="", max_length=1000)
    latency_ms: int | None = None
    reviewed_at: datetime = timestamp(index=True)
