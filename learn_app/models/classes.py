"""A teacher's classes and the learners enrolled in them."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import UniqueConstraint
from sqlmodel import Field, SQLModel

from learn_app.models.base import timestamp


class Classroom(SQLModel, table=True):
    id: int = Field(default=None, primary_key=True)
    teacher_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    name: str = Field(max_length=120)
    language: str = Field(default="ja", max_length=8)
    created_at: datetime = timestamp()


class Enrollment(SQLModel, table=True):
    __table_args__ = (UniqueConstraint("classroom_id", "learner_id"),)

    id: int = Field(default=None, primary_key=True)
    classroom_id: int = Field(foreign_key="classroom.id", index=True, ondelete="CASCADE")
    learner_id: int = Field(foreign_key="user.id", index=True, ondelete="CASCADE")
    created_at: datetime = timestamp()
